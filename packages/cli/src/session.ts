/**
 * The CLI's seams to the libraries: the prompter (created lazily, on stderr so stdout stays
 * scriptable), the MFA code provider, and interactivity. Library modules are imported dynamically
 * so that a command only pays for what it uses.
 */
import { CredkitError } from '@credkit/temp-creds/errors';
import { isInteractive, type Prompter } from '@credkit/temp-creds/prompter';
import type { CommandContext } from './context.js';
import { stringFlag } from './context.js';

/**
 * Whether a person can answer a prompt here: an injected prompter always can; otherwise the
 * library's rule (isInteractive: not CI, stdin a terminal) with stderr, where credkit prompts.
 */
export function interactive(ctx: CommandContext): boolean {
  if (ctx.prompter !== undefined) return true;
  return isInteractive({ stdin: ctx.stdin, stdout: ctx.stderr, env: ctx.env });
}

let cached: Prompter | undefined;

export async function getPrompter(ctx: CommandContext): Promise<Prompter> {
  if (ctx.prompter !== undefined) return ctx.prompter;
  if (cached !== undefined) return cached;
  const { createTerminalPrompter } = await import('@credkit/temp-creds/prompter');
  cached = createTerminalPrompter({
    input: ctx.stdin,
    output: ctx.stderr,
    env: ctx.env,
    ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
  });
  return cached;
}

/**
 * MFA codes for assume-role profiles: `--mfa-code` when given, else asked on a terminal, else a
 * clear error naming the one command that starts a session from a terminal (never a hang). It is
 * asked only when no cached session can be used. `profile` is the profile the command resolves.
 */
export function mfaCodeProvider(ctx: CommandContext, profile?: string): (serial: string) => Promise<string> {
  const flag = checkedMfaCodeFlag(ctx);
  return async (serial: string) => {
    if (flag !== undefined) return flag;
    if (!interactive(ctx)) {
      const name = profile ?? (ctx.env.AWS_PROFILE || 'default');
      const refresh = `credkit sessions refresh --profile ${quoteArg(name)}`;
      throw new CredkitError(
        'MFA_CODE_REQUIRED',
        `A new session for profile "${name}" needs an MFA code for ${serial}, and there is no terminal to ask on.`,
        {
          hint: `Run this in a terminal, then retry: ${refresh} (or pass --mfa-code CODE).`,
          exitCode: 2,
          details: { serial, profile: name, refresh },
        },
      );
    }
    const prompter = await getPrompter(ctx);
    const code = await prompter.input({
      message: `MFA code for ${serial}:`,
      validate: (value) =>
        MFA_CODE.test(value.trim()) ? true : 'Enter the 6-digit code from your MFA device.',
    });
    return code.trim();
  };
}

// STS takes exactly six digits (TokenCode, pattern [\d]*, length 6).
const MFA_CODE = /^\d{6}$/;

/**
 * `--mfa-code` as given, checked before anything is resolved: a value STS would refuse with a raw
 * ValidationError (letters, 5 digits) is a usage error at once. The value is not shown: it may be
 * something else pasted by mistake.
 */
export function checkedMfaCodeFlag(ctx: CommandContext): string | undefined {
  const flag = stringFlag(ctx.flags, 'mfa-code');
  if (flag === undefined || MFA_CODE.test(flag.trim())) return flag?.trim();
  throw new CredkitError(
    'INVALID_MFA_CODE',
    `--mfa-code must be the 6-digit code your MFA device shows; the value given (${flag.length} characters, not shown) is not.`,
    {
      hint: 'Pass the current code, e.g. --mfa-code 123456, or leave the flag out to be asked on a terminal.',
      exitCode: 2,
      details: { flag: '--mfa-code' },
    },
  );
}

/** A profile name as a shell word: bare when safe, else single-quoted. */
function quoteArg(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}
