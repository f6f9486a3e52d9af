import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  GetSessionTokenCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LoopbackAws, startLoopbackAws } from './index.js';

let aws: LoopbackAws;
beforeEach(async () => {
  aws = await startLoopbackAws();
});
afterEach(async () => {
  await aws.close();
});

interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

function sts(credentials: Keys) {
  return new STSClient({ endpoint: aws.url, region: 'us-east-1', credentials, maxAttempts: 1 });
}

function keysOf(
  c: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } | undefined,
): Keys {
  return {
    accessKeyId: c?.AccessKeyId ?? '',
    secretAccessKey: c?.SecretAccessKey ?? '',
    sessionToken: c?.SessionToken ?? '',
  };
}

const ACCT_A = '111111111111';
const ACCT_B = '222222222222';

describe('GetCallerIdentity', () => {
  it('identifies an IAM user by ARN, user id and account', async () => {
    const alice = aws.addUser({ accountId: ACCT_A, userName: 'alice' });
    const out = await sts(alice).send(new GetCallerIdentityCommand({}));
    expect(out).toMatchObject({
      Arn: `arn:aws:iam::${ACCT_A}:user/alice`,
      Account: ACCT_A,
      UserId: alice.userId,
    });
    expect(alice.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(aws.requests.at(-1)).toMatchObject({
      service: 'sts',
      action: 'GetCallerIdentity',
      status: 200,
      accessKeyId: alice.accessKeyId,
      principalArn: alice.arn,
    });
  });

  it('identifies the root user with the account id as user id, in its partition', async () => {
    const root = aws.addRoot({ accountId: ACCT_B, partition: 'aws-cn' });
    const out = await sts(root).send(new GetCallerIdentityCommand({}));
    expect(out).toMatchObject({ Arn: `arn:aws-cn:iam::${ACCT_B}:root`, UserId: ACCT_B, Account: ACCT_B });
  });

  it('rejects an unknown access key with InvalidClientTokenId (403)', async () => {
    await expect(
      sts({ accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'x'.repeat(40) }).send(
        new GetCallerIdentityCommand({}),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidClientTokenId',
      message: 'The security token included in the request is invalid.',
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('rejects a wrong secret with SignatureDoesNotMatch (403)', async () => {
    const alice = aws.addUser({ accountId: ACCT_A, userName: 'alice' });
    // A random secret ends in X now and then: change its last character to one it is not.
    const wrong = `${alice.secretAccessKey.slice(0, -1)}${alice.secretAccessKey.endsWith('X') ? 'Y' : 'X'}`;
    await expect(
      sts({ accessKeyId: alice.accessKeyId, secretAccessKey: wrong }).send(new GetCallerIdentityCommand({})),
    ).rejects.toMatchObject({ name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } });
  });

  it('rejects an expired session with ExpiredToken and a wrong session token with InvalidClientTokenId', async () => {
    const alice = aws.addUser({ accountId: ACCT_A, userName: 'alice' });
    const expired = aws.issueSession(alice, { expiresInSeconds: -60 });
    expect(expired.accessKeyId).toMatch(/^ASIA/);
    await expect(sts(expired).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'ExpiredToken',
      message: 'The security token included in the request is expired',
    });

    const live = aws.issueSession(alice, { expiresInSeconds: 600 });
    await expect(
      sts({ ...live, sessionToken: `${live.sessionToken}x` }).send(new GetCallerIdentityCommand({})),
    ).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
    await expect(
      sts({ accessKeyId: live.accessKeyId, secretAccessKey: live.secretAccessKey }).send(
        new GetCallerIdentityCommand({}),
      ),
    ).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
    expect((await sts(live).send(new GetCallerIdentityCommand({}))).Arn).toBe(alice.arn);
  });
});

describe('AssumeRole', () => {
  it('returns ASIA credentials whose caller identity is the assumed-role session', async () => {
    const alice = aws.addUser({ accountId: ACCT_A, userName: 'alice' });
    const role = aws.addRole({ accountId: ACCT_B, roleName: 'deploy', trust: [alice.arn] });
    const before = Date.now();
    const out = await sts(alice).send(
      new AssumeRoleCommand({ RoleArn: role.roleArn, RoleSessionName: 'ci', DurationSeconds: 1800 }),
    );
    expect(out.AssumedRoleUser).toEqual({
      AssumedRoleId: `${role.roleId}:ci`,
      Arn: `arn:aws:sts::${ACCT_B}:assumed-role/deploy/ci`,
    });
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    const expiresIn = (out.Credentials?.Expiration?.getTime() ?? 0) - before;
    expect(expiresIn).toBeGreaterThan(1795_000);
    expect(expiresIn).toBeLessThanOrEqual(1805_000);
    const who = await sts(keysOf(out.Credentials)).send(new GetCallerIdentityCommand({}));
    expect(who).toMatchObject({
      Arn: out.AssumedRoleUser?.Arn,
      UserId: `${role.roleId}:ci`,
      Account: ACCT_B,
    });
  });

  it('lets a role trusting an account root be assumed by any principal of that account', async () => {
    const bob = aws.addUser({ accountId: ACCT_A, userName: 'bob' });
    const role = aws.addRole({
      accountId: ACCT_B,
      roleName: 'cross',
      trust: [`arn:aws:iam::${ACCT_A}:root`],
    });
    const out = await sts(bob).send(new AssumeRoleCommand({ RoleArn: role.roleArn, RoleSessionName: 'bob' }));
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${ACCT_B}:assumed-role/cross/bob`);
  });

  it('denies a principal the trust policy does not name, naming both ARNs like AWS', async () => {
    const mallory = aws.addUser({ accountId: ACCT_A, userName: 'mallory' });
    const role = aws.addRole({
      accountId: ACCT_B,
      roleName: 'deploy',
      trust: ['arn:aws:iam::111111111111:user/alice'],
    });
    await expect(
      sts(mallory).send(new AssumeRoleCommand({ RoleArn: role.roleArn, RoleSessionName: 'x1' })),
    ).rejects.toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
      message: `User: ${mallory.arn} is not authorized to perform: sts:AssumeRole on resource: ${role.roleArn}`,
    });
    await expect(
      sts(mallory).send(
        new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCT_B}:role/nope`, RoleSessionName: 'x1' }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('refuses the root user even when the role trusts everyone', async () => {
    const root = aws.addRoot({ accountId: ACCT_A });
    const role = aws.addRole({ accountId: ACCT_B, roleName: 'open', trust: ['*'] });
    await expect(
      sts(root).send(new AssumeRoleCommand({ RoleArn: role.roleArn, RoleSessionName: 'root' })),
    ).rejects.toMatchObject({ name: 'AccessDenied', message: 'Roles may not be assumed by root accounts.' });
  });

  it('requires the configured ExternalId', async () => {
    const alice = aws.addUser({ accountId: ACCT_A, userName: 'alice' });
    const role = aws.addRole({
      accountId: ACCT_B,
      roleName: 'partner',
      trust: [alice.arn],
      externalId: 'ext-123',
    });
    const client = sts(alice);
    const params = { RoleArn: role.roleArn, RoleSessionName: 'p' + 'artner' };
    await expect(client.send(new AssumeRoleCommand(params))).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(
      client.send(new AssumeRoleCommand({ ...params, ExternalId: 'ext-999' })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    const out = await client.send(new AssumeRoleCommand({ ...params, ExternalId: 'ext-123' }));
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA/);
  });

  it('enforces DurationSeconds bounds: 900..MaxSessionDuration', async () => {
    const alice = aws.addUser({ accountId: ACCT_A, userName: 'alice' });
    const role = aws.addRole({ accountId: ACCT_B, roleName: 'deploy', trust: [alice.arn] });
    const long = aws.addRole({
      accountId: ACCT_B,
      roleName: 'long',
      trust: [alice.arn],
      maxSessionDuration: 7200,
    });
    const client = sts(alice);
    await expect(
      client.send(
        new AssumeRoleCommand({ RoleArn: role.roleArn, RoleSessionName: 's1', DurationSeconds: 899 }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      $metadata: { httpStatusCode: 400 },
      message:
        "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    });
    await expect(
      client.send(
        new AssumeRoleCommand({ RoleArn: role.roleArn, RoleSessionName: 's1', DurationSeconds: 3601 }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    });
    const ok = await client.send(
      new AssumeRoleCommand({ RoleArn: long.roleArn, RoleSessionName: 's1', DurationSeconds: 7200 }),
    );
    expect(ok.Credentials?.AccessKeyId).toMatch(/^ASIA/);
  });

  it('validates RoleSessionName like STS', async () => {
    const alice = aws.addUser({ accountId: ACCT_A, userName: 'alice' });
    const role = aws.addRole({ accountId: ACCT_B, roleName: 'deploy', trust: [alice.arn] });
    await expect(
      sts(alice).send(new AssumeRoleCommand({ RoleArn: role.roleArn, RoleSessionName: 'a b' })),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining(
        "at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression",
      ),
    });
  });

  it('rejects a RoleArn that is not a role ARN', async () => {
    const alice = aws.addUser({ accountId: ACCT_A, userName: 'alice' });
    await expect(
      sts(alice).send(
        new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::222222222222:user/bob', RoleSessionName: 's1' }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationError', message: 'Request ARN is invalid' });
  });

  it('caps role chaining at one hour', async () => {
    const alice = aws.addUser({ accountId: ACCT_A, userName: 'alice' });
    const first = aws.addRole({ accountId: ACCT_B, roleName: 'first', trust: [alice.arn] });
    const second = aws.addRole({
      accountId: ACCT_B,
      roleName: 'second',
      trust: [first.roleArn],
      maxSessionDuration: 43200,
    });
    const hop1 = await sts(alice).send(
      new AssumeRoleCommand({ RoleArn: first.roleArn, RoleSessionName: 'hop1' }),
    );
    const chained = sts(keysOf(hop1.Credentials));
    await expect(
      chained.send(
        new AssumeRoleCommand({ RoleArn: second.roleArn, RoleSessionName: 'hop2', DurationSeconds: 7200 }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message:
        'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    });
    const hop2 = await chained.send(
      new AssumeRoleCommand({ RoleArn: second.roleArn, RoleSessionName: 'hop2' }),
    );
    expect(hop2.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${ACCT_B}:assumed-role/second/hop2`);
    expect(aws.requests.at(-1)?.principalArn).toBe(`arn:aws:sts::${ACCT_B}:assumed-role/first/hop1`);
  });

  describe('MFA', () => {
    const serial = 'arn:aws:iam::111111111111:mfa/alice';
    function setup() {
      const alice = aws.addUser({ accountId: ACCT_A, userName: 'alice', mfa: { serial, code: '123456' } });
      const role = aws.addRole({
        accountId: ACCT_B,
        roleName: 'admin',
        trust: [alice.arn],
        requireMfa: true,
      });
      return { alice, role, params: { RoleArn: role.roleArn, RoleSessionName: 'admin' } };
    }

    it('denies without a code, rejects a wrong code or serial, accepts the right one', async () => {
      const { alice, params } = setup();
      const client = sts(alice);
      await expect(client.send(new AssumeRoleCommand(params))).rejects.toMatchObject({
        name: 'AccessDenied',
      });
      await expect(
        client.send(new AssumeRoleCommand({ ...params, SerialNumber: serial, TokenCode: '654321' })),
      ).rejects.toMatchObject({
        name: 'AccessDenied',
        message: expect.stringContaining(
          'MultiFactorAuthentication failed with invalid MFA one time pass code',
        ),
      });
      await expect(
        client.send(new AssumeRoleCommand({ ...params, SerialNumber: `${serial}x`, TokenCode: '123456' })),
      ).rejects.toMatchObject({ message: expect.stringContaining('Please verify your MFA serial number') });
      const ok = await client.send(
        new AssumeRoleCommand({ ...params, SerialNumber: serial, TokenCode: '123456' }),
      );
      expect(ok.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${ACCT_B}:assumed-role/admin/admin`);
    });

    it('accepts an MFA-authenticated GetSessionToken session without a new code', async () => {
      const { alice, params } = setup();
      const session = await sts(alice).send(
        new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: '123456' }),
      );
      const out = await sts(keysOf(session.Credentials)).send(new AssumeRoleCommand(params));
      expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    });

    it('takes a new code once setMfaCode changes it, and counts calls per action', async () => {
      const { alice, params } = setup();
      const client = sts(alice);
      aws.setMfaCode(serial, '246810');
      await expect(
        client.send(new AssumeRoleCommand({ ...params, SerialNumber: serial, TokenCode: '123456' })),
      ).rejects.toMatchObject({ message: expect.stringContaining('invalid MFA one time pass code') });
      await client.send(new AssumeRoleCommand({ ...params, SerialNumber: serial, TokenCode: '246810' }));
      await client.send(new GetCallerIdentityCommand({}));
      expect(aws.calls('AssumeRole')).toBe(2);
      expect(aws.calls('GetCallerIdentity')).toBe(1);
      expect(aws.calls('GetSessionToken')).toBe(0);
      expect(() => aws.setMfaCode('arn:aws:iam::111111111111:mfa/nobody', '1')).toThrow(/no user or root/);
    });
  });
});

describe('session lifetime', () => {
  it('issues sessions with the chosen lifetime, on the injected clock', async () => {
    // A frozen clock near real time: the SDK signs with the real clock, within the 15-minute skew.
    const t0 = new Date(Math.floor(Date.now() / 1000) * 1000);
    const clocked = await startLoopbackAws({ now: () => t0.getTime() });
    try {
      const alice = clocked.addUser({ accountId: ACCT_A, userName: 'alice' });
      const role = clocked.addRole({ accountId: ACCT_B, roleName: 'r', trust: [alice.arn] });
      const client = new STSClient({
        endpoint: clocked.url,
        region: 'us-east-1',
        credentials: alice,
        maxAttempts: 1,
      });
      clocked.setSessionLifetime(600);
      const short = await client.send(
        new AssumeRoleCommand({ RoleArn: role.roleArn, RoleSessionName: 'short' }),
      );
      expect(short.Credentials?.Expiration?.getTime()).toBe(t0.getTime() + 600_000);
      clocked.setSessionLifetime(undefined);
      const normal = await client.send(new GetSessionTokenCommand({ DurationSeconds: 7200 }));
      expect(normal.Credentials?.Expiration?.getTime()).toBe(t0.getTime() + 7_200_000);
    } finally {
      await clocked.close();
    }
  });
});

describe('GetSessionToken', () => {
  it('issues a session that acts as the user, and refuses session credentials', async () => {
    const alice = aws.addUser({ accountId: ACCT_A, userName: 'alice' });
    const before = Date.now();
    const out = await sts(alice).send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
    const expiresIn = (out.Credentials?.Expiration?.getTime() ?? 0) - before;
    expect(expiresIn).toBeGreaterThan(895_000);
    expect(expiresIn).toBeLessThanOrEqual(905_000);
    const session = sts(keysOf(out.Credentials));
    expect((await session.send(new GetCallerIdentityCommand({}))).Arn).toBe(alice.arn);
    await expect(session.send(new GetSessionTokenCommand({}))).rejects.toMatchObject({
      name: 'AccessDenied',
    });
  });

  it('rejects DurationSeconds below 900', async () => {
    const alice = aws.addUser({ accountId: ACCT_A, userName: 'alice' });
    await expect(sts(alice).send(new GetSessionTokenCommand({ DurationSeconds: 60 }))).rejects.toMatchObject({
      name: 'ValidationError',
    });
  });
});
