import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { leaksNone } from '@credkit/loopback-aws';
import { describe, expect, it, vi } from 'vitest';
import { fromAppChain, quietSdkNodeVersionWarning, verifyAppIdentity } from '../../src/index.js';
import { keys, LOOPBACK_METADATA_TIMEOUT, useLoopback } from './helpers.js';

const lb = useLoopback();
const ACCOUNT = '111111111111';

function alice(mfa = false) {
  const name = `alice${Math.random().toString(36).slice(2, 8)}`;
  const user = lb.aws.addUser({
    accountId: ACCOUNT,
    userName: name,
    ...(mfa && { mfa: { serial: `arn:aws:iam::${ACCOUNT}:mfa/${name}`, code: '123456' } }),
  });
  return { ...user, userName: name };
}

describe('assume-role profiles through the loopback STS', () => {
  it('follows a two-hop chain with an ExternalId, session name and duration', async () => {
    const user = alice();
    const mid = lb.aws.addRole({
      accountId: ACCOUNT,
      roleName: `mid-${user.userName}`,
      trust: [user.arn],
      externalId: 'ext-1',
    });
    const app = lb.aws.addRole({
      accountId: ACCOUNT,
      roleName: `app-${user.userName}`,
      trust: [mid.roleArn],
    });
    const { env } = await lb.home({
      config: `[profile app]\nrole_arn = ${app.roleArn}\nsource_profile = mid\nrole_session_name = deployer\n[profile mid]\nrole_arn = ${mid.roleArn}\nsource_profile = base\nexternal_id = ext-1\nduration_seconds = 1800\n`,
      credentials: `[base]\n${keys(user)}`,
    });
    const creds = await fromAppChain({ env: { ...env, AWS_PROFILE: 'app' } })();
    expect(creds.source).toMatchObject({
      kind: 'profile',
      method: 'assume-role',
      profile: 'app',
      chain: ['app', 'mid', 'base'],
    });
    expect(creds.source?.description).toBe(
      'profile "app" (assume-role via "mid" -> "base", static keys) from ~/.aws/config',
    );
    expect(creds.$source).toMatchObject({ CREDENTIALS_STS_ASSUME_ROLE: 'i' });
    const identity = await verifyAppIdentity(creds, { env });
    expect(identity.arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/${app.roleArn.split('/')[1]}/deployer`);
    const calls = lb.aws.requests.filter((r) => r.action === 'AssumeRole').slice(-2);
    expect(calls.map((r) => r.params?.RoleArn)).toEqual([mid.roleArn, app.roleArn]);
    expect(calls[0]?.params?.ExternalId).toBe('ext-1');
    expect(calls[0]?.params?.DurationSeconds).toBe('1800');
  });

  it('asks mfaCodeProvider for the serial of an MFA-protected hop in a two-hop chain', async () => {
    const user = alice(true);
    const serial = `arn:aws:iam::${ACCOUNT}:mfa/${user.userName}`;
    const mid = lb.aws.addRole({
      accountId: ACCOUNT,
      roleName: `mfa-mid-${user.userName}`,
      trust: [user.arn],
      requireMfa: true,
    });
    const app = lb.aws.addRole({
      accountId: ACCOUNT,
      roleName: `mfa-app-${user.userName}`,
      trust: [mid.roleArn],
    });
    const config = `[profile app]\nrole_arn = ${app.roleArn}\nsource_profile = mid\n[profile mid]\nrole_arn = ${mid.roleArn}\nsource_profile = base\nmfa_serial = ${serial}\n[profile base]\n${keys(user)}`;
    const { env } = await lb.home({ config });
    const mfaCodeProvider = vi.fn(async () => '123456');
    const creds = await fromAppChain({ env, profile: 'app', mfaCodeProvider })();
    expect(mfaCodeProvider).toHaveBeenCalledExactlyOnceWith(serial);
    expect((await verifyAppIdentity(creds, { env })).arn).toContain(`assumed-role/mfa-app-${user.userName}/`);

    await expect(fromAppChain({ env, profile: 'app' })()).rejects.toMatchObject({
      code: 'MFA_REQUIRED',
      message: expect.stringContaining('Profile "mid" (~/.aws/config:5)'),
    });

    // Time spent typing the code does not count against timeoutMs: the human takes longer than the
    // whole budget, which is still many times what the two loopback STS calls need on a busy machine.
    const slowHuman = async () => new Promise<string>((r) => setTimeout(() => r('123456'), 10_500));
    expect(
      (await fromAppChain({ env, profile: 'app', mfaCodeProvider: slowHuman, timeoutMs: 10_000 })())
        .sessionToken,
    ).toBeTruthy();

    const wrong = fromAppChain({ env, profile: 'app', mfaCodeProvider: async () => '000000' })();
    // The code, not the trust policy, is what failed: say so and what to do (issue 16).
    await expect(wrong).rejects.toMatchObject({
      code: 'MFA_CODE_REJECTED',
      message: expect.stringContaining(mid.roleArn),
      hint: expect.stringMatching(/wait for the next code/),
    });
    await expect(wrong).rejects.toMatchObject({ message: expect.stringContaining('profile "mid"') });
    await expect(wrong).rejects.toMatchObject({
      message: expect.stringContaining(`rejected the MFA code for ${serial}`),
      hint: expect.not.stringMatching(/trust policy/),
    });
  });

  it("an mfa_serial that is not the caller's device stays ASSUME_ROLE_DENIED, with a hint naming mfa_serial", async () => {
    const user = alice(true);
    const other = `arn:aws:iam::${ACCOUNT}:mfa/not-${user.userName}`;
    const role = lb.aws.addRole({
      accountId: ACCOUNT,
      roleName: `mfa-serial-${user.userName}`,
      trust: [user.arn],
      requireMfa: true,
    });
    const { env } = await lb.home({
      config: `[profile app]\nrole_arn = ${role.roleArn}\nsource_profile = base\nmfa_serial = ${other}\n[profile base]\n${keys(user)}`,
    });
    await expect(
      fromAppChain({ env, profile: 'app', mfaCodeProvider: async () => '123456' })(),
    ).rejects.toMatchObject({
      code: 'ASSUME_ROLE_DENIED',
      hint: expect.stringContaining(`Check mfa_serial (${other})`),
    });
  });

  it('reports a role that does not trust the caller as ASSUME_ROLE_DENIED naming role_arn and profile', async () => {
    const user = alice();
    const role = lb.aws.addRole({
      accountId: ACCOUNT,
      roleName: `closed-${user.userName}`,
      trust: ['arn:aws:iam::999999999999:root'],
    });
    const { env } = await lb.home({
      config: `[profile app]\nrole_arn = ${role.roleArn}\nsource_profile = base\n`,
      credentials: `[base]\n${keys(user)}`,
    });
    const e = fromAppChain({ env, profile: 'app' })();
    await expect(e).rejects.toMatchObject({
      code: 'ASSUME_ROLE_DENIED',
      message: expect.stringContaining(`assume role ${role.roleArn} for profile "app" (~/.aws/config:2)`),
    });
    await expect(e).rejects.toMatchObject({
      message: expect.stringContaining('is not authorized to perform: sts:AssumeRole'),
    });
    await expect(e).rejects.toSatisfy(leaksNone(user.secretAccessKey));
  });

  it('a profile the JS SDK reads differently (comment right after "]") assumes the role, as the AWS CLI does', async () => {
    const user = alice();
    const role = lb.aws.addRole({ accountId: ACCOUNT, roleName: `hdr-${user.userName}`, trust: [user.arn] });
    const { env } = await lb.home({
      config: `[profile base]# keys\n${keys(user)}[profile app]\nrole_arn = ${role.roleArn}\nsource_profile = base\n`,
    });
    const creds = await fromAppChain({ env: { ...env, AWS_PROFILE: 'app' } })();
    expect(creds.source).toMatchObject({ method: 'assume-role', chain: ['app', 'base'] });
    const call = lb.aws.requests.filter((r) => r.action === 'AssumeRole').at(-1);
    expect(call?.params?.RoleArn).toBe(role.roleArn);
    expect(call?.accessKeyId).toBe(user.accessKeyId);
  });

  it('follows a chain ten profiles deep', async () => {
    const user = alice();
    const roles = Array.from({ length: 9 }, () => '');
    let principal = user.arn;
    for (let i = 8; i >= 0; i--) {
      roles[i] = lb.aws.addRole({
        accountId: ACCOUNT,
        roleName: `deep${i}-${user.userName}`,
        trust: [principal],
      }).roleArn;
      principal = roles[i]!;
    }
    const config =
      roles.map((arn, i) => `[profile p${i}]\nrole_arn = ${arn}\nsource_profile = p${i + 1}\n`).join('') +
      `[profile p9]\n${keys(user)}`;
    const { env } = await lb.home({ config });
    const before = lb.aws.requests.length;
    const creds = await fromAppChain({ env, profile: 'p0' })();
    expect(creds.source?.chain).toHaveLength(10);
    expect(
      lb.aws.requests.slice(before).filter((r) => r.action === 'AssumeRole' && r.status === 200),
    ).toHaveLength(9);
  });

  it('supports credential_source = Environment, EcsContainer and Ec2InstanceMetadata', async () => {
    const user = alice();
    lb.aws.setContainerCredentials({ accountId: ACCOUNT, roleName: 'task' });
    lb.aws.setInstanceRole({ accountId: ACCOUNT, roleName: 'instance' });
    const target = lb.aws.addRole({
      accountId: ACCOUNT,
      roleName: `cs-${user.userName}`,
      trust: [user.arn, `arn:aws:iam::${ACCOUNT}:role/task`, `arn:aws:iam::${ACCOUNT}:role/instance`],
    });
    const config = ['Environment', 'EcsContainer', 'Ec2InstanceMetadata']
      .map((s) => `[profile ${s}]\nrole_arn = ${target.roleArn}\ncredential_source = ${s}\n`)
      .join('');
    const { env } = await lb.home({ config });
    const fromEnv = await fromAppChain({
      env: { ...env, AWS_ACCESS_KEY_ID: user.accessKeyId, AWS_SECRET_ACCESS_KEY: user.secretAccessKey },
      profile: 'Environment',
      onWarning: () => {},
    })();
    expect((await verifyAppIdentity(fromEnv, { env })).arn).toContain(`assumed-role/cs-${user.userName}/`);
    const ecsEnv = {
      ...env,
      AWS_CONTAINER_CREDENTIALS_FULL_URI: lb.aws.env.AWS_CONTAINER_CREDENTIALS_FULL_URI,
      AWS_CONTAINER_AUTHORIZATION_TOKEN: lb.aws.env.AWS_CONTAINER_AUTHORIZATION_TOKEN,
      ...LOOPBACK_METADATA_TIMEOUT,
    };
    expect((await fromAppChain({ env: ecsEnv, profile: 'EcsContainer' })()).sessionToken).toBeTruthy();
    const imdsEnv = {
      ...env,
      AWS_EC2_METADATA_DISABLED: 'false',
      AWS_EC2_METADATA_SERVICE_ENDPOINT: lb.aws.env.AWS_EC2_METADATA_SERVICE_ENDPOINT,
      ...LOOPBACK_METADATA_TIMEOUT,
    };
    expect(
      (await fromAppChain({ env: imdsEnv, profile: 'Ec2InstanceMetadata' })()).sessionToken,
    ).toBeTruthy();
    await expect(fromAppChain({ env, profile: 'Ec2InstanceMetadata' })()).rejects.toMatchObject({
      code: 'CREDENTIAL_SOURCE_UNAVAILABLE',
    });
  });

  it('reports an expired source session as CREDENTIALS_EXPIRED and unknown keys as INVALID_CREDENTIALS', async () => {
    const user = alice();
    const role = lb.aws.addRole({ accountId: ACCOUNT, roleName: `exp-${user.userName}`, trust: [user.arn] });
    const expired = lb.aws.issueSession(user, { expiresInSeconds: -60 });
    const { env } = await lb.home({
      config: `[profile app]\nrole_arn = ${role.roleArn}\nsource_profile = old\n[profile bogus]\nrole_arn = ${role.roleArn}\nsource_profile = fake\n`,
      credentials: `[old]\n${keys(expired)}[fake]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n`,
    });
    const e = fromAppChain({ env, profile: 'app' })();
    await expect(e).rejects.toMatchObject({
      code: 'CREDENTIALS_EXPIRED',
      hint: expect.stringContaining('profile "app"'),
    });
    await expect(e).rejects.toSatisfy(leaksNone(expired.secretAccessKey, expired.sessionToken));
    await expect(fromAppChain({ env, profile: 'bogus' })()).rejects.toMatchObject({
      code: 'INVALID_CREDENTIALS',
    });
  });

  describe('STS faults', () => {
    async function roleProfile() {
      const user = alice();
      const role = lb.aws.addRole({
        accountId: ACCOUNT,
        roleName: `fault-${user.userName}`,
        trust: [user.arn],
      });
      return lb.home({
        config: `[profile app]\nrole_arn = ${role.roleArn}\nsource_profile = base\n[profile base]\n${keys(user)}`,
      });
    }

    it.each([
      ['HTTP 500 on every attempt', { status: 500 as const }],
      ['throttling on every attempt', { throttle: true }],
    ])('maps %s to STS_UNAVAILABLE', async (_, spec) => {
      const { env } = await roleProfile();
      lb.aws.fault('sts', spec);
      await expect(
        fromAppChain({ env, profile: 'app', clientConfig: { maxAttempts: 2 } })(),
      ).rejects.toMatchObject({
        code: 'STS_UNAVAILABLE',
        message: expect.stringContaining('after 2 attempts'),
      });
    });

    it('retries past one 503 and succeeds', async () => {
      const { env } = await roleProfile();
      const fault = lb.aws.fault('sts', { status: 503 }, { times: 1 });
      expect((await fromAppChain({ env, profile: 'app' })()).sessionToken).toBeTruthy();
      expect(fault.hits).toBe(1);
    });

    it('maps a malformed answer to STS_UNAVAILABLE without echoing it', async () => {
      const { env } = await roleProfile();
      lb.aws.fault('sts', { malformed: true });
      const e = fromAppChain({ env, profile: 'app', clientConfig: { maxAttempts: 1 } })();
      await expect(e).rejects.toMatchObject({
        code: 'STS_UNAVAILABLE',
        message: expect.stringContaining('no usable answer'),
      });
      await expect(e).rejects.toMatchObject({ message: expect.not.stringContaining('<') });
    });

    it('gives up on a slow STS with RESOLUTION_TIMEOUT within the bound', async () => {
      const { env } = await roleProfile();
      // STS answers only after a minute (or when the loopback closes): just the 500 ms budget can end
      // the call in time; the elapsed bound only guards a hang.
      lb.aws.fault('sts', { delayMs: 60_000 });
      const started = Date.now();
      await expect(fromAppChain({ env, profile: 'app', timeoutMs: 500 })()).rejects.toMatchObject({
        code: 'RESOLUTION_TIMEOUT',
      });
      expect(Date.now() - started).toBeLessThan(15_000);
    });
  });

  it('takes the STS endpoint and region from clientConfig when the env names none', async () => {
    const user = alice();
    const role = lb.aws.addRole({ accountId: ACCOUNT, roleName: `cc-${user.userName}`, trust: [user.arn] });
    const { env } = await lb.home({
      config: `[profile app]\nrole_arn = ${role.roleArn}\nsource_profile = base\n[profile base]\n${keys(user)}`,
    });
    const bare = { ...env, AWS_ENDPOINT_URL_STS: undefined };
    const before = lb.aws.requests.length;
    const creds = await fromAppChain({
      env: bare,
      profile: 'app',
      clientConfig: { endpoint: lb.aws.url, region: 'eu-west-1' },
    })();
    expect(creds.sessionToken).toBeTruthy();
    expect(lb.aws.requests.slice(before).map((r) => r.action)).toEqual(['AssumeRole']);
  });

  it('works as the credentials of a real STSClient (drop-in for fromNodeProviderChain)', async () => {
    const user = alice();
    const role = lb.aws.addRole({
      accountId: ACCOUNT,
      roleName: `client-${user.userName}`,
      trust: [user.arn],
    });
    const { env } = await lb.home({
      config: `[profile app]\nrole_arn = ${role.roleArn}\nsource_profile = base\n[profile base]\n${keys(user)}`,
    });
    // Our own client would print the SDK's Node 20 notice; credkit's switch silences it for any client.
    await quietSdkNodeVersionWarning();
    const client = new STSClient({
      region: 'us-east-1',
      endpoint: lb.aws.env.AWS_ENDPOINT_URL_STS,
      credentials: fromAppChain({ env: { ...env, AWS_PROFILE: 'app' } }),
    });
    const out = await client.send(new GetCallerIdentityCommand({}));
    expect(out.Arn).toContain(`assumed-role/client-${user.userName}/`);
    client.destroy();
  });
});
