/**
 * The store lock: a file `<record>.lock` beside the record, held for one read-modify-write.
 *
 * Why not a library: proper-lockfile (4.1.2, last released 2021) decides staleness by mtime alone
 * and keeps a lock alive with a timer, and its takeover is remove-then-recreate, the race below;
 * npm's `lockfile` (1.0.4, unmaintained) has the same race. Neither survives "30 waiters see one
 * stale lock at once", so credkit keeps its own, small and argued here, and proven by
 * lock.test.ts and test/e2e/store-faults.test.ts (real processes, SIGKILL).
 *
 * The protocol.
 *
 * 1. Acquire: write `{pid, host, token, createdAt}` to a private temp file, then `link()` it to
 *    `<record>.lock`. link is atomic and fails with EEXIST when the lock exists, so a lock file is
 *    never seen empty or half-written (a crash or ENOSPC leaves only a temp file, which is swept),
 *    and exactly one process creates each lock. `token` is 128 random bits: each lock, once
 *    removed, never comes back.
 * 2. Stale: a lock whose holder is gone (same host, `kill(pid, 0)` says ESRCH), or older than
 *    `staleMs` (a holder's critical section is a local read-modify-write of milliseconds, so such a
 *    lock is a holder from another host, a reused pid, or a wedged process), or unparseable (older
 *    credkit, tampering) and not modified for `unparseableStaleMs`.
 * 3. Takeover by identity. A check-then-unlink is not enough: waiters A and B both see stale lock
 *    L; A removes it and creates L'; B, still acting on what it saw, removes L'; both "hold" the
 *    lock. So only the waiter that exclusively creates the claim file `<lock>.claim.<ID>.<gen>`
 *    may remove the lock whose identity is ID (its token; device, inode, mtime and size for an
 *    unparseable one). Holding the claim, it reads the lock again and unlinks it only if its
 *    identity is still ID.
 *    Why that is safe: while lock ID exists, nobody removes claims for ID (they are removed only
 *    after lock ID is gone, and ID never returns), and only a claimant for ID may remove lock ID
 *    (its holder is dead or, if merely old, its own release also checks the identity). A claimant
 *    that finds generation g taken by a live process backs off; it moves on to g + 1 only when g's
 *    creator is dead (or the claim is `staleMs` old), so at most one live claimant for ID exists
 *    while lock ID exists, and between its re-read and its unlink the lock cannot change.
 *    A claimant that dies mid-takeover leaves a claim whose creator is dead: the next waiter uses
 *    the next generation, so the store is never wedged. Leftover claims and temp files of dead
 *    processes are swept by the next holder (holding the lock, every claim names a lock that is
 *    gone for good).
 * 4. Release: read the lock, unlink it only if the token is ours.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { basename, dirname } from 'node:path';
import { type Clock, CredkitError } from '@credkit/temp-creds/errors';
import {
  type LockFile,
  processAlive,
  readLockFile,
  removeQuietly,
  sweepDeadFiles,
  writeExclusive,
} from './lock-file.js';

export interface LockOptions {
  /** How long to wait for one live holder before STORE_LOCKED. */
  timeoutMs?: number;
  /** Age after which a parseable lock (or a claim) is stale even if its pid answers. */
  staleMs?: number;
  /** Age after which an empty, partial or unparseable lock is stale. */
  unparseableStaleMs?: number;
  now?: Clock;
}

const HOST = hostname();

interface Settings {
  staleMs: number;
  unparseableStaleMs: number;
  now: Clock;
}

/** Is the holder of this lock (or claim) gone? */
function isStale(file: LockFile, s: Settings): boolean {
  const age = s.now() - file.mtimeMs;
  if (file.content === undefined) return age > s.unparseableStaleMs;
  const { pid, host, createdAt } = file.content;
  if (s.now() - createdAt > s.staleMs) return true;
  return host === HOST && !processAlive(pid);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function withLock<T>(
  target: string,
  fn: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const lockPath = `${target}.lock`;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const s: Settings = {
    staleMs: options.staleMs ?? 30_000,
    unparseableStaleMs: options.unparseableStaleMs ?? 3_000,
    now: options.now ?? Date.now,
  };
  const token = randomBytes(16).toString('hex');
  let since = s.now();
  let lastHolder: string | undefined;
  let delay = 5;
  for (;;) {
    if (tryCreate(lockPath, token, s)) break;
    const current = readLockFile(lockPath);
    // Removed (here or by the waiter that won its claim): the lock may be free, try again at once.
    // A live claimant on it means wait, like for a live holder.
    if (current !== undefined && isStale(current, s) && takeOver(lockPath, current, s)) continue;
    // The bound is on one holder, not on the queue: behind 30 writers on a slow disk the wait is
    // long but moving, and each new holder restarts the clock.
    if (current?.identity !== lastHolder) {
      lastHolder = current?.identity;
      since = s.now();
    }
    if (s.now() - since > timeoutMs) {
      const holder = current?.content ? ` (pid ${current.content.pid} on ${current.content.host})` : '';
      throw new CredkitError(
        'STORE_LOCKED',
        `The metadata file is locked by another credkit process${holder}: ${lockPath}`,
        {
          hint: 'Wait for the other credkit command to finish; a lock whose process is gone is taken over by itself.',
          details: { file: lockPath },
        },
      );
    }
    await sleep(delay + Math.floor(Math.random() * delay));
    delay = Math.min(delay * 2, 50);
  }
  try {
    const result = await fn();
    // Holding the lock, every claim and dead temp file names a lock that is gone for good.
    sweepDeadFiles(dirname(lockPath), basename(lockPath), token);
    return result;
  } finally {
    release(lockPath, token);
  }
}

/** Step 1: true when this call created the lock. */
function tryCreate(lockPath: string, token: string, s: Settings): boolean {
  const body = JSON.stringify({ pid: process.pid, host: HOST, token, createdAt: s.now() });
  return writeExclusive(lockPath, body, `${lockPath}.${process.pid}.${token}.tmp`);
}

/**
 * Step 3: remove `stale` only if this waiter wins its claim and the lock is still `stale`. False
 * when another live waiter holds the claim (it will do the removal).
 */
function takeOver(lockPath: string, stale: LockFile, s: Settings): boolean {
  const claimBase = `${lockPath}.claim.${stale.identity}`;
  const claimToken = randomBytes(16).toString('hex');
  const body = JSON.stringify({ pid: process.pid, host: HOST, token: claimToken, createdAt: s.now() });
  // No upper bound on generations: each one passed is a file of a dead claimant, so the loop ends,
  // and a cap would wedge the store once that many claimants had died.
  for (let gen = 0; ; gen++) {
    const claim = `${claimBase}.${gen}`;
    if (writeExclusive(claim, body, `${lockPath}.${process.pid}.${claimToken}.tmp`)) break;
    const other = readLockFile(claim, 'claim');
    // Gone: the winner cleaned up, so the lock is gone too.
    if (other === undefined) return true;
    if (!isStale(other, s)) return false;
  }
  try {
    const again = readLockFile(lockPath);
    if (again?.identity === stale.identity) removeQuietly(lockPath);
    return true;
  } finally {
    // Lock `stale` is gone now (removed here, or before): its claims can never matter again.
    for (let gen = 0; removeQuietly(`${claimBase}.${gen}`); gen++) {
      // Removed one; try the next.
    }
  }
}

/** Step 4. */
function release(lockPath: string, token: string): void {
  try {
    const current = readLockFile(lockPath);
    if (current?.content?.token === token) removeQuietly(lockPath);
  } catch {
    // The lock path turned into something else while held: nothing of ours to remove.
  }
}
