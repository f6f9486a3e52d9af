import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeReadFailure, readRegularFile } from './safe-read.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'credkit-safe-read-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function refusal(path: string, maxBytes = 1024, noFollow = false): string {
  try {
    readRegularFile(path, { maxBytes, noFollow });
  } catch (error) {
    return `${(error as { code: string }).code}: ${describeReadFailure(error)}`;
  }
  throw new Error('expected a refusal');
}

describe('readRegularFile', () => {
  it('reads a regular file up to the cap', async () => {
    await writeFile(join(dir, 'f'), 'token');
    expect(readRegularFile(join(dir, 'f'), { maxBytes: 5 }).data.toString()).toBe('token');
  });

  it('refuses what is not a regular file, at once', async () => {
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    expect(refusal(join(dir, 'fifo'))).toBe('ENOTREG: it is a named pipe (FIFO), not a regular file');
    expect(refusal('/dev/zero')).toBe('ENOTREG: it is a character device, not a regular file');
    expect(refusal(dir)).toBe('EISDIR: it is a directory');
    const server: Server = createServer();
    await new Promise<void>((r) => server.listen(join(dir, 'sock'), r));
    try {
      expect(refusal(join(dir, 'sock'))).toBe('ENOTREG: it is a socket, not a regular file');
    } finally {
      server.close();
    }
  });

  it('refuses a file over the cap by its size', async () => {
    await writeFile(join(dir, 'big'), '');
    execFileSync('truncate', ['-s', '600M', join(dir, 'big')]);
    expect(refusal(join(dir, 'big'), 64 * 1024)).toBe('EFBIG: it is larger than 64 KiB');
  });

  it('follows a symlink unless told not to', async () => {
    await writeFile(join(dir, 'f'), 'x');
    await symlink(join(dir, 'f'), join(dir, 'link'));
    expect(readRegularFile(join(dir, 'link'), { maxBytes: 10 }).data.toString()).toBe('x');
    expect(refusal(join(dir, 'link'), 10, true)).toBe('ELOOP: it is a symbolic link');
    await symlink('/dev/zero', join(dir, 'zero'));
    expect(refusal(join(dir, 'zero'))).toBe('ENOTREG: it is a character device, not a regular file');
  });

  it('says when a file does not exist', () => {
    expect(refusal(join(dir, 'none'))).toBe('ENOENT: it does not exist');
  });
});
