// node:fs, not node:fs/promises: fs is in Node's start-up snapshot, fs/promises pulls in streams
// and readline (~3 ms of every credkit run).
import { closeSync, constants, fstatSync, openSync, read, readFileSync } from 'node:fs';

/** Far beyond any real config (100 000 profiles are about 5 MB), short of exhausting memory. */
export const MAX_CONFIG_BYTES = 64 * 1024 * 1024;
/** How long a named pipe may keep us waiting for its writer's next bytes. */
export const PIPE_IDLE_TIMEOUT_MS = 10_000;

const errno = (code: string, message: string) => Object.assign(new Error(message), { code });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reads a shared config or credentials file with bounds, throwing errors with an fs-like `code`
 * (ENOENT, EISDIR, EACCES...; EFBIG when it is too large; ETIMEDOUT when a pipe stalls).
 *
 * A path may name something other than a regular file: `/dev/null` (a common way to disable a
 * file), a process substitution `<(...)`, or by mistake `/dev/zero` or a named pipe nobody writes
 * to. Opening non-blocking keeps such a pipe from hanging credkit (no writer reads as empty), and the
 * size cap stops an endless device before it exhausts memory.
 */
export async function readConfigText(
  path: string,
  limit = MAX_CONFIG_BYTES,
): Promise<{ text: string; mode: number }> {
  // A regular file is read synchronously (one open, one fstat, one read: nothing to wait for);
  // only pipes and devices take the asynchronous loop below.
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw errno('EISDIR', `${path} is a directory`);
    if (stat.isFile()) {
      if (stat.size > limit) throw errno('EFBIG', `${path} is larger than ${limit} bytes`);
      return { text: readFileSync(fd, 'utf8'), mode: stat.mode };
    }
    const chunks: Buffer[] = [];
    const buffer = Buffer.alloc(64 * 1024);
    let total = 0;
    let idleSince = Date.now();
    for (;;) {
      let bytesRead: number;
      try {
        bytesRead = await readChunk(fd, buffer);
      } catch (error: unknown) {
        // A pipe whose writer has not written yet.
        if ((error as { code?: unknown }).code !== 'EAGAIN') throw error;
        if (Date.now() - idleSince > PIPE_IDLE_TIMEOUT_MS) throw errno('ETIMEDOUT', `${path} stalled`);
        await sleep(10);
        continue;
      }
      if (bytesRead === 0) break;
      idleSince = Date.now();
      total += bytesRead;
      if (total > limit) throw errno('EFBIG', `${path} gives more than ${limit} bytes`);
      chunks.push(Buffer.from(buffer.subarray(0, bytesRead)));
    }
    return { text: Buffer.concat(chunks).toString('utf8'), mode: stat.mode };
  } finally {
    closeSync(fd);
  }
}

function readChunk(fd: number, buffer: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    read(fd, buffer, 0, buffer.length, null, (error, bytesRead) => {
      if (error) reject(error);
      else resolve(bytesRead);
    });
  });
}
