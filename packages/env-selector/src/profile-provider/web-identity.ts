import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { fromTokenFile } from '@aws-sdk/credential-provider-web-identity';
import { CredkitError } from '@credkit/temp-creds/errors';
import { ProfileErrorCode as C } from './codes.js';
import { quietSdkNodeVersionWarning } from './sdk-warning.js';
import { mapStsError, stsClientSettings } from './sts.js';
import type { ResolvedCredentials, StsClientConfig } from './types.js';

/**
 * AssumeRoleWithWebIdentity through the SDK's `fromTokenFile`, with every input passed explicitly
 * (it falls back to `process.env` for anything left out) and STS errors mapped to coded errors.
 */
export async function fromWebIdentityTokenFile(
  w: { roleArn: string; tokenFile: string; sessionName?: string; profile?: string; location: string },
  env: Record<string, string | undefined>,
  clientConfig: StsClientConfig | undefined,
  signal: AbortSignal,
): Promise<ResolvedCredentials> {
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
  await quietSdkNodeVersionWarning();
  const settings = stsClientSettings(env, clientConfig);
  const provider = fromTokenFile({
    roleArn: w.roleArn,
    webIdentityTokenFile: w.tokenFile,
    roleSessionName: w.sessionName ?? `credkit-web-identity-${Date.now()}`,
    clientConfig: settings,
  });
  try {
    if (signal.aborted) throw signal.reason;
    return (await provider()) as ResolvedCredentials;
  } catch (error) {
    throw mapStsError(error, {
      action: `assume role ${w.roleArn} with the web identity token in ${w.tokenFile} (${w.location})`,
      roleArn: w.roleArn,
      ...(w.profile && { profile: w.profile }),
      signal,
    });
  }
}
