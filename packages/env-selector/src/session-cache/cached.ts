import type { ResolvedCredentials } from '../profile-provider/types.js';
import { withSdkFeature } from '../profile-provider/types.js';
import { type RoleSessionArgs, roleSessionKey, type SsoSessionArgs, ssoSessionKey } from './keys.js';
import {
  awsCliTimestamp,
  type CachedSession,
  readSession,
  type SessionCache,
  writeSession,
} from './store.js';

/**
 * The session cache's seam into profile resolution: each wrapper takes the arguments of one call
 * (an AssumeRole hop, an SSO role) and a `fetch` that makes the call, including whatever precedes
 * it (resolving the source credentials, asking for an MFA code). `fetch` runs only when the cache
 * has no session valid beyond the refresh window, so a cached session costs no STS call, no source
 * resolution and no MFA prompt.
 */
export async function withRoleSessionCache(
  cache: SessionCache | undefined,
  hop: RoleSessionArgs,
  fetch: () => Promise<ResolvedCredentials>,
): Promise<ResolvedCredentials> {
  if (!cache) return fetch();
  const key = roleSessionKey(hop);
  const hit = await readSession(cache, key);
  if (hit) return withSdkFeature(fromCache(hit, accountOf(hop.roleArn)), 'CREDENTIALS_STS_ASSUME_ROLE', 'i');
  const creds = await fetch();
  if (creds.sessionToken && creds.expiration) {
    // What the AWS CLI stores: the AssumeRole response, Expiration as its JSONFileCache writes it.
    await writeSession(cache, key, {
      Credentials: {
        AccessKeyId: creds.accessKeyId,
        SecretAccessKey: creds.secretAccessKey,
        SessionToken: creds.sessionToken,
        Expiration: awsCliTimestamp(creds.expiration),
      },
    });
  }
  return creds;
}

/** SSO role credentials, stored as botocore's SSOCredentialFetcher stores them. */
export async function withSsoSessionCache(
  cache: SessionCache | undefined,
  sso: SsoSessionArgs,
  fetch: () => Promise<ResolvedCredentials>,
): Promise<ResolvedCredentials> {
  if (!cache) return fetch();
  const key = ssoSessionKey(sso);
  const hit = await readSession(cache, key);
  if (hit) return withSdkFeature(fromCache(hit, sso.accountId), 'CREDENTIALS_SSO', 's');
  const creds = await fetch();
  if (creds.sessionToken && creds.expiration) {
    await writeSession(cache, key, {
      ProviderType: 'sso',
      Credentials: {
        AccessKeyId: creds.accessKeyId,
        SecretAccessKey: creds.secretAccessKey,
        SessionToken: creds.sessionToken,
        Expiration: creds.expiration.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      },
    });
  }
  return creds;
}

/** Reads the cache only: for callers that must decide before anything else runs (see from-profile). */
export async function cachedRoleSession(
  cache: SessionCache | undefined,
  hop: RoleSessionArgs,
): Promise<ResolvedCredentials | undefined> {
  if (!cache) return undefined;
  const hit = await readSession(cache, roleSessionKey(hop));
  return hit && withSdkFeature(fromCache(hit, accountOf(hop.roleArn)), 'CREDENTIALS_STS_ASSUME_ROLE', 'i');
}

export function accountOf(roleArn: string): string | undefined {
  const account = roleArn.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

function fromCache(hit: CachedSession, accountId: string | undefined): ResolvedCredentials {
  return {
    accessKeyId: hit.accessKeyId,
    secretAccessKey: hit.secretAccessKey,
    sessionToken: hit.sessionToken,
    expiration: hit.expiration,
    ...(accountId && { accountId }),
  };
}
