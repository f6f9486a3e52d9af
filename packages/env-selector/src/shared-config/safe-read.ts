// node:fs, not node:fs/promises: see read.ts (start-up time). Every call here is bounded: the open
// cannot block (O_NONBLOCK), the type and size are checked on the open descriptor before a byte is
// read, and at most `maxBytes + 1` bytes are ever read.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

/**
 * Why a file was refused, as an fs-like `code`: the fs errors of open (ENOENT, EACCES, ELOOP...),
 * plus ENOTREG (not a regular file; `fileType` says what it is) and EFBIG (over the cap).
 */
export interface SafeReadError extends Error {
  code: string;
  fileType?: string;
  maxBytes?: number;
}

export interface SafeReadOptions {
  /** The largest file accepted; bigger is EFBIG, found from fstat before reading. */
  maxBytes: number;
  /** Refuse a symbolic link at the path itself (ELOOP), for files credkit also writes. */
  noFollow?: boolean;
}

const fail = (code: string, message: string, extra: Partial<SafeReadError> = {}): SafeReadError =>
  Object.assign(new Error(message), { code, ...extra });

/** What a non-regular file is, in words a user knows. */
export function fileTypeOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/**
 * Reads a small file that must be a regular file (a token, a cache entry, a store record, a lock).
 * A FIFO, socket or device fails at once with ENOTREG instead of blocking or streaming forever;
 * a file over `maxBytes` fails with EFBIG without being read. The config and credentials files do
 * not come here: they keep their documented pipe and /dev/null behaviour (read.ts).
 */
export function readRegularFile(path: string, options: SafeReadOptions): { data: Buffer; stat: Stats } {
  const flags =
    constants.O_RDONLY |
    (constants.O_NONBLOCK ?? 0) |
    (constants.O_NOCTTY ?? 0) |
    (options.noFollow ? (constants.O_NOFOLLOW ?? 0) : 0);
  let fd: number;
  try {
    fd = openSync(path, flags);
  } catch (error) {
    // A Unix socket cannot be opened (ENXIO): say what it is rather than a bare errno.
    if ((error as NodeJS.ErrnoException).code === 'ENXIO') {
      throw fail('ENOTREG', `${path} is a socket`, { fileType: 'a socket' });
    }
    throw error;
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw fail('EISDIR', `${path} is a directory`, { fileType: 'a directory' });
    if (!stat.isFile()) {
      const fileType = fileTypeOf(stat);
      throw fail('ENOTREG', `${path} is ${fileType}`, { fileType });
    }
    if (stat.size > options.maxBytes) {
      throw fail('EFBIG', `${path} is larger than ${options.maxBytes} bytes`, { maxBytes: options.maxBytes });
    }
    // The file may grow between fstat and read: read one byte past the cap to notice.
    const buffer = Buffer.alloc(Math.min(stat.size, options.maxBytes) + 1);
    let total = 0;
    for (;;) {
      const n = readSync(fd, buffer, total, buffer.length - total, null);
      if (n === 0) break;
      total += n;
      if (total > options.maxBytes) {
        throw fail('EFBIG', `${path} is larger than ${options.maxBytes} bytes`, {
          maxBytes: options.maxBytes,
        });
      }
      if (total === buffer.length) break;
    }
    return { data: buffer.subarray(0, total), stat };
  } finally {
    closeSync(fd);
  }
}

/** The end of a sentence about a refused file: "it is a named pipe (FIFO)", "it is larger than 64 KiB". */
export function describeReadFailure(error: unknown): string {
  const e = error as Partial<SafeReadError>;
  switch (e.code) {
    case 'ENOENT':
      return 'it does not exist';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTREG':
      return `it is ${e.fileType ?? 'not a regular file'}, not a regular file`;
    case 'EFBIG':
      return `it is larger than ${formatBytes(e.maxBytes ?? 0)}`;
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'it is a symbolic link';
    default:
      return `error ${typeof e.code === 'string' ? e.code : 'reading it'}`;
  }
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / 1024 / 1024} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
