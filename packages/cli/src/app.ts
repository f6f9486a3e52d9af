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
import { profileStsEndpoint } from '@credkit/env-selector/providers';
import { loadSharedConfig, type SharedConfig } from '@credkit/env-selector/shared-config';
import { isCredkitError } from '@credkit/temp-creds/errors';
import type { CommandContext } from './context.js';
import { createOutput } from './output.js';
import { retryingTypedMfaCode } from './retry.js';
import { mfaCodeProvider } from './session.js';

export interface Application {
  credentials: AwsCredentialIdentity;
  description: string;
  source: Record<string, unknown>;
  region: string | undefined;
  /** The shared config the chain read (the SSM store reads its endpoint settings from it). */
  sharedConfig: SharedConfig;
  /** The STS endpoint of the profile the credentials came from (services / endpoint_url), if any. */
  stsEndpoint: string | undefined;
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

// One resolution per command: `env init --store ssm` needs the application twice (its identity and
// the store), and a credential_process or an MFA prompt must not run twice.
const resolved = new WeakMap<CommandContext, Promise<Application>>();

export function resolveApplication(ctx: CommandContext): Promise<Application> {
  let application = resolved.get(ctx);
  if (application === undefined) {
    application = resolveOnce(ctx);
    resolved.set(ctx, application);
  }
  return application;
}

// A wrong MFA code typed for the application's profile is asked again, as for an environment's.
function resolveOnce(ctx: CommandContext): Promise<Application> {
  return retryingTypedMfaCode(ctx, () => resolveAttempt(ctx));
}

async function resolveAttempt(ctx: CommandContext): Promise<Application> {
  const options = await chainOptions(ctx);
  const credentials = (await fromAppChain(options)()) as ResolvedCredentials;
  const region = await appRegion(options);
  const source = credentials.source ?? { kind: 'env', description: 'the default chain' };
  // The same endpoint precedence as role hops: the variables, then the profile, then the default.
  const variables = ctx.env.AWS_ENDPOINT_URL_STS || ctx.env.AWS_ENDPOINT_URL;
  const stsEndpoint =
    variables || source.profile === undefined || options.sharedConfig === undefined
      ? undefined
      : profileStsEndpoint(options.sharedConfig, source.profile);
  return {
    credentials,
    description: source.description,
    source: { ...source },
    region,
    stsEndpoint,
    sharedConfig: options.sharedConfig as SharedConfig,
  };
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
  stsEndpoint?: string,
): Promise<{ account: string; arn: string; userId?: string }> {
  return verifyAppIdentity(credentials, {
    env: ctx.env,
    ...(region ? { region } : {}),
    ...(stsEndpoint ? { clientConfig: { endpoint: stsEndpoint } } : {}),
  });
}
