import { execFileSync } from 'node:child_process';
import { lstat, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AwsHome, createAwsHome, type LoopbackAws, startLoopbackAws } from '@credkit/loopback-aws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fromProfile } from '../../src/index.js';
import { quietSdkNodeVersionWarning } from '../../src/providers.js';

// Issue 12, finding 5: the refreshed SSO token goes to an exclusively created, randomly named temp
// file beside the cache (never through a planted symlink), nothing is left behind when the write
// fails, and a rotated refresh token that could not be saved is announced with the login command.
const ACCOUNT = '333333333333';
const CONFIG =
  '[profile s]\nsso_session = ref\nsso_account_id = 333333333333\nsso_role_name = Dev\n[sso-session ref]\nsso_start_url = https://ref.awsapps.com/start\nsso_region = us-east-1\n';

let aws: LoopbackAws;
const homes: AwsHome[] = [];
const mounts: string[] = [];
beforeAll(async () => {
  await quietSdkNodeVersionWarning();
  aws = await startLoopbackAws();
});
afterAll(async () => {
  await aws.close();
});
afterEach(async () => {
  for (const dir of mounts.splice(0)) execFileSync('umount', [dir]);
  await Promise.all(homes.splice(0).map((h) => h.cleanup()));
});

let n = 0;
/** A home whose SSO login is about to expire and can be refreshed (the loopback rotates the refresh token). */
async function expiringLogin(): Promise<{
  home: AwsHome;
  env: Record<string, string | undefined>;
  cache: string;
}> {
  const accessToken = `sso-old-${++n}`;
  aws.addSsoAccess({ accessToken, accountId: ACCOUNT, roleName: 'Dev' });
  aws.addSsoRefresh({ accessToken, clientId: 'cid', clientSecret: 'csecret', refreshToken: `rtok-${n}` });
  const home = await createAwsHome({
    config: CONFIG,
    ssoCache: [
      {
        sessionName: 'ref',
        accessToken,
        expiresAt: new Date(Date.now() + 60_000),
        extra: {
          refreshToken: `rtok-${n}`,
          clientId: 'cid',
          clientSecret: 'csecret',
          registrationExpiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        },
      },
    ],
  });
  homes.push(home);
  return { home, env: { ...home.env, ...aws.env }, cache: home.ssoCacheFile('ref') };
}

async function withWarnings<T>(run: () => Promise<T>): Promise<{ value: T; warnings: string[] }> {
  const warnings: string[] = [];
  const listener = (w: Error) => warnings.push(w.message);
  process.on('warning', listener);
  try {
    const value = await run();
    await new Promise((r) => setImmediate(r));
    return { value, warnings };
  } finally {
    process.off('warning', listener);
  }
}

describe('SSO token cache write-back', () => {
  it('never writes through a symlink planted at the old predictable temp name', async () => {
    const { home, env, cache } = await expiringLogin();
    const stolen = join(home.dir, 'stolen');
    await writeFile(stolen, '');
    await symlink(stolen, `${cache}.${process.pid}.tmp`);
    const creds = await fromProfile({ profile: 's', env })();
    expect(creds.accessKeyId).toBeTruthy();
    expect(await readFile(stolen, 'utf8')).toBe('');
    const written = JSON.parse(await readFile(cache, 'utf8'));
    expect(written.refreshToken).not.toBe(`rtok-${n}`);
    expect((await stat(cache)).mode & 0o777).toBe(0o600);
    expect((await lstat(cache)).isFile()).toBe(true);
    // Nothing but the cache and the planted link: no temp file of ours is left.
    expect((await readdir(home.ssoCacheDir)).sort()).toEqual(
      [`${cache.split('/').at(-1)}`, `${cache.split('/').at(-1)}.${process.pid}.tmp`].sort(),
    );
  });

  it('refuses to replace a cache that is a symlink, and says the next login is needed', async () => {
    const { home, env, cache } = await expiringLogin();
    const elsewhere = join(home.dir, 'elsewhere.json');
    await writeFile(elsewhere, await readFile(cache));
    await rm(cache);
    await symlink(elsewhere, cache);
    const before = await readFile(elsewhere, 'utf8');
    const { value, warnings } = await withWarnings(() => fromProfile({ profile: 's', env })());
    expect(value.accessKeyId).toBeTruthy();
    expect(await readFile(elsewhere, 'utf8')).toBe(before);
    expect(warnings.join('\n')).toContain('aws sso login --profile s');
    expect(warnings.join('\n')).not.toContain('csecret');
  });

  it('on a full disk: nothing half-written is left, and the user is told to log in next time', async (ctx) => {
    const { home, env, cache } = await expiringLogin();
    // A 64 KiB tmpfs over the cache directory, filled up (root only: CI runs as root).
    const original = await readFile(cache, 'utf8');
    const dir = home.ssoCacheDir;
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'ignore' });
    } catch {
      ctx.skip();
      return;
    }
    mounts.push(dir);
    await writeFile(cache, original, { mode: 0o600 });
    await writeFile(join(dir, 'filler'), Buffer.alloc(60 * 1024)).catch(() => undefined);
    try {
      execFileSync('dd', ['if=/dev/zero', `of=${join(dir, 'filler2')}`, 'bs=1k', 'count=64'], {
        stdio: 'ignore',
      });
    } catch {
      // Full: that is the point.
    }
    const { value, warnings } = await withWarnings(() => fromProfile({ profile: 's', env })());
    expect(value.accessKeyId).toBeTruthy();
    expect(await readFile(cache, 'utf8')).toBe(original);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(warnings.join('\n')).toContain('ENOSPC');
    expect(warnings.join('\n')).toContain('next run will need a new login: aws sso login --profile s');
  });
});
