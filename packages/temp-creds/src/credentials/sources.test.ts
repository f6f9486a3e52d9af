import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { leaksNone, tempAwsHomes } from '@credkit/loopback-aws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../clock.js';
import { isCredkitError } from '../errors/index.js';
import {
  parseCredentialProcessJson,
  readTemporaryCredentialsFromEnv,
  readTemporaryCredentialsFromFlags,
  readTemporaryCredentialsJson,
} from './sources.js';

const KEY = 'ASIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const TOKEN = 'IQoJb3JpZ2luX2VjEHUaCXVzLWVhc3QtMSJHMEUCIQDexampleTOKEN';
const NOW = new Date('2026-11-27T12:00:00Z');
const now: Clock = () => NOW.getTime();

/** Whatever the failure: a CredkitError, and no part of the secret in anything it carries. */
const cleanFailure = (error: unknown) => isCredkitError(error) && leaksNone('EXAMPLEKEY')(error);

describe('readTemporaryCredentialsFromFlags', () => {
  it('is undefined when no flag was given, and parses the flags otherwise', () => {
    expect(readTemporaryCredentialsFromFlags({})).toBeUndefined();
    const credentials = readTemporaryCredentialsFromFlags({
      awsAccessKeyId: KEY,
      awsSecretAccessKey: SECRET,
      awsSessionToken: TOKEN,
    });
    expect(credentials).toMatchObject({ accessKeyId: KEY, source: 'flags', keyType: 'temporary' });
  });

  it('names the missing flag', async () => {
    const read = async () =>
      readTemporaryCredentialsFromFlags({ awsAccessKeyId: KEY, awsSessionToken: TOKEN });
    await expect(read).rejects.toMatchObject({
      code: 'MISSING_SECRET_ACCESS_KEY',
      message: expect.stringContaining('--aws-secret-access-key'),
    });
    await expect(read).rejects.toSatisfy(cleanFailure);
  });
});

describe('readTemporaryCredentialsFromEnv', () => {
  it('reads the standard variables from the injected record, empty counting as unset', () => {
    expect(readTemporaryCredentialsFromEnv({ AWS_ACCESS_KEY_ID: '', AWS_PROFILE: 'x' })).toBeUndefined();
    const credentials = readTemporaryCredentialsFromEnv(
      {
        AWS_ACCESS_KEY_ID: KEY,
        AWS_SECRET_ACCESS_KEY: SECRET,
        AWS_SESSION_TOKEN: TOKEN,
        AWS_CREDENTIAL_EXPIRATION: '2026-11-27T12:30:00Z',
      },
      { now },
    );
    expect(credentials).toMatchObject({ accessKeyId: KEY, sessionToken: TOKEN, source: 'env' });
    expect(credentials?.expiration?.toISOString()).toBe('2026-11-27T12:30:00.000Z');
  });

  it('reports a half-set environment and ASIA without a token by variable name', async () => {
    const half = async () => readTemporaryCredentialsFromEnv({ AWS_SECRET_ACCESS_KEY: SECRET });
    await expect(half).rejects.toMatchObject({
      code: 'MISSING_ACCESS_KEY_ID',
      message: expect.stringContaining('AWS_ACCESS_KEY_ID environment variable'),
    });
    await expect(half).rejects.toSatisfy(cleanFailure);
    const noToken = async () =>
      readTemporaryCredentialsFromEnv({ AWS_ACCESS_KEY_ID: KEY, AWS_SECRET_ACCESS_KEY: SECRET });
    await expect(noToken).rejects.toMatchObject({
      code: 'SESSION_TOKEN_REQUIRED',
      message: expect.stringContaining('AWS_SESSION_TOKEN'),
    });
    await expect(noToken).rejects.toSatisfy(cleanFailure);
  });
});

describe('credential_process JSON', () => {
  const document = {
    Version: 1,
    AccessKeyId: KEY,
    SecretAccessKey: SECRET,
    SessionToken: TOKEN,
    Expiration: '2026-11-27T13:00:00Z',
  };

  it('parses the format, from text and from a stream in small chunks', async () => {
    const fromText = parseCredentialProcessJson(`\uFEFF${JSON.stringify(document)}\n`, { now });
    expect(fromText).toMatchObject({
      accessKeyId: KEY,
      secretAccessKey: SECRET,
      sessionToken: TOKEN,
      source: 'stdin',
    });
    const text = JSON.stringify(document, null, 2);
    const chunks = text.match(/[\s\S]{1,7}/g) ?? [];
    const fromStream = await readTemporaryCredentialsJson(Readable.from(chunks.map((c) => Buffer.from(c))), {
      now,
    });
    expect(fromStream.expiration?.toISOString()).toBe('2026-11-27T13:00:00.000Z');
  });

  const bad: Array<[string, unknown, string, RegExp]> = [
    [
      'Version 2',
      { ...document, Version: 2 },
      'INVALID_CREDENTIALS_JSON',
      /"Version".*must be the number 1; got 2/,
    ],
    [
      'Version "1"',
      { ...document, Version: '1' },
      'INVALID_CREDENTIALS_JSON',
      /"Version".*got a string \(quoted\)/,
    ],
    ['no Version', { ...document, Version: undefined }, 'INVALID_CREDENTIALS_JSON', /"Version".*missing/],
    [
      'a number as AccessKeyId',
      { ...document, AccessKeyId: 42 },
      'INVALID_CREDENTIALS_JSON',
      /"AccessKeyId".*must be a string/,
    ],
    [
      'no SecretAccessKey',
      { ...document, SecretAccessKey: undefined },
      'MISSING_SECRET_ACCESS_KEY',
      /"SecretAccessKey"/,
    ],
    [
      'ASIA without SessionToken',
      { ...document, SessionToken: undefined },
      'SESSION_TOKEN_REQUIRED',
      /"SessionToken"/,
    ],
    [
      'a past Expiration',
      { ...document, Expiration: '2026-11-27T11:00:00Z' },
      'CREDENTIALS_EXPIRED',
      /expired at 2026-11-27T11:00:00.000Z \(Expiration\)/,
    ],
    ['a bad Expiration', { ...document, Expiration: 'soon' }, 'INVALID_EXPIRATION', /"Expiration"/],
    ['an array', [document], 'INVALID_CREDENTIALS_JSON', /must be an object/],
  ];
  for (const [name, value, code, message] of bad) {
    it(`rejects ${name} with ${code}`, async () => {
      const parse = async () => parseCredentialProcessJson(JSON.stringify(value), { now });
      await expect(parse).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
      await expect(parse).rejects.toSatisfy(cleanFailure);
    });
  }

  it('rejects text that is not JSON without quoting it (V8 would quote the secret)', async () => {
    const parse = async () => parseCredentialProcessJson(`{"SecretAccessKey": ${SECRET}}`);
    await expect(parse).rejects.toMatchObject({
      code: 'INVALID_CREDENTIALS_JSON',
      message: 'The input on stdin is not valid JSON.',
    });
    await expect(parse).rejects.toSatisfy(cleanFailure);
  });

  it('says stdin was empty instead of calling nothing invalid JSON', async () => {
    const read = readTemporaryCredentialsJson(Readable.from(['  \n']));
    await expect(read).rejects.toMatchObject({
      code: 'INVALID_CREDENTIALS_JSON',
      message: expect.stringMatching(/^Nothing was read from stdin/),
    });
    await expect(read).rejects.toSatisfy(cleanFailure);
  });

  it('refuses a terminal instead of waiting on it', async () => {
    const tty = Object.assign(new PassThrough(), { isTTY: true });
    const read = readTemporaryCredentialsJson(tty);
    await expect(read).rejects.toMatchObject({ code: 'STDIN_IS_TERMINAL', exitCode: 2 });
    await expect(read).rejects.toSatisfy(cleanFailure);
  });
});

describe('credential_process JSON from real processes', () => {
  const tempHome = tempAwsHomes(afterAll, { awsDir: '', verbatim: true });
  let home: string;
  beforeAll(async () => {
    const created = await tempHome({
      credentials: `[dev]\naws_access_key_id = ${KEY}\naws_secret_access_key = ${SECRET}\naws_session_token = ${TOKEN}\n`,
    });
    home = created.dir;
  });

  // The AWS CLI starts in about 1 s idle and took over 20 s on a contended machine: a wide guard.
  it('reads what `aws configure export-credentials --format process` writes to a pipe', {
    timeout: 300_000,
  }, async () => {
    const child = spawn(
      '/usr/bin/aws',
      ['configure', 'export-credentials', '--profile', 'dev', '--format', 'process'],
      {
        env: {
          PATH: process.env.PATH,
          HOME: home,
          AWS_CONFIG_FILE: join(home, 'config'),
          AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const credentials = await readTemporaryCredentialsJson(child.stdout, { now });
    expect(credentials).toMatchObject({
      accessKeyId: KEY,
      secretAccessKey: SECRET,
      sessionToken: TOKEN,
      source: 'stdin',
    });
  });

  it('rejects a 1 MB stream quickly with INPUT_TOO_LARGE and stops reading it', async () => {
    const child = spawn(
      process.execPath,
      ['-e', `process.stdout.write('{"A":"' + 'x'.repeat(1024 * 1024) + '"}')`],
      {
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    const started = Date.now();
    const read = readTemporaryCredentialsJson(child.stdout);
    await expect(read).rejects.toMatchObject({
      code: 'INPUT_TOO_LARGE',
      message: expect.stringMatching(/^[\s\S]{0,199}$/),
    });
    await expect(read).rejects.toSatisfy(cleanFailure);
    // Spawning node is most of this; reading the whole megabyte is not needed to refuse it.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(child.stdout.destroyed).toBe(true);
    await new Promise((resolve) => child.once('exit', resolve));
  });
});
