/**
 * The non-interactive ways in: flags, environment variables, and a credential_process JSON document
 * on stdin (so secrets need not appear on a command line, where `ps` and shell history see them).
 */
import { CredkitError } from '../errors/index.js';
import { type ParseOptions, parseTemporaryCredentials, type TemporaryCredentials } from './parse.js';

type ReadOptions = Omit<ParseOptions, 'source'>;

export interface TemporaryCredentialsFlags {
  awsAccessKeyId?: string | undefined;
  awsSecretAccessKey?: string | undefined;
  awsSessionToken?: string | undefined;
}

/** Credentials from the `--aws-*` flags, or undefined when none of them was given. */
export function readTemporaryCredentialsFromFlags(
  flags: TemporaryCredentialsFlags,
  options: ReadOptions = {},
): TemporaryCredentials | undefined {
  const given = [flags.awsAccessKeyId, flags.awsSecretAccessKey, flags.awsSessionToken].some(
    (v) => v !== undefined,
  );
  if (!given) return undefined;
  return parseTemporaryCredentials(
    {
      accessKeyId: flags.awsAccessKeyId,
      secretAccessKey: flags.awsSecretAccessKey,
      sessionToken: flags.awsSessionToken,
    },
    { ...options, source: 'flags' },
  );
}

/**
 * Credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN /
 * AWS_CREDENTIAL_EXPIRATION in the given env record, or undefined when neither key variable is set.
 * Empty values count as unset, as in the AWS SDK.
 */
export function readTemporaryCredentialsFromEnv(
  env: Record<string, string | undefined>,
  options: ReadOptions = {},
): TemporaryCredentials | undefined {
  const value = (name: string): string | undefined => (env[name] === '' ? undefined : env[name]);
  const accessKeyId = value('AWS_ACCESS_KEY_ID');
  const secretAccessKey = value('AWS_SECRET_ACCESS_KEY');
  if (accessKeyId === undefined && secretAccessKey === undefined) return undefined;
  return parseTemporaryCredentials(
    {
      accessKeyId,
      secretAccessKey,
      sessionToken: value('AWS_SESSION_TOKEN'),
      expiration: value('AWS_CREDENTIAL_EXPIRATION'),
    },
    { ...options, source: 'env' },
  );
}

export interface ReadJsonOptions extends ReadOptions {
  /** Larger input is rejected with INPUT_TOO_LARGE as soon as it is seen (default 64 KiB). */
  maxBytes?: number;
}

export const DEFAULT_JSON_MAX_BYTES = 64 * 1024;

/** What `readTemporaryCredentialsJson` reads: process.stdin or any byte stream. */
export type JsonStream = AsyncIterable<Uint8Array | string> & { isTTY?: boolean | undefined };

/**
 * Reads the credential_process format (`Version: 1`, `AccessKeyId`, `SecretAccessKey`,
 * `SessionToken`, `Expiration`), e.g. from `aws configure export-credentials --format process`.
 * A stream is read up to `maxBytes` and abandoned beyond it; a terminal is refused, not waited on.
 */
export async function readTemporaryCredentialsJson(
  input: string | JsonStream,
  options: ReadJsonOptions = {},
): Promise<TemporaryCredentials> {
  const maxBytes = options.maxBytes ?? DEFAULT_JSON_MAX_BYTES;
  const text = typeof input === 'string' ? input : await readCapped(input, maxBytes);
  return parseCredentialProcessJson(text, { ...options, maxBytes });
}

/** Parses credential_process JSON already in memory. */
export function parseCredentialProcessJson(
  text: string,
  options: ReadJsonOptions = {},
): TemporaryCredentials {
  const maxBytes = options.maxBytes ?? DEFAULT_JSON_MAX_BYTES;
  if (Buffer.byteLength(text) > maxBytes) throw tooLarge(maxBytes);
  if (text.trim() === '') {
    throw invalidJson(
      'Nothing was read from stdin: expected a credential_process JSON document with Version, AccessKeyId and SecretAccessKey.',
    );
  }
  let document: unknown;
  try {
    document = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    // Not the SyntaxError's message: V8 quotes the text around the error, which may be a secret.
    throw invalidJson('The input on stdin is not valid JSON.');
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw invalidJson('The JSON on stdin must be an object with Version, AccessKeyId and SecretAccessKey.');
  }
  const record = document as Record<string, unknown>;
  const version = record.Version;
  if (version !== 1) {
    const got =
      version === undefined
        ? 'it is missing'
        : typeof version === 'number'
          ? `got ${version}, which is not supported`
          : `got a ${typeof version}${typeof version === 'string' ? ' (quoted)' : ''}`;
    throw invalidJson(`"Version" in the JSON on stdin must be the number 1; ${got}.`, 'Version');
  }
  const text_ = (key: string): string | undefined => {
    const value = record[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') {
      throw invalidJson(`"${key}" in the JSON on stdin must be a string; got a ${typeof value}.`, key);
    }
    return value;
  };
  return parseTemporaryCredentials(
    {
      accessKeyId: text_('AccessKeyId'),
      secretAccessKey: text_('SecretAccessKey'),
      sessionToken: text_('SessionToken'),
      expiration: text_('Expiration'),
    },
    { ...options, source: 'stdin' },
  );
}

/** Reads a stream up to `maxBytes` (refusing a terminal); shared with the exported-formats reader. */
export async function readCapped(stream: JsonStream, maxBytes: number): Promise<string> {
  if (stream.isTTY === true) {
    throw new CredkitError(
      'STDIN_IS_TERMINAL',
      'Expected credential_process JSON on stdin, but stdin is a terminal.',
      {
        hint: 'Pipe the JSON in, e.g. `aws configure export-credentials --format process | credkit …`.',
        exitCode: 2,
      },
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  // Leaving the loop early (too large) destroys the stream, so nothing more is buffered.
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk);
    size += bytes.length;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(bytes);
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
}

function tooLarge(maxBytes: number): CredkitError {
  return new CredkitError(
    'INPUT_TOO_LARGE',
    `The input on stdin is larger than ${maxBytes} bytes; credential_process JSON is well under 4 KiB.`,
    { hint: 'Check what is piped into stdin.', details: { maxBytes } },
  );
}

function invalidJson(message: string, key?: string): CredkitError {
  return new CredkitError('INVALID_CREDENTIALS_JSON', message, {
    hint: 'Expected {"Version": 1, "AccessKeyId": "…", "SecretAccessKey": "…", "SessionToken": "…", "Expiration": "…"}.',
    ...(key === undefined ? {} : { details: { key } }),
  });
}
