import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  IDENTITY_CACHE_FILE,
  identityCacheKey,
  readCachedIdentity,
  writeCachedIdentity,
} from './identity-cache.js';

let dir: string;
beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'credkit-idcache-')), 'home');
});
afterEach(async () => {
  await rm(join(dir, '..'), { recursive: true, force: true });
});

describe('identity cache', () => {
  const now = new Date('2026-12-01T00:00:00Z');
  const key = identityCacheKey('AKIAEXAMPLEEXAMPLE12', 'bob');

  it('keeps an answer for the credentials’ lifetime, 0600, without the key ID', async () => {
    const expiration = new Date(now.getTime() + 3600_000);
    await writeCachedIdentity(dir, key, { account: '111111111111', root: false }, expiration, now);
    const file = join(dir, IDENTITY_CACHE_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect(await readFile(file, 'utf8')).not.toContain('AKIAEXAMPLE');
    expect(await readCachedIdentity(dir, key, now)).toMatchObject({ account: '111111111111', root: false });
    expect(await readCachedIdentity(dir, key, new Date(expiration.getTime() + 1))).toBeUndefined();
  });

  it('is per key ID and profile; long-term keys are asked again after 12 hours', async () => {
    await writeCachedIdentity(dir, key, { account: '222222222222', root: true }, undefined, now);
    expect(
      await readCachedIdentity(dir, identityCacheKey('AKIAEXAMPLEEXAMPLE12', 'alice'), now),
    ).toBeUndefined();
    expect(await readCachedIdentity(dir, key, new Date(now.getTime() + 11 * 3600_000))).toMatchObject({
      root: true,
    });
    expect(await readCachedIdentity(dir, key, new Date(now.getTime() + 13 * 3600_000))).toBeUndefined();
  });

  it('a missing or corrupt cache is a miss, never an error', async () => {
    expect(await readCachedIdentity(dir, key, now)).toBeUndefined();
  });
});
