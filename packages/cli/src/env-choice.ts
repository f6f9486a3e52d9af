/**
 * The environment's credentials for `env init` and `env delete`, in two steps:
 *
 * 1. `checkGivenCredentials`: what the flags say (a profile that exists, keys of the right shape,
 *    credential_process JSON on stdin), read and checked locally: no prompt, no AWS call.
 * 2. `chooseVerifiedCredentials`: resolve them (or ask, on a terminal) and verify them with STS. On a
 *    terminal an answer that fails (keys STS rejects, a picked profile that cannot be resolved, a
 *    wrong MFA code) is asked again with the reason shown above the prompt, up to three tries in all,
 *    like sudo; only Ctrl-C, Escape or Ctrl-D stop early. What came from flags is never asked again.
 */
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import {
  type EnvironmentCredentialsSelection,
  type ListedProfile,
  selectEnvironmentCredentials,
} from '@credkit/env-selector';
import type { TemporaryCredentialsInput } from '@credkit/temp-creds';
import { type CredkitError, isCredkitError } from '@credkit/temp-creds/errors';
import type { CommandContext } from './context.js';
import { booleanFlag, stringFlag } from './context.js';
import { type ChosenCredentials, credentialFlags, type Identity, verifyEnvironment } from './flows.js';
import { isTypedMfaCodeRejected, MAX_ATTEMPTS, showRetry } from './retry.js';
import { checkedMfaCodeFlag, getPrompter, interactive, mfaCodeProvider } from './session.js';
import { profileSource } from './store/records.js';

/** Credentials named but not resolved yet: resolving may run a process, ask an MFA code, call STS. */
export interface PendingCredentials {
  /** `flags` (never asked again), `picker` (the question), `keys` (the temporary-credentials prompts). */
  via: 'flags' | 'picker' | 'keys';
  profile?: ListedProfile | undefined;
  resolve(): Promise<ChosenCredentials>;
  /** What was typed at the key prompts, offered again (masked) when they are asked again. */
  typed?: TemporaryCredentialsInput;
}

/** The credentials the flags give, checked before anything is asked or called; undefined: none given. */
export async function checkGivenCredentials(
  ctx: CommandContext,
  name: string,
): Promise<PendingCredentials | undefined> {
  const { flags } = ctx;
  checkedMfaCodeFlag(ctx);
  if (booleanFlag(flags, 'credentials-stdin')) {
    const { readStdinCredentials } = await import('./temporary.js');
    const credentials = await readStdinCredentials(ctx);
    return {
      via: 'flags',
      resolve: async () => ({
        credentials,
        credentialSource: 'temporary',
        description: 'temporary credentials from stdin',
      }),
    };
  }
  const profile = stringFlag(flags, 'profile');
  const accessKeyId = stringFlag(flags, 'aws-access-key-id');
  if (profile === undefined && accessKeyId === undefined) return undefined;
  // With flags this looks the profile up (PROFILE_NOT_FOUND, PROFILE_INCOMPLETE) or checks the keys'
  // shape, and returns a provider that has not run yet.
  const selection = await selectEnvironmentCredentials({
    envName: name,
    flags: credentialFlags(flags),
    interactive: false,
    env: ctx.env,
    mfaCodeProvider: mfaCodeProvider(ctx),
    ...(ctx.now === undefined ? {} : { now: ctx.now }),
  });
  return pendingOf(selection, 'flags');
}

export interface ChooseOptions {
  /** Credentials from `checkGivenCredentials`; otherwise they are asked for. */
  given?: PendingCredentials | undefined;
  /** Ask for temporary credentials only (env delete of an environment recorded with them). */
  temporaryOnly?: boolean;
  /** The region STS is called in for these credentials (undefined: STS's global default). */
  region(chosen: ChosenCredentials): string | undefined;
  /** A further check of the verified identity (env delete: the recorded account). */
  check?(identity: Identity, chosen: ChosenCredentials): void;
}

export async function chooseVerifiedCredentials(
  ctx: CommandContext,
  name: string,
  options: ChooseOptions,
): Promise<{ chosen: ChosenCredentials; identity: Identity }> {
  let pending = options.given;
  let again: { keys: TemporaryCredentialsInput | undefined } | undefined;
  for (let attempt = 1; ; attempt++) {
    let current = pending;
    try {
      // Inside the try: a picked profile can fail as soon as it is chosen (PROFILE_INCOMPLETE).
      current ??= await ask(ctx, name, options.temporaryOnly === true ? { keys: again?.keys } : again);
      const chosen = await current.resolve();
      const identity = await verifyEnvironment(ctx, chosen, options.region(chosen));
      options.check?.(identity, chosen);
      return { chosen, identity };
    } catch (error) {
      const next = retryOf(ctx, error, current?.via ?? 'picker');
      if (next === undefined || attempt >= MAX_ATTEMPTS) throw error;
      showRetry(ctx, error as CredkitError, attempt + 1);
      // Keys are asked again (previous values kept on enter); a picked profile brings the question back.
      again = current?.via === 'keys' ? { keys: current.typed } : undefined;
      pending = next === 'same' ? current : undefined;
    }
  }
}

/** Asks on the terminal: the question (profile or temporary credentials), or the key prompts alone. */
async function ask(
  ctx: CommandContext,
  name: string,
  keysOnly: { keys: TemporaryCredentialsInput | undefined } | undefined,
): Promise<PendingCredentials> {
  const prompter = await getPrompter(ctx);
  if (keysOnly !== undefined) {
    const { fromTemporaryCredentials, promptTemporaryCredentials } = await import('@credkit/temp-creds');
    const keys = await promptTemporaryCredentials({
      prompter,
      defaults: keysOnly.keys,
      ...(ctx.now === undefined ? {} : { now: ctx.now }),
    });
    return {
      via: 'keys',
      typed: typedOf(keys),
      resolve: async () => ({
        credentials: await fromTemporaryCredentials(keys)(),
        credentialSource: 'temporary',
        description: 'temporary credentials (entered)',
      }),
    };
  }
  const selection = await selectEnvironmentCredentials({
    envName: name,
    interactive: true,
    prompter,
    env: ctx.env,
    mfaCodeProvider: mfaCodeProvider(ctx),
    ...(ctx.now === undefined ? {} : { now: ctx.now }),
  });
  return pendingOf(selection, selection.choice.kind === 'temporary' ? 'keys' : 'picker');
}

function pendingOf(
  selection: EnvironmentCredentialsSelection,
  via: PendingCredentials['via'],
): PendingCredentials {
  const { choice } = selection;
  // The provider of entered keys only hands back what was typed: resolving it is how the keys
  // are kept for the next try.
  const pending: PendingCredentials = {
    via,
    profile: selection.profile,
    resolve: async () => {
      const credentials = await selection.provider();
      if (choice.kind === 'profile') {
        const source = (credentials as { source?: { description?: string } }).source;
        return {
          credentials,
          credentialSource: profileSource(choice.profile),
          profile: selection.profile,
          description: source?.description ?? `profile "${choice.profile}"`,
        };
      }
      if (via === 'keys') pending.typed = typedOf(credentials);
      const how = choice.via === 'flags' ? 'from flags' : 'entered';
      return { credentials, credentialSource: 'temporary', description: `temporary credentials (${how})` };
    },
  };
  return pending;
}

function typedOf(c: AwsCredentialIdentity): TemporaryCredentialsInput {
  return {
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    ...(c.sessionToken === undefined ? {} : { sessionToken: c.sessionToken }),
  };
}

/**
 * Errors that another answer cannot fix, or that the person chose: they end the command at once.
 * An endpoint that is down or insecure is not the answer's fault either.
 */
const FINAL = new Set([
  'PROMPT_CANCELLED',
  'PROMPT_EOF',
  'PROMPT_NOT_INTERACTIVE',
  'PROMPT_FAILED',
  'INPUT_TOO_LARGE',
  'MFA_CODE_REQUIRED',
  'INVALID_MFA_CODE',
  'STS_UNAVAILABLE',
  'RESOLUTION_TIMEOUT',
  'INSECURE_ENDPOINT',
]);

/** `same`: resolve the same choice again (it asks a new MFA code); `ask`: ask for other credentials. */
function retryOf(
  ctx: CommandContext,
  error: unknown,
  via: PendingCredentials['via'],
): 'same' | 'ask' | undefined {
  if (isTypedMfaCodeRejected(ctx, error)) return 'same';
  if (!isCredkitError(error) || FINAL.has(error.code) || !interactive(ctx)) return undefined;
  // A code given with --mfa-code would only be rejected again: MFA_CODE_REJECTED is final then.
  if (error.code === 'MFA_CODE_REJECTED') return undefined;
  return via === 'flags' ? undefined : 'ask';
}
