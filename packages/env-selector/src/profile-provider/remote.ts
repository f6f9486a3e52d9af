import { CredkitError } from '@credkit/temp-creds/errors';
import type { ConfigProperty } from '../shared-config/types.js';
import { ProfileErrorCode as C } from './codes.js';
import {
  describeSocketError,
  metadataEndpointUrl,
  NoAnswer,
  NoAnswerInTime,
  requestWithin,
} from './metadata-request.js';
import { assertSecureEndpoint } from './transport.js';
import { displayPath, type ResolvedCredentials, withSdkFeature } from './types.js';

type Env = Record<string, string | undefined>;

/** Bound for one instance-metadata attempt (token + role + credentials), so a laptop never stalls on it. */
export const DEFAULT_IMDS_TIMEOUT_MS = 1_000;
/** A profile's `metadata_service_timeout` line, for the bound and for the message when it is wrong. */
export interface ProfileTimeoutSetting {
  profile: string;
  value: string;
  file: string;
  line: number;
}

/** A profile's `ec2_metadata_v1_disabled` and `metadata_service_timeout`, as the metadata sources read them. */
export function profileMetadataSettings(
  profile: string,
  properties: ReadonlyMap<string, ConfigProperty> | undefined,
): { v1Disabled?: string; timeout?: ProfileTimeoutSetting } {
  const timeout = properties?.get('metadata_service_timeout');
  return {
    v1Disabled: properties?.get('ec2_metadata_v1_disabled')?.value,
    ...(timeout && { timeout: { profile, ...timeout } }),
  };
}

/**
 * The bound for instance metadata and the container endpoint, as the AWS CLI reads it:
 * AWS_METADATA_SERVICE_TIMEOUT, else the profile's `metadata_service_timeout`, in seconds; else
 * `fallbackMs`. (The AWS CLI applies the setting to instance metadata only and fixes its container
 * bound at 2 s; credkit lets the one setting raise both, so a slow or busy host can wait for either.)
 */
export function metadataTimeoutMs(
  env: Env,
  setting: ProfileTimeoutSetting | undefined,
  fallbackMs: number,
): number {
  const fromEnv = env.AWS_METADATA_SERVICE_TIMEOUT?.trim();
  const raw = fromEnv || setting?.value.trim();
  if (!raw) return fallbackMs;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds > 0 && seconds <= 3_600) return Math.ceil(seconds * 1000);
  const shown = JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw);
  if (fromEnv || !setting) {
    throw new CredkitError(
      C.PROFILE_INVALID_VALUE,
      `AWS_METADATA_SERVICE_TIMEOUT=${shown} is not a number of seconds from 0 to 3600.`,
      {
        hint: 'Set AWS_METADATA_SERVICE_TIMEOUT to the seconds to wait for instance metadata, e.g. 5, or unset it (default 1).',
        details: { variable: 'AWS_METADATA_SERVICE_TIMEOUT' },
      },
    );
  }
  throw new CredkitError(
    C.PROFILE_INVALID_VALUE,
    `Profile "${setting.profile}" has metadata_service_timeout = ${shown} (${displayPath(setting.file, env)}:${setting.line}); it must be a number of seconds from 0 to 3600.`,
    {
      hint: 'Use e.g. metadata_service_timeout = 5 (seconds), or remove the line (default 1).',
      details: { profile: setting.profile, file: setting.file, line: setting.line },
    },
  );
}

/** The env key pair, read from the injected env (the SDK's `fromEnv` reads only `process.env`). */
export function envKeyPair(env: Env): ResolvedCredentials | undefined {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) return undefined;
  const sessionToken = env.AWS_SESSION_TOKEN;
  const expiry = env.AWS_CREDENTIAL_EXPIRATION;
  const credentialScope = env.AWS_CREDENTIAL_SCOPE;
  const accountId = env.AWS_ACCOUNT_ID;
  return withSdkFeature(
    {
      accessKeyId,
      secretAccessKey,
      ...(sessionToken && { sessionToken }),
      ...(expiry && { expiration: new Date(expiry) }),
      ...(credentialScope && { credentialScope }),
      ...(accountId && { accountId }),
    },
    'CREDENTIALS_ENV_VARS',
    'g',
  );
}

export function imdsDisabled(env: Env): boolean {
  return (env.AWS_EC2_METADATA_DISABLED ?? '').toLowerCase() === 'true';
}

/**
 * Whether the IMDSv1 fallback is off: AWS_EC2_METADATA_V1_DISABLED when set, else the profile's
 * `ec2_metadata_v1_disabled` (the SDKs' precedence), `true` case-insensitively.
 */
export function imdsV1Disabled(env: Env, profileValue?: string): boolean {
  const value = env.AWS_EC2_METADATA_V1_DISABLED ?? profileValue ?? '';
  return ['true', '1'].includes(value.trim().toLowerCase());
}

/** True when these credentials came from instance metadata through the IMDSv1 fallback. */
export function usedImdsV1(credentials: object): boolean {
  return (credentials as { $imdsV1?: unknown }).$imdsV1 === true;
}

export function imdsEndpoint(env: Env): string {
  if (env.AWS_EC2_METADATA_SERVICE_ENDPOINT) return env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
  return (env.AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE ?? '').toLowerCase() === 'ipv6'
    ? 'http://[fd00:ec2::254]'
    : 'http://169.254.169.254';
}

/**
 * Instance metadata (IMDSv2, falling back to v1 unless AWS_EC2_METADATA_V1_DISABLED), requested by
 * credkit itself with the endpoint from the injected env (the SDK's `fromInstanceMetadata` reads
 * `process.env` only, and its requests bound the socket's idle time, not the answer: an endpoint
 * that answers a byte at a time outlived any bound). Token, role and credentials share one bound;
 * at the bound or on abort the request in flight is destroyed.
 */
export async function resolveImdsCredentials(
  env: Env,
  opts: {
    timeoutMs?: number;
    signal?: AbortSignal;
    /** The profile's `ec2_metadata_v1_disabled` value; AWS_EC2_METADATA_V1_DISABLED wins when set. */
    profileV1Disabled?: string | undefined;
  } = {},
): Promise<ResolvedCredentials> {
  const timeout = opts.timeoutMs ?? DEFAULT_IMDS_TIMEOUT_MS;
  const endpoint = metadataEndpointUrl(
    imdsEndpoint(env),
    'AWS_EC2_METADATA_SERVICE_ENDPOINT',
    'instance metadata',
    'the instance metadata endpoint, e.g. http://169.254.169.254, or unset it',
  );
  assertSecureEndpoint(endpoint, 'AWS_EC2_METADATA_SERVICE_ENDPOINT', env);
  const started = Date.now();
  const left = () => Math.max(1, timeout - (Date.now() - started));
  const request = async (path: string, method = 'GET', headers: Record<string, string> = {}) => {
    const answer = await requestWithin(new URL(path, endpoint), {
      method,
      headers,
      timeoutMs: left(),
      signal: opts.signal,
    });
    if (answer.status < 200 || answer.status >= 300) throw new HttpStatus(answer.status);
    return answer.body;
  };
  const fail = (why: string) =>
    new CredkitError(
      C.CREDENTIAL_SOURCE_UNAVAILABLE,
      `Instance metadata at ${endpoint.origin} gave no credentials: ${why}.`,
      {
        hint: 'This only works on EC2 with an instance profile attached. Elsewhere, set AWS_EC2_METADATA_DISABLED=true.',
        details: { source: 'imds', endpoint: endpoint.origin },
      },
    );
  /** Why a request failed: the whole bound (not what was left of it), the answer's fault, or the socket's. */
  const why = (error: unknown) =>
    error instanceof NoAnswerInTime
      ? `no response within ${timeout} ms`
      : error instanceof NoAnswer
        ? error.message
        : describeSocketError(error);
  let headers: Record<string, string> = {};
  let usedV1 = false;
  try {
    const token = await request('/latest/api/token', 'PUT', {
      'x-aws-ec2-metadata-token-ttl-seconds': '21600',
    });
    headers = { 'x-aws-ec2-metadata-token': token };
  } catch (error) {
    if (opts.signal?.aborted) throw opts.signal.reason ?? error;
    const status = error instanceof HttpStatus ? error.status : undefined;
    const v1Allowed = !imdsV1Disabled(env, opts.profileV1Disabled);
    if (!(status !== undefined && [403, 404, 405].includes(status) && v1Allowed)) {
      throw fail(
        status !== undefined
          ? `token request answered HTTP ${status}${v1Allowed ? '' : ' and IMDSv1 is disabled'}`
          : why(error),
      );
    }
    usedV1 = true;
  }
  let doc: Record<string, unknown>;
  try {
    const role =
      (await request('/latest/meta-data/iam/security-credentials/', 'GET', headers)).trim().split('\n')[0] ??
      '';
    if (role === '') throw fail('no instance profile role');
    const body = await request(`/latest/meta-data/iam/security-credentials/${role}`, 'GET', headers);
    try {
      doc = JSON.parse(body);
    } catch {
      // Never the parser's message: V8 quotes the input, which holds the secret key.
      throw fail('invalid JSON');
    }
  } catch (error) {
    if (opts.signal?.aborted) throw opts.signal.reason ?? error;
    if (error instanceof CredkitError) throw error;
    throw fail(error instanceof HttpStatus ? `HTTP ${error.status}` : why(error));
  }
  const expiration = typeof doc?.Expiration === 'string' ? new Date(doc.Expiration) : undefined;
  if (
    typeof doc?.AccessKeyId !== 'string' ||
    typeof doc.SecretAccessKey !== 'string' ||
    (expiration && Number.isNaN(expiration.getTime()))
  )
    throw fail('invalid credentials document');
  const creds: ResolvedCredentials = {
    accessKeyId: doc.AccessKeyId,
    secretAccessKey: doc.SecretAccessKey,
    ...(typeof doc.Token === 'string' && { sessionToken: doc.Token }),
    ...(expiration && { expiration }),
    ...(typeof doc.AccountId === 'string' && { accountId: doc.AccountId }),
  };
  // Non-enumerable like $source: explanations say v1 was used, exports never carry it.
  if (usedV1) Object.defineProperty(creds, '$imdsV1', { value: true, enumerable: false });
  return creds;
}

/** An answer outside 2xx, kept apart so the token request can tell "refused" (v1 fallback) from "down". */
class HttpStatus extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}
