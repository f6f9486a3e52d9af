/**
 * The container credentials endpoint (ECS task roles, EKS Pod Identity), requested by credkit
 * itself (metadata-request.ts). The SDK's `fromHttp` bounds only the connection: an endpoint that
 * accepts the connection and never answers gets a console warning from the HTTP handler past its
 * `timeout`, not an error, and its open socket keeps the process alive.
 *
 * What is read, and in which order, follows the SDKs and the AWS CLI:
 * AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (on http://169.254.170.2) wins over
 * AWS_CONTAINER_CREDENTIALS_FULL_URI; AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE wins over
 * AWS_CONTAINER_AUTHORIZATION_TOKEN; the answer must carry AccessKeyId, SecretAccessKey, Token and
 * Expiration.
 */
import { CredkitError } from '@credkit/temp-creds/errors';
import { describeReadFailure, readRegularFile } from '../shared-config/safe-read.js';
import { ProfileErrorCode as C } from './codes.js';
import { CONTAINER_TOKEN_MAX_BYTES } from './limits.js';
import { describeSocketError, metadataEndpointUrl, NoAnswer, requestWithin } from './metadata-request.js';
import { assertSecureEndpoint } from './transport.js';
import { type ResolvedCredentials, withSdkFeature } from './types.js';

type Env = Record<string, string | undefined>;

/** Bound for the container-endpoint request; the SDK's default, with no retries instead of three. */
export const DEFAULT_CONTAINER_TIMEOUT_MS = 1_000;

const ECS_HOST = 'http://169.254.170.2';

/** True when the container endpoint variables are set (full or relative URI). */
export function containerConfigured(env: Env): boolean {
  return Boolean(env.AWS_CONTAINER_CREDENTIALS_FULL_URI || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI);
}

/** The endpoint the container link requests, and the variable it came from (the relative URI wins). */
export function containerEndpoint(env: Env): { url: string; setting: string } {
  const relative = env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI;
  if (relative) return { url: `${ECS_HOST}${relative}`, setting: 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI' };
  return { url: env.AWS_CONTAINER_CREDENTIALS_FULL_URI ?? '', setting: 'AWS_CONTAINER_CREDENTIALS_FULL_URI' };
}

export async function resolveContainerCredentials(
  env: Env,
  opts: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<ResolvedCredentials> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_CONTAINER_TIMEOUT_MS;
  const { url: raw, setting } = containerEndpoint(env);
  const fail = (why: string, shown = raw) =>
    new CredkitError(
      C.CREDENTIAL_SOURCE_UNAVAILABLE,
      `The container credentials endpoint ${shown} gave no credentials (${why}).`,
      {
        hint: 'Check AWS_CONTAINER_CREDENTIALS_FULL_URI/RELATIVE_URI and the authorization token, or the task role of this container.',
        details: { source: 'container', url: shown },
      },
    );
  const url = metadataEndpointUrl(
    raw,
    setting,
    'the container credentials endpoint',
    'the endpoint the container runtime gave, e.g. http://169.254.170.23/v1/credentials',
  );
  assertSecureEndpoint(url, setting, env);
  // The SDK would readFile the token file with no bound (a FIFO hangs it, /dev/zero fills memory).
  const tokenFile = env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE;
  const token = tokenFile ? readContainerToken(tokenFile) : (env.AWS_CONTAINER_AUTHORIZATION_TOKEN ?? '');
  if (/[\r\n]/.test(token)) {
    const from = tokenFile
      ? `The container authorization token file ${tokenFile} (AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE)`
      : 'AWS_CONTAINER_AUTHORIZATION_TOKEN';
    throw new CredkitError(
      C.CONTAINER_TOKEN_INVALID,
      `${from} holds a line break; it cannot be sent as an Authorization header.`,
      {
        hint: 'Remove the line break from the token (the container runtime writes it on one line).',
        details: { source: 'container', ...(tokenFile && { file: tokenFile }) },
      },
    );
  }
  const shown = `${url.origin}${url.pathname}`;
  let answer: { status: number; body: string };
  try {
    answer = await requestWithin(url, {
      headers: token ? { authorization: token } : {},
      timeoutMs,
      signal: opts.signal,
    });
  } catch (error) {
    if (opts.signal?.aborted) throw opts.signal.reason ?? error;
    throw fail(error instanceof NoAnswer ? error.message : describeSocketError(error), shown);
  }
  if (answer.status !== 200) throw fail(`HTTP ${answer.status}`, shown);
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(answer.body);
  } catch {
    // Never the parser's message: V8 quotes the input, which may hold a secret.
    throw fail('invalid JSON', shown);
  }
  const expiration = typeof doc?.Expiration === 'string' ? rfc3339(doc.Expiration) : undefined;
  if (
    typeof doc?.AccessKeyId !== 'string' ||
    typeof doc.SecretAccessKey !== 'string' ||
    typeof doc.Token !== 'string' ||
    !expiration
  ) {
    throw fail('the answer lacks AccessKeyId, SecretAccessKey, Token or an RFC 3339 Expiration', shown);
  }
  return withSdkFeature(
    {
      accessKeyId: doc.AccessKeyId,
      secretAccessKey: doc.SecretAccessKey,
      sessionToken: doc.Token,
      expiration,
      ...(typeof doc.AccountId === 'string' && { accountId: doc.AccountId }),
    },
    'CREDENTIALS_HTTP',
    'z',
  );
}

/** The form the SDK's `fromHttp` accepts (UTC, `Z`), so both read the same answers the same way. */
function rfc3339(text: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}[tT]\d{2}:\d{2}:\d{2}(?:\.\d+)?[zZ]$/.test(text)) return undefined;
  const date = new Date(text.toUpperCase());
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The SDK trims nothing from the file either; it sends the content as the Authorization header. */
function readContainerToken(file: string): string {
  try {
    return readRegularFile(file, { maxBytes: CONTAINER_TOKEN_MAX_BYTES }).data.toString('utf8');
  } catch (error) {
    throw new CredkitError(
      C.CONTAINER_TOKEN_UNREADABLE,
      `The container authorization token file ${file} (AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE) cannot be read: ${describeReadFailure(error)}.`,
      {
        hint: 'Point AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE at the token file the container runtime mounted.',
        details: { source: 'container', file },
      },
    );
  }
}
