import { readFile } from 'node:fs/promises';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AwsHome, createAwsHome, type LoopbackAws, startLoopbackAws } from '../../src/index.js';
import { type ProviderOutcome, resolveInChild } from '../helpers/run-node.js';

// Providers that read process.env / the home directory themselves (fromSSO's token cache,
// IMDS endpoint, container URI, the default chain) run in a child process whose environment
// is exactly the env record the loopback and createAwsHome return.

let aws: LoopbackAws;
let home: AwsHome | undefined;
beforeEach(async () => {
  aws = await startLoopbackAws();
});
afterEach(async () => {
  await aws.close();
  await home?.cleanup();
  home = undefined;
});

async function whoAmI(outcome: ProviderOutcome): Promise<string | undefined> {
  if (!outcome.ok || !outcome.credentials)
    throw new Error(`provider failed: ${JSON.stringify(outcome.error)}`);
  const { accessKeyId, secretAccessKey, sessionToken } = outcome.credentials;
  const credentials = { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
  const client = new STSClient({ endpoint: aws.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  return (await client.send(new GetCallerIdentityCommand({}))).Arn;
}

const SSO: [string, string] = ['@aws-sdk/credential-provider-sso', 'fromSSO'];
const START_URL = 'https://d-1234567890.awsapps.com/start';

describe('fromSSO with a token cache in a temporary HOME', () => {
  it('resolves a legacy sso_start_url profile (cache file = sha1(start URL))', async () => {
    aws.addSsoAccess({ accessToken: 'sso-token-1', accountId: '222222222222', roleName: 'Admin' });
    home = await createAwsHome({
      config: `
        [profile legacy]
        sso_start_url = ${START_URL}
        sso_region = us-east-1
        sso_account_id = 222222222222
        sso_role_name = Admin
      `,
      ssoCache: [{ startUrl: START_URL, accessToken: 'sso-token-1', region: 'us-east-1' }],
    });
    const outcome = await resolveInChild(...SSO, "fromSSO({ profile: 'legacy' })()", {
      ...home.env,
      AWS_ENDPOINT_URL_SSO: aws.env.AWS_ENDPOINT_URL_SSO,
    });
    expect(await whoAmI(outcome)).toMatch(
      /^arn:aws:sts::222222222222:assumed-role\/AWSReservedSSO_Admin_[0-9a-f]{16}\/loopback-sso-user$/,
    );
    expect(aws.requests.find((r) => r.service === 'sso')).toMatchObject({
      action: 'GetRoleCredentials',
      status: 200,
      params: { account_id: '222222222222', role_name: 'Admin' },
    });
  });

  it('resolves an sso_session profile (cache file = sha1(session name))', async () => {
    aws.addSsoAccess({ accessToken: 'sso-token-2', accountId: '333333333333', roleName: 'ReadOnly' });
    home = await createAwsHome({
      config: `
        [profile modern]
        sso_session = corp
        sso_account_id = 333333333333
        sso_role_name = ReadOnly
        [sso-session corp]
        sso_start_url = ${START_URL}
        sso_region = us-east-1
        sso_registration_scopes = sso:account:access
      `,
      ssoCache: [{ sessionName: 'corp', startUrl: START_URL, accessToken: 'sso-token-2' }],
    });
    const outcome = await resolveInChild(...SSO, "fromSSO({ profile: 'modern' })()", {
      ...home.env,
      AWS_ENDPOINT_URL_SSO: aws.env.AWS_ENDPOINT_URL_SSO,
    });
    expect(await whoAmI(outcome)).toMatch(
      /^arn:aws:sts::333333333333:assumed-role\/AWSReservedSSO_ReadOnly_/,
    );
  });

  it('refreshes an sso-session token near expiry through SSO OIDC and rewrites the cache', async () => {
    aws.addSsoAccess({ accessToken: 'about-to-expire', accountId: '333333333333', roleName: 'ReadOnly' });
    aws.addSsoRefresh({
      accessToken: 'about-to-expire',
      clientId: 'client-1',
      clientSecret: 'client-secret-1',
      refreshToken: 'refresh-1',
    });
    home = await createAwsHome({
      config: `
        [profile modern]
        sso_session = corp
        sso_account_id = 333333333333
        sso_role_name = ReadOnly
        [sso-session corp]
        sso_start_url = ${START_URL}
        sso_region = us-east-1
      `,
      ssoCache: [
        {
          sessionName: 'corp',
          startUrl: START_URL,
          accessToken: 'about-to-expire',
          // Inside the SDK's 5-minute refresh window.
          expiresAt: new Date(Date.now() + 60_000),
          extra: {
            clientId: 'client-1',
            clientSecret: 'client-secret-1',
            refreshToken: 'refresh-1',
            registrationExpiresAt: new Date(Date.now() + 86_400_000).toISOString(),
          },
        },
      ],
    });
    const outcome = await resolveInChild(...SSO, "fromSSO({ profile: 'modern' })()", {
      ...home.env,
      AWS_ENDPOINT_URL_SSO: aws.env.AWS_ENDPOINT_URL_SSO,
      AWS_ENDPOINT_URL_SSO_OIDC: aws.env.AWS_ENDPOINT_URL_SSO_OIDC,
    });
    expect(await whoAmI(outcome)).toMatch(
      /^arn:aws:sts::333333333333:assumed-role\/AWSReservedSSO_ReadOnly_/,
    );
    expect(
      aws.requests.filter((r) => r.service !== 'sts').map((r) => [r.service, r.action, r.status]),
    ).toEqual([
      ['sso-oidc', 'CreateToken', 200],
      ['sso', 'GetRoleCredentials', 200],
    ]);
    const cache = JSON.parse(await readFile(home.ssoCacheFile('corp'), 'utf8')) as Record<string, string>;
    expect(cache.accessToken).toMatch(/^aoa/);
    expect(cache.refreshToken).toMatch(/^aor/);
    expect(Date.parse(cache.expiresAt ?? '') - Date.now()).toBeGreaterThan(3000_000);
  });

  it('surfaces the portal rejecting a token it does not know (401 UnauthorizedException)', async () => {
    home = await createAwsHome({
      config: `
        [profile legacy]
        sso_start_url = ${START_URL}
        sso_region = us-east-1
        sso_account_id = 222222222222
        sso_role_name = Admin
      `,
      ssoCache: [{ startUrl: START_URL, accessToken: 'revoked-token' }],
    });
    const outcome = await resolveInChild(...SSO, "fromSSO({ profile: 'legacy' })()", {
      ...home.env,
      AWS_ENDPOINT_URL_SSO: aws.env.AWS_ENDPOINT_URL_SSO,
    });
    expect(outcome.ok).toBe(false);
    // The SDK wraps the SSO client's error: the original name survives only inside the message.
    expect(outcome.error?.name).toBe('CredentialsProviderError');
    expect(outcome.error?.message).toBe('UnauthorizedException: Session token not found or invalid');
    expect(aws.requests.at(-1)).toMatchObject({
      service: 'sso',
      status: 401,
      errorCode: 'UnauthorizedException',
    });
  });

  it('retries a throttled GetRoleCredentials and then succeeds', async () => {
    aws.addSsoAccess({ accessToken: 'sso-token-3', accountId: '222222222222', roleName: 'Admin' });
    const fault = aws.fault('sso', { throttle: true }, { times: 1 });
    home = await createAwsHome({
      config: `
        [profile legacy]
        sso_start_url = ${START_URL}
        sso_region = us-east-1
        sso_account_id = 222222222222
        sso_role_name = Admin
      `,
      ssoCache: [{ startUrl: START_URL, accessToken: 'sso-token-3' }],
    });
    const outcome = await resolveInChild(...SSO, "fromSSO({ profile: 'legacy' })()", {
      ...home.env,
      AWS_ENDPOINT_URL_SSO: aws.env.AWS_ENDPOINT_URL_SSO,
    });
    expect(outcome.ok).toBe(true);
    expect(fault.hits).toBe(1);
    expect(aws.requests.filter((r) => r.service === 'sso').map((r) => [r.status, r.fault])).toEqual([
      [429, 'throttle'],
      [200, undefined],
    ]);
  });
});

const IMDS: [string, string] = ['@smithy/credential-provider-imds', 'fromInstanceMetadata'];

describe('fromInstanceMetadata via AWS_EC2_METADATA_SERVICE_ENDPOINT', () => {
  it('walks the IMDSv2 token, role name and credentials endpoints', async () => {
    aws.setInstanceRole({ accountId: '444444444444', roleName: 'web-server' });
    const outcome = await resolveInChild(...IMDS, 'fromInstanceMetadata({ timeout: 60_000 })()', {
      AWS_EC2_METADATA_SERVICE_ENDPOINT: aws.env.AWS_EC2_METADATA_SERVICE_ENDPOINT,
    });
    expect(await whoAmI(outcome)).toBe(
      'arn:aws:sts::444444444444:assumed-role/web-server/i-0123456789abcdef0',
    );
    expect(
      aws.requests.filter((r) => r.service === 'imds').map((r) => [r.method, r.action, r.status]),
    ).toEqual([
      ['PUT', 'GetToken', 200],
      ['GET', 'GetRoleName', 200],
      ['GET', 'GetCredentials', 200],
    ]);
  });

  it('times out when IMDS is slower than the provider timeout', async () => {
    aws.setInstanceRole({ accountId: '444444444444', roleName: 'web-server' });
    // Only GetCredentials is slow, and far slower than the timeout; the timeout itself is wide enough
    // that the token and role-name calls before it never hit it on a busy machine (at 150 ms they did).
    aws.fault('imds', { delayMs: 60_000, action: 'GetCredentials' });
    const outcome = await resolveInChild(...IMDS, 'fromInstanceMetadata({ timeout: 5_000 })()', {
      AWS_EC2_METADATA_SERVICE_ENDPOINT: aws.env.AWS_EC2_METADATA_SERVICE_ENDPOINT,
    });
    expect(outcome.ok).toBe(false);
    expect(outcome.error?.message).toBe('TimeoutError from instance metadata service');
  });

  it('recovers from one 500 when maxRetries allows it', async () => {
    aws.setInstanceRole({ accountId: '444444444444', roleName: 'web-server' });
    aws.fault('imds', { status: 500, action: 'GetCredentials' }, { times: 1 });
    const env = { AWS_EC2_METADATA_SERVICE_ENDPOINT: aws.env.AWS_EC2_METADATA_SERVICE_ENDPOINT };
    const noRetry = await resolveInChild(...IMDS, 'fromInstanceMetadata({ timeout: 60_000 })()', env);
    expect(noRetry.ok).toBe(false);
    aws.fault('imds', { status: 500, action: 'GetCredentials' }, { times: 1 });
    const withRetry = await resolveInChild(
      ...IMDS,
      'fromInstanceMetadata({ timeout: 60_000, maxRetries: 1 })()',
      env,
    );
    expect(withRetry.ok).toBe(true);
    expect(aws.requests.filter((r) => r.action === 'GetCredentials').map((r) => r.status)).toEqual([
      500, 500, 200,
    ]);
  });
});

describe('fromContainerMetadata via AWS_CONTAINER_CREDENTIALS_FULL_URI', () => {
  const CONTAINER: [string, string] = ['@smithy/credential-provider-imds', 'fromContainerMetadata'];

  it('sends AWS_CONTAINER_AUTHORIZATION_TOKEN and gets task role credentials', async () => {
    aws.setContainerCredentials({ accountId: '555555555555', roleName: 'task' });
    const outcome = await resolveInChild(...CONTAINER, 'fromContainerMetadata({ timeout: 60_000 })()', {
      AWS_CONTAINER_CREDENTIALS_FULL_URI: aws.env.AWS_CONTAINER_CREDENTIALS_FULL_URI,
      AWS_CONTAINER_AUTHORIZATION_TOKEN: aws.env.AWS_CONTAINER_AUTHORIZATION_TOKEN,
    });
    expect(await whoAmI(outcome)).toBe('arn:aws:sts::555555555555:assumed-role/task/ecs-task-loopback');
  });

  it('fails on a malformed body', async () => {
    aws.setContainerCredentials({ accountId: '555555555555', roleName: 'task' });
    aws.fault('container', { malformed: true });
    const outcome = await resolveInChild(...CONTAINER, 'fromContainerMetadata({ timeout: 60_000 })()', {
      AWS_CONTAINER_CREDENTIALS_FULL_URI: aws.env.AWS_CONTAINER_CREDENTIALS_FULL_URI,
      AWS_CONTAINER_AUTHORIZATION_TOKEN: aws.env.AWS_CONTAINER_AUTHORIZATION_TOKEN,
    });
    expect(outcome).toMatchObject({ ok: false, error: { name: 'SyntaxError' } });
  });
});

describe('the default provider chain with AWS_PROFILE and AWS_ENDPOINT_URL_STS', () => {
  it('assumes the role of the selected profile at the loopback STS', async () => {
    const alice = aws.addUser({ accountId: '111111111111', userName: 'alice' });
    const role = aws.addRole({ accountId: '222222222222', roleName: 'deploy', trust: [alice.arn] });
    home = await createAwsHome({
      config: `
        [profile prod]
        role_arn = ${role.roleArn}
        source_profile = base
        role_session_name = chain
        region = eu-west-1
      `,
      credentials: `
        [base]
        aws_access_key_id = ${alice.accessKeyId}
        aws_secret_access_key = ${alice.secretAccessKey}
      `,
    });
    const outcome = await resolveInChild(
      '@aws-sdk/credential-provider-node',
      'defaultProvider',
      'defaultProvider()()',
      { ...home.env, AWS_PROFILE: 'prod', AWS_ENDPOINT_URL_STS: aws.env.AWS_ENDPOINT_URL_STS },
    );
    expect(await whoAmI(outcome)).toBe('arn:aws:sts::222222222222:assumed-role/deploy/chain');
  });
});
