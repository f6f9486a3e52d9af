import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromHttp } from '@aws-sdk/credential-provider-http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type LoopbackEndpoint, serveLoopback } from '../../test/loopback-endpoint.js';
import { containerEndpoint, resolveContainerCredentials } from './container.js';

// A real HTTP server on 127.0.0.1 plays the container endpoint; each test sets what it answers.
// The SDK's own `fromHttp` is the oracle for which answers are credentials and what they hold.

type Answer = (req: IncomingMessage, res: ServerResponse) => void;
let answer: Answer;
let endpoint: LoopbackEndpoint;
let base: string;
let dir: string;
const seen: IncomingMessage[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'credkit-container-'));
  endpoint = await serveLoopback((req, res) => {
    seen.push(req);
    answer(req, res);
  });
  base = endpoint.base;
});
afterEach(() => {
  seen.length = 0;
  endpoint.dropConnections();
});
afterAll(async () => {
  await endpoint.close();
  await rm(dir, { recursive: true, force: true });
});

const EXPIRATION = '2030-01-02T03:04:05Z';
const KEYS = { AccessKeyId: 'ASIACONTAINEREXAMPLE', SecretAccessKey: 'container/secret+EXAMPLE' };
const json =
  (status: number, doc: unknown): Answer =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(typeof doc === 'string' ? doc : JSON.stringify(doc));
  };
const env = (extra: Record<string, string> = {}) => ({
  AWS_CONTAINER_CREDENTIALS_FULL_URI: `${base}/creds`,
  ...extra,
});
const silent: Answer = () => {};
const socketsClosed = () => endpoint.socketsClosed();

describe('resolveContainerCredentials against the SDK fromHttp', () => {
  const cases: { name: string; answer: Answer }[] = [
    { name: 'a full answer', answer: json(200, { ...KEYS, Token: 'tok', Expiration: EXPIRATION }) },
    {
      name: 'with AccountId and RoleArn',
      answer: json(200, {
        ...KEYS,
        Token: 'tok',
        Expiration: EXPIRATION,
        AccountId: '123456789012',
        RoleArn: 'arn:aws:iam::123456789012:role/task',
      }),
    },
    {
      name: 'fractional seconds',
      answer: json(200, { ...KEYS, Token: 'tok', Expiration: '2030-01-02T03:04:05.678Z' }),
    },
    {
      name: 'lower-case t and z',
      answer: json(200, { ...KEYS, Token: 'tok', Expiration: '2030-01-02t03:04:05z' }),
    },
    { name: 'no Token', answer: json(200, { ...KEYS, Expiration: EXPIRATION }) },
    { name: 'no Expiration', answer: json(200, { ...KEYS, Token: 'tok' }) },
    {
      name: 'Expiration with an offset',
      answer: json(200, { ...KEYS, Token: 'tok', Expiration: '2030-01-02T03:04:05+00:00' }),
    },
    {
      name: 'Expiration without a zone',
      answer: json(200, { ...KEYS, Token: 'tok', Expiration: '2030-01-02T03:04:05' }),
    },
    { name: 'Expiration a number', answer: json(200, { ...KEYS, Token: 'tok', Expiration: 1893553445000 }) },
    {
      name: 'AccessKeyId a number',
      answer: json(200, { ...KEYS, AccessKeyId: 1, Token: 'tok', Expiration: EXPIRATION }),
    },
    { name: 'invalid JSON', answer: json(200, '{"SecretAccessKey": "abc') },
    { name: 'JSON null', answer: json(200, 'null') },
    { name: 'HTTP 401', answer: json(401, { code: 'AccessDeniedException', message: 'no' }) },
    { name: 'HTTP 404 with no body', answer: json(404, '') },
    { name: 'HTTP 500', answer: json(500, 'oops') },
    { name: 'HTTP 301', answer: json(301, '') },
  ];
  it.each(cases)('$name', async ({ answer: a }) => {
    answer = a;
    const sdk = await fromHttp({
      awsContainerCredentialsFullUri: `${base}/creds`,
      awsContainerCredentialsRelativeUri: '',
      awsContainerAuthorizationToken: '',
      awsContainerAuthorizationTokenFile: '',
      maxRetries: 0,
      timeout: 60_000,
    })().then(
      (c) => ({ ok: true as const, c }),
      () => ({ ok: false as const }),
    );
    const ours = await resolveContainerCredentials(env(), { timeoutMs: 60_000 }).then(
      (c) => ({ ok: true as const, c }),
      (e) => ({ ok: false as const, e }),
    );
    expect(ours.ok).toBe(sdk.ok);
    if (sdk.ok && ours.ok) {
      expect(ours.c.accessKeyId).toBe(sdk.c.accessKeyId);
      expect(ours.c.secretAccessKey).toBe(sdk.c.secretAccessKey);
      expect(ours.c.sessionToken).toBe(sdk.c.sessionToken);
      expect(ours.c.expiration?.getTime()).toBe(sdk.c.expiration?.getTime());
      expect((ours.c as { $source?: unknown }).$source).toEqual({ CREDENTIALS_HTTP: 'z' });
    }
    if (!ours.ok) {
      expect(ours.e).toMatchObject({ code: 'CREDENTIAL_SOURCE_UNAVAILABLE' });
      // Never the answer's content: it may hold a secret.
      expect(ours.e.message).not.toMatch(/abc|oops|AccessDenied/);
      expect(ours.e.message).toMatch(
        new RegExp(`^The container credentials endpoint ${base}/creds gave no credentials \\(.+\\)\\.$`),
      );
    }
  });

  it('keeps the AccountId the SDK drops', async () => {
    answer = json(200, { ...KEYS, Token: 'tok', Expiration: EXPIRATION, AccountId: '123456789012' });
    await expect(resolveContainerCredentials(env())).resolves.toMatchObject({ accountId: '123456789012' });
  });

  it('names the status, or what was wrong with the answer', async () => {
    answer = json(403, { message: 'secret-looking body' });
    await expect(resolveContainerCredentials(env())).rejects.toMatchObject({
      message: `The container credentials endpoint ${base}/creds gave no credentials (HTTP 403).`,
    });
    answer = json(200, '{"SecretAccessKey": "abc');
    await expect(resolveContainerCredentials(env())).rejects.toMatchObject({
      message: expect.stringContaining('(invalid JSON)'),
    });
    answer = json(200, { ...KEYS, Token: 'tok' });
    await expect(resolveContainerCredentials(env())).rejects.toMatchObject({
      message: expect.stringContaining('lacks AccessKeyId, SecretAccessKey, Token or an RFC 3339 Expiration'),
    });
  });
});

describe('the request', () => {
  it('sends the token as the Authorization header; the token file wins over the variable', async () => {
    answer = json(200, { ...KEYS, Token: 'tok', Expiration: EXPIRATION });
    await resolveContainerCredentials(env({ AWS_CONTAINER_AUTHORIZATION_TOKEN: 'from-var' }));
    const file = join(dir, 'token');
    await writeFile(file, 'from-file');
    await resolveContainerCredentials(
      env({ AWS_CONTAINER_AUTHORIZATION_TOKEN: 'from-var', AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: file }),
    );
    await resolveContainerCredentials(env());
    expect(seen.map((r) => [r.method, r.url, r.headers.authorization])).toEqual([
      ['GET', '/creds', 'from-var'],
      ['GET', '/creds', 'from-file'],
      ['GET', '/creds', undefined],
    ]);
  });

  it('refuses a token with a line break before any request, without showing it', async () => {
    const file = join(dir, 'token-nl');
    await writeFile(file, 'secret-token-line\n');
    for (const [extra, named] of [
      [
        { AWS_CONTAINER_AUTHORIZATION_TOKEN: 'secret-token\r\nX-Injected: 1' },
        'AWS_CONTAINER_AUTHORIZATION_TOKEN holds',
      ],
      [
        { AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: file },
        `token file ${file} (AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE) holds`,
      ],
    ] as const) {
      const error = await resolveContainerCredentials(env(extra)).catch((e) => e);
      expect(error).toMatchObject({
        code: 'CONTAINER_TOKEN_INVALID',
        message: expect.stringContaining(named),
      });
      expect(error.message).not.toContain('secret-token');
      expect(error.hint).toMatch(/line break/);
    }
    expect(seen).toHaveLength(0);
  });

  it('the relative URI wins over the full one, as in the SDKs and the AWS CLI', () => {
    expect(
      containerEndpoint({
        AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/abc',
        AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:9/creds',
      }),
    ).toEqual({
      url: 'http://169.254.170.2/v2/credentials/abc',
      setting: 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    });
    expect(
      containerEndpoint({
        AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '',
        AWS_CONTAINER_CREDENTIALS_FULL_URI: 'https://x/c',
      }),
    ).toEqual({ url: 'https://x/c', setting: 'AWS_CONTAINER_CREDENTIALS_FULL_URI' });
  });

  it('refuses a full URI that is not an http(s) URL, naming the variable', async () => {
    for (const [uri, message] of [
      ['not a url', 'AWS_CONTAINER_CREDENTIALS_FULL_URI="not a url" is not a URL.'],
      ['ftp://127.0.0.1/creds', 'AWS_CONTAINER_CREDENTIALS_FULL_URI uses ftp:'],
    ]) {
      await expect(
        resolveContainerCredentials({ AWS_CONTAINER_CREDENTIALS_FULL_URI: uri! }),
      ).rejects.toMatchObject({ code: 'PROFILE_INVALID_VALUE', message: expect.stringContaining(message!) });
    }
  });

  it('leaves the query string out of messages', async () => {
    answer = json(500, '');
    await expect(
      resolveContainerCredentials({ AWS_CONTAINER_CREDENTIALS_FULL_URI: `${base}/creds?sig=private` }),
    ).rejects.toMatchObject({
      message: `The container credentials endpoint ${base}/creds gave no credentials (HTTP 500).`,
    });
  });
});

describe('bounds', () => {
  it('an endpoint that accepts the connection and never answers fails at the bound, and its socket is closed', async () => {
    answer = silent;
    const warnings: unknown[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      await expect(resolveContainerCredentials(env(), { timeoutMs: 200 })).rejects.toMatchObject({
        code: 'CREDENTIAL_SOURCE_UNAVAILABLE',
        message: `The container credentials endpoint ${base}/creds gave no credentials (no response within 200 ms).`,
      });
    } finally {
      console.warn = warn;
    }
    expect(seen).toHaveLength(1);
    expect(await socketsClosed()).toBe(0);
    expect(warnings).toEqual([]);
  });

  it('an answer that starts and never ends fails at the bound too', async () => {
    answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"AccessKeyId":');
    };
    await expect(resolveContainerCredentials(env(), { timeoutMs: 200 })).rejects.toMatchObject({
      message: expect.stringContaining('(no response within 200 ms)'),
    });
    expect(await socketsClosed()).toBe(0);
  });

  it('stops reading an answer over 64 KiB', async () => {
    answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(`{"AccessKeyId":"${'A'.repeat(80 * 1024)}`);
    };
    await expect(resolveContainerCredentials(env(), { timeoutMs: 60_000 })).rejects.toMatchObject({
      message: expect.stringContaining('(the answer is over 64 KiB)'),
    });
    expect(await socketsClosed()).toBe(0);
  });

  it('a connection closed mid-answer is a failure, not credentials', async () => {
    answer = (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
      res.write('{"AccessKeyId":"A",');
      setTimeout(() => req.socket.destroy(), 20);
    };
    await expect(resolveContainerCredentials(env(), { timeoutMs: 60_000 })).rejects.toMatchObject({
      code: 'CREDENTIAL_SOURCE_UNAVAILABLE',
    });
  });

  it('a refused connection names the error', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    await expect(
      resolveContainerCredentials({ AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://127.0.0.1:${port}/c` }),
    ).rejects.toMatchObject({ message: expect.stringContaining('(ECONNREFUSED)') });
  });

  it('an abort stops the request with the abort reason and closes the socket', async () => {
    answer = silent;
    const controller = new AbortController();
    const reason = new Error('stop here');
    const pending = resolveContainerCredentials(env(), { timeoutMs: 60_000, signal: controller.signal });
    for (let i = 0; i < 1000 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(await socketsClosed()).toBe(0);
    await expect(resolveContainerCredentials(env(), { signal: AbortSignal.abort(reason) })).rejects.toBe(
      reason,
    );
  });
});
