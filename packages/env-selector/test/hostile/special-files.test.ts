import { spawnSync } from 'node:child_process';
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listProfiles } from '../../src/index.js';
import { loadSharedConfig } from '../../src/shared-config/index.js';

// Issue 7, config files that are not regular files: nothing hangs and nothing exhausts memory.
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'credkit-special-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const none = () => join(dir, 'none');

describe.skipIf(process.platform === 'win32')('config paths that are not regular files', () => {
  it('/dev/null reads as an empty file (a common way to switch a file off)', async () => {
    const listing = await listProfiles({ env: {}, configFile: '/dev/null', credentialsFile: none() });
    expect(listing.profiles).toEqual([]);
  });

  it('/dev/zero is refused after 64 MiB, quickly, with CONFIG_FILE_UNREADABLE naming it', async () => {
    const started = Date.now();
    const e = loadSharedConfig({ env: {}, configFile: '/dev/zero', credentialsFile: none() });
    await expect(e).rejects.toMatchObject({
      code: 'CONFIG_FILE_UNREADABLE',
      message: 'Cannot read the AWS config file /dev/zero: it is larger than 64 MiB',
    });
    await expect(e).rejects.toHaveProperty('details', { file: '/dev/zero', errno: 'EFBIG' });
    // Bounds here only guard a hang (an endless device, a blocking open), never the machine's speed.
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('a regular file over 64 MiB is refused without reading it', async () => {
    const big = join(dir, 'big');
    await writeFile(big, '');
    await truncate(big, 65 * 1024 * 1024);
    const started = Date.now();
    await expect(
      loadSharedConfig({ env: {}, configFile: none(), credentialsFile: big }),
    ).rejects.toMatchObject({
      code: 'CONFIG_FILE_UNREADABLE',
      message: expect.stringContaining(`AWS credentials file ${big}: it is larger than 64 MiB`),
    });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a named pipe nobody writes to reads as empty instead of hanging', async () => {
    const fifo = join(dir, 'fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const started = Date.now();
    const listing = await listProfiles({ env: {}, configFile: fifo, credentialsFile: none() });
    expect(listing.profiles).toEqual([]);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a named pipe with a slow writer (like a process substitution) is read to its end', async () => {
    const fifo = join(dir, 'fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // Linux lets one descriptor hold both ends: the writer exists before credkit opens the pipe.
    const fd = openSync(fifo, constants.O_RDWR);
    writeSync(fd, '[profile piped]\n');
    const later = setTimeout(() => {
      writeSync(fd, 'region = eu-west-1\n');
      closeSync(fd);
    }, 300);
    try {
      const listing = await listProfiles({ env: {}, configFile: fifo, credentialsFile: none() });
      expect(listing.profiles.map((p) => [p.name, p.region])).toEqual([['piped', 'eu-west-1']]);
    } finally {
      clearTimeout(later);
    }
  });
});
