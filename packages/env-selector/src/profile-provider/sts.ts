import { CredkitError, isCredkitError, redactRemoteMessage } from '@credkit/temp-creds/errors';
import { ProfileErrorCode as C } from './codes.js';
import { THROTTLING_ERRORS } from './retry-classes.js';
import { quietSdkNodeVersionWarning } from './sdk-warning.js';
import { unpackStsCredentials } from './sts-credentials.js';
import { assertSecureEndpoint, endpointSetting } from './transport.js';
import type { ResolvedCredentials, StsClientConfig } from './types.js';
import { withSdkFeature } from './types.js';

/** The STS endpoint for an injected env: explicit config, then the SDK's standard endpoint variables. */
export function stsClientSettings(
  env: Record<string, string | undefined>,
  clientConfig: StsClientConfig | undefined,
  profileRegion?: string,
): { region: string; endpoint?: string; maxAttempts?: number } {
  const endpoint = clientConfig?.endpoint ?? env.AWS_ENDPOINT_URL_STS ?? env.AWS_ENDPOINT_URL;
  assertSecureEndpoint(endpoint, endpointSetting(clientConfig?.endpoint, env, 'AWS_ENDPOINT_URL_STS'), env);
  return {
    // Variables before the profile (profile-provider/region.ts); STS is global, us-east-1 is the
    // SDK's own fallback for the global endpoint.
    region: clientConfig?.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? profileRegion ?? 'us-east-1',
    ...(endpoint && { endpoint }),
    ...(clientConfig?.maxAttempts !== undefined && { maxAttempts: clientConfig.maxAttempts }),
  };
}

export async function createStsClient(
  credentials: ResolvedCredentials,
  settings: { region: string; endpoint?: string; maxAttempts?: number },
) {
  await quietSdkNodeVersionWarning();
  const { STSClient } = await import('@aws-sdk/client-sts');
  const { accessKeyId, secretAccessKey, sessionToken } = credentials;
  return new STSClient({
    ...settings,
    credentials: { accessKeyId, secretAccessKey, ...(sessionToken && { sessionToken }) },
  });
}

export interface AssumeRoleHop {
  profile: string;
  roleArn: string;
  location: string;
  sessionName: string;
  externalId?: string;
  durationSeconds?: number;
  mfaSerial?: string;
  mfaCode?: string;
  region?: string;
}

export async function assumeRole(
  source: ResolvedCredentials,
  hop: AssumeRoleHop,
  env: Record<string, string | undefined>,
  clientConfig: StsClientConfig | undefined,
  signal: AbortSignal,
): Promise<ResolvedCredentials> {
  const client = await createStsClient(source, stsClientSettings(env, clientConfig, hop.region));
  const { AssumeRoleCommand } = await import('@aws-sdk/client-sts');
  try {
    const out = await client.send(
      new AssumeRoleCommand({
        RoleArn: hop.roleArn,
        RoleSessionName: hop.sessionName,
        ...(hop.externalId && { ExternalId: hop.externalId }),
        ...(hop.durationSeconds && { DurationSeconds: hop.durationSeconds }),
        ...(hop.mfaSerial && { SerialNumber: hop.mfaSerial, TokenCode: hop.mfaCode }),
      }),
      { abortSignal: signal },
    );
    const creds = unpackStsCredentials(out.Credentials, {
      call: `STS AssumeRole for profile "${hop.profile}"`,
      arn: hop.roleArn,
      details: { profile: hop.profile, roleArn: hop.roleArn },
    });
    withSdkFeature(creds, 'CREDENTIALS_STS_ASSUME_ROLE', 'i');
    return withSdkFeature(creds, 'CREDENTIALS_PROFILE_SOURCE_PROFILE', 'o');
  } catch (error) {
    throw mapStsError(error, {
      action: `assume role ${hop.roleArn} for profile "${hop.profile}" (${hop.location})`,
      profile: hop.profile,
      roleArn: hop.roleArn,
      signal,
      sent: [source.secretAccessKey, source.sessionToken, hop.mfaCode, hop.externalId],
      mfaSerial: hop.mfaSerial,
    });
  } finally {
    client.destroy();
  }
}

// STS's own wording (AccessDenied): "MultiFactorAuthentication failed with invalid MFA one time pass
// code." for a wrong, reused or stale code; "... unable to validate MFA code. Please verify your MFA
// serial number ..." for a serial that is not the caller's device.
const MFA_CODE_FAILED = /MultiFactorAuthentication failed with invalid MFA one time pass code/i;
const MFA_DEVICE_FAILED = /MultiFactorAuthentication failed, unable to validate MFA code/i;
const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired']);
const INVALID = new Set([
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'UnrecognizedClientException',
  'InvalidAccessKeyId',
  'IncompleteSignature',
  'MissingAuthenticationToken',
]);

interface SdkErrorShape {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

/**
 * Turns an SDK/STS error into a coded CredkitError. Service messages (from STS itself) are kept
 * because they say which principal was denied, but only redacted (every value in `sent` and
 * anything secret-shaped masked), escaped and capped: an endpoint can echo what it received.
 * Messages of other errors are dropped.
 */
export function mapStsError(
  error: unknown,
  ctx: {
    action: string;
    profile?: string;
    roleArn?: string;
    signal?: AbortSignal;
    service?: string;
    /** Secret values sent in the failed request (secret key, session token, MFA code...). */
    sent?: readonly (string | undefined)[];
    /** The MFA device whose code the request carried, if any. */
    mfaSerial?: string | undefined;
  },
): CredkitError {
  if (error instanceof CredkitError || (error as { name?: string })?.name === 'CredkitError')
    return error as CredkitError;
  // By shape: the CLI's CommonJS fast path and the ESM chunk holding this module each carry a copy
  // of CredkitError, so a deadline's reason may come from the other copy.
  if (ctx.signal?.aborted && isCredkitError(ctx.signal.reason)) return ctx.signal.reason;
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const name = e.name ?? e.Code ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const service = ctx.service ?? 'STS';
  const fromService =
    e.$metadata !== undefined && typeof status === 'number' && status >= 400 && status < 500;
  const said = fromService && e.message ? `: ${redactRemoteMessage(e.message, ctx.sent ?? [])}` : '';
  const details: Record<string, unknown> = {
    ...(ctx.profile && { profile: ctx.profile }),
    ...(ctx.roleArn && { roleArn: ctx.roleArn }),
    errorName: name,
    ...(status !== undefined && { httpStatusCode: status }),
  };
  if (name === 'AccessDenied' && ctx.mfaSerial !== undefined && MFA_CODE_FAILED.test(e.message ?? '')) {
    // Not a policy problem: the trust policy hint sends people hunting for the wrong thing.
    return new CredkitError(
      C.MFA_CODE_REJECTED,
      `${service} rejected the MFA code for ${ctx.mfaSerial} while trying to ${ctx.action}${said}`,
      {
        hint: 'The code was mistyped, already used or expired: wait for the next code from your MFA device and try again.',
        details: { ...details, mfaSerial: ctx.mfaSerial },
      },
    );
  }
  if (name === 'AccessDenied' && ctx.mfaSerial !== undefined && MFA_DEVICE_FAILED.test(e.message ?? '')) {
    return new CredkitError(C.ASSUME_ROLE_DENIED, `${service} refused to ${ctx.action}${said}`, {
      hint: `Check mfa_serial (${ctx.mfaSerial}): it must be the ARN of an MFA device of the user whose keys start the chain.`,
      details: { ...details, mfaSerial: ctx.mfaSerial },
    });
  }
  if (name === 'AccessDenied' || name === 'AccessDeniedException') {
    return new CredkitError(C.ASSUME_ROLE_DENIED, `${service} refused to ${ctx.action}${said}`, {
      hint: ctx.roleArn
        ? `Check the trust policy of ${ctx.roleArn} (principal, ExternalId, MFA condition) and the source credentials' sts:AssumeRole permission.`
        : 'Check the permissions of these credentials.',
      details,
    });
  }
  if (EXPIRED.has(name)) {
    return new CredkitError(
      C.CREDENTIALS_EXPIRED,
      `Could not ${ctx.action}: the credentials used have expired${said}`,
      {
        hint: ctx.profile
          ? `Refresh the credentials behind profile "${ctx.profile}" (a new session token, or log in again).`
          : 'Get fresh credentials (a new session token, or log in again).',
        details,
      },
    );
  }
  if (INVALID.has(name)) {
    return new CredkitError(
      C.INVALID_CREDENTIALS,
      `Could not ${ctx.action}: ${service} does not accept the credentials used (${name}).`,
      {
        hint: 'Check the access key pair (was it deleted or rotated?) and that a session token is present for temporary keys.',
        details,
      },
    );
  }
  if (name === 'AbortError' || name === 'TimeoutError' || name === 'RequestTimeout') {
    return new CredkitError(
      C.RESOLUTION_TIMEOUT,
      `Could not ${ctx.action}: ${service} did not answer in time.`,
      {
        hint: `Check the network path to the endpoint (${endpointSettings(service)}) and retry.`,
        details,
      },
    );
  }
  if (typeof e.message === 'string' && e.message.startsWith('Region not accepted')) {
    return new CredkitError(
      C.PROFILE_INVALID_VALUE,
      `Could not ${ctx.action}: the region configured for it is not a region name.`,
      {
        hint: 'Set region to a region name such as us-east-1 (region in the profile, or AWS_REGION).',
        details,
      },
    );
  }
  // A 2xx that still failed is a response the SDK could not parse (a proxy page, a truncated body).
  const unreadable = typeof status === 'number' && status < 300;
  // No HTTP answer at all: refused, reset, unknown host (the SDK still attaches $metadata).
  const network = typeof e.code === 'string' && /^E[A-Z_]+$/.test(e.code) ? e.code : undefined;
  if (
    THROTTLING_ERRORS.has(name) ||
    unreadable ||
    (typeof status === 'number' && status >= 500) ||
    e.$metadata === undefined ||
    (status === undefined && network !== undefined)
  ) {
    const why = THROTTLING_ERRORS.has(name)
      ? 'throttled the request'
      : unreadable
        ? `gave no usable answer (HTTP ${status} with a body that could not be read)`
        : typeof status === 'number'
          ? `answered HTTP ${status}`
          : network !== undefined
            ? `could not be reached (${network})`
            : `gave no usable answer (${name})`;
    return new CredkitError(
      C.STS_UNAVAILABLE,
      `Could not ${ctx.action}: ${service} ${why}${e.$metadata?.attempts ? ` after ${e.$metadata.attempts} attempts` : ''}.`,
      {
        hint: `Retry later; check the endpoint (${endpointSettings(service)}) and network or proxy settings.`,
        details,
      },
    );
  }
  if ((status === 404 || status === 405) && !name.endsWith('Exception')) {
    // Not an answer from the service: STS and SSM never send 404 or 405 for a request they serve
    // (their errors are 400 and 403; SSO's 404 is a named ResourceNotFoundException), so the URL
    // reached a web server that has no such API there.
    return new CredkitError(
      C.STS_ERROR,
      `Could not ${ctx.action}: the ${service} endpoint answered HTTP ${status} (${status === 404 ? 'Not Found' : 'Method Not Allowed'}), so no ${service} API is served at that URL.`,
      {
        hint: `Check the endpoint URL (${endpointSettings(service)}): a wrong host, port or path, or a proxy that does not forward to AWS. Unset them to use the AWS default.`,
        details,
      },
    );
  }
  return new CredkitError(C.STS_ERROR, `Could not ${ctx.action}: ${service} returned ${name}${said}`, {
    hint: 'Check the profile settings named above.',
    details,
  });
}

/** Where a user sets the endpoint of a service: the variables, then the profile's own settings. */
function endpointSettings(service: string): string {
  return `AWS_ENDPOINT_URL_${service.toUpperCase()}, AWS_ENDPOINT_URL, or endpoint_url / a services section in the profile`;
}
