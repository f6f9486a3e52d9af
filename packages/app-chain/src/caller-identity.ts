import type * as Crypto from 'node:crypto';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import {
  NETWORK_ERROR_CODES,
  THROTTLING_ERRORS,
  TRANSIENT_ERRORS,
  TRANSIENT_STATUS,
} from '@credkit/env-selector/providers';
import { postBounded } from './post.js';
import { signSigV4 } from './sigv4.js';
import { stsTarget } from './sts-endpoint.js';

/**
 * STS GetCallerIdentity as one signed Query-protocol POST. The SDK's STSClient costs ~330 KB of
 * modules (credential, endpoint, region, retry and protocol machinery) to load, most of the start-up
 * time of `credkit app whoami`; this file loads only node:crypto and node:http(s), lazily. Even
 * @smithy/signature-v4 cost ~13 ms more in the CLI bundle, through the @smithy/core chunks it shares
 * with the SDK clients, so the signature is computed here and tested against it. Failures are thrown in the SDK's error shape (`name`, `$metadata`, `code`) so that
 * env-selector's `mapStsError` turns them into the same coded CredkitErrors as before.
 */

export interface CallerIdentityRequest {
  credentials: AwsCredentialIdentity;
  /** The client region; the signing region follows from it as in the SDK's STS endpoint rules. */
  region: string;
  /** Custom endpoint URL (clientConfig.endpoint, AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL). */
  endpoint?: string;
  /** Attempts including the first, like the SDK's `maxAttempts`. Default 3. */
  maxAttempts?: number;
  /** Read for AWS_USE_FIPS_ENDPOINT / AWS_USE_DUALSTACK_ENDPOINT. */
  env?: Record<string, string | undefined>;
  signal: AbortSignal;
}

export interface CallerIdentity {
  Account: string;
  Arn: string;
  UserId: string;
}

/** An error shaped like the SDK's service and transport errors (what mapStsError reads). */
export class StsCallError extends Error {
  readonly $metadata: { httpStatusCode?: number; attempts?: number };
  readonly code: string | undefined;
  constructor(name: string, message: string, metadata: { httpStatusCode?: number }, code?: string) {
    super(message);
    this.name = name;
    this.$metadata = { ...metadata };
    this.code = code;
  }
}

const BODY = 'Action=GetCallerIdentity&Version=2011-06-15';
const CONTENT_TYPE = 'application/x-www-form-urlencoded; charset=utf-8';
const MAX_BODY_BYTES = 64 * 1024;
const USER_AGENT = `credkit/app-chain lang/js md/nodejs#${process.versions.node} api/sts#GetCallerIdentity`;

const CLOCK_SKEW = new Set([
  'AuthFailure',
  'InvalidSignatureException',
  'RequestExpired',
  'RequestInTheFuture',
  'RequestTimeTooSkewed',
  'SignatureDoesNotMatch',
]);
const DELAY_BASE_MS = 50;
const THROTTLING_DELAY_BASE_MS = 1_000;
const MAX_DELAY_MS = 20_000;
const CLOCK_SKEW_MS = 5 * 60 * 1000;

interface Answer {
  status: number;
  date: string | undefined;
  body: string;
}

/** Calls GetCallerIdentity, retrying throttling and transient failures like the SDK's standard mode. */
export async function getCallerIdentity(request: CallerIdentityRequest): Promise<CallerIdentity> {
  const { url, signingRegion } = stsTarget(request);
  const maxAttempts = Math.max(1, request.maxAttempts ?? 3);
  let clockOffsetMs = 0;
  for (let attempt = 1; ; attempt++) {
    let failure: StsCallError;
    let delayBase = DELAY_BASE_MS;
    try {
      const answer = await send(request, url, signingRegion, clockOffsetMs);
      if (answer.status >= 200 && answer.status < 300) {
        const identity = parseCallerIdentity(answer.body);
        if (identity) return identity;
        failure = new StsCallError('DeserializationError', 'Unreadable GetCallerIdentity answer.', {
          httpStatusCode: answer.status,
        });
        failure.$metadata.attempts = attempt;
        throw failure;
      }
      const parsed = parseStsError(answer.body);
      failure = new StsCallError(parsed?.code ?? 'UnknownError', parsed?.message ?? `HTTP ${answer.status}`, {
        httpStatusCode: answer.status,
      });
      if (THROTTLING_ERRORS.has(failure.name) || answer.status === 429) delayBase = THROTTLING_DELAY_BASE_MS;
      else if (CLOCK_SKEW.has(failure.name)) {
        // The SDK corrects its clock from the server's Date header and retries only then.
        const server = answer.date ? Date.parse(answer.date) : Number.NaN;
        const skewed =
          Number.isFinite(server) && Math.abs(server - (Date.now() + clockOffsetMs)) >= CLOCK_SKEW_MS;
        if (!skewed) throw withAttempts(failure, attempt);
        clockOffsetMs = server - Date.now();
      } else if (!TRANSIENT_STATUS.has(answer.status) && !TRANSIENT_ERRORS.has(failure.name)) {
        throw withAttempts(failure, attempt);
      }
    } catch (error) {
      if (error instanceof StsCallError) throw error;
      if (request.signal.aborted) throw error;
      const code = (error as { code?: unknown })?.code;
      // A transport failure: keep only its code; a Node message can carry the endpoint or more.
      failure = new StsCallError(
        'Error',
        'STS could not be reached.',
        {},
        typeof code === 'string' ? code : undefined,
      );
      if (!(typeof code === 'string' && NETWORK_ERROR_CODES.has(code))) throw withAttempts(failure, attempt);
    }
    if (attempt >= maxAttempts) throw withAttempts(failure, attempt);
    const delay = Math.floor(Math.random() * Math.min(delayBase * 2 ** (attempt - 1), MAX_DELAY_MS));
    const { setTimeout: sleep } = await import('node:timers/promises');
    await sleep(delay, undefined, { signal: request.signal });
  }
}

function withAttempts(error: StsCallError, attempts: number): StsCallError {
  error.$metadata.attempts = attempts;
  return error;
}

async function send(
  request: CallerIdentityRequest,
  url: URL,
  signingRegion: string,
  clockOffsetMs: number,
): Promise<Answer> {
  const [crypto, http] = await Promise.all([
    import('node:crypto'),
    url.protocol === 'https:' ? import('node:https') : import('node:http'),
  ]);
  const signed = signRequest(
    crypto,
    request.credentials,
    url,
    signingRegion,
    new Date(Date.now() + clockOffsetMs),
  );
  const headers = { ...signed, 'user-agent': USER_AGENT };
  // agent: false, a one-off connection: nothing keeps the process alive after the answer.
  const answer = await postBounded(http, {
    url,
    headers,
    body: BODY,
    agent: false,
    signal: request.signal,
    maxBodyBytes: MAX_BODY_BYTES,
  });
  return { status: answer.status, date: answer.headers.date, body: answer.body };
}

/** SigV4 headers for the GetCallerIdentity POST (the shared signer, scoped to `sts`). */
export function signRequest(
  crypto: typeof Crypto,
  credentials: AwsCredentialIdentity,
  url: URL,
  region: string,
  date: Date,
): Record<string, string> {
  return signSigV4(crypto, {
    credentials,
    url,
    region,
    service: 'sts',
    date,
    body: BODY,
    headers: { 'content-type': CONTENT_TYPE },
  });
}

/** The single text content of `<name>` between `from` and `to`, or undefined (absent, repeated, nested). */
function element(xml: string, name: string, from: number, to: number): string | undefined {
  const open = `<${name}>`;
  const close = `</${name}>`;
  const start = xml.indexOf(open, from);
  if (start < 0 || start >= to) return undefined;
  const end = xml.indexOf(close, start + open.length);
  if (end < 0 || end + close.length > to) return undefined;
  const again = xml.indexOf(open, end);
  if (again >= 0 && again < to) return undefined;
  const raw = xml.slice(start + open.length, end);
  if (raw.includes('<')) return undefined;
  return decodeEntities(raw);
}

/** [start, end) of the inside of the single `<name>…</name>` in `xml`. */
function span(xml: string, name: string): [number, number] | undefined {
  const start = xml.indexOf(`<${name}>`);
  const end = xml.indexOf(`</${name}>`);
  if (start < 0 || end < start || xml.indexOf(`<${name}>`, start + 1) >= 0) return undefined;
  return [start + name.length + 2, end];
}

const ENTITY = /&(amp|lt|gt|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(ENTITY, (whole, ref: string) => {
    if (ref in NAMED) return NAMED[ref] ?? whole;
    const code = ref[1] === 'x' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/**
 * `<GetCallerIdentityResponse><GetCallerIdentityResult><Arn/><UserId/><Account/>…`, or undefined
 * when the document is truncated, repeats a field, or lacks the ARN or a 12-digit account: the root
 * refusal reads the ARN, so an answer without one is not an answer.
 */
export function parseCallerIdentity(xml: string): CallerIdentity | undefined {
  if (!xml.trimEnd().endsWith('</GetCallerIdentityResponse>')) return undefined;
  const result = span(xml, 'GetCallerIdentityResult');
  if (!result) return undefined;
  const Arn = element(xml, 'Arn', ...result);
  const UserId = element(xml, 'UserId', ...result);
  const Account = element(xml, 'Account', ...result);
  if (Arn === undefined || UserId === undefined || Account === undefined) return undefined;
  if (!Arn.startsWith('arn:') || !/^\d{12}$/.test(Account)) return undefined;
  return { Arn, UserId, Account };
}

/** `<ErrorResponse><Error><Code/><Message/></Error>`; control characters of the message are dropped. */
export function parseStsError(xml: string): { code?: string; message?: string } | undefined {
  const error = span(xml, 'Error');
  if (!error) return undefined;
  const code = element(xml, 'Code', ...error)?.trim();
  const message = element(xml, 'Message', ...error)
    ?.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .trim();
  if (!code || !/^[A-Za-z0-9.]{1,100}$/.test(code)) return undefined;
  return { code, ...(message && { message }) };
}
