import { lstat, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeSecretFileAtomic } from './secret-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'credkit-secret-file-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeSecretFileAtomic', () => {
  it('replaces the file with a 0600 regular file and leaves no temp file', async () => {
    const file = join(dir, 'token.json');
    await writeFile(file, 'old', { mode: 0o644 });
    await writeSecretFileAtomic(file, 'new');
    expect(await readFile(file, 'utf8')).toBe('new');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['token.json']);
  });

  it('refuses a symlink at the file itself and writes nothing through it', async () => {
    const target = join(dir, 'elsewhere');
    await writeFile(target, 'untouched');
    await symlink(target, join(dir, 'token.json'));
    await expect(writeSecretFileAtomic(join(dir, 'token.json'), 'secret')).rejects.toMatchObject({
      code: 'ELOOP',
    });
    expect(await readFile(target, 'utf8')).toBe('untouched');
    expect((await lstat(join(dir, 'token.json'))).isSymbolicLink()).toBe(true);
    expect((await readdir(dir)).sort()).toEqual(['elsewhere', 'token.json']);
  });

  it('fails without leaving anything when the directory is gone', async () => {
    await expect(writeSecretFileAtomic(join(dir, 'missing', 'token.json'), 'secret')).rejects.toMatchObject({
      code: 'ENOENT',
    });
    expect(await readdir(dir)).toEqual([]);
  });
});
