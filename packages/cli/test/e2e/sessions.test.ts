import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type AwsHome, createAwsHome, type LoopbackAws, startLoopbackAws } from '@credkit/loopback-aws';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AWS_V2, awsV1Env, requireAwsClis, runAws } from './aws-cli.js';
import { CLI, runCli } from './helpers.js';
import { spawnPty, spawnPtyCommand } from './pty.js';

// Sessions shared with the real AWS CLIs, counted at the loopback STS. The AWS CLI v2 (2.9.19)
// cannot reach the loopback (it ignores AWS_ENDPOINT_URL_STS): it passes only by making no STS call.
const ACCOUNT = '123456789012';
const SERIAL = `arn:aws:iam::${ACCOUNT}:mfa/alice`;
const CODE = '123456';
let aws: LoopbackAws;
let home: AwsHome;
let env: Record<string, string>;
let alice: { accessKeyId: string; secretAccessKey: string };
let cacheDir: string;

beforeAll(async () => {
  requireAwsClis();
  aws = await startLoopbackAws();
  alice = aws.addUser({ accountId: ACCOUNT, userName: 'alice', mfa: { serial: SERIAL, code: CODE } });
  const role = aws.addRole({
    accountId: ACCOUNT,
    roleName: 'admin',
    trust: [`arn:aws:iam::${ACCOUNT}:user/alice`],
    requireMfa: true,
  });
  home = await createAwsHome({
    config: `
      [profile mfa]
      role_arn = ${role.roleArn}
      source_profile = base
      mfa_serial = ${SERIAL}
      region = us-east-1

      [profile base]
      region = us-east-1
      mfa_serial = ${SERIAL}

      [profile cp]
      region = us-east-1
      credential_process = ${process.execPath} ${CLI} export --profile mfa
    `,
    credentials: `[base]\naws_access_key_id = ${alice.accessKeyId}\naws_secret_access_key = ${alice.secretAccessKey}\n`,
  });
  cacheDir = join(home.dir, '.aws', 'cli', 'cache');
  env = {
    ...home.env,
    ...(aws.env as unknown as Record<string, string>),
    AWS_EC2_METADATA_DISABLED: 'true',
    CREDKIT_HOME: join(home.dir, 'credkit'),
  };
});
afterAll(async () => {
  await aws?.close();
  await home?.cleanup();
});
beforeEach(async () => {
  await rm(cacheDir, { recursive: true, force: true });
  aws.setMfaCode(SERIAL, CODE);
});

const stsCalls = () => aws.requests.filter((r) => r.service === 'sts').length;
const cached = async () => (await readdir(cacheDir).catch(() => [])).filter((f) => f.endsWith('.json'));
const keyOf = (stdout: string) => (JSON.parse(stdout) as { AccessKeyId: string }).AccessKeyId;

describe('MFA once per session', () => {
  it('ten `credkit export --profile mfa` after one with --mfa-code make exactly one AssumeRole and never prompt', async () => {
    const before = aws.calls('AssumeRole');
    const first = await runCli(['export', '--profile', 'mfa', '--mfa-code', CODE], { env });
    expect(first.code).toBe(0);
    // A new code would not even be accepted now: the ten runs below must not need one.
    aws.setMfaCode(SERIAL, '999999');
    for (let i = 0; i < 10; i++) {
      const r = await runCli(['export', '--profile', 'mfa'], { env });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(keyOf(r.stdout)).toBe(keyOf(first.stdout));
    }
    expect(aws.calls('AssumeRole') - before).toBe(1);
    // On a terminal, where credkit could ask, it does not.
    const term = spawnPty(['export', '--profile', 'mfa', '--format', 'env'], env);
    expect(await term.exit()).toBe(0);
    expect(term.text()).not.toMatch(/MFA code/);
    expect(aws.calls('AssumeRole') - before).toBe(1);
  });

  it('asks on the terminal when no session is cached, then caches it', async () => {
    const term = spawnPty(['export', '--profile', 'mfa', '--format', 'env'], env);
    await term.waitFor('MFA code for');
    await term.type(`${CODE}\r`);
    expect(await term.exit()).toBe(0);
    expect(await cached()).toHaveLength(1);
    const again = await runCli(['export', '--profile', 'mfa'], { env });
    expect(again.code).toBe(0);
  });

  it('`credkit sessions refresh` asks for the code on the terminal and shows the session without secrets', async () => {
    await runCli(['export', '--profile', 'mfa', '--mfa-code', CODE], { env });
    const before = aws.calls('AssumeRole');
    const term = spawnPty(['sessions', 'refresh', '--profile', 'mfa'], env);
    await term.waitFor('MFA code for');
    await term.type(`${CODE}\r`);
    expect(await term.exit()).toBe(0);
    expect(term.text()).toMatch(/mfa\s+assume-role\s+arn:aws:iam::123456789012:role\/admin/);
    expect(term.text()).not.toMatch(/ASIA[A-Z0-9]{16}/);
    expect(aws.calls('AssumeRole') - before).toBe(1);
  });

  it('without a terminal and without a session, fails at once naming the command to run', async () => {
    const r = await runCli(['export', '--profile', 'mfa'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('MFA code');
    expect(r.stderr).toContain('credkit sessions refresh --profile mfa');
    expect(r.stdout).toBe('');
  });
});

describe('sharing sessions with the AWS CLI', () => {
  it('a session cached by `credkit export --mfa-code` serves `aws configure export-credentials` (v2) with no STS call', async () => {
    const r = await runCli(['export', '--profile', 'mfa', '--mfa-code', CODE], { env });
    expect(r.code).toBe(0);
    const calls = stsCalls();
    const out = await runAws(
      AWS_V2,
      ['configure', 'export-credentials', '--profile', 'mfa', '--format', 'process'],
      env,
    );
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(keyOf(out.stdout)).toBe(keyOf(r.stdout));
    expect(stsCalls()).toBe(calls);
  });

  it('a session cached by the AWS CLI v1 (MFA code typed on its terminal) serves `credkit export` with no STS call', async () => {
    const before = aws.calls('AssumeRole');
    const term = spawnPtyCommand('aws', ['sts', 'get-caller-identity', '--profile', 'mfa'], {
      ...env,
      ...awsV1Env(),
    });
    await term.waitFor('Enter MFA code', 20_000);
    await term.type(`${CODE}\r`);
    expect(await term.exit()).toBe(0);
    expect(term.text()).toContain(`assumed-role/admin/botocore-session-`);
    expect(aws.calls('AssumeRole') - before).toBe(1);
    const [file] = await cached();
    const written = JSON.parse(await readFile(join(cacheDir, file!), 'utf8'));
    expect(written.CredkitSessionCache).toBeUndefined();
    const calls = stsCalls();
    const r = await runCli(['export', '--profile', 'mfa'], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(keyOf(r.stdout)).toBe(written.Credentials.AccessKeyId);
    expect(stsCalls()).toBe(calls);
    const list = await runCli(['sessions', '--json'], { env });
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({
        profile: 'mfa',
        kind: 'assume-role',
        account: ACCOUNT,
        writtenBy: 'aws-cli',
        usable: true,
      }),
    ]);
  });

  it('credential_process = credkit export serves the cached session with no terminal, and names the refresh command without one', async () => {
    const cold = await runAws(AWS_V2, ['configure', 'export-credentials', '--profile', 'cp'], env);
    expect(cold.code).not.toBe(0);
    expect(cold.stderr).toContain('credkit sessions refresh --profile mfa');
    const refresh = await runCli(['sessions', 'refresh', '--profile', 'mfa', '--mfa-code', CODE], { env });
    expect(refresh.code).toBe(0);
    expect(refresh.stdout).toContain('arn:aws:iam::123456789012:role/admin');
    const calls = stsCalls();
    const warm = await runAws(AWS_V2, ['configure', 'export-credentials', '--profile', 'cp'], env);
    expect(warm.code).toBe(0);
    expect(keyOf(warm.stdout)).toMatch(/^ASIA/);
    expect(stsCalls()).toBe(calls);
  }, 60_000);
});

describe('--session for long-term keys', () => {
  it('trades the key for a cached GetSessionToken session (MFA once), and warns when the key itself is exported', async () => {
    const before = aws.calls('GetSessionToken');
    const plain = await runCli(['export', '--profile', 'base'], { env });
    expect(plain.code).toBe(0);
    expect(plain.stderr).toContain('long-term access key');
    expect(plain.stderr).toContain('--session');
    expect(plain.stderr).not.toContain(alice.secretAccessKey);
    const first = await runCli(['export', '--profile', 'base', '--session', '--mfa-code', CODE], { env });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const session = JSON.parse(first.stdout);
    expect(session.AccessKeyId).toMatch(/^ASIA/);
    expect(session.SessionToken).toBeTruthy();
    const exec = await runCli(
      [
        'exec',
        '--profile',
        'base',
        '--session',
        '--',
        process.execPath,
        '-e',
        'process.stdout.write(process.env.AWS_ACCESS_KEY_ID)',
      ],
      { env },
    );
    expect(exec.stdout).toBe(session.AccessKeyId);
    expect(aws.calls('GetSessionToken') - before).toBe(1);
    const listed = await runCli(['sessions'], { env });
    expect(listed.stdout).toMatch(/base\s+session-token/);
    expect(listed.stdout).not.toContain(session.SecretAccessKey);
    expect(listed.stdout).not.toContain(alice.accessKeyId);
  });
});

describe('credkit sessions', () => {
  it('lists without secrets, clears one profile or all', async () => {
    const r = await runCli(['export', '--profile', 'mfa', '--mfa-code', CODE], { env });
    await runCli(['export', '--profile', 'base', '--session', '--mfa-code', CODE], { env });
    const list = await runCli(['sessions'], { env });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/mfa\s+assume-role\s+arn:aws:iam::123456789012:role\/admin\s+123456789012/);
    expect(list.stdout).toContain('credkit');
    expect(list.stdout).not.toContain(JSON.parse(r.stdout).SecretAccessKey);
    expect(list.stdout).not.toContain(JSON.parse(r.stdout).SessionToken);
    const clearOne = await runCli(['sessions', 'clear', '--profile', 'mfa', '--json'], { env });
    expect(JSON.parse(clearOne.stdout)).toEqual({ removed: 1 });
    expect(await cached()).toHaveLength(1);
    const clearAll = await runCli(['sessions', 'clear'], { env });
    expect(clearAll.stdout).toContain('Removed 1 cached session.');
    expect(await cached()).toEqual([]);
    const unknown = await runCli(['sessions', 'clear', '--profile', 'nope'], { env });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Profile "nope" was not found');
  });

  it('keeps sessions in CREDKIT_HOME/sessions with CREDKIT_SESSION_CACHE=credkit, and none with off', async () => {
    const own = { ...env, CREDKIT_SESSION_CACHE: 'credkit' };
    await runCli(['export', '--profile', 'mfa', '--mfa-code', CODE], { env: own });
    expect(await cached()).toEqual([]);
    expect(await readdir(join(env.CREDKIT_HOME!, 'sessions'))).toHaveLength(1);
    const off = { ...env, CREDKIT_SESSION_CACHE: 'off' };
    const before = aws.calls('AssumeRole');
    await runCli(['export', '--profile', 'mfa', '--mfa-code', CODE], { env: off });
    await runCli(['export', '--profile', 'mfa', '--mfa-code', CODE], { env: off });
    expect(aws.calls('AssumeRole') - before).toBe(2);
    expect(await cached()).toEqual([]);
    const bad = await runCli(['export', '--profile', 'mfa'], {
      env: { ...env, CREDKIT_SESSION_CACHE: 'yes' },
    });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('CREDKIT_SESSION_CACHE');
  });
});
