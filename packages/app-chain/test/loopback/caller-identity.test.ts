import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { leaksNone } from '@credkit/loopback-aws';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAppIdentity } from '../../src/index.js';
import { useLoopback } from './helpers.js';

// verifyAppIdentity's own GetCallerIdentity request (no SDK client): the loopback STS checks its
// SigV4 signature with @smithy/signature-v4, so a signing mistake fails these tests; a plain HTTP
// server on 127.0.0.1 plays the STS answers the loopback cannot give.
const lb = useLoopback();
const ACCOUNT = '777777777777';
let n = 0;
const user = () => lb.aws.addUser({ accountId: ACCOUNT, userName: `ci${++n}` });
const calls = () => lb.aws.requests.filter((r) => r.action === 'GetCallerIdentity').length;
const stsEnv = () => ({ AWS_ENDPOINT_URL_STS: lb.aws.env.AWS_ENDPOINT_URL_STS });

interface Seen {
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
  closedAt?: number;
}

const servers: Array<{ close(): void }> = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** A fake STS on 127.0.0.1: `answer` gets the n-th request (from 0); returning undefined never answers. */
async function fakeSts(
  answer: (i: number, res: ServerResponse) => { status: number; body: string } | undefined,
) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry: Seen = { headers: req.headers, body: Buffer.concat(chunks).toString(), at: Date.now() };
      seen.push(entry);
      req.socket.on('close', () => {
        entry.closedAt = Date.now();
      });
      const a = answer(seen.length - 1, res);
      if (a) res.writeHead(a.status, { 'content-type': 'text/xml' }).end(a.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push({
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const okBody = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::${ACCOUNT}:user/fake</Arn><UserId>AIDAFAKE</UserId><Account>${ACCOUNT}</Account></GetCallerIdentityResult></GetCallerIdentityResponse>`;
const errorBody = (code: string, message: string) =>
  `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>r</RequestId></ErrorResponse>`;
const fakeKeys = {
  accessKeyId: 'AKIAFAKEFAKEFAKEFAKE',
  secretAccessKey: 'fakeSecretFAKEfakeSecretFAKEfakeSecret01',
};

describe('the signed request', () => {
  it('is accepted by an STS that checks SigV4, and returns what STS said', async () => {
    const u = user();
    const before = calls();
    expect(await verifyAppIdentity(u, { env: stsEnv() })).toEqual({
      account: ACCOUNT,
      arn: u.arn,
      userId: expect.stringMatching(/^AIDA/),
    });
    expect(calls()).toBe(before + 1);
    expect(lb.aws.requests.at(-1)).toMatchObject({ action: 'GetCallerIdentity', accessKeyId: u.accessKeyId });
  });

  it('fails with a wrong secret: the signature is really checked', async () => {
    const u = user();
    const e = verifyAppIdentity(
      {
        ...u,
        secretAccessKey: `${u.secretAccessKey.slice(0, -1)}${u.secretAccessKey.endsWith('X') ? 'Y' : 'X'}`,
      },
      { env: stsEnv() },
    );
    await expect(e).rejects.toMatchObject({
      code: 'INVALID_CREDENTIALS',
      message: expect.stringContaining('(SignatureDoesNotMatch)'),
    });
    await expect(e).rejects.toSatisfy(leaksNone(u.secretAccessKey));
  });

  it('sends the session token of temporary credentials, and STS needs it', async () => {
    const s = lb.aws.issueSession(user(), { expiresInSeconds: 900 });
    expect((await verifyAppIdentity(async () => s, { env: stsEnv() })).account).toBe(ACCOUNT);
    const { sessionToken: _, ...withoutToken } = s;
    const e = verifyAppIdentity(withoutToken, { env: stsEnv() });
    await expect(e).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    await expect(e).rejects.toSatisfy(leaksNone(s.secretAccessKey, s.sessionToken));
  });

  it('is the Query-protocol POST, signed for sts in the client region, naming credkit', async () => {
    const fake = await fakeSts(() => ({ status: 200, body: okBody }));
    await verifyAppIdentity(
      { ...fakeKeys, sessionToken: 'the-session-token' },
      { env: { AWS_ENDPOINT_URL_STS: fake.url }, region: 'eu-west-3' },
    );
    const [req] = fake.seen;
    expect(req?.body).toBe('Action=GetCallerIdentity&Version=2011-06-15');
    expect(req?.headers['content-type']).toBe('application/x-www-form-urlencoded; charset=utf-8');
    expect(req?.headers['user-agent']).toMatch(/^credkit\//);
    expect(req?.headers['x-amz-security-token']).toBe('the-session-token');
    const auth = String(req?.headers.authorization);
    expect(auth).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIAFAKEFAKEFAKEFAKE\/\d{8}\/eu-west-3\/sts\/aws4_request, /,
    );
    expect(auth).toMatch(/SignedHeaders=[^,]*\bhost\b[^,]*\bx-amz-security-token\b/);
  });
});

describe('endpoint resolution', () => {
  it('clientConfig.endpoint, then AWS_ENDPOINT_URL_STS, then AWS_ENDPOINT_URL of the injected env', async () => {
    const a = await fakeSts(() => ({ status: 200, body: okBody }));
    const b = await fakeSts(() => ({ status: 200, body: okBody }));
    const c = await fakeSts(() => ({ status: 200, body: okBody }));
    const env = { AWS_ENDPOINT_URL_STS: b.url, AWS_ENDPOINT_URL: c.url };
    await verifyAppIdentity(fakeKeys, { env, clientConfig: { endpoint: a.url } });
    expect([a.seen.length, b.seen.length, c.seen.length]).toEqual([1, 0, 0]);
    await verifyAppIdentity(fakeKeys, { env });
    expect([a.seen.length, b.seen.length, c.seen.length]).toEqual([1, 1, 0]);
    await verifyAppIdentity(fakeKeys, { env: { AWS_ENDPOINT_URL: c.url } });
    expect([a.seen.length, b.seen.length, c.seen.length]).toEqual([1, 1, 1]);
  });

  it('signs for region option, then clientConfig.region, then AWS_REGION, then us-east-1', async () => {
    const fake = await fakeSts(() => ({ status: 200, body: okBody }));
    const env = { AWS_ENDPOINT_URL_STS: fake.url, AWS_REGION: 'ap-south-1' };
    await verifyAppIdentity(fakeKeys, { env, region: 'cn-north-1', clientConfig: { region: 'eu-west-1' } });
    await verifyAppIdentity(fakeKeys, { env, clientConfig: { region: 'eu-west-1' } });
    await verifyAppIdentity(fakeKeys, { env });
    await verifyAppIdentity(fakeKeys, { env: { AWS_ENDPOINT_URL_STS: fake.url } });
    const scopes = fake.seen.map((s) => /\/\d{8}\/([^/]+)\/sts\//.exec(String(s.headers.authorization))?.[1]);
    expect(scopes).toEqual(['cn-north-1', 'eu-west-1', 'ap-south-1', 'us-east-1']);
  });

  it('a region that is not a host label is PROFILE_INVALID_VALUE before any request', async () => {
    const fake = await fakeSts(() => ({ status: 200, body: okBody }));
    await expect(
      verifyAppIdentity(fakeKeys, { env: { AWS_ENDPOINT_URL_STS: fake.url }, region: 'us-east-1; drop' }),
    ).rejects.toMatchObject({ code: 'PROFILE_INVALID_VALUE' });
    expect(fake.seen).toEqual([]);
  });
});

describe('retries, timeouts and unusable answers', () => {
  it('retries one 503 and succeeds', async () => {
    const u = user();
    lb.aws.fault('sts', { status: 503 }, { times: 1 });
    const before = calls();
    expect((await verifyAppIdentity(u, { env: stsEnv() })).arn).toBe(u.arn);
    expect(calls() - before).toBe(2);
  });

  it('retries one throttling answer and succeeds', async () => {
    const u = user();
    lb.aws.fault('sts', { throttle: true }, { times: 1 });
    expect((await verifyAppIdentity(u, { env: stsEnv() })).arn).toBe(u.arn);
  });

  it('gives up after 3 attempts by default, or clientConfig.maxAttempts', async () => {
    lb.aws.fault('sts', { status: 503 });
    const u = user();
    let before = calls();
    await expect(verifyAppIdentity(u, { env: stsEnv() })).rejects.toMatchObject({
      code: 'STS_UNAVAILABLE',
      message: expect.stringContaining('answered HTTP 503 after 3 attempts'),
    });
    expect(calls() - before).toBe(3);
    before = calls();
    await expect(verifyAppIdentity(u, { env: stsEnv(), clientConfig: { maxAttempts: 1 } })).rejects.toThrow();
    expect(calls() - before).toBe(1);
  });

  it('does not retry what retrying cannot fix (AccessDenied), and keeps the decoded STS message', async () => {
    const fake = await fakeSts(() => ({
      status: 403,
      body: errorBody(
        'AccessDenied',
        'User: arn:aws:iam::777777777777:user/a&amp;b is not authorized &lt;here&gt; &quot;x&quot;&#27;[31m',
      ),
    }));
    const e = verifyAppIdentity(fakeKeys, { env: { AWS_ENDPOINT_URL_STS: fake.url } });
    await expect(e).rejects.toMatchObject({
      code: 'ASSUME_ROLE_DENIED',
      message: expect.stringContaining('STS refused to verify the credentials with STS GetCallerIdentity'),
    });
    await expect(e).rejects.toMatchObject({
      message: expect.stringContaining('user/a&b is not authorized <here> "x" [31m'),
    });
    await expect(e).rejects.toMatchObject({ message: expect.not.stringContaining('\u001b') });
    expect(fake.seen).toHaveLength(1);
  });

  it('maps ExpiredToken, InvalidClientTokenId and an unreadable 4xx by code', async () => {
    const bodies = [
      {
        status: 403,
        body: errorBody('ExpiredToken', 'The security token included in the request is expired'),
      },
      {
        status: 403,
        body: errorBody('InvalidClientTokenId', 'The security token included in the request is invalid.'),
      },
      { status: 400, body: '<html>Bad Request</html>' },
    ];
    const fake = await fakeSts((i) => bodies[i]);
    const env = { AWS_ENDPOINT_URL_STS: fake.url };
    for (const code of ['CREDENTIALS_EXPIRED', 'INVALID_CREDENTIALS', 'STS_ERROR']) {
      await expect(verifyAppIdentity(fakeKeys, { env })).rejects.toMatchObject({ code });
    }
  });

  it('aborts the socket when the time is up', async () => {
    const fake = await fakeSts(() => undefined);
    const started = Date.now();
    await expect(
      verifyAppIdentity(fakeKeys, { env: { AWS_ENDPOINT_URL_STS: fake.url }, timeoutMs: 300 }),
    ).rejects.toMatchObject({ code: 'RESOLUTION_TIMEOUT' });
    // The fake never answers, so only the 300 ms bound can end the call; the times only guard a hang.
    expect(Date.now() - started).toBeLessThan(10_000);
    await expect.poll(() => fake.seen[0]?.closedAt, { timeout: 10_000 }).toBeDefined();
    expect((fake.seen[0]?.closedAt ?? 0) - started).toBeLessThan(10_000);
  });

  it.each([
    ['a truncated body (the loopback malformed fault)', 'loopback'],
    ['an HTML page', '<html><body>Welcome to the captive portal</body></html>'],
    ['an answer without an ARN', okBody.replace(/<Arn>.*<\/Arn>/, '')],
    ['a body over 64 KiB', `<GetCallerIdentityResponse>${'x'.repeat(70_000)}`],
  ])('refuses %s as STS_UNAVAILABLE without echoing it', async (_, body) => {
    let env: Record<string, string>;
    if (body === 'loopback') {
      lb.aws.fault('sts', { malformed: true });
      env = stsEnv();
    } else {
      const fake = await fakeSts(() => ({ status: 200, body }));
      env = { AWS_ENDPOINT_URL_STS: fake.url };
    }
    const e = verifyAppIdentity(body === 'loopback' ? user() : fakeKeys, { env });
    await expect(e).rejects.toMatchObject({
      code: 'STS_UNAVAILABLE',
      message: expect.stringContaining('gave no usable answer (HTTP 200 with a body that could not be read)'),
    });
    await expect(e).rejects.toMatchObject({ message: expect.not.stringMatching(/[<>]|portal|xxx/) });
  });

  it('an endpoint that refuses connections is STS_UNAVAILABLE naming the error, after the attempts', async () => {
    const fake = await fakeSts(() => undefined);
    for (const s of servers.splice(0)) s.close();
    const e = verifyAppIdentity(fakeKeys, {
      env: { AWS_ENDPOINT_URL_STS: fake.url },
      clientConfig: { maxAttempts: 2 },
    });
    await expect(e).rejects.toMatchObject({
      code: 'STS_UNAVAILABLE',
      message: expect.stringContaining('could not be reached (ECONNREFUSED) after 2 attempts'),
    });
    await expect(e).rejects.toMatchObject({ message: expect.not.stringContaining('127.0.0.1') });
  });

  it('corrects a skewed clock from the Date header and retries once, like the SDK', async () => {
    const fake = await fakeSts((i, res) => {
      if (i > 0) return { status: 200, body: okBody };
      res.setHeader('date', new Date(Date.now() + 3_600_000).toUTCString());
      return { status: 403, body: errorBody('SignatureDoesNotMatch', 'Signature expired') };
    });
    await verifyAppIdentity(fakeKeys, { env: { AWS_ENDPOINT_URL_STS: fake.url } });
    const dates = fake.seen.map((s) => String(s.headers['x-amz-date']));
    expect(dates).toHaveLength(2);
    const hour = (d: string) => Number(d.slice(9, 11));
    expect((hour(dates[1] ?? '') - hour(dates[0] ?? '') + 24) % 24).toBe(1);
  });
});
