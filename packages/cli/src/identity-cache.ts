/**
 * What GetCallerIdentity said about a pair of keys, so `export --env` and `exec --env` check the
 * recorded account once per credential lifetime instead of on every run. It holds no secret: each
 * entry is keyed by a SHA-256 of the access key ID and the profile name and keeps only the account,
 * whether it is the root user and until when the answer holds. `identity-cache.json` under the
 * store directory (CREDKIT_HOME), 0600 in a 0700 directory, replaced through a temp file.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const IDENTITY_CACHE_FILE = 'identity-cache.json';
/** Long-term keys never change account, but are rotated and deleted: asked again after 12 hours. */
const LONG_TERM_TTL_MS = 12 * 3600 * 1000;
const MAX_ENTRIES = 256;

export interface CachedIdentity {
  account: string;
  root: boolean;
  /** ISO time after which the entry is not used. */
  until: string;
}

type Entries = Record<string, CachedIdentity>;

export function identityCacheKey(accessKeyId: string, profile: string): string {
  return createHash('sha256').update(`${accessKeyId}\0${profile}`).digest('hex');
}

async function readEntries(file: string): Promise<Entries> {
  try {
    const doc = JSON.parse(await readFile(file, 'utf8')) as { entries?: unknown };
    return typeof doc.entries === 'object' && doc.entries !== null ? (doc.entries as Entries) : {};
  } catch {
    // Missing or unreadable: a cache miss, never an error (the check then asks STS).
    return {};
  }
}

export async function readCachedIdentity(
  dir: string,
  key: string,
  now: Date,
): Promise<CachedIdentity | undefined> {
  const entry = (await readEntries(join(dir, IDENTITY_CACHE_FILE)))[key];
  if (
    entry === undefined ||
    typeof entry.account !== 'string' ||
    typeof entry.root !== 'boolean' ||
    !(Date.parse(entry.until) > now.getTime())
  )
    return undefined;
  return entry;
}

export async function writeCachedIdentity(
  dir: string,
  key: string,
  identity: { account: string; root: boolean },
  expiration: Date | undefined,
  now: Date,
): Promise<void> {
  const file = join(dir, IDENTITY_CACHE_FILE);
  const until = new Date(
    Math.min(expiration?.getTime() ?? Number.POSITIVE_INFINITY, now.getTime() + LONG_TERM_TTL_MS),
  );
  const entries = await readEntries(file);
  // Expired entries go; the file stays small however many keys come and go.
  const live = Object.entries(entries).filter(([, e]) => Date.parse(e?.until) > now.getTime());
  const kept = Object.fromEntries(live.slice(-(MAX_ENTRIES - 1)));
  kept[key] = { account: identity.account, root: identity.root, until: until.toISOString() };
  const temp = join(dir, `.${IDENTITY_CACHE_FILE}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(temp, `${JSON.stringify({ version: 1, entries: kept })}\n`, { mode: 0o600 });
    await chmod(temp, 0o600);
    await rename(temp, file);
  } catch {
    // A cache that cannot be written costs one STS call next time, nothing more.
    await rm(temp, { force: true }).catch(() => undefined);
  }
}
