import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AwsHome, createAwsHome, type LoopbackAws, startLoopbackAws } from '@credkit/loopback-aws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialProcessJson, runCli } from './helpers.js';

// The table, row by row, through the built CLI: `profiles`, `app explain` and `export` must
// give the AWS CLI v2's answer for each file, and agree with each other.
let aws: LoopbackAws;
let home: AwsHome;
let env: Record<string, string>;
let user: { accessKeyId: string; secretAccessKey: string; arn: string };
let processUser: { accessKeyId: string; secretAccessKey: string };
let pdx: { accessKeyId: string; secretAccessKey: string };
let roleArn: string;

const keys = (k: { accessKeyId: string; secretAccessKey: string }) =>
  `aws_access_key_id = ${k.accessKeyId}\naws_secret_access_key = ${k.secretAccessKey}\n`;

beforeAll(async () => {
  aws = await startLoopbackAws();
  user = aws.addUser({ accountId: '121212121212', userName: 'table' });
  processUser = aws.addUser({ accountId: '121212121212', userName: 'process' });
  pdx = aws.addUser({ accountId: '121212121212', userName: 'pdx' });
  ({ roleArn } = aws.addRole({ accountId: '121212121212', roleName: 'table-role', trust: [user.arn] }));
  aws.setInstanceRole({ accountId: '121212121212', roleName: 'instance' });
  home = await createAwsHome({});
  const json = join(home.dir, 'process.json');
  await writeFile(json, credentialProcessJson(processUser));
  await writeFile(
    home.configFile,
    `[default]\nregion = us-east-1\n` +
      `[profile pk]\ncredential_process = /bin/cat ${json}\n${keys(user)}` +
      `[profile pkc]\ncredential_process = /bin/cat ${json}\n` +
      `[profile sk]\nsso_session = s\nsso_account_id = 121212121212\nsso_role_name = Dev\n${keys(user)}` +
      `[sso-session s]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n` +
      `[profile prod_pdx]\naws_access_key_id = ASIACONFIGCONFIG0001\naws_secret_access_key = config-secret\naws_session_token = config-token\n` +
      `[profile base]# keys\n${keys(user)}` +
      `[profile r]\nrole_arn = ${roleArn}\nsource_profile = base\n` +
      `[profile e]\nrole_arn = ${roleArn}\nsource_profile = base\nendpoint_url = ${aws.env.AWS_ENDPOINT_URL_STS}\n`,
  );
  await writeFile(home.credentialsFile, `[pkc]\n${keys(user)}[prod_pdx]\n${keys(pdx)}`);
  env = {
    ...home.env,
    AWS_ENDPOINT_URL_STS: aws.env.AWS_ENDPOINT_URL_STS,
    AWS_EC2_METADATA_SERVICE_ENDPOINT: aws.env.AWS_EC2_METADATA_SERVICE_ENDPOINT,
    // The loopback IMDS may take longer than a host's 1 s on a busy machine: wait like a hang guard.
    AWS_METADATA_SERVICE_TIMEOUT: '60',
  };
}, 30_000);

afterAll(async () => {
  await aws?.close();
  await home?.cleanup();
});

async function reading(profile: string, extra: Record<string, string> = {}) {
  const listed = await runCli(['profiles', '--json'], { env });
  const kind = (
    JSON.parse(listed.stdout) as { name: string; kind: string; diagnostics: { code: string }[] }[]
  ).find((p) => p.name === profile)!;
  const exported = await runCli(['export', '--profile', profile, '--format', 'json'], {
    env: { ...env, ...extra },
  });
  const explained = await runCli(['app', 'explain', '--json'], {
    env: { ...env, ...extra, AWS_PROFILE: profile },
  });
  const explanation = JSON.parse(explained.stdout);
  return {
    kind: kind.kind,
    codes: kind.diagnostics.map((d) => d.code),
    exported: exported.code === 0 ? JSON.parse(exported.stdout) : { failed: exported.stderr },
    explanation,
    explainedCodes: (explanation.notes as { code: string }[]).map((n) => n.code),
  };
}

describe('one reading of a profile (profiles, app explain, export)', () => {
  it('pk: credential_process and keys in config -> the process', async () => {
    const r = await reading('pk');
    expect(r.kind).toBe('process');
    expect(r.exported.accessKeyId).toBe(processUser.accessKeyId);
    expect(r.explanation.source.method).toBe('credential-process');
    expect(r.codes).toContain('SETTINGS_SHADOWED');
    expect(r.explainedCodes).toContain('SETTINGS_SHADOWED');
  });

  it('pkc: credential_process in config, keys in credentials -> the keys', async () => {
    const r = await reading('pkc');
    expect(r.kind).toBe('static');
    expect(r.exported.accessKeyId).toBe(user.accessKeyId);
    expect(r.explanation.source.method).toBe('static');
  });

  it('sk: SSO settings and keys -> SSO, which fails without a cached token', async () => {
    const r = await reading('sk');
    expect(r.kind).toBe('sso');
    expect(r.exported.failed).toContain('uses SSO, but there is no usable SSO login');
    expect(r.explanation.error.code).toBe('SSO_TOKEN_MISSING');
  });

  it('prod_pdx: a session in config, a pair in credentials -> the pair, no token', async () => {
    const r = await reading('prod_pdx');
    expect(r.kind).toBe('static');
    expect(r.exported).toMatchObject({ accessKeyId: pdx.accessKeyId, secretAccessKey: pdx.secretAccessKey });
    expect(r.exported.sessionToken ?? undefined).toBeUndefined();
    expect(r.explanation.source.method).toBe('static');
    expect(r.explainedCodes).toContain('SETTINGS_SHADOWED');
  });

  it('[default] with only a region: skipped by the app chain, instance metadata answers', async () => {
    const listed = JSON.parse((await runCli(['profiles', '--json'], { env })).stdout);
    expect(listed.find((p: { name: string }) => p.name === 'default').kind).toBe('incomplete');
    const explained = JSON.parse((await runCli(['app', 'explain', '--json'], { env })).stdout);
    const link = (name: string) => explained.links.find((l: { name: string }) => l.name === name);
    expect(link('[default] profile')).toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining('no credential settings'),
    });
    expect(link('instance metadata (IMDS)').status).toBe('resolved');
    const exported = await runCli(['export', '--format', 'json'], { env });
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout).accessKeyId).toMatch(/^ASIA/);
    const named = await runCli(['export', '--profile', 'default'], { env });
    expect(named.code).toBe(1);
    expect(named.stderr).toContain('Profile "default" (~/.aws/config:1) has no credentials');
  });

  it('a comment right after "]" in the source profile: the role is assumed; the JS SDK note stays a note', async () => {
    const r = await reading('r');
    expect(r.kind).toBe('assume-role');
    expect(r.exported.accessKeyId).toMatch(/^ASIA/);
    expect(r.explanation.resolved).toBe(true);
    expect(r.explainedCodes.some((c) => c.startsWith('SDK_JS_'))).toBe(true);
    const call = aws.requests.filter((q) => q.action === 'AssumeRole').at(-1);
    expect(call).toMatchObject({ accessKeyId: user.accessKeyId, params: { RoleArn: roleArn } });
  });

  it('endpoint_url of the profile is honoured by export --profile when AWS_ENDPOINT_URL_STS is unset', async () => {
    const before = aws.requests.length;
    const { AWS_ENDPOINT_URL_STS: _, ...withoutVariable } = env;
    // The session cache is off: profile "r" above cached a session of the same role (same key, as
    // in the AWS CLI: the endpoint is not part of it), which would be served without any STS call.
    const r = await runCli(['export', '--profile', 'e', '--format', 'json'], {
      env: { ...withoutVariable, CREDKIT_SESSION_CACHE: 'off' },
    });
    expect(r.code).toBe(0);
    expect(aws.requests.slice(before).map((q) => q.action)).toContain('AssumeRole');
  });
});
