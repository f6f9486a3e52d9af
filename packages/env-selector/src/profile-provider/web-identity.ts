import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  type AssumeRoleWithWebIdentityParams,
  fromTokenFile,
} from '@aws-sdk/credential-provider-web-identity';
import { CredkitError } from '@credkit/temp-creds/errors';
import { ProfileErrorCode as C } from './codes.js';
import { quietSdkNodeVersionWarning } from './sdk-warning.js';
import { mapStsError, stsClientSettings } from './sts.js';
import { type ResolvedCredentials, type StsClientConfig, withSdkFeature } from './types.js';

type Env = Record<string, string | undefined>;

export interface WebIdentityContext {
  roleArn: string;
  tokenFile: string;
  /** Where the settings come from, for messages: `~/.aws/config:4` or `AWS_WEB_IDENTITY_TOKEN_FILE`. */
  location: string;
  profile?: string;
}

/** WEB_IDENTITY_TOKEN_UNREADABLE before any STS call (the SDK's `readFileSync` error names no profile). */
export async function assertTokenFileReadable(w: WebIdentityContext): Promise<void> {
  try {
    await access(w.tokenFile, constants.R_OK);
  } catch {
    throw new CredkitError(
      C.WEB_IDENTITY_TOKEN_UNREADABLE,
      `The web identity token file ${w.tokenFile} (${w.location}) cannot be read.`,
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
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) {
      throw new CredkitError(
        C.STS_ERROR,
        `STS AssumeRoleWithWebIdentity for role ${w.roleArn} (${w.location}) returned no credentials.`,
        {
          hint: 'Retry; if it persists, check the STS endpoint.',
          details: { ...(w.profile && { profile: w.profile }), roleArn: w.roleArn },
        },
      );
    }
    const accountId = out.AssumedRoleUser?.Arn?.split(':')[4];
    const creds: ResolvedCredentials = {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      ...(c.SessionToken && { sessionToken: c.SessionToken }),
      ...(c.Expiration && { expiration: new Date(c.Expiration) }),
      ...(accountId && { accountId }),
    };
    return withSdkFeature(creds, 'CREDENTIALS_STS_ASSUME_ROLE_WEB_ID', 'k');
  } catch (error) {
    throw webIdentityError(error, w, signal);
  } finally {
    client.destroy();
  }
}

/**
 * Web identity from explicit settings (the AWS_WEB_IDENTITY_TOKEN_FILE link of the app chain): the
 * SDK's `fromTokenFile` reads the token, credkit's assumer makes the STS call. Every input is passed
 * explicitly, because `fromTokenFile` falls back to `process.env` for anything left out.
 */
export async function resolveWebIdentityTokenFile(
  w: { roleArn: string; tokenFile: string; sessionName?: string; profile?: string; location: string },
  env: Env,
  clientConfig: StsClientConfig | undefined,
  signal: AbortSignal,
): Promise<ResolvedCredentials> {
  await assertTokenFileReadable(w);
  const provider = fromTokenFile({
    roleArn: w.roleArn,
    webIdentityTokenFile: w.tokenFile,
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
