import { tempAwsHomes } from '@credkit/loopback-aws';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSharedConfig } from '../shared-config/index.js';
import { planProfile } from './plan.js';

const tempHome = tempAwsHomes(afterEach, { awsDir: '', verbatim: true, fileMode: 0o644 });

async function configOf(config: string, credentials = '') {
  const { dir, configFile, credentialsFile } = await tempHome({ config, credentials });
  const env = { HOME: dir };
  return { env, configFile, config: await loadSharedConfig({ env, configFile, credentialsFile }) };
}

function errorOf(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    return e as { code: string; message: string; hint?: string; details: Record<string, unknown> };
  }
  throw new Error('expected an error');
}

const cycle = (n: number) =>
  Array.from(
    { length: n },
    (_, i) =>
      `[profile p${i}]\nrole_arn = arn:aws:iam::111111111111:role/r${i}\nsource_profile = p${(i + 1) % n}\n`,
  ).join('\n');

describe('planProfile', () => {
  it.each([1, 2, 3, 4, 5])(
    'reports a source_profile cycle of length %i with the cycle and the line',
    async (n) => {
      const { config, env } = await configOf(cycle(n));
      const e = errorOf(() => planProfile(config, 'p0', env));
      expect(e.code).toBe('SOURCE_PROFILE_CYCLE');
      const expected = [...Array.from({ length: n }, (_, i) => `p${i}`), 'p0'].join(' -> ');
      expect(e.message).toContain(expected);
      expect(e.message).toMatch(/~\/config:\d+/);
      expect(e.details.cycle).toEqual(expected.split(' -> '));
    },
  );

  it('accepts source_profile = self when the profile holds static keys (the SDK pattern)', async () => {
    const { config, env } = await configOf(
      '[profile me]\nrole_arn = arn:aws:iam::111111111111:role/r\nsource_profile = me\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = s3cr3t\n',
    );
    const plan = planProfile(config, 'me', env);
    expect(plan.base.kind).toBe('static');
    expect(plan.hops.map((h) => h.roleArn)).toEqual(['arn:aws:iam::111111111111:role/r']);
  });

  it('plans a chain 10 deep with the hops innermost first', async () => {
    const text = Array.from({ length: 10 }, (_, i) =>
      i === 9
        ? `[profile p9]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = s3cr3t\n`
        : `[profile p${i}]\nrole_arn = arn:aws:iam::111111111111:role/r${i}\nsource_profile = p${i + 1}\n`,
    ).join('\n');
    const { config, env } = await configOf(text);
    const plan = planProfile(config, 'p0', env);
    expect(plan.chain).toEqual(Array.from({ length: 10 }, (_, i) => `p${i}`));
    expect(plan.hops.map((h) => h.profile)).toEqual(['p8', 'p7', 'p6', 'p5', 'p4', 'p3', 'p2', 'p1', 'p0']);
  });

  it('names the missing source profile, the file and line', async () => {
    const { config, env } = await configOf(
      '[profile a]\nrole_arn = arn:aws:iam::111111111111:role/r\nsource_profile = ghost\n',
    );
    const e = errorOf(() => planProfile(config, 'a', env));
    expect(e.code).toBe('SOURCE_PROFILE_MISSING');
    expect(e.message).toContain('source_profile = ghost (~/config:3)');
    expect(e.hint).toContain('aws configure --profile ghost');
  });

  it('refuses both source_profile and credential_source', async () => {
    const { config, env } = await configOf(
      '[profile a]\nrole_arn = arn:aws:iam::111111111111:role/r\nsource_profile = b\ncredential_source = Environment\n[profile b]\naws_access_key_id = A\naws_secret_access_key = B\n',
    );
    const e = errorOf(() => planProfile(config, 'a', env));
    expect(e.code).toBe('CONFLICTING_SOURCE');
    expect(e.message).toContain('~/config:3');
    expect(e.message).toContain('~/config:4');
  });

  it('refuses an unsupported credential_source, case-sensitively', async () => {
    const { config, env } = await configOf(
      '[profile a]\nrole_arn = arn:aws:iam::111111111111:role/r\ncredential_source = environment\n',
    );
    const e = errorOf(() => planProfile(config, 'a', env));
    expect(e.code).toBe('UNSUPPORTED_CREDENTIAL_SOURCE');
    expect(e.hint).toContain('Environment, Ec2InstanceMetadata, EcsContainer');
  });

  it('refuses role_arn without any source', async () => {
    const { config, env } = await configOf(
      '[profile a]\nregion = eu-west-1\nrole_arn = arn:aws:iam::111111111111:role/r\n',
    );
    const e = errorOf(() => planProfile(config, 'a', env));
    expect(e.code).toBe('PROFILE_INCOMPLETE');
    expect(e.message).toContain('role_arn without source_profile or credential_source (~/config:3)');
  });

  it.each([
    ['aws_access_key_id = AKIAEXAMPLE', 'aws_secret_access_key'],
    ['aws_secret_access_key = s3cr3tvalue', 'aws_access_key_id'],
  ])('reports a partial key pair (%s) without echoing the secret', async (line, missing) => {
    const { config, env } = await configOf('', `[a]\n${line}\n`);
    const e = errorOf(() => planProfile(config, 'a', env));
    expect(e.code).toBe('PROFILE_INCOMPLETE');
    expect(e.message).toContain(`without ${missing}`);
    expect(e.message).toContain('~/credentials:2');
    expect(JSON.stringify(e)).not.toContain('s3cr3tvalue');
  });

  it('reports a partial key pair in a source profile at its own line', async () => {
    const { config, env } = await configOf(
      '[profile a]\nrole_arn = arn:aws:iam::111111111111:role/r\nsource_profile = b\n',
      '[b]\naws_access_key_id = AKIAEXAMPLE\n',
    );
    const e = errorOf(() => planProfile(config, 'a', env));
    expect(e.code).toBe('PROFILE_INCOMPLETE');
    expect(e.message).toContain('Profile "b"');
  });

  it('lists known profiles when the profile does not exist', async () => {
    const { config, env } = await configOf('[profile dev]\nregion = us-east-1\n');
    const e = errorOf(() => planProfile(config, 'prod', env));
    expect(e.code).toBe('PROFILE_NOT_FOUND');
    expect(e.hint).toContain('Known profiles: dev');
  });

  it('reports a profile with nothing to resolve', async () => {
    const { config, env } = await configOf('[profile empty]\nregion = us-east-1\n');
    expect(errorOf(() => planProfile(config, 'empty', env)).code).toBe('PROFILE_UNSUPPORTED');
  });

  it('validates duration_seconds', async () => {
    const { config, env } = await configOf(
      '[profile a]\nrole_arn = arn:aws:iam::111111111111:role/r\nsource_profile = a\nduration_seconds = 10\naws_access_key_id = A\naws_secret_access_key = B\n',
    );
    expect(errorOf(() => planProfile(config, 'a', env)).code).toBe('PROFILE_INVALID_VALUE');
  });

  it('plans SSO with sso_session and legacy settings, and reports a missing sso-session section', async () => {
    const { config, env } = await configOf(
      [
        '[profile new]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = Dev\n',
        '[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n',
        '[profile old]\nsso_start_url = https://old.awsapps.com/start\nsso_region = eu-west-1\nsso_account_id = 111111111111\nsso_role_name = Dev\n',
        '[profile broken]\nsso_session = nope\nsso_account_id = 111111111111\nsso_role_name = Dev\n',
      ].join('\n'),
    );
    expect(planProfile(config, 'new', env).base).toMatchObject({
      kind: 'sso',
      session: 'corp',
      region: 'us-east-1',
    });
    expect(planProfile(config, 'old', env).base).toMatchObject({
      kind: 'sso',
      startUrl: 'https://old.awsapps.com/start',
    });
    expect(errorOf(() => planProfile(config, 'broken', env)).code).toBe('PROFILE_INCOMPLETE');
  });
});
