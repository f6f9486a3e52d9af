import { tempAwsHomes } from '@credkit/loopback-aws';
import { afterEach, describe, expect, it } from 'vitest';
import { describeProfiles } from '../profiles/list.js';
import { loadSharedConfig } from '../shared-config/index.js';
import { resolveProfile } from './from-profile.js';
import { planProfile } from './plan.js';

// The AWS CLI v2's reading of a profile (botocore's credential resolver), row by row: the plan, the
// listing and the resolved credentials must give the same answer. The differential suite in
// test/differential/ checks the same against the real AWS CLI on generated files.
const tempHome = tempAwsHomes(afterEach, { awsDir: '', verbatim: true, fileMode: 0o644 });

async function home(config: string, credentials = '') {
  const { env } = await tempHome({ config, credentials });
  const shared = await loadSharedConfig({ env });
  const listing = describeProfiles(shared);
  const listed = (name: string) => listing.profiles.find((p) => p.name === name)!;
  return { env, shared, listed };
}

const attempt = (fn: () => unknown) => {
  try {
    return fn();
  } catch (e) {
    return e as { code: string; message: string };
  }
};

const KEYS = (id: string, extra = '') =>
  `aws_access_key_id = ${id}\naws_secret_access_key = secret-${id}\n${extra}`;

describe('one reading of a profile (the issue table)', () => {
  it('pk: credential_process and keys in the config file -> the process (keys shadowed)', async () => {
    const { shared, env, listed } = await home(
      `[profile pk]\ncredential_process = /bin/creds\n${KEYS('AKIACONFIG')}`,
    );
    expect(planProfile(shared, 'pk', env)).toMatchObject({ kind: 'process', base: { kind: 'process' } });
    expect(listed('pk').kind).toBe('process');
    expect(listed('pk').diagnostics.map((d) => `${d.code}@${d.line}`)).toEqual(['SETTINGS_SHADOWED@3']);
  });

  it('pkc: credential_process in config, keys in credentials -> the credentials-file keys', async () => {
    const { shared, env, listed } = await home(
      '[profile pkc]\ncredential_process = /bin/false\n',
      `[pkc]\n${KEYS('AKIACREDS')}`,
    );
    const creds = await resolveProfile({ profile: 'pkc', env, sharedConfig: shared });
    expect(creds).toMatchObject({ accessKeyId: 'AKIACREDS', secretAccessKey: 'secret-AKIACREDS' });
    expect(listed('pkc').kind).toBe('static');
    expect(listed('pkc').diagnostics[0]).toMatchObject({ code: 'SETTINGS_SHADOWED', line: 2 });
  });

  it('sk: sso_session and keys in config -> SSO, which fails without a cached token', async () => {
    const { shared, env, listed } = await home(
      `[profile sk]\nsso_session = s\nsso_account_id = 111111111111\nsso_role_name = R\n${KEYS('AKIASK')}[sso-session s]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n`,
    );
    expect(planProfile(shared, 'sk', env).kind).toBe('sso');
    expect(listed('sk').kind).toBe('sso');
    await expect(resolveProfile({ profile: 'sk', env, sharedConfig: shared })).rejects.toMatchObject({
      code: 'SSO_TOKEN_MISSING',
    });
  });

  it('prod_pdx: a session in config and a key pair in credentials -> the pair, never the other file token', async () => {
    const { shared, env, listed } = await home(
      `[profile prod_pdx]\n${KEYS('ASIACONFIG', 'aws_session_token = token-from-config\n')}`,
      `[prod_pdx]\n${KEYS('AKIACREDS')}`,
    );
    const creds = await resolveProfile({ profile: 'prod_pdx', env, sharedConfig: shared });
    expect(creds).toEqual({
      accessKeyId: 'AKIACREDS',
      secretAccessKey: 'secret-AKIACREDS',
      $source: expect.anything(),
    });
    expect(listed('prod_pdx').kind).toBe('static');
    const notes = listed('prod_pdx').diagnostics.filter((d) => d.code === 'SETTINGS_SHADOWED');
    expect(notes.map((d) => d.line)).toContain(4);
    expect(JSON.stringify(listed('prod_pdx'))).not.toContain('token-from-config');
  });

  it('[default] with only a region has no credentials: incomplete, PROFILE_UNSUPPORTED when named', async () => {
    const { shared, env, listed } = await home('[default]\nregion = us-east-1\n');
    expect(listed('default')).toMatchObject({
      kind: 'incomplete',
      incompleteReason: 'no credential settings',
    });
    expect(attempt(() => planProfile(shared, 'default', env))).toMatchObject({ code: 'PROFILE_UNSUPPORTED' });
  });

  it('a comment right after "]" in a source profile is read as the AWS CLI reads it', async () => {
    const { shared, env, listed } = await home(
      `[profile base]# keys\n${KEYS('AKIABASE')}[profile r]\nrole_arn = arn:aws:iam::111111111111:role/r\nsource_profile = base\n`,
    );
    expect(planProfile(shared, 'r', env)).toMatchObject({
      kind: 'assume-role',
      chain: ['r', 'base'],
      base: { accessKeyId: 'AKIABASE' },
    });
    expect(listed('r').kind).toBe('assume-role');
    // Where the JS SDK reads it differently, that is a note, not a refusal.
    expect(shared.diagnostics.some((d) => d.code.startsWith('SDK_JS_'))).toBe(true);
  });
});

describe('precedence and pairing (botocore)', () => {
  it('keys of the config file with a stray secret in the credentials file -> the config pair', async () => {
    const { shared, env } = await home(
      `[profile p]\n${KEYS('AKIACONFIG')}`,
      '[p]\naws_secret_access_key = stray\n',
    );
    expect(planProfile(shared, 'p', env).base).toMatchObject({
      accessKeyId: 'AKIACONFIG',
      secretAccessKey: 'secret-AKIACONFIG',
    });
  });

  it('aws_security_token is read before aws_session_token, from the same section', async () => {
    const { shared, env } = await home(
      `[profile p]\n${KEYS('ASIA1', 'aws_session_token = session\naws_security_token = security\n')}`,
    );
    expect(planProfile(shared, 'p', env).base).toMatchObject({ sessionToken: 'security' });
  });

  it('a key id without its secret in the credentials file fails; it is not completed from the config file', async () => {
    const { shared, env } = await home(
      `[profile p]\n${KEYS('AKIACONFIG')}`,
      '[p]\naws_access_key_id = AKIAHALF\n',
    );
    expect(attempt(() => planProfile(shared, 'p', env))).toMatchObject({ code: 'PROFILE_INCOMPLETE' });
  });

  it('sso_session without sso_account_id or sso_role_name is not SSO: the keys are used', async () => {
    const { shared, env, listed } = await home(
      `[profile p]\nsso_session = s\n${KEYS('AKIAP')}[sso-session s]\nsso_start_url = https://x\nsso_region = us-east-1\n`,
    );
    expect(planProfile(shared, 'p', env).kind).toBe('static');
    expect(listed('p').kind).toBe('static');
  });

  it('web_identity_token_file wins over role_arn + source_profile', async () => {
    const { shared, env } = await home(
      `[profile w]\nrole_arn = arn:aws:iam::1:role/w\nweb_identity_token_file = /t\nsource_profile = b\n[profile b]\n${KEYS('AKIAB')}`,
    );
    expect(planProfile(shared, 'w', env)).toMatchObject({ kind: 'web-identity', hops: [] });
  });
});

describe('loops as the AWS CLI sees them', () => {
  const role = (name: string, source: string, extra = '') =>
    `[profile ${name}]\nrole_arn = arn:aws:iam::111111111111:role/${name}\nsource_profile = ${source}\n${extra}`;

  it('a profile may be its own source at the top of a chain when it holds keys', async () => {
    const { shared, env } = await home(role('me', 'me', KEYS('AKIAME')));
    expect(planProfile(shared, 'me', env)).toMatchObject({ chain: ['me', 'me'], hops: [{ profile: 'me' }] });
  });

  it('A -> B -> A is a loop even when A holds keys', async () => {
    const { shared, env } = await home(role('a', 'b', KEYS('AKIAA')) + role('b', 'a'));
    expect(attempt(() => planProfile(shared, 'a', env))).toMatchObject({ code: 'SOURCE_PROFILE_CYCLE' });
  });

  it('a self-source without keys is a loop', async () => {
    const { shared, env } = await home(role('me', 'me', 'credential_process = /bin/creds\n'));
    expect(attempt(() => planProfile(shared, 'me', env))).toMatchObject({ code: 'SOURCE_PROFILE_CYCLE' });
  });

  it('a source profile with keys is used for them; its own role_arn is not followed', async () => {
    const { shared, env } = await home(role('a', 'b') + role('b', 'c', KEYS('AKIAB')));
    expect(planProfile(shared, 'a', env)).toMatchObject({
      chain: ['a', 'b'],
      base: { accessKeyId: 'AKIAB' },
    });
  });

  it('a key-less source profile with role_arn assumes its role (its credential_process is not used)', async () => {
    const { shared, env } = await home(
      `${role('a', 'b') + role('b', 'c', 'credential_process = /bin/creds\n')}[profile c]\n${KEYS('AKIAC')}`,
    );
    expect(planProfile(shared, 'a', env)).toMatchObject({
      chain: ['a', 'b', 'c'],
      base: { accessKeyId: 'AKIAC' },
    });
  });

  it('a source profile without credentials fails naming it', async () => {
    const { shared, env } = await home(`${role('a', 'b')}[profile b]\nregion = us-east-1\n`);
    const e = attempt(() => planProfile(shared, 'a', env)) as { code: string; message: string };
    expect(e.code).toBe('PROFILE_UNSUPPORTED');
    expect(e.message).toContain('profile "b"');
  });
});
