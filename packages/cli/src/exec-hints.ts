/**
 * What `credkit exec` and `credkit export` say when the words were in the wrong place: a profile
 * typed where the command goes, a command or an environment typed where the profile goes, or an
 * exec inside another exec's shell.
 */
import { loadSharedConfig } from '@credkit/env-selector/shared-config';
import { CredkitError, isCredkitError } from '@credkit/temp-creds/errors';
import type { CommandContext } from './context.js';

/** Set in the environment of every command credkit exec runs, like aws-vault's AWS_VAULT. */
export const EXEC_MARKER = 'CREDKIT_PROFILE';

/**
 * An exec inside an exec's shell would stack a second set of credentials over the first without a
 * word; refused before anything is resolved (no MFA prompt for a command that will not run).
 */
export function refuseNested(ctx: CommandContext): void {
  const outer = ctx.env[EXEC_MARKER];
  if (outer === undefined || outer === '' || ctx.flags.nested === true) return;
  throw new CredkitError(
    'EXEC_NESTED',
    `Already inside \`credkit exec\` (${EXEC_MARKER}=${outer}): a second one would replace its credentials.`,
    {
      hint: 'Leave that shell first (exit), or pass --nested to run inside it anyway.',
      exitCode: 1,
      details: { outer },
    },
  );
}

/** Whether `name` is a profile of the shared config: read only to word an error, never to resolve. */
export async function isProfileName(name: string, env: CommandContext['env']): Promise<boolean> {
  try {
    return (await loadSharedConfig({ env })).profiles.has(name);
  } catch {
    // A broken config file has its own error elsewhere; here it only means "cannot tell".
    return false;
  }
}

/** `credkit exec --profile p deploy` or `credkit exec -- deploy`: the missing command is a profile. */
export async function commandNotFound(ctx: CommandContext, command: string, shell: boolean) {
  const profile = !shell && (await isProfileName(command, ctx.env));
  const hint = shell
    ? `SHELL is "${command}", which is not installed: set SHELL to an installed shell, or give a command after --.`
    : profile
      ? `"${command}" is a profile name, not a command: write \`credkit exec ${command} -- COMMAND\` (or \`credkit exec ${command}\` for a shell).`
      : 'Check the spelling and that the command is on PATH.';
  return new CredkitError('EXEC_COMMAND_NOT_FOUND', `Command not found: ${command}`, {
    hint,
    exitCode: 127,
    details: { command, ...(profile && { profile: command }) },
  });
}

/** Whether `name` is an environment of the app in the file store (the store Tab reads too). */
async function isEnvironmentName(ctx: CommandContext, name: string): Promise<string | undefined> {
  try {
    // Loaded only on this error path: `export` stays free of the store's code otherwise.
    const { FileMetadataStore, resolveAppName, resolveStoreDir } = await import('./store/index.js');
    const app = resolveAppName(
      typeof ctx.flags.app === 'string' ? ctx.flags.app : undefined,
      ctx.env,
      ctx.cwd,
    );
    const found = await new FileMetadataStore(resolveStoreDir(ctx.env)).getEnvironment(app, name);
    return found === undefined ? undefined : app;
  } catch {
    return undefined;
  }
}

/**
 * A bare word is read as a profile (`credkit exec aws s3 ls`, as aws-vault reads it). When no such
 * profile exists, say what the word probably was: an environment (use --env) or, for exec, the
 * command to run with the application credentials.
 */
export async function withNameHint(error: unknown, ctx: CommandContext, command: string): Promise<unknown> {
  if (ctx.positional !== 'profile' || !isCredkitError(error, 'PROFILE_NOT_FOUND')) return error;
  const word = String(ctx.flags.profile);
  const app = await isEnvironmentName(ctx, word);
  const tail = ctx.rest.length > 0 ? ` -- ${ctx.rest.join(' ')}` : '';
  const extra =
    app !== undefined
      ? `"${word}" is an environment of app "${app}", not a profile: write \`credkit ${command} --env ${word}${tail}\`.`
      : command === 'exec'
        ? `If \`${word}\` is the command to run with the application credentials, write \`credkit exec ${['--', word, ...ctx.rest].join(' ')}\`.`
        : undefined;
  if (extra === undefined) return error;
  return new CredkitError(error.code, error.message, {
    hint: app !== undefined ? extra : `${error.hint ?? ''} ${extra}`.trim(),
    exitCode: error.exitCode,
    details: error.details,
    cause: error,
  });
}
