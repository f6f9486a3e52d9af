import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { type Clock, CredkitError } from '@credkit/temp-creds/errors';
import { describeReadFailure, readRegularFile } from '../shared-config/safe-read.js';
import { ProfileErrorCode as C } from './codes.js';
import { SSO_CACHE_MAX_BYTES } from './limits.js';
import type { BasePlan } from './plan.js';
import { quietSdkNodeVersionWarning } from './sdk-warning.js';
import { writeSecretFileAtomic } from './secret-file.js';
import { assertSecureEndpoint, endpointSetting } from './transport.js';
import { displayPath } from './types.js';

type SsoPlan = Extract<BasePlan, { kind: 'sso' }>;

/** The SDK refreshes an sso-session token this long before it expires; so does credkit. */
export const SSO_REFRESH_WINDOW_MS = 5 * 60_000;

interface CachedToken {
  accessToken?: unknown;
  expiresAt?: unknown;
  refreshToken?: unknown;
  clientId?: unknown;
  clientSecret?: unknown;
  registrationExpiresAt?: unknown;
  [key: string]: unknown;
}

export interface SsoTokenOptions {
  env: Record<string, string | undefined>;
  homedir?: string;
  now: Clock;
  signal: AbortSignal;
}

// One refresh per cache file at a time: refresh tokens rotate, so two racing refreshes would
// invalidate each other. Entries live only while a refresh runs.
const refreshing = new Map<string, Promise<string>>();

/**
 * The bearer token of an SSO login from the AWS CLI's cache (found from the injected env, not
 * `process.env.HOME` as in the SDK). An sso-session token close to expiry is refreshed with SSO OIDC
 * CreateToken and written back (0600), as the SDK and the AWS CLI do; legacy tokens cannot be.
 */
export async function loadSsoToken(plan: SsoPlan, opts: SsoTokenOptions): Promise<string> {
  const home = opts.homedir ?? opts.env.HOME ?? opts.env.USERPROFILE ?? homedir();
  // The AWS CLI keys the cache by the sso-session name, or by the start URL for legacy profiles.
  const key = createHash('sha1')
    .update(plan.session ?? plan.startUrl)
    .digest('hex');
  const cacheFile = join(home, '.aws', 'sso', 'cache', `${key}.json`);
  const shown = displayPath(cacheFile, opts.env);
  const login = `aws sso login --profile ${plan.profile}`;
  const details = { profile: plan.profile, cacheFile, ...(plan.session && { ssoSession: plan.session }) };
  let token: CachedToken;
  let bytes: Buffer;
  try {
    bytes = readRegularFile(cacheFile, { maxBytes: SSO_CACHE_MAX_BYTES }).data;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    // A FIFO or a device would hang or exhaust a plain read: say what it is, at once.
    if (code === 'ENOTREG' || code === 'EFBIG' || code === 'EISDIR') {
      throw new CredkitError(
        C.SSO_CACHE_UNREADABLE,
        `Profile "${plan.profile}" (${plan.location}) uses SSO, but its token cache ${shown} cannot be read: ${describeReadFailure(error)}.`,
        { hint: `Remove it and log in again: ${login}`, details },
      );
    }
    bytes = Buffer.alloc(0);
  }
  try {
    token = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new CredkitError(
      C.SSO_TOKEN_MISSING,
      `Profile "${plan.profile}" (${plan.location}) uses SSO, but there is no usable SSO login in ${shown}.`,
      {
        hint: `Log in: ${login}`,
        details,
      },
    );
  }
  const expiresAt = typeof token.expiresAt === 'string' ? Date.parse(token.expiresAt) : Number.NaN;
  if (typeof token.accessToken !== 'string' || Number.isNaN(expiresAt)) {
    throw new CredkitError(
      C.SSO_TOKEN_MISSING,
      `Profile "${plan.profile}" (${plan.location}) uses SSO, but the cached SSO login in ${shown} is unreadable.`,
      {
        hint: `Log in again: ${login}`,
        details,
      },
    );
  }
  const now = opts.now();
  if (expiresAt - now > SSO_REFRESH_WINDOW_MS) return token.accessToken;
  const expired = () =>
    new CredkitError(
      C.SSO_TOKEN_EXPIRED,
      `The SSO login for profile "${plan.profile}" (${plan.location}) expired at ${new Date(expiresAt).toISOString()}.`,
      {
        hint: `Log in again: ${login}`,
        details,
      },
    );
  const registrationEnds =
    typeof token.registrationExpiresAt === 'string'
      ? Date.parse(token.registrationExpiresAt)
      : Number.POSITIVE_INFINITY;
  const refreshable =
    plan.session !== undefined &&
    typeof token.refreshToken === 'string' &&
    typeof token.clientId === 'string' &&
    typeof token.clientSecret === 'string' &&
    !(registrationEnds <= now);
  if (!refreshable) {
    if (expiresAt > now) return token.accessToken;
    throw expired();
  }
  let inflight = refreshing.get(cacheFile);
  if (!inflight) {
    inflight = refresh(token, cacheFile, plan.region, opts, login).finally(() =>
      refreshing.delete(cacheFile),
    );
    refreshing.set(cacheFile, inflight);
  }
  try {
    return await inflight;
  } catch {
    // A failed refresh of a token that still works is not worth failing for (the SDK agrees).
    if (expiresAt > opts.now()) return token.accessToken;
    throw expired();
  }
}

async function refresh(
  token: CachedToken,
  cacheFile: string,
  region: string,
  opts: SsoTokenOptions,
  login: string,
): Promise<string> {
  await quietSdkNodeVersionWarning();
  const { SSOOIDCClient, CreateTokenCommand } = await import('@aws-sdk/nested-clients/sso-oidc');
  const endpoint = opts.env.AWS_ENDPOINT_URL_SSO_OIDC ?? opts.env.AWS_ENDPOINT_URL;
  assertSecureEndpoint(endpoint, endpointSetting(undefined, opts.env, 'AWS_ENDPOINT_URL_SSO_OIDC'), opts.env);
  const client = new SSOOIDCClient({ region, ...(endpoint && { endpoint }) });
  try {
    const out = await client.send(
      new CreateTokenCommand({
        clientId: token.clientId as string,
        clientSecret: token.clientSecret as string,
        refreshToken: token.refreshToken as string,
        grantType: 'refresh_token',
      }),
      { abortSignal: opts.signal },
    );
    if (!out.accessToken || !out.expiresIn) throw new Error('no token');
    const updated = {
      ...token,
      accessToken: out.accessToken,
      expiresAt: new Date(opts.now() + out.expiresIn * 1000).toISOString(),
      ...(out.refreshToken && { refreshToken: out.refreshToken }),
    };
    try {
      await writeSecretFileAtomic(cacheFile, `${JSON.stringify(updated, null, 2)}\n`);
    } catch (error) {
      // The new access token still works for this run; what is lost is the cache. When the server
      // rotated the refresh token, the one on disk is now dead: say so rather than fail later.
      const rotated = out.refreshToken !== undefined && out.refreshToken !== token.refreshToken;
      const why = (error as { code?: unknown }).code;
      process.emitWarning(
        `The refreshed SSO token could not be saved to ${displayPath(cacheFile, opts.env)} (${typeof why === 'string' ? why : 'error'}). ${
          rotated
            ? `The server replaced the refresh token, so the next run will need a new login: ${login}`
            : `The next run will refresh it again; if that fails, log in: ${login}`
        }`,
        { code: 'CREDKIT_SSO_CACHE_NOT_SAVED' },
      );
    }
    return out.accessToken;
  } finally {
    client.destroy();
  }
}
