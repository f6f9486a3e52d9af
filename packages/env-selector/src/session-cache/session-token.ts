import { CredkitError } from '@credkit/temp-creds/errors';
import { ProfileErrorCode as C } from '../profile-provider/codes.js';
import { createStsClient, mapStsError, stsClientSettings } from '../profile-provider/sts.js';
import { unpackStsCredentials } from '../profile-provider/sts-credentials.js';
import type { ResolvedCredentials, StsClientConfig } from '../profile-provider/types.js';
import { sessionTokenKey } from './keys.js';
import { awsCliTimestamp, readSession, type SessionCache, writeSession } from './store.js';

/** One hour: enough for a deployment, a short exposure if it leaks (STS itself defaults to 12 hours). */
export const DEFAULT_SESSION_TOKEN_SECONDS = 3600;

export interface SessionTokenRequest {
  /** Named in errors. */
  profile?: string;
  /** The profile's mfa_serial: the session is then MFA-authenticated. */
  mfaSerial?: string;
  /** Asked only when no cached session is valid. */
  mfaCode?: () => Promise<string>;
  /** 900 to 129600; default one hour. */
  durationSeconds?: number;
  env: Record<string, string | undefined>;
  clientConfig?: StsClientConfig;
  cache?: SessionCache;
  signal?: AbortSignal;
}

/**
 * Temporary credentials for long-term keys (STS GetSessionToken), from the session cache when one is
 * valid beyond the refresh window, so a tool can be handed an hour of credentials instead of the
 * permanent key, and an MFA code is typed once per session.
 */
export async function resolveSessionToken(
  longTerm: ResolvedCredentials,
  request: SessionTokenRequest,
): Promise<ResolvedCredentials> {
  const who = request.profile ? `profile "${request.profile}"` : 'these credentials';
  if (longTerm.sessionToken) {
    throw new CredkitError(
      'SESSION_NEEDS_LONG_TERM_KEYS',
      `A session was requested for ${who}, but they are already temporary credentials (they carry a session token).`,
      {
        hint: 'Drop --session: temporary credentials are printed as they are. GetSessionToken needs long-term (AKIA) keys.',
        ...(request.profile && { details: { profile: request.profile } }),
      },
    );
  }
  const durationSeconds = request.durationSeconds ?? DEFAULT_SESSION_TOKEN_SECONDS;
  const key = sessionTokenKey({
    accessKeyId: longTerm.accessKeyId,
    durationSeconds,
    ...(request.mfaSerial && { mfaSerial: request.mfaSerial }),
  });
  const { cache } = request;
  const hit = cache && (await readSession(cache, key));
  if (hit) {
    return {
      accessKeyId: hit.accessKeyId,
      secretAccessKey: hit.secretAccessKey,
      sessionToken: hit.sessionToken,
      expiration: hit.expiration,
      ...(longTerm.accountId && { accountId: longTerm.accountId }),
    };
  }
  let tokenCode: string | undefined;
  if (request.mfaSerial) {
    if (!request.mfaCode) {
      throw new CredkitError(
        C.MFA_REQUIRED,
        `A session for ${who} needs an MFA code for ${request.mfaSerial}.`,
        {
          hint: 'Pass an MFA code.',
          details: { mfaSerial: request.mfaSerial },
        },
      );
    }
    tokenCode = await request.mfaCode();
  }
  const signal = request.signal ?? AbortSignal.timeout(60_000);
  const client = await createStsClient(longTerm, stsClientSettings(request.env, request.clientConfig));
  const { GetSessionTokenCommand } = await import('@aws-sdk/client-sts');
  let creds: ResolvedCredentials;
  try {
    const out = await client.send(
      new GetSessionTokenCommand({
        DurationSeconds: durationSeconds,
        ...(request.mfaSerial && { SerialNumber: request.mfaSerial, TokenCode: tokenCode }),
      }),
      { abortSignal: signal },
    );
    creds = unpackStsCredentials(out.Credentials, {
      call: `STS GetSessionToken for ${who}`,
      accountId: longTerm.accountId,
      temporary: true,
    });
  } catch (error) {
    throw mapStsError(error, {
      action: `get a session token for ${who}`,
      ...(request.profile && { profile: request.profile }),
      signal,
      mfaSerial: request.mfaSerial,
    });
  } finally {
    client.destroy();
  }
  if (cache) {
    await writeSession(cache, key, {
      Credentials: {
        AccessKeyId: creds.accessKeyId,
        SecretAccessKey: creds.secretAccessKey,
        SessionToken: creds.sessionToken,
        Expiration: awsCliTimestamp(creds.expiration!),
      },
    });
  }
  return creds;
}
