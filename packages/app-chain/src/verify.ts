import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { ResolvedCredentials, StsClientConfig } from '@credkit/env-selector';
import { Deadline, mapStsError, stsClientSettings } from '@credkit/env-selector/providers';
import { CredkitError, escapeControlCharacters } from '@credkit/temp-creds/errors';
import { type CallerIdentity, getCallerIdentity } from './caller-identity.js';
import { AppChainErrorCode as C } from './codes.js';
import { isRootIdentity } from './root.js';

export interface VerifyOptions {
  /** STS settings (region, endpoint). Default: AWS_ENDPOINT_URL_STS / AWS_REGION from `env`, us-east-1. */
  clientConfig?: StsClientConfig;
  region?: string;
  env?: Record<string, string | undefined>;
  /** Default 30 000 ms. */
  timeoutMs?: number;
}

export interface AppIdentity {
  account: string;
  arn: string;
  userId: string;
}

/**
 * `arn:<partition>:iam::<12 digits>:root`, for aws, aws-cn, aws-us-gov and any future partition.
 * The refusal itself uses `isRootIdentity`, which also catches spacing, case and the sts form.
 */
export const ROOT_ARN = /^arn:[a-z0-9-]+:iam::\d{12}:root$/;

/**
 * Asks STS who these credentials are (GetCallerIdentity) and refuses the account root user: credkit
 * must never store or use an application's metadata with root credentials. Works for any
 * credentials (application or environment).
 */
export async function verifyAppIdentity(
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider,
  options: VerifyOptions = {},
): Promise<AppIdentity> {
  const env = options.env ?? process.env;
  const deadline = new Deadline(options.timeoutMs ?? 30_000, 'the caller identity');
  const creds = (
    typeof credentials === 'function' ? await credentials() : credentials
  ) as ResolvedCredentials;
  const described = creds.source?.description;
  const settings = stsClientSettings(env, {
    ...options.clientConfig,
    ...(options.region && { region: options.region }),
  });
  return deadline.run(async (signal) => {
    // One signed request instead of the SDK's STSClient, whose modules dominated `whoami` start-up;
    // failures come back in the SDK's error shape, so mapStsError codes them as before.
    let out: CallerIdentity;
    try {
      out = await getCallerIdentity({ credentials: creds, ...settings, env, signal });
    } catch (error) {
      throw mapStsError(error, {
        action: `verify the credentials${described ? ` from ${described}` : ''} with STS GetCallerIdentity`,
        signal,
        sent: [creds.secretAccessKey, creds.sessionToken],
      });
    }
    const identity = { account: out.Account, arn: out.Arn, userId: out.UserId };
    if (isRootIdentity(identity)) {
      throw new CredkitError(
        C.ROOT_CREDENTIALS,
        `These credentials${described ? ` (${described})` : ''} belong to the root user of AWS account ${identity.account} (${escapeControlCharacters(identity.arn.trim())}); credkit does not use root credentials.`,
        {
          hint: 'Create an IAM user (IAM console > Users > Create user) with the permissions you need, create an access key for it, and use its credentials instead: aws configure --profile NAME, then export AWS_PROFILE=NAME. Consider deleting the root access key.',
          details: { account: identity.account, arn: identity.arn },
        },
      );
    }
    return identity;
  });
}
