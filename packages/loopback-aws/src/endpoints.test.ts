import { GetRoleCredentialsCommand, SSOClient } from '@aws-sdk/client-sso';
import { afterEach, describe, expect, it } from 'vitest';
import { type LoopbackAws, type LoopbackAwsOptions, startLoopbackAws } from './index.js';

let aws: LoopbackAws | undefined;
afterEach(async () => {
  await aws?.close();
  aws = undefined;
});

async function start(options?: LoopbackAwsOptions): Promise<LoopbackAws> {
  aws = await startLoopbackAws(options);
  return aws;
}

describe('aws.env', () => {
  it('is a plain string record (assignable to an injected env map) pointing every endpoint at the server', async () => {
    const a = await start();
    // Typed assignment on purpose: callers spread it into Record<string, string> env records.
    const env: Record<string, string> = a.env;
    expect(a.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(env).toEqual({
      AWS_ENDPOINT_URL_STS: a.url,
      AWS_ENDPOINT_URL_SSO: a.url,
      AWS_ENDPOINT_URL_SSO_OIDC: a.url,
      AWS_ENDPOINT_URL_SSM: a.url,
      AWS_EC2_METADATA_SERVICE_ENDPOINT: a.url,
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `${a.url}/container-credentials`,
      AWS_CONTAINER_AUTHORIZATION_TOKEN: expect.stringMatching(/^[\w-]{32}$/),
    });
  });
});

describe('SSO portal GetRoleCredentials through @aws-sdk/client-sso', () => {
  function client(a: LoopbackAws) {
    return new SSOClient({ endpoint: a.env.AWS_ENDPOINT_URL_SSO, region: 'us-east-1', maxAttempts: 1 });
  }
  const get = (accessToken: string, roleName = 'Admin') =>
    new GetRoleCredentialsCommand({ accessToken, accountId: '222222222222', roleName });

  it('returns role credentials with an epoch-millisecond expiration', async () => {
    const a = await start();
    a.addSsoAccess({ accessToken: 'tok', accountId: '222222222222', roleName: 'Admin' });
    const before = Date.now();
    const out = await client(a).send(get('tok'));
    expect(out.roleCredentials?.accessKeyId).toMatch(/^ASIA/);
    const expiration = out.roleCredentials?.expiration ?? 0;
    expect(expiration - before).toBeGreaterThan(3590_000);
    expect(expiration - before).toBeLessThanOrEqual(3605_000);
  });

  it('answers an unknown or expired token with 401 UnauthorizedException, an unassigned role with 403', async () => {
    const a = await start();
    a.addSsoAccess({
      accessToken: 'old',
      accountId: '222222222222',
      roleName: 'Admin',
      expiresInSeconds: -1,
    });
    a.addSsoAccess({ accessToken: 'tok', accountId: '222222222222', roleName: 'Admin' });
    const sso = client(a);
    await expect(sso.send(get('nope'))).rejects.toMatchObject({
      name: 'UnauthorizedException',
      message: 'Session token not found or invalid',
      $metadata: { httpStatusCode: 401 },
    });
    await expect(sso.send(get('old'))).rejects.toMatchObject({ name: 'UnauthorizedException' });
    await expect(sso.send(get('tok', 'Billing'))).rejects.toMatchObject({
      name: 'ForbiddenException',
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('applies faults: throttling (429), 500 and a malformed body', async () => {
    const a = await start();
    a.addSsoAccess({ accessToken: 'tok', accountId: '222222222222', roleName: 'Admin' });
    const sso = client(a);
    a.fault('sso', { throttle: true }, { times: 1 });
    await expect(sso.send(get('tok'))).rejects.toMatchObject({
      name: 'TooManyRequestsException',
      $metadata: { httpStatusCode: 429 },
    });
    a.fault('sso', { status: 500 }, { times: 1 });
    await expect(sso.send(get('tok'))).rejects.toMatchObject({ $metadata: { httpStatusCode: 500 } });
    a.fault('sso', { malformed: true }, { times: 1 });
    await expect(sso.send(get('tok'))).rejects.toThrow();
    expect((await sso.send(get('tok'))).roleCredentials?.accessKeyId).toMatch(/^ASIA/);
  });
});

describe('SSO OIDC CreateToken (refresh_token grant)', () => {
  async function createToken(a: LoopbackAws, body: Record<string, string>) {
    const res = await fetch(`${a.env.AWS_ENDPOINT_URL_SSO_OIDC}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grantType: 'refresh_token', ...body }),
    });
    return {
      status: res.status,
      type: res.headers.get('x-amzn-errortype'),
      body: (await res.json()) as Record<string, unknown>,
    };
  }

  it('rotates the refresh token, carries the grants over, and rejects bad or reused refresh tokens', async () => {
    const a = await start();
    a.addSsoAccess({ accessToken: 'old', accountId: '222222222222', roleName: 'Admin' });
    a.addSsoRefresh({ accessToken: 'old', clientId: 'c1', clientSecret: 's1', refreshToken: 'r1' });
    expect(await createToken(a, { clientId: 'c1', clientSecret: 'nope', refreshToken: 'r1' })).toMatchObject({
      status: 401,
      type: 'InvalidClientException',
    });
    expect(await createToken(a, { clientId: 'c1', clientSecret: 's1', refreshToken: 'r0' })).toMatchObject({
      status: 400,
      type: 'InvalidGrantException',
    });
    const ok = await createToken(a, { clientId: 'c1', clientSecret: 's1', refreshToken: 'r1' });
    expect(ok).toMatchObject({ status: 200, body: { expiresIn: 3600, tokenType: 'Bearer' } });
    const reused = await createToken(a, { clientId: 'c1', clientSecret: 's1', refreshToken: 'r1' });
    expect(reused.type).toBe('InvalidGrantException');
    const next = await createToken(a, {
      clientId: 'c1',
      clientSecret: 's1',
      refreshToken: String(ok.body.refreshToken),
    });
    expect(next.status).toBe(200);
    const sso = new SSOClient({ endpoint: a.env.AWS_ENDPOINT_URL_SSO, region: 'us-east-1', maxAttempts: 1 });
    const creds = await sso.send(
      new GetRoleCredentialsCommand({
        accessToken: String(ok.body.accessToken),
        accountId: '222222222222',
        roleName: 'Admin',
      }),
    );
    expect(creds.roleCredentials?.accessKeyId).toMatch(/^ASIA/);
  });
});

describe('IMDSv2', () => {
  async function token(a: LoopbackAws, ttl = '60'): Promise<string> {
    const res = await fetch(`${a.url}/latest/api/token`, {
      method: 'PUT',
      headers: { 'x-aws-ec2-metadata-token-ttl-seconds': ttl },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-aws-ec2-metadata-token-ttl-seconds')).toBe(ttl);
    return res.text();
  }
  const credsPath = '/latest/meta-data/iam/security-credentials/';

  it('serves the role name and credentials JSON only with a token (no IMDSv1)', async () => {
    const a = await start();
    a.setInstanceRole({ accountId: '444444444444', roleName: 'web' });
    expect((await fetch(`${a.url}${credsPath}`)).status).toBe(401);
    const t = await token(a);
    const headers = { 'x-aws-ec2-metadata-token': t };
    const name = await fetch(`${a.url}${credsPath}`, { headers });
    expect(await name.text()).toBe('web');
    const first = (await (await fetch(`${a.url}${credsPath}web`, { headers })).json()) as Record<
      string,
      string
    >;
    expect(Object.keys(first)).toEqual([
      'Code',
      'LastUpdated',
      'Type',
      'AccessKeyId',
      'SecretAccessKey',
      'Token',
      'Expiration',
    ]);
    expect(first).toMatchObject({ Code: 'Success', Type: 'AWS-HMAC' });
    expect(first.Expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const second = (await (await fetch(`${a.url}${credsPath}web`, { headers })).json()) as Record<
      string,
      string
    >;
    // Like EC2, the same credentials are served until they near expiry.
    expect(second.AccessKeyId).toBe(first.AccessKeyId);
    expect((await fetch(`${a.url}${credsPath}other`, { headers })).status).toBe(404);
  });

  it('rejects a token past its TTL and a token request without a valid TTL', async () => {
    let clock = new Date('2030-01-01T00:00:00Z');
    const a = await start({ now: () => clock.getTime() });
    a.setInstanceRole({ accountId: '444444444444', roleName: 'web' });
    const t = await token(a, '60');
    clock = new Date('2030-01-01T00:01:01Z');
    expect((await fetch(`${a.url}${credsPath}`, { headers: { 'x-aws-ec2-metadata-token': t } })).status).toBe(
      401,
    );
    expect((await fetch(`${a.url}/latest/api/token`, { method: 'PUT' })).status).toBe(400);
    expect((await fetch(`${a.url}/latest/api/token`)).status).toBe(405);
  });

  it('answers 404 for credentials when no instance role is set', async () => {
    const a = await start();
    const t = await token(a);
    expect((await fetch(`${a.url}${credsPath}`, { headers: { 'x-aws-ec2-metadata-token': t } })).status).toBe(
      404,
    );
  });
});

describe('ECS container credentials endpoint', () => {
  it('requires the authorization token and returns the task role credentials', async () => {
    const a = await start();
    const { roleArn } = a.setContainerCredentials({ accountId: '555555555555', roleName: 'task' });
    const uri = a.env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
    expect((await fetch(uri)).status).toBe(401);
    expect((await fetch(uri, { headers: { authorization: 'wrong' } })).status).toBe(401);
    const res = await fetch(uri, { headers: { authorization: a.env.AWS_CONTAINER_AUTHORIZATION_TOKEN } });
    const body = (await res.json()) as Record<string, string>;
    expect(body).toMatchObject({ RoleArn: roleArn, AccessKeyId: expect.stringMatching(/^ASIA/) });
    expect(Object.keys(body).sort()).toEqual([
      'AccessKeyId',
      'Expiration',
      'RoleArn',
      'SecretAccessKey',
      'Token',
    ]);
  });
});
