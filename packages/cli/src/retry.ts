/**
 * Asking again after a wrong answer at a terminal: how many tries, and the reason shown above the
 * prompt that comes back. Kept free of library imports: `app whoami` (a fast command) loads it.
 */
import { type CredkitError, isCredkitError } from '@credkit/temp-creds/errors';
import type { CommandContext } from './context.js';
import { booleanFlag, stringFlag } from './context.js';
import { colorEnabled, createOutput, createStyle } from './output.js';
import { interactive } from './session.js';
import { terminalText } from './terminal.js';

/** Tries in all for one answer (sudo's number). */
export const MAX_ATTEMPTS = 3;

/** The reason, above the prompt that comes back; `attempt` is the try about to start. */
export function showRetry(ctx: CommandContext, error: CredkitError, attempt: number): void {
  const again = `Try again (${attempt} of ${MAX_ATTEMPTS}), or press Ctrl-C to cancel.`;
  if (booleanFlag(ctx.flags, 'json')) {
    createOutput(ctx, true).warn(error.message, [error.hint, again].filter(Boolean).join(' '));
    return;
  }
  const color = colorEnabled(ctx.stderr, ctx.env);
  const style = createStyle(color);
  const lines = [`${style.red('✖')} ${error.message}`];
  if (error.hint) lines.push(`  ${style.dim(error.hint)}`);
  lines.push(`  ${again}`);
  ctx.stderr.write(terminalText(`${lines.join('\n')}\n`, { color, maskSecrets: true }));
}

/** An MFA code STS rejected that a person typed (not --mfa-code, which would fail the same way). */
export function isTypedMfaCodeRejected(ctx: CommandContext, error: unknown): error is CredkitError {
  return (
    isCredkitError(error, 'MFA_CODE_REJECTED') &&
    interactive(ctx) &&
    stringFlag(ctx.flags, 'mfa-code') === undefined
  );
}

/** Runs `attempt` again while the MFA code typed for it is rejected, up to MAX_ATTEMPTS tries. */
export async function retryingTypedMfaCode<T>(ctx: CommandContext, attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isTypedMfaCodeRejected(ctx, error) || n >= MAX_ATTEMPTS) throw error;
      showRetry(ctx, error, n + 1);
    }
  }
}
