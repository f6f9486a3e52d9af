import { CredkitError } from '@credkit/temp-creds/errors';
import { ProfileErrorCode as C } from './codes.js';
import type { ResolvedCredentials } from './types.js';

/** `Credentials` of an STS answer as the SDK hands it over: any field may be missing from a bad answer. */
export interface StsAnswerCredentials {
  AccessKeyId?: string | undefined;
  SecretAccessKey?: string | undefined;
  SessionToken?: string | undefined;
  Expiration?: Date | undefined;
}

export interface StsAnswer {
  /** What was called, for the error: `STS AssumeRole for profile "prod"`. */
  call: string;
  /** Where the account comes from: the role's ARN (or the assumed-role user's). Kept only when it is an account ID. */
  arn?: string | undefined;
  /** The account, when the caller knows it already (GetSessionToken keeps the long-term keys' account). */
  accountId?: string | undefined;
  /** GetSessionToken: an answer without a token and an expiration is no session. */
  temporary?: boolean;
  /** Names the profile and role in the error; never a secret. */
  details?: Record<string, unknown>;
}

/**
 * The one reading of the `Credentials` of an STS answer (AssumeRole, AssumeRoleWithWebIdentity,
 * GetSessionToken): the key pair is required, token and expiration are kept when present, and an
 * answer that lacks what the call promises is an STS_ERROR rather than half a credential.
 */
export function unpackStsCredentials(
  c: StsAnswerCredentials | undefined,
  answer: StsAnswer,
): ResolvedCredentials {
  if (!c?.AccessKeyId || !c.SecretAccessKey || (answer.temporary && (!c.SessionToken || !c.Expiration))) {
    throw new CredkitError(C.STS_ERROR, `${answer.call} returned no credentials.`, {
      hint: 'Retry; if it persists, check the STS endpoint configured for it (AWS_ENDPOINT_URL_STS, the profile).',
      ...(answer.details && { details: answer.details }),
    });
  }
  const accountId = answer.accountId ?? answer.arn?.split(':')[4];
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    ...(c.SessionToken && { sessionToken: c.SessionToken }),
    ...(c.Expiration && { expiration: new Date(c.Expiration) }),
    ...(accountId && /^\d{12}$/.test(accountId) && { accountId }),
  };
}
