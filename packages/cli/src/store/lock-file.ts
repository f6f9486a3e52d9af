/**
 * The files of the store lock protocol (lock.ts): reading a lock or claim with bounds, creating one
 * atomically, and sweeping what dead processes left. Synchronous on purpose: each is one small
 * file, and no await between a check and its action leaves room for surprises.
 */
import { linkSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeReadFailure, readRegularFile } from '@credkit/env-selector/shared-config';
import { CredkitError } from '@credkit/temp-creds/errors';
import { storeIoError } from './io-error.js';

/** A lock is one short JSON line; anything bigger is not ours. */
export const LOCK_MAX_BYTES = 4096;

export interface LockContent {
  pid: number;
  host: string;
  token: string;
  createdAt: number;
}

export interface LockFile {
  /** Undefined when empty, partial or not ours: such a file is judged by its age alone. */
  content?: LockContent;
  mtimeMs: number;
  /** Names this very lock, and no lock after it: the token, else the file's inode and times. */
  identity: string;
}

const errno = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;

function parse(text: string): LockContent | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockContent>;
    if (
      typeof v.pid === 'number' &&
      Number.isInteger(v.pid) &&
      v.pid > 0 &&
      typeof v.host === 'string' &&
      typeof v.token === 'string' &&
      /^[0-9a-f]{32}$/.test(v.token) &&
      typeof v.createdAt === 'number'
    ) {
      return { pid: v.pid, host: v.host, token: v.token, createdAt: v.createdAt };
    }
  } catch {
    // Judged by age below.
  }
  return undefined;
}

/**
 * The lock (or claim) at `path`, undefined when there is none. Never follows a symbolic link and
 * never blocks: a FIFO, a device, a link (to /dev/zero, say) or a huge file is STORE_LOCK_UNREADABLE
 * at once, naming the file.
 */
export function readLockFile(path: string, what: 'lock' | 'claim' = 'lock'): LockFile | undefined {
  let read: ReturnType<typeof readRegularFile>;
  try {
    read = readRegularFile(path, { maxBytes: LOCK_MAX_BYTES, noFollow: true });
  } catch (error) {
    if (errno(error) === 'ENOENT') return undefined;
    if (errno(error) === 'EACCES' || errno(error) === 'EPERM') throw storeIoError(path, error, 'read');
    throw new CredkitError(
      'STORE_LOCK_UNREADABLE',
      `The credkit metadata ${what} file ${path} cannot be used: ${describeReadFailure(error)}.`,
      {
        hint: 'Remove it; credkit creates its lock files itself (a regular file of one short line).',
        details: { file: path },
      },
    );
  }
  const content = parse(read.data.toString('utf8'));
  const { stat } = read;
  const identity = content
    ? `t${content.token}`
    : `i${stat.dev}-${stat.ino}-${Math.round(stat.mtimeMs * 1000)}-${stat.size}`;
  return { ...(content && { content }), mtimeMs: stat.mtimeMs, identity };
}

/**
 * Creates `path` holding `body`, atomically and only if it does not exist: true when created.
 * The body goes to `temp` first and is linked into place, so `path` never exists half-written;
 * `temp` is removed whatever happens. ENOSPC is STORE_DISK_FULL, with nothing left behind.
 */
export function writeExclusive(path: string, body: string, temp: string): boolean {
  try {
    writeFileSync(temp, body, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    removeQuietly(temp);
    throw storeIoError(path, error, 'write');
  }
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    // EEXIST: someone holds it. ENOENT: our temp was swept as a dead process's (another host).
    if (errno(error) === 'EEXIST' || errno(error) === 'ENOENT') return false;
    throw storeIoError(path, error, 'write');
  } finally {
    removeQuietly(temp);
  }
}

/** True when the file was there and is now removed. */
export function removeQuietly(path: string): boolean {
  try {
    unlinkSync(path);
    return true;
  } catch {
    return false;
  }
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return errno(error) === 'EPERM';
  }
}

/**
 * Called by the lock's holder. Claims name locks that are gone for good (the lock in place is the
 * holder's, and no claim is made on a live young lock), so they all go, except any on the
 * holder's own token. Temp files (`<record>.<pid>.<hex>.tmp`, `<lock>.<pid>.<hex>.tmp`) go when
 * their process is dead: a writer SIGKILLed mid-write leaves nothing half-written for long.
 */
export function sweepDeadFiles(dir: string, lockName: string, ownToken: string): void {
  const recordName = lockName.replace(/\.lock$/, '');
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (name.startsWith(`${lockName}.claim.`)) {
      if (!name.includes(ownToken)) removeQuietly(join(dir, name));
      continue;
    }
    for (const base of [lockName, recordName]) {
      if (!name.startsWith(`${base}.`)) continue;
      const pid = /^\.(\d+)\.[0-9a-f]+\.tmp$/.exec(name.slice(base.length))?.[1];
      if (pid !== undefined && Number(pid) !== process.pid && !processAlive(Number(pid))) {
        removeQuietly(join(dir, name));
      }
    }
  }
}
