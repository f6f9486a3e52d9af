import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import { explainAppChain, fromAppChain, isRootIdentity, verifyAppIdentity } from '../../src/index.js';
import { LOOPBACK_METADATA_TIMEOUT, useLoopback } from '../loopback/helpers.js';

// Issue 13: plain HTTP only to loopback and the standard link-local addresses; the IMDSv1 fallback
// follows its switches; the root user is recognised however STS spells it.
const lb = useLoopback();
const ACCOUNT = '123456789012';
const keys = (u: { accessKeyId: string; secretAccessKey: string }) =>
  `aws_access_key_id = ${u.accessKeyId}\naws_secret_access_key = ${u.secretAccessKey}\n`;

/** Every client socket created while `work` runs (Node publishes each on net.client.socket). */
async function socketsDuring(work: () => Promise<unknown>): Promise<number> {
  let count = 0;
  const onSocket = () => {
    count++;
  };
  subscribe('net.client.socket', onSocket);
  try {
    await work();
  } catch {
    // The caller checks the failure itself.
  } finally {
    unsubscribe('net.client.socket', onSocket);
  }
  return count;
}

describe('plain HTTP endpoints', () => {
  // 0.0.0.0 is not loopback by name, so it is refused; a request that got out anyway would stay on this machine.
  const remote = 'http://0.0.0.0:9';

  it('refuses a remote STS endpoint before any connection, naming the setting', async () => {
    const u = lb.aws.addUser({ accountId: ACCOUNT, userName: 'plain' });
    const { env } = await lb.home({ credentials: `[default]\n${keys(u)}` });
    for (const [setting, extra] of [
      ['AWS_ENDPOINT_URL_STS', { AWS_ENDPOINT_URL_STS: remote }],
      ['AWS_ENDPOINT_URL', { AWS_ENDPOINT_URL_STS: undefined, AWS_ENDPOINT_URL: remote }],
    ] as const) {
      const run = { ...env, ...extra };
      const sockets = await socketsDuring(() => verifyAppIdentity(fromAppChain({ env: run }), { env: run }));
      expect(sockets).toBe(0);
      await expect(verifyAppIdentity(fromAppChain({ env: run }), { env: run })).rejects.toMatchObject({
        code: 'INSECURE_ENDPOINT',
        message: expect.stringContaining(setting),
        hint: expect.stringContaining('CREDKIT_ALLOW_INSECURE_ENDPOINTS=1'),
      });
    }
  });

  it('refuses remote IMDS and container endpoints as a broken link, not a skipped one', async () => {
    const { env } = await lb.home({});
    for (const [setting, extra] of [
      [
        'AWS_EC2_METADATA_SERVICE_ENDPOINT',
        { AWS_EC2_METADATA_DISABLED: 'false', AWS_EC2_METADATA_SERVICE_ENDPOINT: remote },
      ],
      ['AWS_CONTAINER_CREDENTIALS_FULL_URI', { AWS_CONTAINER_CREDENTIALS_FULL_URI: `${remote}/creds` }],
    ] as const) {
      const run = { ...env, ...extra };
      expect(await socketsDuring(() => fromAppChain({ env: run })())).toBe(0);
      const e = fromAppChain({ env: run })();
      await expect(e).rejects.toMatchObject({ message: expect.stringContaining(setting) });
      await expect(e).rejects.toMatchObject({ message: expect.stringContaining('plain HTTP') });
    }
  });

  it('refuses a plain HTTP endpoint_url in the profile the SDK clients read, or in its services section', async () => {
    const u = lb.aws.addUser({ accountId: ACCOUNT, userName: 'cfgendpoint' });
    for (const [setting, config] of [
      ['endpoint_url of profile "role"', `endpoint_url = ${remote}\n`],
      [
        'sts.endpoint_url of [services lab]',
        'services = lab\n[services lab]\nsts =\n  endpoint_url = http://0.0.0.0:9\n',
      ],
    ] as const) {
      const { env } = await lb.home({
        config: `[profile role]\nrole_arn = arn:aws:iam::${ACCOUNT}:role/x\nsource_profile = base\n${config}`,
        credentials: `[base]\n${keys(u)}`,
      });
      const run = { ...env, AWS_PROFILE: 'role', AWS_ENDPOINT_URL_STS: undefined };
      expect(await socketsDuring(() => fromAppChain({ env: run })())).toBe(0);
      const e = fromAppChain({ env: run })();
      await expect(e).rejects.toMatchObject({ message: expect.stringContaining(setting) });
      await expect(e).rejects.toMatchObject({ message: expect.stringContaining('plain HTTP') });
    }
  });

  it('the opt-in lets a plain HTTP endpoint through (checked against loopback, with the switch on)', async () => {
    const u = lb.aws.addUser({ accountId: ACCOUNT, userName: 'optin' });
    const { env } = await lb.home({ credentials: `[default]\n${keys(u)}` });
    const run = { ...env, CREDKIT_ALLOW_INSECURE_ENDPOINTS: '1' };
    expect((await verifyAppIdentity(fromAppChain({ env: run }), { env: run })).account).toBe(ACCOUNT);
  });
});

describe('IMDSv1 fallback', () => {
  afterEach(() => lb.aws.clearFaults());

  async function imdsEnv(config = '') {
    lb.aws.setInstanceRole({ accountId: ACCOUNT, roleName: 'v1role', allowV1: true });
    lb.aws.fault('imds', { status: 403, action: 'GetToken' });
    const { env } = await lb.home({ config });
    return {
      ...env,
      AWS_EC2_METADATA_DISABLED: 'false',
      AWS_EC2_METADATA_SERVICE_ENDPOINT: lb.aws.env.AWS_EC2_METADATA_SERVICE_ENDPOINT,
      ...LOOPBACK_METADATA_TIMEOUT,
    };
  }

  it('is used when the token request is refused, and the explanation says so', async () => {
    const env = await imdsEnv();
    const x = await explainAppChain({ env });
    expect(x.resolved).toBe(true);
    const link = x.links.find((l) => l.name === 'instance metadata (IMDS)');
    expect(link?.status).toBe('resolved');
    expect(link?.status === 'resolved' && link.source.description).toContain('IMDSv1');
  });

  it('is refused with AWS_EC2_METADATA_V1_DISABLED=true', async () => {
    const env = { ...(await imdsEnv()), AWS_EC2_METADATA_V1_DISABLED: 'true' };
    const x = await explainAppChain({ env });
    expect(x.resolved).toBe(false);
    const link = x.links.find((l) => l.name === 'instance metadata (IMDS)');
    expect(link?.status === 'skipped' && link.reason).toContain('IMDSv1 is disabled');
  });

  // A profile naming instance metadata (credential_source) carries the profile switch; the
  // variable, when set, wins over it either way.
  const ec2Profile = (v1: string) =>
    `[profile ec2]\ncredential_source = Ec2InstanceMetadata\nrole_arn = arn:aws:iam::${ACCOUNT}:role/v1target\nec2_metadata_v1_disabled = ${v1}\n`;

  it.each([
    ['true', {}, false],
    ['false', {}, true],
    ['true', { AWS_EC2_METADATA_V1_DISABLED: 'false' }, true],
    ['false', { AWS_EC2_METADATA_V1_DISABLED: 'true' }, false],
  ] as const)('profile ec2_metadata_v1_disabled = %s with %o: v1 used = %s', async (v1, extra, works) => {
    lb.aws.addRole({
      accountId: ACCOUNT,
      roleName: 'v1target',
      trust: [`arn:aws:iam::${ACCOUNT}:role/v1role`],
    });
    const env = { ...(await imdsEnv(ec2Profile(v1))), ...extra, AWS_PROFILE: 'ec2' };
    if (works) {
      const creds = await fromAppChain({ env })();
      expect(creds.accessKeyId).toMatch(/^ASIA/);
    } else {
      await expect(fromAppChain({ env })()).rejects.toMatchObject({
        message: expect.stringContaining('IMDSv1 is disabled'),
      });
    }
  });
});

describe('root user', () => {
  const root = (arn: string, userId = 'AIDAEXAMPLE') => isRootIdentity({ account: ACCOUNT, arn, userId });
  it.each([
    `arn:aws:iam::${ACCOUNT}:root`,
    `arn:aws:iam::${ACCOUNT}:root\n`,
    `arn:aws:iam::${ACCOUNT}:root `,
    ` arn:aws:iam::${ACCOUNT}:ROOT`,
    `arn:aws:sts::${ACCOUNT}:root`,
    `arn:aws-cn:iam::${ACCOUNT}:Root`,
    `arn:aws-iso-x:iam::${ACCOUNT}:root`,
  ])('%j is root', (arn) => {
    expect(root(arn)).toBe(true);
  });

  it('a UserId equal to the Account is root whatever the ARN says', () => {
    expect(root(`arn:aws:iam::${ACCOUNT}:user/root`, ACCOUNT)).toBe(true);
    expect(root(`arn:aws:iam::${ACCOUNT}:user/root`, ` ${ACCOUNT}`)).toBe(true);
  });

  it.each([
    `arn:aws:iam::${ACCOUNT}:user/root`,
    `arn:aws:sts::${ACCOUNT}:assumed-role/root/session`,
    `arn:aws:iam::${ACCOUNT}:role/root`,
  ])('%j is not', (arn) => {
    expect(root(arn)).toBe(false);
  });
});
