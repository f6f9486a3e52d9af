import { execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withLock } from './lock.js';

let dir: string;
let target: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'credkit-lock-'));
  target = join(dir, 'app.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const DEAD_PID = 2 ** 22 + 12_345;
const token = (n: number) => n.toString(16).padStart(32, '0');

/** A lock as credkit writes it. */
function lockBody(o: { pid: number; token?: string; createdAt?: number; host?: string }): string {
  return JSON.stringify({
    pid: o.pid,
    host: o.host ?? hostname(),
    token: o.token ?? token(1),
    createdAt: o.createdAt ?? Date.now(),
  });
}

async function age(path: string, seconds: number): Promise<void> {
  const t = new Date(Date.now() - seconds * 1000);
  await utimes(path, t, t);
}

describe('withLock', () => {
  it('holds a complete lock while the work runs, and removes it after', async () => {
    const seen = await withLock(target, async () => (await readdir(dir)).sort());
    expect(seen).toEqual(['app.json.lock']);
    expect(await readdir(dir)).toEqual([]);
  });

  it('takes over a lock whose holder is dead, at once', async () => {
    await writeFile(`${target}.lock`, lockBody({ pid: DEAD_PID }));
    expect(await withLock(target, async () => 'ran', { timeoutMs: 50 })).toBe('ran');
    expect(await readdir(dir)).toEqual([]);
  });

  it('waits for a live holder and fails with STORE_LOCKED naming its pid', async () => {
    await writeFile(`${target}.lock`, lockBody({ pid: process.pid }));
    await expect(withLock(target, async () => 'ran', { timeoutMs: 100 })).rejects.toMatchObject({
      code: 'STORE_LOCKED',
      message: expect.stringContaining(`pid ${process.pid}`),
    });
  });

  it('takes over a live pid lock older than staleMs (a reused pid, another host)', async () => {
    await writeFile(`${target}.lock`, lockBody({ pid: process.pid, createdAt: Date.now() - 60_000 }));
    expect(await withLock(target, async () => 'ran', { timeoutMs: 100 })).toBe('ran');
    await writeFile(
      `${target}.lock`,
      lockBody({ pid: 1, host: 'elsewhere', createdAt: Date.now() - 60_000 }),
    );
    expect(await withLock(target, async () => 'ran', { timeoutMs: 100 })).toBe('ran');
  });

  it.each([
    ['empty', ''],
    ['partial', '{"pid": 12'],
    ['unparseable', 'garbage \u0000\u0001'],
    ['of an older credkit', '{"pid": 1, "createdAt": 1}'],
  ])('waits on a fresh %s lock, and takes it over once it is a few seconds old', async (_, body) => {
    await writeFile(`${target}.lock`, body);
    await expect(withLock(target, async () => 'ran', { timeoutMs: 100 })).rejects.toMatchObject({
      code: 'STORE_LOCKED',
    });
    await age(`${target}.lock`, 10);
    expect(await withLock(target, async () => 'ran', { timeoutMs: 100 })).toBe('ran');
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a lock that is a FIFO, a directory or a link to /dev/zero, at once and coded', async () => {
    execFileSync('mkfifo', [`${target}.lock`]);
    const fifo = withLock(target, async () => 'ran', { timeoutMs: 60_000 });
    await expect(fifo).rejects.toMatchObject({
      code: 'STORE_LOCK_UNREADABLE',
      message: expect.stringContaining(`${target}.lock`),
    });
    await expect(fifo).rejects.toThrow('named pipe (FIFO)');
    await rm(`${target}.lock`);
    await symlink('/dev/zero', `${target}.lock`);
    await expect(withLock(target, async () => 'ran', { timeoutMs: 60_000 })).rejects.toMatchObject({
      code: 'STORE_LOCK_UNREADABLE',
      message: expect.stringContaining('symbolic link'),
    });
    await rm(`${target}.lock`);
    await mkdir(`${target}.lock`);
    await expect(withLock(target, async () => 'ran', { timeoutMs: 60_000 })).rejects.toMatchObject({
      code: 'STORE_LOCK_UNREADABLE',
    });
  });

  it('refuses a huge lock file by its size, without reading it', async () => {
    await writeFile(`${target}.lock`, '');
    execFileSync('truncate', ['-s', '600M', `${target}.lock`]);
    await expect(withLock(target, async () => 'ran', { timeoutMs: 60_000 })).rejects.toMatchObject({
      code: 'STORE_LOCK_UNREADABLE',
      message: expect.stringContaining('larger than 4 KiB'),
    });
  });

  it('moves past a claim whose claimant died mid-takeover (never wedged)', async () => {
    const stale = token(7);
    await writeFile(`${target}.lock`, lockBody({ pid: DEAD_PID, token: stale }));
    await writeFile(`${target}.lock.claim.t${stale}.0`, lockBody({ pid: DEAD_PID, token: token(8) }));
    await writeFile(`${target}.lock.claim.t${stale}.1`, lockBody({ pid: DEAD_PID + 1, token: token(9) }));
    expect(await withLock(target, async () => 'ran', { timeoutMs: 100 })).toBe('ran');
    expect(await readdir(dir)).toEqual([]);
    // However many claimants died on it.
    await writeFile(`${target}.lock`, lockBody({ pid: DEAD_PID, token: stale }));
    for (let gen = 0; gen < 100; gen++) {
      await writeFile(
        `${target}.lock.claim.t${stale}.${gen}`,
        lockBody({ pid: DEAD_PID, token: token(gen) }),
      );
    }
    expect(await withLock(target, async () => 'ran', { timeoutMs: 100 })).toBe('ran');
    expect(await readdir(dir)).toEqual([]);
  });

  it('backs off while a live waiter holds the claim on a stale lock', async () => {
    const stale = token(7);
    await writeFile(`${target}.lock`, lockBody({ pid: DEAD_PID, token: stale }));
    // A live claimant (this process stands in for it) is the only one allowed to remove that lock.
    await writeFile(`${target}.lock.claim.t${stale}.0`, lockBody({ pid: process.pid, token: token(8) }));
    await expect(withLock(target, async () => 'ran', { timeoutMs: 100 })).rejects.toMatchObject({
      code: 'STORE_LOCKED',
    });
    expect((await readdir(dir)).sort()).toEqual(['app.json.lock', `app.json.lock.claim.t${stale}.0`]);
  });

  it('sweeps claims and temp files that dead processes left', async () => {
    await writeFile(`${target}.lock.claim.t${token(3)}.0`, lockBody({ pid: DEAD_PID }));
    await writeFile(`${target}.${DEAD_PID}.abcd1234.tmp`, '{"half": ');
    await writeFile(`${target}.lock.${DEAD_PID}.${token(4)}.tmp`, '');
    // A live process's temp file is its own business.
    await writeFile(`${target}.${process.ppid}.abcd1234.tmp`, '');
    await withLock(target, async () => undefined);
    expect(await readdir(dir)).toEqual([`app.json.${process.ppid}.abcd1234.tmp`]);
  });

  it('lets one process at a time in, across real processes racing for one stale lock', async () => {
    // 12 processes start together on a lock whose holder is dead; each appends its pid to a log on
    // entry and exit. Overlapping critical sections would show as two entries in a row.
    await writeFile(`${target}.lock`, lockBody({ pid: DEAD_PID }));
    const log = join(dir, 'log');
    const lockModule = new URL('./lock.ts', import.meta.url).pathname;
    const { build } = await import('esbuild');
    const bundle = join(dir, 'lock.mjs');
    await build({
      entryPoints: [lockModule],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      format: 'esm',
      conditions: ['source'],
      logLevel: 'silent',
    });
    const script = `
      import { appendFileSync } from 'node:fs';
      const { withLock } = await import(${JSON.stringify(bundle)});
      for (let i = 0; i < 5; i++) {
        await withLock(process.argv[1], async () => {
          appendFileSync(process.argv[2], 'in\\n');
          await new Promise((r) => setTimeout(r, 2));
          appendFileSync(process.argv[2], 'out\\n');
        });
      }`;
    const codes = await Promise.all(
      Array.from(
        { length: 12 },
        () =>
          new Promise<number | null>((resolve) => {
            const child = spawn(process.execPath, ['--input-type=module', '-e', script, target, log], {
              stdio: 'inherit',
            });
            child.on('exit', resolve);
          }),
      ),
    );
    expect(codes.every((c) => c === 0)).toBe(true);
    const { readFile } = await import('node:fs/promises');
    const lines = (await readFile(log, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(120);
    expect(lines.every((line, i) => line === (i % 2 === 0 ? 'in' : 'out'))).toBe(true);
  });
});
