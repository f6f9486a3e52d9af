import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsHome, createAwsHome, type LoopbackAws, startLoopbackAws } from '../../src/index.js';

// The real AWS CLI v2 (botocore's own SigV4 signer and XML parser) against the loopback: protocol
// fidelity checked by a client we did not write. `aws` on PATH may be a pip v1, so use /usr/bin/aws
// (the Debian awscli package that .ci/run installs).
const AWS_CLI = '/usr/bin/aws';

let aws: LoopbackAws;
let home: AwsHome;
beforeAll(async () => {
  aws = await startLoopbackAws();
  home = await createAwsHome({ config: '[default]\nregion = us-east-1\n' });
});
afterAll(async () => {
  await aws?.close();
  await home?.cleanup();
});

interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

function runAws(
  args: string[],
  keys: Keys,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(AWS_CLI, [...args, '--endpoint-url', aws.url, '--output', 'json'], {
      env: {
        PATH: '/usr/bin:/bin',
        ...home.env,
        ...(keys.accessKeyId
          ? { AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey }
          : {}),
        ...(keys.sessionToken ? { AWS_SESSION_TOKEN: keys.sessionToken } : {}),
        AWS_PAGER: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', (e) =>
      reject(new Error(`cannot run ${AWS_CLI} (install the awscli package): ${e.message}`)),
    );
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// Each CLI start costs about a second of Python start-up, several on a loaded CI machine.
describe('AWS CLI v2 against the loopback STS', { timeout: 300_000 }, () => {
  it('is the real AWS CLI v2', async () => {
    const version = await new Promise<string>((resolve, reject) => {
      const child = spawn(AWS_CLI, ['--version'], { env: { PATH: '/usr/bin:/bin', HOME: home.dir } });
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
      });
      child.on('error', reject);
      child.on('close', () => resolve(out));
    });
    expect(version).toMatch(/^aws-cli\/2\./);
  });

  it('get-caller-identity returns the IAM user', async () => {
    const alice = aws.addUser({ accountId: '111111111111', userName: 'alice' });
    const res = await runAws(['sts', 'get-caller-identity'], alice);
    expect(res.stderr).toBe('');
    expect(JSON.parse(res.stdout)).toEqual({ UserId: alice.userId, Account: '111111111111', Arn: alice.arn });
  });

  it('assume-role returns credentials the CLI can use, with the session token, to call STS again', async () => {
    const alice = aws.addUser({ accountId: '111111111111', userName: 'alice' });
    const role = aws.addRole({
      accountId: '222222222222',
      roleName: 'deploy',
      trust: [alice.arn],
      maxSessionDuration: 7200,
    });
    const res = await runAws(
      [
        'sts',
        'assume-role',
        '--role-arn',
        role.roleArn,
        '--role-session-name',
        'cli',
        '--duration-seconds',
        '7200',
      ],
      alice,
    );
    expect(res.stderr).toBe('');
    const out = JSON.parse(res.stdout) as {
      Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string };
      AssumedRoleUser: { AssumedRoleId: string; Arn: string };
    };
    expect(out.AssumedRoleUser).toEqual({
      AssumedRoleId: `${role.roleId}:cli`,
      Arn: 'arn:aws:sts::222222222222:assumed-role/deploy/cli',
    });
    const expiresIn = Date.parse(out.Credentials.Expiration) - Date.now();
    expect(expiresIn).toBeGreaterThan(7100_000);
    expect(expiresIn).toBeLessThanOrEqual(7200_000);
    const who = await runAws(['sts', 'get-caller-identity'], {
      accessKeyId: out.Credentials.AccessKeyId,
      secretAccessKey: out.Credentials.SecretAccessKey,
      sessionToken: out.Credentials.SessionToken,
    });
    expect(JSON.parse(who.stdout)).toMatchObject({
      Arn: 'arn:aws:sts::222222222222:assumed-role/deploy/cli',
    });
  });

  it('assume-role-with-web-identity goes unsigned and gets the web identity fields back', async () => {
    const role = aws.addRole({
      accountId: '222222222222',
      roleName: 'web',
      webIdentity: { token: 'oidc-token-1' },
    });
    const args = [
      'sts',
      'assume-role-with-web-identity',
      '--role-arn',
      role.roleArn,
      '--role-session-name',
      'pod',
    ];
    const noKeys = { accessKeyId: '', secretAccessKey: '' };
    const res = await runAws([...args, '--web-identity-token', 'oidc-token-1'], noKeys);
    expect(res.stderr).toBe('');
    expect(JSON.parse(res.stdout)).toMatchObject({
      AssumedRoleUser: { Arn: 'arn:aws:sts::222222222222:assumed-role/web/pod' },
      Audience: 'sts.amazonaws.com',
      Provider: 'arn:aws:iam::222222222222:oidc-provider/oidc.loopback.credkit.test',
    });
    const bad = await runAws([...args, '--web-identity-token', 'forged'], noKeys);
    expect(bad.stderr).toContain(
      'An error occurred (InvalidIdentityToken) when calling the AssumeRoleWithWebIdentity operation',
    );
  });

  it('passes MFA serial and code, and prints the AccessDenied message AWS would', async () => {
    const serial = 'arn:aws:iam::111111111111:mfa/carol';
    const carol = aws.addUser({
      accountId: '111111111111',
      userName: 'carol',
      mfa: { serial, code: '135790' },
    });
    const role = aws.addRole({
      accountId: '222222222222',
      roleName: 'admin',
      trust: [carol.arn],
      requireMfa: true,
    });
    const base = ['sts', 'assume-role', '--role-arn', role.roleArn, '--role-session-name', 'mfa'];
    const wrong = await runAws([...base, '--serial-number', serial, '--token-code', '000000'], carol);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr.trim()).toBe(
      'An error occurred (AccessDenied) when calling the AssumeRole operation: MultiFactorAuthentication failed with invalid MFA one time pass code.',
    );
    const right = await runAws([...base, '--serial-number', serial, '--token-code', '135790'], carol);
    expect(right.code).toBe(0);
    expect(JSON.parse(right.stdout).AssumedRoleUser.Arn).toBe(
      'arn:aws:sts::222222222222:assumed-role/admin/mfa',
    );
  });

  it('reports SignatureDoesNotMatch and ExpiredToken the way botocore parses them from the XML', async () => {
    const alice = aws.addUser({ accountId: '111111111111', userName: 'alice' });
    const badSig = await runAws(['sts', 'get-caller-identity'], {
      ...alice,
      secretAccessKey: 'x'.repeat(40),
    });
    expect(badSig.stderr).toContain(
      'An error occurred (SignatureDoesNotMatch) when calling the GetCallerIdentity operation',
    );
    const expired = aws.issueSession(alice, { expiresInSeconds: -5 });
    const res = await runAws(['sts', 'get-caller-identity'], expired);
    expect(res.stderr.trim()).toBe(
      'An error occurred (ExpiredToken) when calling the GetCallerIdentity operation: The security token included in the request is expired',
    );
  });
});
