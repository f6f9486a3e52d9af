import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { leaksNone, tempAwsHomes } from '@credkit/loopback-aws';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveProfile } from './from-profile.js';
import { assertNotResolvingLoop, markResolving, resolvingProfiles } from './loop.js';

const tempHome = tempAwsHomes(afterEach, { verbatim: true, fileMode: 0o644 });
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function home(config: string, credentials = '') {
  const h = await tempHome({ config, credentials });
  await mkdir(h.ssoCacheDir, { recursive: true });
  return { dir: h.dir, env: { HOME: h.dir, PATH: process.env.PATH } as Record<string, string | undefined> };
}

describe('resolveProfile', () => {
  it('resolves static keys with $source and a readable source, non-enumerable', async () => {
    const { env } = await home(
      '',
      '[dev]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = s3cr3t\n',
    );
    const creds = await resolveProfile({ profile: 'dev', env });
    expect(creds).toEqual({
      accessKeyId: 'AKIAEXAMPLE',
      secretAccessKey: 's3cr3t',
      $source: { CREDENTIALS_PROFILE: 'n' },
    });
    expect(creds.source).toMatchObject({
      kind: 'profile',
      method: 'static',
      profile: 'dev',
      description: 'profile "dev" (static keys) from ~/.aws/credentials',
    });
    expect(JSON.stringify(creds.source)).not.toContain('s3cr3t');
  });

  it('names the file that holds the keys when a profile is split across both files', async () => {
    const { env } = await home(
      '[default]\nregion = eu-west-1\n',
      '[default]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = s3cr3t\n',
    );
    const creds = await resolveProfile({ profile: 'default', env });
    expect(creds.source?.description).toBe('profile "default" (static keys) from ~/.aws/credentials');
  });

  it('resolves a session token profile', async () => {
    const { env } = await home(
      '[profile s]\naws_access_key_id = ASIAEXAMPLE\naws_secret_access_key = s\naws_session_token = t\n',
    );
    const creds = await resolveProfile({ profile: 's', env });
    expect(creds.sessionToken).toBe('t');
    expect(creds.source?.method).toBe('session');
  });

  it('honours explicit configFile and credentialsFile over the env', async () => {
    const a = await home('');
    const b = await home('', '[x]\naws_access_key_id = AKIAB\naws_secret_access_key = s\n');
    const creds = await resolveProfile({
      profile: 'x',
      env: a.env,
      credentialsFile: join(b.dir, '.aws', 'credentials'),
    });
    expect(creds.accessKeyId).toBe('AKIAB');
  });

  it('fails with PROFILE_NOT_FOUND naming both files', async () => {
    const { env } = await home('[profile dev]\nregion = us-east-1\n');
    await expect(resolveProfile({ profile: 'nope', env })).rejects.toMatchObject({
      code: 'PROFILE_NOT_FOUND',
      message: expect.stringContaining('~/.aws/config or ~/.aws/credentials'),
    });
  });

  it('asks for MFA before any network call, and fails clearly without a callback', async () => {
    const { env } = await home(
      '[profile m]\nrole_arn = arn:aws:iam::111111111111:role/r\nsource_profile = base\nmfa_serial = arn:aws:iam::111111111111:mfa/alice\n[profile base]\naws_access_key_id = A\naws_secret_access_key = B\n',
    );
    const e = resolveProfile({ profile: 'm', env: { ...env, AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:1' } });
    await expect(e).rejects.toMatchObject({
      code: 'MFA_REQUIRED',
      message: expect.stringContaining('Profile "m" (~/.aws/config:2)'),
    });
    await expect(e).rejects.toMatchObject({
      message: expect.stringContaining('arn:aws:iam::111111111111:mfa/alice'),
    });
  });

  it.each([
    ['missing', undefined, 'SSO_TOKEN_MISSING'],
    ['expired', '2020-01-01T00:00:00Z', 'SSO_TOKEN_EXPIRED'],
  ])('reports an SSO token that is %s with the aws sso login command', async (_, expiresAt, code) => {
    const { dir, env } = await home(
      '[profile sso]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = Dev\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n',
    );
    if (expiresAt) {
      const key = createHash('sha1').update('corp').digest('hex');
      await writeFile(
        join(dir, '.aws', 'sso', 'cache', `${key}.json`),
        JSON.stringify({ accessToken: 'secret-token', expiresAt }),
      );
    }
    const e = resolveProfile({ profile: 'sso', env });
    await expect(e).rejects.toMatchObject({
      code: code,
      hint: expect.stringMatching(/^Log in( again)?: aws sso login --profile sso$/),
    });
    await expect(e).rejects.toSatisfy(leaksNone('secret-token'));
  });

  it('runs credential_process with the loop marker for the whole chain in its env', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'credkit-fp-'));
    dirs.push(dir);
    const script = join(dir, 'p.mjs');
    await writeFile(
      script,
      `process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: process.env.CREDKIT_RESOLVING, SecretAccessKey: 'S' }));`,
    );
    const { env } = await home(`[profile p]\ncredential_process = "${process.execPath}" "${script}"\n`);
    const creds = await resolveProfile({ profile: 'p', env: { ...env, CREDKIT_RESOLVING: 'outer' } });
    expect(creds.accessKeyId).toBe('outer,p');
    expect(creds.$source).toEqual({ CREDENTIALS_PROCESS: 'w', CREDENTIALS_PROFILE_PROCESS: 'v' });
    expect(creds.source?.description).toBe('profile "p" (credential_process) from ~/.aws/config');
  });

  it('detects a credential_process that resolves its own profile again', async () => {
    const { env } = await home('[profile p]\ncredential_process = whatever\n');
    await expect(
      resolveProfile({
        profile: 'p',
        env: { ...env, CREDKIT_RESOLVING: markResolving({}, ['q', 'p']).CREDKIT_RESOLVING },
      }),
    ).rejects.toMatchObject({
      code: 'CREDENTIAL_PROCESS_LOOP',
      message: expect.stringContaining('q -> p -> p'),
    });
  });
});

describe('loop marker', () => {
  it('round-trips profile names with commas and spaces', () => {
    const env = markResolving({ A: '1', B: undefined }, ['a,b', 'c d']);
    expect(env.A).toBe('1');
    expect('B' in env).toBe(false);
    expect(resolvingProfiles(env)).toEqual(['a,b', 'c d']);
    expect(() => assertNotResolvingLoop('c d', env)).toThrow(
      expect.objectContaining({ code: 'CREDENTIAL_PROCESS_LOOP' }),
    );
    expect(() => assertNotResolvingLoop('other', env)).not.toThrow();
  });
});
