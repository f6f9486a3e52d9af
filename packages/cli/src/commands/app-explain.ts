import { displayPath } from '@credkit/env-selector/providers';
import { explainApplication } from '../app.js';
import type { CommandContext } from '../context.js';
import { booleanFlag } from '../context.js';
import { createOutput, table } from '../output.js';
import { homeRelative } from '../paths.js';

/**
 * `credkit app explain`: one line per link of the application chain (resolved, skipped with the
 * reason, or failed with its own error), then the result. Exit 1 when no link gave credentials.
 */
export async function appExplainCommand(options: CommandContext): Promise<number> {
  const json = booleanFlag(options.flags, 'json');
  const out = createOutput(options, json);
  const { explanation, region } = await explainApplication(options);
  if (json) {
    out.json({ ...explanation, region: region ?? null });
    return explanation.resolved ? 0 : 1;
  }
  const { style } = out;
  out.line('Application credential chain, in order:');
  // The library's first link is its `profile` option, which no credkit command sets: a CLI user
  // chooses a profile with AWS_PROFILE (the next row), so the row would name nothing they can change.
  const links = explanation.links.filter((l) => !(l.name === 'profile option' && l.status === 'skipped'));
  const rows = links.map((link, i) => {
    const n = `${i + 1}.`;
    switch (link.status) {
      case 'resolved':
        return [n, link.name, style.green('resolved'), link.source.description];
      case 'skipped':
        return [n, link.name, style.dim('skipped'), link.reason];
      default:
        return [
          n,
          link.name,
          style.red('failed'),
          `${link.error.code}: ${homeRelative(link.error.message, options.env)}`,
        ];
    }
  });
  for (const line of table(rows, '  ')) out.line(line);
  // The plan's notes on the profiles used: shadowed settings, lines the JS SDK reads differently.
  for (const note of explanation.notes) {
    const mark = note.severity === 'info' ? style.dim('note') : style.yellow('warning');
    out.line(`${mark}: ${displayPath(note.file, options.env)}:${note.line} ${note.code}: ${note.message}`);
  }
  if (explanation.resolved) {
    const where = region === undefined ? 'no region configured' : `region ${region}`;
    out.line(`Result: ${style.bold(explanation.source?.description ?? 'resolved')} (${where})`);
    return 0;
  }
  // The rows above already say why each link was skipped or what failed; the error's message
  // would repeat the whole trail, so the result line names only its code.
  out.line(
    `Result: ${style.red('no credentials')}${explanation.error ? ` (${explanation.error.code})` : ''}`,
  );
  if (explanation.error?.hint)
    out.line(`${style.dim('hint:')} ${homeRelative(explanation.error.hint, options.env)}`);
  return 1;
}
