import type { CommandContext } from '../context.js';
import { stringFlag } from '../context.js';
import { type ExportFormat, formatCredentials } from '../formats.js';
import { resolveSourceCredentials } from '../sources.js';

/**
 * `credkit export`: credentials of the app chain, a profile or an environment, printed in the chosen
 * format. This is the one command that prints secrets, on purpose, to stdout only.
 */
export async function exportCommand(options: CommandContext): Promise<number> {
  const format = (stringFlag(options.flags, 'format') ?? 'process') as ExportFormat;
  const resolved = await resolveSourceCredentials(options);
  options.stdout.write(formatCredentials(resolved.credentials, format));
  return 0;
}
