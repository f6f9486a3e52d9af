import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type LoopbackEndpoint, serveLoopback } from '../../test/loopback-endpoint.js';
import { metadataTimeoutMs, resolveImdsCredentials, usedImdsV1 } from './remote.js';

const HOME = { HOME: '/home/u' };
const setting = (value: string) => ({ profile: 'dev', value, file: '/home/u/.aws/config', line: 4 });

describe('metadataTimeoutMs', () => {
  it('reads seconds from AWS_METADATA_SERVICE_TIMEOUT, then the profile, then falls back', () => {
    expect(metadataTimeoutMs({ ...HOME, AWS_METADATA_SERVICE_TIMEOUT: '5' }, setting('2'), 1_000)).toBe(
      5_000,
    );
    expect(metadataTimeoutMs(HOME, setting(' 2.5 '), 1_000)).toBe(2_500);
    expect(metadataTimeoutMs({ ...HOME, AWS_METADATA_SERVICE_TIMEOUT: '' }, setting('2'), 1_000)).toBe(2_000);
    expect(metadataTimeoutMs(HOME, undefined, 1_000)).toBe(1_000);
    expect(metadataTimeoutMs(HOME, setting(''), 750)).toBe(750);
    expect(metadataTimeoutMs({ AWS_METADATA_SERVICE_TIMEOUT: '0.0001' }, undefined, 1_000)).toBe(1);
    expect(metadataTimeoutMs({ AWS_METADATA_SERVICE_TIMEOUT: '3600' }, undefined, 1_000)).toBe(3_600_000);
  });

  it.each(['0', '-1', 'abc', '5s', 'Infinity', '3601'])(
    'refuses AWS_METADATA_SERVICE_TIMEOUT=%s',
    (value) => {
      expect(() => metadataTimeoutMs({ AWS_METADATA_SERVICE_TIMEOUT: value }, setting('2'), 1_000)).toThrow(
        expect.objectContaining({
          code: 'PROFILE_INVALID_VALUE',
          message: `AWS_METADATA_SERVICE_TIMEOUT="${value}" is not a number of seconds from 0 to 3600.`,
          hint: expect.stringContaining('AWS_METADATA_SERVICE_TIMEOUT'),
        }),
      );
    },
  );

  it('refuses a wrong profile value, naming the profile, file and line, and cuts a long value short', () => {
    expect(() => metadataTimeoutMs(HOME, setting('x'.repeat(100)), 1_000)).toThrow(
      expect.objectContaining({
        code: 'PROFILE_INVALID_VALUE',
        message: `Profile "dev" has metadata_service_timeout = "${'x'.repeat(40)}…" (~/.aws/config:4); it must be a number of seconds from 0 to 3600.`,
        details: { profile: 'dev', file: '/home/u/.aws/config', line: 4 },
      }),
    );
  });
});

// A real HTTP server on 127.0.0.1 plays instance metadata; each test sets what it answers.
describe('resolveImdsCredentials', () => {
  type Answer = (req: IncomingMessage, res: ServerResponse) => void;
  let answer: Answer;
  let endpoint: LoopbackEndpoint;
  let base: string;
  const seen: { method: string; url: string; headers: IncomingMessage['headers'] }[] = [];

  beforeAll(async () => {
    endpoint = await serveLoopback((req, res) => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      answer(req, res);
    });
    base = endpoint.base;
  });
  afterEach(() => {
    seen.length = 0;
    endpoint.dropConnections();
  });
  afterAll(() => endpoint.close());

  const DOC = {
    Code: 'Success',
    AccessKeyId: 'ASIAIMDSEXAMPLE',
    SecretAccessKey: 'imds/secret+EXAMPLE',
    Token: 'imds-token',
    Expiration: '2030-01-02T03:04:05Z',
  };
  /** IMDS as EC2 runs it; `credentials` answers the last request (the credentials document). */
  const imds =
    (credentials: Answer, token: Answer = (_q, res) => res.end('session-token')): Answer =>
    (req, res) => {
      if (req.method === 'PUT') return token(req, res);
      if (req.url === '/latest/meta-data/iam/security-credentials/') return res.end('web-server\n');
      credentials(req, res);
    };
  const json =
    (doc: unknown): Answer =>
    (_req, res) =>
      res.end(typeof doc === 'string' ? doc : JSON.stringify(doc));
  const status =
    (code: number): Answer =>
    (_req, res) => {
      res.writeHead(code);
      res.end();
    };
  /** Answers 200 and then a byte every 50 ms, forever: the socket is never idle. */
  const trickle: Answer = (_req, res) => {
    res.writeHead(200);
    const timer = setInterval(() => res.write(' '), 50);
    res.on('close', () => clearInterval(timer));
  };
  const env = (extra: Record<string, string> = {}) => ({ AWS_EC2_METADATA_SERVICE_ENDPOINT: base, ...extra });
  const socketsClosed = () => endpoint.socketsClosed();

  it('walks token, role and credentials (IMDSv2), sending the token on each GET', async () => {
    answer = imds(json({ ...DOC, AccountId: '444444444444' }));
    const creds = await resolveImdsCredentials(env());
    expect(creds).toMatchObject({
      accessKeyId: DOC.AccessKeyId,
      secretAccessKey: DOC.SecretAccessKey,
      sessionToken: DOC.Token,
      expiration: new Date(DOC.Expiration),
      accountId: '444444444444',
    });
    expect(usedImdsV1(creds)).toBe(false);
    expect(seen.map((r) => [r.method, r.url])).toEqual([
      ['PUT', '/latest/api/token'],
      ['GET', '/latest/meta-data/iam/security-credentials/'],
      ['GET', '/latest/meta-data/iam/security-credentials/web-server'],
    ]);
    expect(seen[0]?.headers['x-aws-ec2-metadata-token-ttl-seconds']).toBe('21600');
    expect(seen.slice(1).map((r) => r.headers['x-aws-ec2-metadata-token'])).toEqual([
      'session-token',
      'session-token',
    ]);
    expect(await socketsClosed()).toBe(0);
  });

  it('falls back to IMDSv1 when the token request is refused, unless v1 is disabled', async () => {
    answer = imds(json(DOC), status(403));
    const creds = await resolveImdsCredentials(env());
    expect(usedImdsV1(creds)).toBe(true);
    expect(seen[1]?.headers['x-aws-ec2-metadata-token']).toBeUndefined();
    await expect(resolveImdsCredentials(env({ AWS_EC2_METADATA_V1_DISABLED: 'true' }))).rejects.toMatchObject(
      {
        code: 'CREDENTIAL_SOURCE_UNAVAILABLE',
        message: `Instance metadata at ${base} gave no credentials: token request answered HTTP 403 and IMDSv1 is disabled.`,
      },
    );
  });

  // The SDK's request bounds the socket's idle time only: an answer that keeps coming outlived the
  // bound, and its socket kept the process alive (and the body grew without limit).
  it('an answer that never ends fails at the bound, and the request is destroyed', async () => {
    answer = imds(trickle);
    await expect(resolveImdsCredentials(env(), { timeoutMs: 300 })).rejects.toMatchObject({
      code: 'CREDENTIAL_SOURCE_UNAVAILABLE',
      message: `Instance metadata at ${base} gave no credentials: no response within 300 ms.`,
    });
    expect(await socketsClosed()).toBe(0);
  });

  it('a token endpoint that never answers fails at the bound', async () => {
    answer = () => {};
    await expect(resolveImdsCredentials(env(), { timeoutMs: 200 })).rejects.toMatchObject({
      message: `Instance metadata at ${base} gave no credentials: no response within 200 ms.`,
    });
    expect(await socketsClosed()).toBe(0);
  });

  it('an answer over 64 KiB is not read further', async () => {
    answer = imds((_req, res) => {
      res.writeHead(200);
      res.end(`{"x":"${'a'.repeat(70 * 1024)}"}`);
    });
    await expect(resolveImdsCredentials(env())).rejects.toMatchObject({
      message: `Instance metadata at ${base} gave no credentials: the answer is over 64 KiB.`,
    });
  });

  it('an abort rejects with its reason and destroys the request in flight', async () => {
    answer = imds(trickle);
    const controller = new AbortController();
    const pending = resolveImdsCredentials(env(), { timeoutMs: 60_000, signal: controller.signal });
    for (let i = 0; i < 1000 && seen.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(await socketsClosed()).toBe(0);
  });

  it.each([
    ['invalid JSON, never quoted', json('{"SecretAccessKey": "imds/secret+EXAMPLE"'), 'invalid JSON'],
    ['no SecretAccessKey', json({ AccessKeyId: 'ASIA' }), 'invalid credentials document'],
    ['an unreadable Expiration', json({ ...DOC, Expiration: 'soon' }), 'invalid credentials document'],
    ['HTTP 404 for the role', status(404), 'HTTP 404'],
  ] as const)('%s fails, saying why', async (_name, credentials, why) => {
    answer = imds(credentials);
    const error = await resolveImdsCredentials(env()).catch((e: Error) => e);
    expect(error).toMatchObject({ message: `Instance metadata at ${base} gave no credentials: ${why}.` });
    expect(String((error as Error).message)).not.toContain('secret');
  });

  it('a refused connection names the socket error', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(
      resolveImdsCredentials({ AWS_EC2_METADATA_SERVICE_ENDPOINT: `http://127.0.0.1:${port}` }),
    ).rejects.toMatchObject({
      message: `Instance metadata at http://127.0.0.1:${port} gave no credentials: ECONNREFUSED.`,
    });
  });

  it('an https endpoint is reached over TLS (before, it could only time out)', async () => {
    // The plain-HTTP test server cannot speak TLS: the failure is the handshake's, at once.
    const error = await resolveImdsCredentials(
      { AWS_EC2_METADATA_SERVICE_ENDPOINT: base.replace('http:', 'https:') },
      { timeoutMs: 60_000 },
    ).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/gave no credentials: (EPROTO|ERR_SSL_[A-Z_]+)\.$/);
  });

  it.each([
    ['not a url', 'AWS_EC2_METADATA_SERVICE_ENDPOINT="not a url" is not a URL.'],
    [
      'ftp://169.254.169.254',
      'AWS_EC2_METADATA_SERVICE_ENDPOINT uses ftp:; instance metadata is reached over',
    ],
  ])(
    'AWS_EC2_METADATA_SERVICE_ENDPOINT=%j fails as the setting, before any request',
    async (value, message) => {
      await expect(
        resolveImdsCredentials({ AWS_EC2_METADATA_SERVICE_ENDPOINT: value }),
      ).rejects.toMatchObject({
        code: 'PROFILE_INVALID_VALUE',
        message: expect.stringContaining(message),
        hint: expect.stringContaining('AWS_EC2_METADATA_SERVICE_ENDPOINT'),
      });
      expect(seen).toEqual([]);
    },
  );
});
