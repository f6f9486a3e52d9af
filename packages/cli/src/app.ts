/**
 * Application credentials (the default chain of @credkit/app-chain) and STS verification. Loaded
 * only by the commands that need them: this module pulls in the libraries.
 */
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import {
  type AppChainOptions,
  type AppChainWarning,
  explainAppChain,
  fromAppChain,
  type ResolvedCredentials,
  resolveAppRegion,
  verifyAppIdentity,
} from '@credkit/app-chain';
import { loadSharedConfig } from '@credkit/env-selector/shared-config';
import { isCredkitError } from '@credkit/temp-creds/errors';
import type { CommandContext } from './context.js';
import { createOutput } from './output.js';
import { mfaCodeProvider } from './session.js';

export interface Application {
  credentials: AwsCredentialIdentity;
  description: string;
  source: Record<string, unknown>;
  region: string | undefined;
}

/** Chain options shared by whoami, explain, env init and export: one parse of the shared files. */
async function chainOptions(ctx: CommandContext): Promise<AppChainOptions> {
  const out = createOutput(ctx, ctx.flags.json === true);
  return {
    env: ctx.env,
    sharedConfig: await loadSharedConfig({ env: ctx.env }),
    mfaCodeProvider: mfaCodeProvider(ctx),
    // Role and SSO sessions are kept between runs (CREDKIT_SESSION_CACHE: aws, credkit or off).
    sessionCache: true,
    onWarning: (w: AppChainWarning) => out.warn(w.message),
  };
}

/** The app region, or undefined when none is configured (STS then uses its global default). */
async function appRegion(options: AppChainOptions): Promise<string | undefined> {
  try {
    return (await resolveAppRegion(options)).region;
  } catch (error) {
    if (isCredkitError(error, 'REGION_MISSING')) return undefined;
    throw error;
  }
}

export async function resolveApplication(ctx: CommandContext): Promise<Application> {
  const options = await chainOptions(ctx);
  const credentials = (await fromAppChain(options)()) as ResolvedCredentials;
  const region = await appRegion(options);
  const source = credentials.source ?? { kind: 'env', description: 'the default chain' };
  return { credentials, description: source.description, source: { ...source }, region };
}

export async function explainApplication(ctx: CommandContext) {
  const options = await chainOptions(ctx);
  const explanation = await explainAppChain(options);
  const region = explanation.resolved ? await appRegion(options).catch(() => undefined) : undefined;
  return { explanation, region };
}

export async function verifyIdentity(
  ctx: CommandContext,
  credentials: AwsCredentialIdentity,
  region: string | undefined,
): Promise<{ account: string; arn: string; userId?: string }> {
  return verifyAppIdentity(credentials, { env: ctx.env, ...(region ? { region } : {}) });
}
