import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  type AssumeRoleWithWebIdentityParams,
  fromWebToken,
} from '@aws-sdk/credential-provider-web-identity';
import { CredkitError } from '@credkit/temp-creds/errors';
import { describeReadFailure, readRegularFile } from '../shared-config/safe-read.js';
import { ProfileErrorCode as C } from './codes.js';
import { WEB_IDENTITY_TOKEN_MAX_BYTES } from './limits.js';
import { quietSdkNodeVersionWarning } from './sdk-warning.js';
import { mapStsError, stsClientSettings } from './sts.js';
import { unpackStsCredentials } from './sts-credentials.js';
import { type ResolvedCredentials, type StsClientConfig, withSdkFeature } from './types.js';

type Env = Record<string, string | undefined>;

export interface WebIdentityContext {
  roleArn: string;
  tokenFile: string;
  /** Where the settings come from, for messages: `~/.aws/config:4` or `AWS_WEB_IDENTITY_TOKEN_FILE`. */
  location: string;
  profile?: string;
}

/**
 * The token, read with bounds before any STS call: WEB_IDENTITY_TOKEN_UNREADABLE names the file and
 * the setting that pointed there when it is missing, not a regular file (a FIFO would block the SDK's
 * `readFileSync` forever, /dev/zero would fill memory) or larger than any real token.
 */
export async function assertTokenFileReadable(w: WebIdentityContext): Promise<string> {
  try {
    return readRegularFile(w.tokenFile, { maxBytes: WEB_IDENTITY_TOKEN_MAX_BYTES }).data.toString('ascii');
  } catch (error) {
    throw new CredkitError(
      C.WEB_IDENTITY_TOKEN_UNREADABLE,
      `The web identity token file ${w.tokenFile} (${w.location}) cannot be read: ${describeReadFailure(error)}.`,
      {
        hint: 'Check the path; in Kubernetes/EKS the token is mounted by the pod identity webhook.',
        details: { ...(w.profile && { profile: w.profile }), file: w.tokenFile },
      },
    );
  }
}

/**
 * credkit's AssumeRoleWithWebIdentity, shaped as the SDK's `roleAssumerWithWebIdentity`: its STS client
 * takes endpoint and region from the injected env (the SDK's default assumer reads `process.env`), the
 * request is cut off by the resolution deadline, and errors are coded and name the role and profile.
 */
export async function assumeRoleWithWebIdentity(
  params: AssumeRoleWithWebIdentityParams,
  w: WebIdentityContext,
  env: Env,
  clientConfig: StsClientConfig | undefined,
  signal: AbortSignal,
): Promise<ResolvedCredentials> {
  await quietSdkNodeVersionWarning();
  // AssumeRoleWithWebIdentity is unsigned (noAuth); explicit keys keep the client from looking for any.
  const client = new STSClient({
    ...stsClientSettings(env, clientConfig),
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
  });
  try {
    if (signal.aborted) throw signal.reason;
    const out = await client.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: params.RoleArn,
        RoleSessionName: params.RoleSessionName,
        WebIdentityToken: params.WebIdentityToken,
        ...(params.ProviderId && { ProviderId: params.ProviderId }),
        ...(params.DurationSeconds && { DurationSeconds: params.DurationSeconds }),
      }),
      { abortSignal: signal },
    );
    const creds = unpackStsCredentials(out.Credentials, {
      call: `STS AssumeRoleWithWebIdentity for role ${w.roleArn} (${w.location})`,
      arn: out.AssumedRoleUser?.Arn,
      details: { ...(w.profile && { profile: w.profile }), roleArn: w.roleArn },
    });
    return withSdkFeature(creds, 'CREDENTIALS_STS_ASSUME_ROLE_WEB_ID', 'k');
  } catch (error) {
    throw webIdentityError(error, w, signal);
  } finally {
    client.destroy();
  }
}

/**
 * Web identity from explicit settings (the AWS_WEB_IDENTITY_TOKEN_FILE link of the app chain): credkit
 * reads the token, the SDK's `fromWebToken` shapes the call, credkit's assumer makes it. Every input
 * is passed explicitly, because the SDK falls back to `process.env` for anything left out.
 */
export async function resolveWebIdentityTokenFile(
  w: { roleArn: string; tokenFile: string; sessionName?: string; profile?: string; location: string },
  env: Env,
  clientConfig: StsClientConfig | undefined,
  signal: AbortSignal,
): Promise<ResolvedCredentials> {
  // Read by credkit (bounded), not by the SDK's fromTokenFile, whose readFileSync has no limit.
  const webIdentityToken = await assertTokenFileReadable(w);
  const provider = fromWebToken({
    roleArn: w.roleArn,
    webIdentityToken,
    roleSessionName: w.sessionName ?? `credkit-web-identity-${Date.now()}`,
    roleAssumerWithWebIdentity: (params) => assumeRoleWithWebIdentity(params, w, env, clientConfig, signal),
  });
  try {
    return (await provider()) as ResolvedCredentials;
  } catch (error) {
    throw webIdentityError(error, w, signal);
  }
}

function webIdentityError(
  error: unknown,
  w: { roleArn: string; tokenFile: string; profile?: string | undefined; location: string },
  signal: AbortSignal,
): CredkitError {
  return mapStsError(error, {
    action: `assume role ${w.roleArn} with the web identity token in ${w.tokenFile} (${w.location})`,
    roleArn: w.roleArn,
    ...(w.profile && { profile: w.profile }),
    signal,
  });
}
