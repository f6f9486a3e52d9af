/**
 * What `credkit exec` says when the words were in the wrong place: a profile typed where the command
 * goes, a command typed where the profile goes, or an exec inside another exec's shell.
 */
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
    const { loadSharedConfig } = await import('@credkit/env-selector/shared-config');
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

/**
 * `credkit exec aws s3 ls` now reads `aws` as the profile (as aws-vault does). When no such profile
 * exists, the word was probably the command: say how to run it with the application credentials.
 */
export function withCommandHint(error: unknown, ctx: CommandContext): unknown {
  if (ctx.positional !== 'profile' || !isCredkitError(error, 'PROFILE_NOT_FOUND')) return error;
  const word = String(ctx.flags.profile);
  const run = ['--', word, ...ctx.rest].join(' ');
  return new CredkitError(error.code, error.message, {
    hint: `${error.hint ?? ''} If \`${word}\` is the command to run with the application credentials, write \`credkit exec ${run}\`.`.trim(),
    exitCode: error.exitCode,
    details: error.details,
    cause: error,
  });
}
