import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { leaksNone } from '@credkit/loopback-aws';
import { describe, expect, it } from 'vitest';
import { explainAppChain, fromAppChain, verifyAppIdentity } from '../../src/index.js';
import { keys, LOOPBACK_METADATA_TIMEOUT, useLoopback } from './helpers.js';

const lb = useLoopback();
const ACCOUNT = '333333333333';
let n = 0;
const user = () => lb.aws.addUser({ accountId: ACCOUNT, userName: `u${++n}` });
const node = JSON.stringify(process.execPath);

async function processScript(dir: string, name: string, body: string) {
  const file = join(dir, `${name} script.mjs`);
  await writeFile(file, body);
  return `${node} "${file}"`;
}

describe('profile kinds through the loopback endpoints', () => {
  it('static keys from [default], verified with STS', async () => {
    const u = user();
    const { env } = await lb.home({ credentials: `[default]\n${keys(u)}` });
    const creds = await fromAppChain({ env })();
    expect(creds.source?.description).toBe('profile "default" (static keys) from ~/.aws/credentials');
    expect(await verifyAppIdentity(creds, { env })).toEqual({
      account: ACCOUNT,
      arn: u.arn,
      userId: expect.any(String),
    });
  });

  it('session token profile; an expired one is reported as expired', async () => {
    const u = user();
    const live = lb.aws.issueSession(u, { expiresInSeconds: 900 });
    const dead = lb.aws.issueSession(u, { expiresInSeconds: -10 });
    const { env } = await lb.home({ credentials: `[live]\n${keys(live)}[dead]\n${keys(dead)}` });
    expect((await verifyAppIdentity(fromAppChain({ env, profile: 'live' }), { env })).account).toBe(ACCOUNT);
    const e = verifyAppIdentity(fromAppChain({ env, profile: 'dead' }), { env });
    await expect(e).rejects.toMatchObject({
      code: 'CREDENTIALS_EXPIRED',
      message: expect.stringContaining('profile "dead" (session token)'),
    });
    await expect(e).rejects.toSatisfy(leaksNone(dead.secretAccessKey, dead.sessionToken));
  });

  it('credential_process: good, failing with stderr, and slow (killed after processTimeoutMs)', async () => {
    const u = user();
    const { home, env } = await lb.home({});
    const good = await processScript(
      home.dir,
      'good',
      `process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: ${JSON.stringify(u.accessKeyId)}, SecretAccessKey: ${JSON.stringify(u.secretAccessKey)} }));`,
    );
    const bad = await processScript(
      home.dir,
      'bad',
      `console.error('please run: awscreds-custom login'); process.exit(2);`,
    );
    const slow = await processScript(home.dir, 'slow', 'setTimeout(() => {}, 60000);');
    await writeFile(
      home.configFile,
      `[profile good]\ncredential_process = ${good}\n[profile bad]\ncredential_process = ${bad}\n[profile slow]\ncredential_process = ${slow}\n`,
    );
    const creds = await fromAppChain({ env, profile: 'good' })();
    expect(creds.source?.method).toBe('credential-process');
    expect((await verifyAppIdentity(creds, { env })).arn).toBe(u.arn);
    await expect(fromAppChain({ env, profile: 'bad' })()).rejects.toMatchObject({
      code: 'CREDENTIAL_PROCESS_FAILED',
      message: expect.stringContaining('stderr: please run: awscreds-custom login'),
    });
    const started = Date.now();
    await expect(fromAppChain({ env, profile: 'slow', processTimeoutMs: 300 })()).rejects.toMatchObject({
      code: 'CREDENTIAL_PROCESS_TIMEOUT',
    });
    // The script sleeps 60 s: finishing well before proves the kill; the bound only guards a hang.
    expect(Date.now() - started).toBeLessThan(20_000);
    await expect(
      fromAppChain({ env: { ...env, CREDKIT_PROCESS_TIMEOUT_MS: '200' }, profile: 'slow' })(),
    ).rejects.toMatchObject({ message: expect.stringContaining('200 ms') });
  });

  it('SSO with sso_session and legacy settings; expired and revoked logins name aws sso login', async () => {
    lb.aws.addSsoAccess({ accessToken: 'sso-token-live', accountId: ACCOUNT, roleName: 'Dev' });
    const config = [
      '[profile new]\nsso_session = corp\nsso_account_id = 333333333333\nsso_role_name = Dev\n',
      '[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n',
      '[profile old]\nsso_start_url = https://old.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 333333333333\nsso_role_name = Dev\n',
      '[profile expired]\nsso_start_url = https://gone.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 333333333333\nsso_role_name = Dev\n',
      '[profile revoked]\nsso_start_url = https://revoked.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 333333333333\nsso_role_name = Dev\n',
    ].join('');
    const { env } = await lb.home({
      config,
      ssoCache: [
        { sessionName: 'corp', accessToken: 'sso-token-live' },
        { startUrl: 'https://old.awsapps.com/start', accessToken: 'sso-token-live' },
        {
          startUrl: 'https://gone.awsapps.com/start',
          accessToken: 'sso-token-live',
          expiresAt: new Date(Date.now() - 60_000),
        },
        { startUrl: 'https://revoked.awsapps.com/start', accessToken: 'sso-token-unknown' },
      ],
    });
    const a = await fromAppChain({ env, profile: 'new' })();
    expect(a.source?.method).toBe('sso');
    expect(a.$source).toMatchObject({ CREDENTIALS_SSO: 's' });
    expect((await verifyAppIdentity(a, { env })).account).toBe(ACCOUNT);
    expect((await fromAppChain({ env, profile: 'old' })()).$source).toMatchObject({
      CREDENTIALS_SSO_LEGACY: 'u',
    });
    await expect(fromAppChain({ env, profile: 'expired' })()).rejects.toMatchObject({
      code: 'SSO_TOKEN_EXPIRED',
      hint: expect.stringContaining('aws sso login --profile expired'),
    });
    const revoked = fromAppChain({ env, profile: 'revoked' })();
    await expect(revoked).rejects.toMatchObject({ code: 'SSO_TOKEN_EXPIRED' });
    await expect(revoked).rejects.toSatisfy(leaksNone('sso-token-unknown'));
  });

  it('refreshes an sso-session token close to expiry with SSO OIDC and writes it back 0600', async () => {
    lb.aws.addSsoAccess({ accessToken: 'sso-old-token', accountId: ACCOUNT, roleName: 'Dev' });
    lb.aws.addSsoRefresh({
      accessToken: 'sso-old-token',
      clientId: 'cid',
      clientSecret: 'csecret',
      refreshToken: 'rtok',
    });
    const config =
      '[profile s]\nsso_session = ref\nsso_account_id = 333333333333\nsso_role_name = Dev\n[sso-session ref]\nsso_start_url = https://ref.awsapps.com/start\nsso_region = us-east-1\n';
    const { home, env } = await lb.home({
      config,
      ssoCache: [
        {
          sessionName: 'ref',
          accessToken: 'sso-old-token',
          expiresAt: new Date(Date.now() - 1_000),
          extra: {
            refreshToken: 'rtok',
            clientId: 'cid',
            clientSecret: 'csecret',
            registrationExpiresAt: new Date(Date.now() + 86_400_000).toISOString(),
          },
        },
      ],
    });
    const creds = await fromAppChain({ env, profile: 's' })();
    expect((await verifyAppIdentity(creds, { env })).account).toBe(ACCOUNT);
    const file = home.ssoCacheFile('ref');
    const cached = JSON.parse(await readFile(file, 'utf8'));
    expect(cached.accessToken).not.toBe('sso-old-token');
    expect(cached.refreshToken).not.toBe('rtok');
    expect(Date.parse(cached.expiresAt)).toBeGreaterThan(Date.now());
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(lb.aws.requests.some((r) => r.action === 'CreateToken' && r.status === 200)).toBe(true);
    // The rotated refresh token is spent: a second expired copy cannot refresh and says to log in.
    await writeFile(
      file,
      JSON.stringify({
        ...cached,
        accessToken: 'dead',
        expiresAt: new Date(Date.now() - 1_000).toISOString(),
        refreshToken: 'rtok',
      }),
    );
    const e = fromAppChain({ env, profile: 's' })();
    await expect(e).rejects.toMatchObject({
      code: 'SSO_TOKEN_EXPIRED',
      hint: expect.stringContaining('aws sso login --profile s'),
    });
    await expect(e).rejects.toSatisfy(leaksNone('csecret', 'rtok', cached.accessToken));
  });

  it('web identity from a profile and from AWS_WEB_IDENTITY_TOKEN_FILE', async () => {
    const role = lb.aws.addRole({
      accountId: ACCOUNT,
      roleName: 'oidc',
      webIdentity: { token: 'jwt-token-value' },
    });
    const { home, env } = await lb.home({ webIdentityToken: 'jwt-token-value' });
    await writeFile(
      home.configFile,
      `[profile wi]\nrole_arn = ${role.roleArn}\nweb_identity_token_file = ${home.webIdentityTokenFile}\n`,
    );
    const p = await fromAppChain({ env, profile: 'wi' })();
    expect(p.source?.method).toBe('web-identity');
    expect((await verifyAppIdentity(p, { env })).arn).toContain('assumed-role/oidc/');
    const e = await fromAppChain({
      env: { ...env, AWS_WEB_IDENTITY_TOKEN_FILE: home.webIdentityTokenFile, AWS_ROLE_ARN: role.roleArn },
    })();
    expect(e.source?.kind).toBe('web-identity');
    expect(e.$source).toMatchObject({ CREDENTIALS_ENV_VARS_STS_WEB_ID_TOKEN: 'h' });
    await expect(
      fromAppChain({ env: { ...env, AWS_WEB_IDENTITY_TOKEN_FILE: home.webIdentityTokenFile } })(),
    ).rejects.toMatchObject({ code: 'ENV_CREDENTIALS_INCOMPLETE' });
    await expect(
      fromAppChain({
        env: { ...env, AWS_WEB_IDENTITY_TOKEN_FILE: `${home.dir}/nope`, AWS_ROLE_ARN: role.roleArn },
      })(),
    ).rejects.toMatchObject({ code: 'WEB_IDENTITY_TOKEN_UNREADABLE' });
  });

  it('container and instance metadata links', async () => {
    lb.aws.setContainerCredentials({ accountId: ACCOUNT, roleName: 'task' });
    lb.aws.setInstanceRole({ accountId: ACCOUNT, roleName: 'instance' });
    const { env } = await lb.home({});
    const container = await fromAppChain({
      env: {
        ...env,
        AWS_CONTAINER_CREDENTIALS_FULL_URI: lb.aws.env.AWS_CONTAINER_CREDENTIALS_FULL_URI,
        AWS_CONTAINER_AUTHORIZATION_TOKEN: lb.aws.env.AWS_CONTAINER_AUTHORIZATION_TOKEN,
        ...LOOPBACK_METADATA_TIMEOUT,
      },
    })();
    expect(container.source?.kind).toBe('container');
    expect((await verifyAppIdentity(container, { env })).arn).toContain('assumed-role/task/');
    await expect(
      fromAppChain({
        env: {
          ...env,
          AWS_CONTAINER_CREDENTIALS_FULL_URI: lb.aws.env.AWS_CONTAINER_CREDENTIALS_FULL_URI,
          AWS_CONTAINER_AUTHORIZATION_TOKEN: 'wrong',
        },
      })(),
    ).rejects.toMatchObject({ code: 'CREDENTIAL_SOURCE_UNAVAILABLE' });
    const imdsEnv = {
      ...env,
      AWS_EC2_METADATA_DISABLED: 'false',
      AWS_EC2_METADATA_SERVICE_ENDPOINT: lb.aws.env.AWS_EC2_METADATA_SERVICE_ENDPOINT,
      ...LOOPBACK_METADATA_TIMEOUT,
    };
    const imds = await fromAppChain({ env: imdsEnv })();
    expect(imds.source?.kind).toBe('imds');
    expect((await verifyAppIdentity(imds, { env })).arn).toContain('assumed-role/instance/');
  });

  it.each([
    ['aws', '444444444444'],
    ['aws-cn', '555555555555'],
    ['aws-us-gov', '666666666666'],
  ] as const)('refuses the root user of a %s account', async (partition, accountId) => {
    const root = lb.aws.addRoot({ accountId, partition });
    const { env } = await lb.home({ credentials: `[default]\n${keys(root)}` });
    const e = verifyAppIdentity(fromAppChain({ env }), { env });
    await expect(e).rejects.toMatchObject({
      code: 'ROOT_CREDENTIALS',
      message: expect.stringContaining(`arn:${partition}:iam::${accountId}:root`),
      hint: expect.stringContaining('Create an IAM user'),
    });
    await expect(e).rejects.toMatchObject({ message: expect.stringContaining('profile "default"') });
    await expect(e).rejects.toSatisfy(leaksNone(root.secretAccessKey));
  });

  it('explains the trail: skipped links with reasons, then the resolved one', async () => {
    const u = user();
    const { env } = await lb.home({ credentials: `[default]\n${keys(u)}` });
    const x = await explainAppChain({ env });
    expect(x.resolved).toBe(true);
    expect(x.links.map((l) => [l.name, l.status])).toEqual([
      ['profile option', 'skipped'],
      ['AWS_PROFILE', 'skipped'],
      ['AWS_DEFAULT_PROFILE', 'skipped'],
      ['environment variables', 'skipped'],
      ['[default] profile', 'resolved'],
      ['web identity (AWS_WEB_IDENTITY_TOKEN_FILE)', 'skipped'],
      ['container (AWS_CONTAINER_CREDENTIALS_*)', 'skipped'],
      ['instance metadata (IMDS)', 'skipped'],
    ]);
    expect(JSON.stringify(x)).not.toContain(u.secretAccessKey);
    expect(x.credentials?.accessKeyId).toBe(u.accessKeyId);
  });
});
