// node:fs, not node:fs/promises (as in shared-config/read.ts): fs/promises pulls in streams and
// readline, milliseconds that a cached session, read on every credkit run, must not cost. Reads go
// through the bounded safe read; the writer (which needs fs/promises) is loaded only to write.
import { chmodSync, lstatSync, mkdirSync, readdirSync, unlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { type Clock, CredkitError } from '@credkit/temp-creds/errors';
import { readRegularFile } from '../shared-config/safe-read.js';
import { pythonJsonDumps } from './python-json.js';

type Env = Record<string, string | undefined>;

/** botocore's `CachedCredentialFetcher.DEFAULT_EXPIRY_WINDOW_SECONDS`: a session this close to expiry is renewed. */
export const SESSION_REFRESH_WINDOW_MS = 15 * 60_000;
/** A cache entry is a few hundred bytes; anything far larger is not one, and is not read whole. */
const MAX_ENTRY_BYTES = 64 * 1024;
/** Marks entries credkit wrote; the AWS CLI reads only `Credentials` and ignores it. */
const WRITER_FIELD = 'CredkitSessionCache';

export type SessionCacheMode = 'aws' | 'credkit';

/** Where sessions are cached, and the clock that decides whether one is still good. */
export interface SessionCache {
  mode: SessionCacheMode;
  dir: string;
  now: Clock;
  /** Told when a session could not be written (the credentials are still returned). */
  onWarning?: (message: string) => void;
}

/**
 * How `fromProfile` caches sessions: `true` follows `CREDKIT_SESSION_CACHE` in the env (`aws`, the
 * default: the AWS CLI's `~/.aws/cli/cache`; `credkit`: a private `sessions` directory under
 * CREDKIT_HOME; `off`), an object names the directory, `false`/absent caches nothing.
 */
export type SessionCacheSetting = boolean | { dir: string; mode?: SessionCacheMode };

export const SESSION_CACHE_ENV = 'CREDKIT_SESSION_CACHE';

/** The cache a setting selects for an env record, or undefined when caching is off. */
export function resolveSessionCache(
  setting: SessionCacheSetting | undefined,
  opts: { env: Env; homedir?: string; now: Clock; onWarning?: (message: string) => void },
): SessionCache | undefined {
  if (setting === undefined || setting === false) return undefined;
  const extra = { now: opts.now, ...(opts.onWarning && { onWarning: opts.onWarning }) };
  if (setting !== true) return { mode: setting.mode ?? 'aws', dir: setting.dir, ...extra };
  const raw = (opts.env[SESSION_CACHE_ENV] ?? '').trim().toLowerCase();
  const home = opts.homedir ?? opts.env.HOME ?? opts.env.USERPROFILE ?? homedir();
  if (raw === '' || raw === 'aws' || raw === 'aws-cli') {
    // The AWS CLI's own place (awscli/customizations/assumerole.py CACHE_DIR), so a code typed in
    // either tool serves both.
    return { mode: 'aws', dir: join(home, '.aws', 'cli', 'cache'), ...extra };
  }
  if (raw === 'credkit')
    return { mode: 'credkit', dir: join(credkitHome(opts.env, home), 'sessions'), ...extra };
  if (raw === 'off' || raw === '0' || raw === 'false' || raw === 'none') return undefined;
  throw new CredkitError(
    'SESSION_CACHE_INVALID',
    `${SESSION_CACHE_ENV} = ${JSON.stringify(opts.env[SESSION_CACHE_ENV])} is not a session cache setting.`,
    {
      hint: `Set ${SESSION_CACHE_ENV} to aws (share ~/.aws/cli/cache with the AWS CLI, the default), credkit (a private cache under CREDKIT_HOME) or off.`,
      details: { variable: SESSION_CACHE_ENV },
    },
  );
}

/** The metadata store's directory rule (CREDKIT_HOME, else XDG_CONFIG_HOME/credkit, else ~/.config/credkit). */
function credkitHome(env: Env, home: string): string {
  if (env.CREDKIT_HOME) return env.CREDKIT_HOME;
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, 'credkit');
  return join(home, '.config', 'credkit');
}

export interface CachedSession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  /** Which tool wrote the entry. */
  writtenBy: 'credkit' | 'aws-cli';
}

export const entryPath = (cache: SessionCache, key: string) => join(cache.dir, `${key}.json`);

/**
 * Reads one entry; undefined when it is missing, not a regular file we own (a symlink is never
 * followed), unreadable, not an AWS CLI cache entry, or expired/within the refresh window.
 * Never throws: a bad entry is simply replaced by the next write.
 */
export async function readSession(
  cache: SessionCache,
  key: string,
  opts: { ignoreExpiry?: boolean } = {},
): Promise<CachedSession | undefined> {
  let text: string;
  try {
    // The shared bounded read: a FIFO does not hang the open, a device or a huge file is not read,
    // and a symlink at the entry's path is never followed.
    const { data, stat } = readRegularFile(entryPath(cache, key), {
      maxBytes: MAX_ENTRY_BYTES,
      noFollow: true,
    });
    if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) return undefined;
    text = data.toString('utf8');
  } catch {
    return undefined;
  }
  const session = parseEntry(text);
  if (!session) return undefined;
  if (!opts.ignoreExpiry && session.expiration.getTime() - cache.now() < SESSION_REFRESH_WINDOW_MS)
    return undefined;
  return session;
}

function parseEntry(text: string): CachedSession | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null) return undefined;
  const c = (data as { Credentials?: Record<string, unknown> }).Credentials;
  if (typeof c !== 'object' || c === null) return undefined;
  const { AccessKeyId, SecretAccessKey, SessionToken, Expiration } = c;
  if (typeof AccessKeyId !== 'string' || !AccessKeyId) return undefined;
  if (typeof SecretAccessKey !== 'string' || !SecretAccessKey) return undefined;
  // botocore reads SessionToken unconditionally: an entry without one is not an AWS CLI entry.
  if (typeof SessionToken !== 'string' || !SessionToken) return undefined;
  const expiration = typeof Expiration === 'string' ? parseExpiration(Expiration) : undefined;
  if (!expiration) return undefined;
  const writtenBy = (data as Record<string, unknown>)[WRITER_FIELD] !== undefined ? 'credkit' : 'aws-cli';
  return {
    accessKeyId: AccessKeyId,
    secretAccessKey: SecretAccessKey,
    sessionToken: SessionToken,
    expiration,
    writtenBy,
  };
}

/**
 * The timestamps the AWS CLI writes: `2026-12-01T10:00:00UTC` (JSONFileCache's strftime with %Z, for
 * STS responses), `...Z` (SSO), and ISO offsets (`+00:00`, from isoformat) with optional fractions.
 * A time without a zone is not trusted (botocore could not compare it either).
 */
export function parseExpiration(text: string): Date | undefined {
  const m =
    /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|UTC|GMT|[+-]\d{2}:?\d{2})$/.exec(
      text.trim(),
    );
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  let ms = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!, frac ? Math.floor(Number(frac) * 1000) : 0);
  if (zone && /^[+-]/.test(zone)) {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return Number.isFinite(ms) ? new Date(ms) : undefined;
}

/** `2026-12-01T10:00:00UTC`: what the AWS CLI's JSONFileCache writes for an STS response's datetime. */
export function awsCliTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'UTC');
}

/**
 * Writes one entry with the secret-file writer the SSO token cache uses (profile-provider/
 * secret-file.ts: an exclusively created, randomly named 0600 temp file beside it, O_NOFOLLOW,
 * fsync, renamed into place, removed on any failure). The directory is created 0700; one that is
 * itself a symlink, or not ours, is not written to. A symlink at the entry's own path is not a
 * session (readSession never follows it): it is removed so the entry can be replaced, never
 * written through. Failures are reported through `onWarning`, never thrown: the session is still
 * good, it is just not kept.
 */
export async function writeSession(
  cache: SessionCache,
  key: string,
  entry: Record<string, unknown>,
): Promise<void> {
  const target = entryPath(cache, key);
  try {
    mkdirSync(cache.dir, { recursive: true, mode: 0o700 });
    const dir = lstatSync(cache.dir);
    if (!dir.isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    if (typeof process.getuid === 'function' && dir.uid !== process.getuid())
      throw Object.assign(new Error('owned by another user'), { code: 'EPERM' });
    // The AWS CLI creates the directory with the umask's mode (often 0755); entries hold secrets.
    if ((dir.mode & 0o077) !== 0) chmodSync(cache.dir, 0o700);
    const existing = lstatOrUndefined(target);
    if (existing?.isSymbolicLink()) unlinkSync(target);
    // Loaded here, not at the top: it needs node:fs/promises, which a cache hit should not load.
    const { writeSecretFileAtomic } = await import('../profile-provider/secret-file.js');
    await writeSecretFileAtomic(target, pythonJsonDumps({ ...entry, [WRITER_FIELD]: 1 }));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException)?.code ?? 'error';
    cache.onWarning?.(
      `Could not cache the session in ${cache.dir} (${code}); it will be requested again next time.`,
    );
  }
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** Removes one entry; true when there was one. */
export async function removeSession(cache: SessionCache, key: string): Promise<boolean> {
  try {
    unlinkSync(entryPath(cache, key));
    return true;
  } catch {
    return false;
  }
}

/** The entry keys present in the cache directory (file names without `.json`). */
export async function listSessionKeys(cache: SessionCache): Promise<string[]> {
  try {
    return readdirSync(cache.dir)
      .filter((f) => /^[^.].*\.json$/.test(f))
      .map((f) => f.slice(0, -5));
  } catch {
    return [];
  }
}
