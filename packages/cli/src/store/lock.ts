/**
 * A lock file beside the record (`<file>.lock`, created with O_EXCL) so that two credkit processes
 * doing read-modify-write on one app never lose an update. A lock left by a dead process (or older
 * than `staleMs`) is broken; otherwise we wait with backoff, then fail with a coded error.
 */
import { open, readFile, rm } from 'node:fs/promises';
import { CredkitError } from '@credkit/temp-creds/errors';

export interface LockOptions {
  timeoutMs?: number;
  staleMs?: number;
  now?: () => number;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function isStale(lockPath: string, staleMs: number, now: number): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(lockPath, 'utf8');
  } catch (error) {
    // Gone already (the holder released it): not stale, just retry.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  try {
    const { pid, createdAt } = JSON.parse(text) as { pid: number; createdAt: number };
    if (typeof pid !== 'number' || typeof createdAt !== 'number') return true;
    return !alive(pid) || now - createdAt > staleMs;
  } catch {
    // A lock file is written in one small write; an unparsable one is either being written right
    // now (give it a moment) or garbage from a crash. Treat it as stale only when it is also old.
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function withLock<T>(
  target: string,
  fn: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const lockPath = `${target}.lock`;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const staleMs = options.staleMs ?? 30_000;
  const now = options.now ?? Date.now;
  const started = now();
  let delay = 10;
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx', 0o600);
      try {
        await handle.writeFile(JSON.stringify({ pid: process.pid, createdAt: now() }));
      } finally {
        await handle.close();
      }
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw lockError(lockPath, error);
    }
    if (await isStale(lockPath, staleMs, now())) {
      await rm(lockPath, { force: true });
      continue;
    }
    if (now() - started > timeoutMs) {
      throw new CredkitError(
        'STORE_LOCKED',
        `The metadata file is locked by another credkit process: ${lockPath}`,
        {
          hint: 'Wait for the other credkit command to finish. If none is running, delete the lock file.',
          details: { file: lockPath },
        },
      );
    }
    await sleep(delay + Math.floor(Math.random() * delay));
    delay = Math.min(delay * 2, 200);
  }
  try {
    return await fn();
  } finally {
    await rm(lockPath, { force: true });
  }
}

function lockError(lockPath: string, cause: unknown): CredkitError {
  const code = (cause as NodeJS.ErrnoException).code;
  return new CredkitError(
    'STORE_NOT_WRITABLE',
    `Cannot create the lock file ${lockPath} (${code ?? 'error'}).`,
    {
      hint: 'Check the permissions of the credkit metadata directory, or set CREDKIT_HOME to a writable directory.',
      details: { file: lockPath },
    },
  );
}
