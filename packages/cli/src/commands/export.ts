import type { CommandContext } from '../context.js';
import { choiceFlag } from '../context.js';
import { withNameHint } from '../exec-hints.js';
import { EXPORT_FORMATS, formatCredentials } from '../formats.js';
import { createOutput } from '../output.js';
import { resolveSourceCredentials } from '../sources.js';

/**
 * `credkit export`: credentials of the app chain, a profile or an environment, printed in the chosen
 * format. This is the one command that prints secrets, on purpose, to stdout only.
 */
export async function exportCommand(options: CommandContext): Promise<number> {
  const format = choiceFlag(options.flags, 'format', EXPORT_FORMATS) ?? 'process';
  const resolved = await resolveSourceCredentials(options).catch(async (error: unknown) => {
    throw await withNameHint(error, options, 'export');
  });
  const c = resolved.credentials;
  if (c.accessKeyId.startsWith('AKIA') && !c.sessionToken) {
    // A permanent key outlives whatever it is pasted into; say so where a person reads it.
    createOutput(options, false).warn(
      `Printing a long-term access key (${resolved.description}); it stays valid until it is rotated.`,
      'Pass --session to print a one-hour STS session instead.',
    );
  }
  options.stdout.write(formatCredentials(c, format));
  return 0;
}
