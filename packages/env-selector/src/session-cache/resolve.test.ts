import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type AwsHome, createAwsHome, type LoopbackAws, startLoopbackAws } from '@credkit/loopback-aws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveProfile } from '../profile-provider/from-profile.js';
import { roleSessionKey, ssoSessionKey } from './keys.js';

// The session cache as resolveProfile uses it, against the loopback STS and SSO portal: which calls
// are made, which prompts are shown, and what lands on disk.
const ACCOUNT = '123456789012';
const SERIAL = `arn:aws:iam::${ACCOUNT}:mfa/alice`;
let aws: LoopbackAws;
let home: AwsHome;
let clock: number;
let prompts: string[];

beforeEach(async () => {
  aws = await startLoopbackAws();
  clock = Date.now();
  prompts = [];
});
afterEach(async () => {
  await aws.close();
  await home?.cleanup();
});

const keys = (u: { accessKeyId: string; secretAccessKey: string }) =>
  `aws_access_key_id = ${u.accessKeyId}\naws_secret_access_key = ${u.secretAccessKey}\n`;

function resolve(profile: string, extra: Partial<Parameters<typeof resolveProfile>[0]> = {}) {
  return resolveProfile({
    profile,
    env: { ...home.env, ...aws.env },
    sessionCache: true,
    now: () => clock,
    mfaCodeProvider: async (serial) => {
      prompts.push(serial);
      return '123456';
    },
    ...extra,
  });
}

async function mfaWorld(roleExtra = '') {
  const alice = aws.addUser({
    accountId: ACCOUNT,
    userName: 'alice',
    mfa: { serial: SERIAL, code: '123456' },
  });
  const role = aws.addRole({
    accountId: ACCOUNT,
    roleName: 'admin',
    trust: [alice.arn],
    requireMfa: true,
    maxSessionDuration: 43200,
  });
  home = await createAwsHome({
    config: `[profile mfa]\nrole_arn = ${role.roleArn}\nsource_profile = base\nmfa_serial = ${SERIAL}\n${roleExtra}`,
    credentials: `[base]\n${keys(alice)}`,
  });
  return { alice, role, cacheDir: join(home.dir, '.aws', 'cli', 'cache') };
}

describe('role sessions', () => {
  it('asks for the MFA code once and makes one AssumeRole, then serves the cached session', async () => {
    const { role, cacheDir } = await mfaWorld();
    const first = await resolve('mfa');
    expect(prompts).toEqual([SERIAL]);
    for (let i = 0; i < 5; i++) {
      const again = await resolve('mfa');
      expect(again.accessKeyId).toBe(first.accessKeyId);
      expect(again.source?.profile).toBe('mfa');
      expect(again.source?.description).toMatch(
        /^profile "mfa" \(assume-role via "base", static keys\).*, cached session$/,
      );
    }
    expect(prompts).toHaveLength(1);
    expect(aws.calls('AssumeRole')).toBe(1);
    const file = join(cacheDir, `${roleSessionKey({ roleArn: role.roleArn, mfaSerial: SERIAL })}.json`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(cacheDir)).mode & 0o777).toBe(0o700);
  });

  it('asks again once the session is inside the 15-minute refresh window (injected clock)', async () => {
    await mfaWorld();
    aws.setSessionLifetime(20 * 60);
    await resolve('mfa');
    clock += 4 * 60_000;
    await resolve('mfa');
    expect(aws.calls('AssumeRole')).toBe(1);
    clock += 2 * 60_000;
    await resolve('mfa');
    expect(aws.calls('AssumeRole')).toBe(2);
    expect(prompts).toHaveLength(2);
  });

  it('follows duration_seconds, which is part of the key', async () => {
    const { role, cacheDir } = await mfaWorld('duration_seconds = 7200\n');
    const creds = await resolve('mfa');
    expect(aws.requests.find((r) => r.action === 'AssumeRole')?.params?.DurationSeconds).toBe('7200');
    expect((creds.expiration?.getTime() ?? 0) - Date.now()).toBeGreaterThan(7000_000);
    expect(await readdir(cacheDir)).toEqual([
      `${roleSessionKey({ roleArn: role.roleArn, mfaSerial: SERIAL, durationSeconds: 7200 })}.json`,
    ]);
  });

  it('does not need a way to ask for a code while the session is cached', async () => {
    await mfaWorld();
    await resolve('mfa');
    const creds = await resolve('mfa', { mfaCodeProvider: undefined });
    expect(creds.accessKeyId).toMatch(/^ASIA/);
    aws.setSessionLifetime(undefined);
    clock += 2 * 3600_000;
    await expect(resolve('mfa', { mfaCodeProvider: undefined })).rejects.toMatchObject({
      code: 'MFA_REQUIRED',
    });
  });

  it('caches nothing without the option, or with CREDKIT_SESSION_CACHE=off', async () => {
    await mfaWorld();
    await resolve('mfa', { sessionCache: false });
    await resolve('mfa', { env: { ...home.env, ...aws.env, CREDKIT_SESSION_CACHE: 'off' } });
    await resolve('mfa', { env: { ...home.env, ...aws.env, CREDKIT_SESSION_CACHE: 'off' } });
    expect(aws.calls('AssumeRole')).toBe(3);
    await expect(readdir(join(home.dir, '.aws', 'cli'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('caches each hop of a chain (credential_source root), sources resolved only on a miss', async () => {
    const alice = aws.addUser({ accountId: ACCOUNT, userName: 'alice' });
    const inner = aws.addRole({ accountId: ACCOUNT, roleName: 'inner', trust: [alice.arn] });
    const outer = aws.addRole({ accountId: ACCOUNT, roleName: 'outer', trust: ['*'] });
    home = await createAwsHome({
      config: `[profile outer]\nrole_arn = ${outer.roleArn}\nsource_profile = inner\n[profile inner]\nrole_arn = ${inner.roleArn}\ncredential_source = Environment\n`,
    });
    const env = {
      ...home.env,
      ...aws.env,
      AWS_ACCESS_KEY_ID: alice.accessKeyId,
      AWS_SECRET_ACCESS_KEY: alice.secretAccessKey,
    };
    const first = await resolve('outer', { env });
    expect(first.source?.description).toMatch(
      /^profile "outer" \(assume-role via "inner", credential_source Environment\)/,
    );
    expect(aws.calls('AssumeRole')).toBe(2);
    // The inner role's session serves the inner profile too; the outer one needs nothing else.
    await resolve('inner', { env });
    await resolve('outer', { env: { ...env, AWS_ACCESS_KEY_ID: undefined } });
    expect(aws.calls('AssumeRole')).toBe(2);
  });

  it('serves an inner MFA hop of a static-keys-rooted chain from the cache: no prompt, one new AssumeRole', async () => {
    const outer = aws.addRole({ accountId: ACCOUNT, roleName: 'deploy', trust: ['*'] });
    const { role } = await mfaWorld(`[profile deploy]\nrole_arn = ${outer.roleArn}\nsource_profile = mfa\n`);
    await resolve('mfa');
    expect(prompts).toEqual([SERIAL]);
    // deploy's own session is not cached yet: the walker reaches the mfa hop, which the cache serves.
    const deploy = await resolve('deploy');
    expect(deploy.accessKeyId).toMatch(/^ASIA/);
    expect(prompts).toHaveLength(1);
    expect(aws.calls('AssumeRole')).toBe(2);
    const assumed = aws.requests.filter((r) => r.action === 'AssumeRole').map((r) => r.params?.RoleArn);
    expect(assumed).toEqual([role.roleArn, outer.roleArn]);
    // Now both sessions are cached: not even a way to prompt is needed.
    await resolve('deploy', { mfaCodeProvider: undefined });
    expect(aws.calls('AssumeRole')).toBe(2);
  });

  it('uses the private cache under CREDKIT_HOME when CREDKIT_SESSION_CACHE=credkit', async () => {
    await mfaWorld();
    const env = {
      ...home.env,
      ...aws.env,
      CREDKIT_SESSION_CACHE: 'credkit',
      CREDKIT_HOME: join(home.dir, 'ck'),
    };
    await resolve('mfa', { env });
    await resolve('mfa', { env });
    expect(aws.calls('AssumeRole')).toBe(1);
    expect(await readdir(join(home.dir, 'ck', 'sessions'))).toHaveLength(1);
  });
});

describe('SSO sessions', () => {
  it("caches GetRoleCredentials under botocore's SSO key and serves it without the SSO token", async () => {
    aws.addSsoAccess({ accessToken: 'sso-token', accountId: ACCOUNT, roleName: 'Dev' });
    home = await createAwsHome({
      config: `[profile dev]\nsso_session = corp\nsso_account_id = ${ACCOUNT}\nsso_role_name = Dev\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n`,
      ssoCache: [{ sessionName: 'corp', accessToken: 'sso-token' }],
    });
    const first = await resolve('dev');
    const key = ssoSessionKey({
      accountId: ACCOUNT,
      roleName: 'Dev',
      session: 'corp',
      startUrl: 'https://corp.awsapps.com/start',
    });
    expect(await readdir(join(home.dir, '.aws', 'cli', 'cache'))).toEqual([`${key}.json`]);
    await rm(home.ssoCacheFile('corp'));
    const again = await resolve('dev');
    expect(again.accessKeyId).toBe(first.accessKeyId);
    expect(aws.calls('GetRoleCredentials', 'sso')).toBe(1);
  });
});
