/**
 * The steps `env init` and `env delete` share: checks that must fail before any AWS call, the
 * application side (resolved and verified first: it owns the metadata), the environment's
 * credentials and region, and their STS verification.
 */

import type { AwsCredentialIdentity } from '@aws-sdk/types';
import {
  type EnvironmentCredentialFlags,
  interpretCredentialFlags,
  type ListedProfile,
  resolveEnvironmentRegion,
} from '@credkit/env-selector';
import { CredkitError } from '@credkit/temp-creds/errors';
import { booleanFlag, type CommandContext, type FlagValues, stringFlag } from './context.js';
import type { Output } from './output.js';
import { getPrompter, interactive } from './session.js';

export interface ChosenCredentials {
  credentials: AwsCredentialIdentity;
  /** What the metadata records: `profile NAME` or `temporary`. */
  credentialSource: string;
  profile?: ListedProfile | undefined;
  description: string;
}

export interface Identity {
  account: string;
  arn: string;
}

/** The credentials given are for another account than the environment was recorded in. */
export function accountMismatch(
  recorded: { app: string; name: string; account: string; credentialSource: string },
  description: string,
  account: string,
  consequence: string,
): CredkitError {
  const { app, name } = recorded;
  return new CredkitError(
    'ENV_ACCOUNT_MISMATCH',
    `Environment "${name}" is recorded in account ${recorded.account}, but the credentials given (${description}) are for account ${account}. ${consequence}`,
    {
      hint: `Use credentials of account ${recorded.account} (recorded source: ${recorded.credentialSource}).`,
      details: { app, name, recordedAccount: recorded.account, account },
    },
  );
}

/** The environment credential flags, as @credkit/env-selector names them. */
export function credentialFlags(flags: FlagValues): EnvironmentCredentialFlags {
  return {
    profile: stringFlag(flags, 'profile'),
    accessKeyId: stringFlag(flags, 'aws-access-key-id'),
    secretAccessKey: stringFlag(flags, 'aws-secret-access-key'),
    sessionToken: stringFlag(flags, 'aws-session-token'),
  };
}

/**
 * The credential flags of `env init` and `env delete`, checked first, before any file or AWS call
 * (env delete opens the store, maybe SSM, before it reads the credentials). Which combinations are
 * valid (a profile or keys, never both; a key with its partner) is the library's rule,
 * interpretCredentialFlags, which selectEnvironmentCredentials applies again: the command table
 * declares only what the library does not know, that --credentials-stdin stands alone.
 */
export function checkCredentialFlags(ctx: CommandContext, out: Output): void {
  interpretCredentialFlags(credentialFlags(ctx.flags));
  warnAboutArgvSecret(ctx, out);
}

function warnAboutArgvSecret(ctx: CommandContext, out: Output): void {
  const visible = ['aws-secret-access-key', 'aws-session-token'].filter(
    (f) => stringFlag(ctx.flags, f) !== undefined,
  );
  if (visible.length === 0) return;
  out.warn(
    `${visible.map((f) => `--${f}`).join(' and ')} on the command line ${visible.length > 1 ? 'are' : 'is'} visible to other processes on this machine (ps) and may be kept in your shell history.`,
    'Pipe the credentials in with --credentials-stdin instead, e.g. `aws configure export-credentials --profile P | credkit env init --name N --credentials-stdin`.',
  );
}

/** Without a terminal credkit never prompts: fail at once, before any AWS call, naming the flags. */
export function assertCanChooseWithoutPrompt(
  ctx: CommandContext,
  name: string,
  options: { needsRegion: boolean },
): void {
  if (interactive(ctx)) return;
  const { flags } = ctx;
  const hasProfile = stringFlag(flags, 'profile') !== undefined;
  const hasKeys =
    stringFlag(flags, 'aws-access-key-id') !== undefined || booleanFlag(flags, 'credentials-stdin');
  if (!hasProfile && !hasKeys) {
    throw new CredkitError(
      'NOT_INTERACTIVE',
      `No credentials were given for ${name} and there is no terminal to ask on.`,
      {
        exitCode: 2,
        hint: 'Pass --profile NAME, or --credentials-stdin (credential_process JSON on stdin), or --aws-access-key-id with --aws-secret-access-key (and --aws-session-token).',
      },
    );
  }
  if (options.needsRegion && hasKeys && stringFlag(flags, 'region') === undefined) {
    throw new CredkitError(
      'REGION_REQUIRED',
      `Temporary credentials carry no region for ${name}, and there is no terminal to ask on.`,
      {
        exitCode: 2,
        hint: 'Pass --region REGION (for example --region us-east-1).',
      },
    );
  }
}

export async function resolveVerifiedApp(ctx: CommandContext) {
  const { resolveApplication, verifyIdentity } = await import('./app.js');
  const app = await resolveApplication(ctx);
  const identity = await verifyIdentity(ctx, app.credentials, app.region, app.stsEndpoint);
  return { ...app, identity };
}

export async function chooseEnvironmentRegion(
  ctx: CommandContext,
  chosen: ChosenCredentials,
  name: string,
): Promise<string> {
  const canAsk = interactive(ctx);
  const needsPrompt = stringFlag(ctx.flags, 'region') === undefined && chosen.profile?.region == null;
  const result = await resolveEnvironmentRegion({
    flagRegion: stringFlag(ctx.flags, 'region'),
    profile: chosen.profile,
    interactive: canAsk,
    ...(canAsk && needsPrompt ? { prompter: await getPrompter(ctx) } : {}),
    envName: name,
  });
  return result.region;
}

export async function verifyEnvironment(
  ctx: CommandContext,
  chosen: ChosenCredentials,
  region: string | undefined,
): Promise<Identity> {
  const { verifyIdentity } = await import('./app.js');
  return verifyIdentity(ctx, chosen.credentials, region);
}
