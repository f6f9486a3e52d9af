import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterEach, describe, expect, it } from 'vitest';
import { type LoopbackAws, startLoopbackAws } from './index.js';

// Raw HTTP against the loopback: the exact bytes STS puts on the wire, and what happens when a
// signed request is altered after signing (which an SDK client can never be made to do).

let aws: LoopbackAws | undefined;
afterEach(async () => {
  await aws?.close();
  aws = undefined;
});

interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

async function signedRequest(
  url: string,
  keys: Keys,
  form: Record<string, string>,
  opts: {
    service?: string;
    signingDate?: Date;
    extraHeaders?: Record<string, string>;
    applyChecksum?: boolean;
  } = {},
): Promise<HttpRequest> {
  const { hostname, port } = new URL(url);
  const body = new URLSearchParams({ Version: '2011-06-15', ...form }).toString();
  const request = new HttpRequest({
    method: 'POST',
    protocol: 'http:',
    hostname,
    port: Number(port),
    path: '/',
    headers: {
      host: `${hostname}:${port}`,
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      ...opts.extraHeaders,
    },
    body,
  });
  const signer = new SignatureV4({
    credentials: keys,
    region: 'us-east-1',
    service: opts.service ?? 'sts',
    sha256: Sha256,
    applyChecksum: opts.applyChecksum ?? true,
  });
  return (await signer.sign(
    request,
    opts.signingDate ? { signingDate: opts.signingDate } : {},
  )) as HttpRequest;
}

interface WireRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: unknown;
}

async function send(
  url: string,
  req: WireRequest,
): Promise<{ status: number; text: string; headers: Headers }> {
  const { host: _host, ...headers } = req.headers;
  const res = await fetch(`${url}${req.path}`, { method: req.method, headers, body: req.body as string });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

function codeOf(xml: string): string | undefined {
  return /<Code>([^<]*)<\/Code>/.exec(xml)?.[1];
}

describe('STS wire format', () => {
  it('answers AssumeRole with the XML document AWS sends', async () => {
    aws = await startLoopbackAws();
    const alice = aws.addUser({ accountId: '111111111111', userName: 'alice' });
    const role = aws.addRole({ accountId: '222222222222', roleName: 'deploy', trust: [alice.arn] });
    const res = await send(
      aws.url,
      await signedRequest(aws.url, alice, {
        Action: 'AssumeRole',
        RoleArn: role.roleArn,
        RoleSessionName: 'wire',
      }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/xml');
    const requestId = res.headers.get('x-amzn-requestid');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const compact = res.text.replace(/>\s+</g, '><').trim();
    expect(compact).toMatch(
      new RegExp(
        '^<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>' +
          '<Credentials><AccessKeyId>ASIA[A-Z2-7]{16}</AccessKeyId><SecretAccessKey>[^<]{40}</SecretAccessKey>' +
          '<SessionToken>[^<]+</SessionToken><Expiration>\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ</Expiration></Credentials>' +
          `<AssumedRoleUser><AssumedRoleId>${role.roleId}:wire</AssumedRoleId>` +
          '<Arn>arn:aws:sts::222222222222:assumed-role/deploy/wire</Arn></AssumedRoleUser></AssumeRoleResult>' +
          `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></AssumeRoleResponse>$`,
      ),
    );
  });

  it('answers errors with an ErrorResponse document and the HTTP status AWS uses', async () => {
    aws = await startLoopbackAws();
    const alice = aws.addUser({ accountId: '111111111111', userName: 'alice' });
    const res = await send(
      aws.url,
      await signedRequest(aws.url, alice, {
        Action: 'AssumeRole',
        RoleArn: 'arn:aws:iam::222222222222:role/none',
        RoleSessionName: 'x1',
      }),
    );
    expect(res.status).toBe(403);
    const compact = res.text.replace(/>\s+</g, '><').trim();
    expect(compact).toBe(
      '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code>' +
        `<Message>User: ${alice.arn} is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/none</Message>` +
        `</Error><RequestId>${res.headers.get('x-amzn-requestid')}</RequestId></ErrorResponse>`,
    );
  });

  it('rejects an unknown action with InvalidAction (400)', async () => {
    aws = await startLoopbackAws();
    const alice = aws.addUser({ accountId: '111111111111', userName: 'alice' });
    const res = await send(
      aws.url,
      await signedRequest(aws.url, alice, { Action: 'DecodeAuthorizationMessagez' }),
    );
    expect(res.status).toBe(400);
    expect(codeOf(res.text)).toBe('InvalidAction');
  });

  it('accepts the Query protocol as a signed GET with the parameters in the query string', async () => {
    aws = await startLoopbackAws();
    const alice = aws.addUser({ accountId: '111111111111', userName: 'alice' });
    const { hostname, port } = new URL(aws.url);
    const query = { Action: 'GetCallerIdentity', Version: '2011-06-15' };
    const signer = new SignatureV4({
      credentials: alice,
      region: 'us-east-1',
      service: 'sts',
      sha256: Sha256,
    });
    const req = await signer.sign(
      new HttpRequest({
        method: 'GET',
        protocol: 'http:',
        hostname,
        port: Number(port),
        path: '/',
        query,
        headers: { host: `${hostname}:${port}` },
      }),
    );
    const { host: _host, ...headers } = req.headers;
    const res = await fetch(`${aws.url}/?${new URLSearchParams(query)}`, { headers });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`<Arn>${alice.arn}</Arn>`);
    const tampered = await fetch(`${aws.url}/?${new URLSearchParams({ ...query, Extra: '1' })}`, { headers });
    expect(codeOf(await tampered.text())).toBe('SignatureDoesNotMatch');
  });

  it('rejects an unsigned request with MissingAuthenticationToken', async () => {
    aws = await startLoopbackAws();
    const res = await fetch(aws.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(res.status).toBe(403);
    expect(codeOf(await res.text())).toBe('MissingAuthenticationToken');
  });
});

describe('signature verification', () => {
  it.each([
    ['with x-amz-content-sha256', true],
    ['hashing the body itself', false],
  ])('rejects a body changed after signing (%s)', async (_label, applyChecksum) => {
    aws = await startLoopbackAws();
    const alice = aws.addUser({ accountId: '111111111111', userName: 'alice' });
    const role = aws.addRole({ accountId: '222222222222', roleName: 'deploy', trust: [alice.arn] });
    const req = await signedRequest(
      aws.url,
      alice,
      { Action: 'AssumeRole', RoleArn: role.roleArn, RoleSessionName: 'honest' },
      { applyChecksum },
    );
    expect('x-amz-content-sha256' in req.headers).toBe(applyChecksum);
    expect((await send(aws.url, req)).status).toBe(200);
    req.body = String(req.body).replace('honest', 'sneaky');
    const res = await send(aws.url, req);
    expect(res.status).toBe(403);
    expect(codeOf(res.text)).toBe('SignatureDoesNotMatch');
  });

  it('rejects a changed signed header and ignores unsigned ones', async () => {
    aws = await startLoopbackAws();
    const alice = aws.addUser({ accountId: '111111111111', userName: 'alice' });
    const req = await signedRequest(
      aws.url,
      alice,
      { Action: 'GetCallerIdentity' },
      { extraHeaders: { 'x-amz-meta-note': 'a' } },
    );
    expect(String(req.headers.authorization)).toContain('x-amz-meta-note');
    const unsignedChange = await send(aws.url, {
      ...req,
      headers: { ...req.headers, 'user-agent': 'someone-else' },
    });
    expect(unsignedChange.status).toBe(200);
    const signedChange = await send(aws.url, {
      ...req,
      headers: { ...req.headers, 'x-amz-meta-note': 'b' },
    });
    expect(codeOf(signedChange.text)).toBe('SignatureDoesNotMatch');
    const sig = /Signature=([0-9a-f]+)/.exec(String(req.headers.authorization))?.[1] ?? '';
    const flipped = sig.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    const tampered = await send(aws.url, {
      ...req,
      headers: { ...req.headers, authorization: String(req.headers.authorization).replace(sig, flipped) },
    });
    expect(codeOf(tampered.text)).toBe('SignatureDoesNotMatch');
  });

  it('rejects a signature scoped to another service', async () => {
    aws = await startLoopbackAws();
    const alice = aws.addUser({ accountId: '111111111111', userName: 'alice' });
    const res = await send(
      aws.url,
      await signedRequest(aws.url, alice, { Action: 'GetCallerIdentity' }, { service: 's3' }),
    );
    expect(res.status).toBe(403);
    expect(codeOf(res.text)).toBe('SignatureDoesNotMatch');
    expect(res.text).toContain("Credential should be scoped to correct service: 'sts'");
  });

  it('rejects a request signed more than 15 minutes away from the server clock', async () => {
    const serverTime = new Date('2030-01-01T12:00:00Z');
    aws = await startLoopbackAws({ now: () => serverTime.getTime() });
    const alice = aws.addUser({ accountId: '111111111111', userName: 'alice' });
    const late = await signedRequest(
      aws.url,
      alice,
      { Action: 'GetCallerIdentity' },
      { signingDate: new Date('2030-01-01T12:16:00Z') },
    );
    const res = await send(aws.url, late);
    expect(codeOf(res.text)).toBe('SignatureDoesNotMatch');
    expect(res.text).toContain('Signature expired');
    const onTime = await signedRequest(
      aws.url,
      alice,
      { Action: 'GetCallerIdentity' },
      { signingDate: new Date('2030-01-01T12:14:00Z') },
    );
    expect((await send(aws.url, onTime)).status).toBe(200);
  });

  it('checks session tokens against the injected clock', async () => {
    let clock = new Date('2030-01-01T12:00:00Z');
    aws = await startLoopbackAws({ now: () => clock.getTime() });
    const alice = aws.addUser({ accountId: '111111111111', userName: 'alice' });
    const session = aws.issueSession(alice, { expiresInSeconds: 900 });
    const sign = () =>
      signedRequest(aws!.url, session, { Action: 'GetCallerIdentity' }, { signingDate: clock });
    expect((await send(aws.url, await sign())).status).toBe(200);
    clock = new Date('2030-01-01T12:15:01Z');
    const res = await send(aws.url, await sign());
    expect(codeOf(res.text)).toBe('ExpiredToken');
    expect(aws.requests.at(-1)).toMatchObject({
      errorCode: 'ExpiredToken',
      accessKeyId: session.accessKeyId,
    });
  });
});
