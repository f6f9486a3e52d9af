/**
 * Application credentials (the default chain of @credkit/app-chain), STS verification, and the two
 * ways temporary credentials enter without a profile (stdin JSON, the masked prompt). Loaded only by
 * commands that need them: this module pulls in the libraries.
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
import {
  fromTemporaryCredentials,
  type JsonStream,
  promptTemporaryCredentials,
  readTemporaryCredentialsJson,
} from '@credkit/temp-creds';
import { CredkitError, isCredkitError } from '@credkit/temp-creds/errors';
import type { Prompter } from '@credkit/temp-creds/prompter';
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
  const out = createOutput({ ...ctx, json: ctx.flags.json === true });
  return {
    env: ctx.env,
    sharedConfig: await loadSharedConfig({ env: ctx.env }),
    mfaCodeProvider: mfaCodeProvider(ctx),
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

export async function readStdinCredentials(ctx: CommandContext): Promise<AwsCredentialIdentity> {
  if (ctx.stdin.isTTY === true) {
    throw new CredkitError(
      'STDIN_IS_TERMINAL',
      '--credentials-stdin reads credentials from a pipe, but stdin is a terminal.',
      {
        hint: 'Pipe them in: aws configure export-credentials --profile P | credkit env init --name N --credentials-stdin',
        exitCode: 2,
      },
    );
  }
  const parsed = await readTemporaryCredentialsJson(ctx.stdin as JsonStream);
  return fromTemporaryCredentials(parsed)();
}

export async function promptTemporary(
  _ctx: CommandContext,
  prompter: Prompter,
): Promise<AwsCredentialIdentity> {
  return fromTemporaryCredentials(await promptTemporaryCredentials({ prompter }))();
}
