import type { AttributedAwsCredentialIdentity } from '@aws-sdk/types';
import type { Clock } from '../clock.js';
import { CredkitError } from '../errors/index.js';
import { assertNotExpired, SOURCE_PHRASES, type TemporaryCredentials } from './parse.js';

/** The credkit attribution every resolved identity carries (never a secret). */
export interface TemporaryCredentialsSourceDescription {
  kind: 'temporary';
  description: string;
}

export type TemporaryCredentialIdentity = AttributedAwsCredentialIdentity & {
  /** Non-enumerable: where these credentials came from, for `explain` output and errors. */
  readonly source: TemporaryCredentialsSourceDescription;
};

/** Usable wherever an SDK v3 client takes `credentials` (an `AwsCredentialIdentityProvider`). */
export type TemporaryCredentialsProvider = (
  identityProperties?: Record<string, unknown>,
) => Promise<TemporaryCredentialIdentity>;

export interface FromTemporaryCredentialsOptions {
  /** The clock (default: `Date.now`). */
  now?: Clock | undefined;
}

export function describeTemporaryCredentials(
  credentials: TemporaryCredentials,
): TemporaryCredentialsSourceDescription {
  const what = credentials.keyType === 'temporary' ? 'temporary credentials' : 'long-term access key';
  const key = `…${credentials.accessKeyId.slice(-4)}`;
  return { kind: 'temporary', description: `${what} ${key} ${SOURCE_PHRASES[credentials.source]}` };
}

/**
 * A provider for an AWS SDK v3 client's `credentials`. It reports the expiration when known, and
 * once that has passed fails every call with CREDENTIALS_EXPIRED (saying when and what to do)
 * instead of letting each AWS request fail on its own with an opaque signature error.
 */
export function fromTemporaryCredentials(
  credentials: TemporaryCredentials,
  options: FromTemporaryCredentialsOptions = {},
): TemporaryCredentialsProvider {
  const now = options.now ?? Date.now;
  const { accessKeyId, secretAccessKey, sessionToken, expiration } = credentials;
  const source = describeTemporaryCredentials(credentials);
  if (typeof accessKeyId !== 'string' || typeof secretAccessKey !== 'string') {
    throw new CredkitError('INVALID_CREDENTIALS', 'fromTemporaryCredentials needs parsed credentials.', {
      hint: 'Pass the result of parseTemporaryCredentials or promptTemporaryCredentials.',
    });
  }
  return async () => {
    if (expiration !== undefined) assertNotExpired(expiration, credentials.source, now);
    const identity: AttributedAwsCredentialIdentity = {
      accessKeyId,
      secretAccessKey,
      ...(sessionToken === undefined ? {} : { sessionToken }),
      ...(expiration === undefined ? {} : { expiration: new Date(expiration.getTime()) }),
      // The SDK's own attribution for credentials passed in code (feature id "e").
      $source: { CREDENTIALS_CODE: 'e' },
    };
    return Object.defineProperty(identity, 'source', {
      value: source,
      enumerable: false,
    }) as TemporaryCredentialIdentity;
  };
}
