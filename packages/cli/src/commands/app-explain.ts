import { displayPath } from '@credkit/env-selector/providers';
import { maskSecretShapes } from '@credkit/temp-creds/errors';
import { explainApplication } from '../app.js';
import type { CommandContext } from '../context.js';
import { booleanFlag } from '../context.js';
import { createOutput } from '../output.js';
import { homeRelative } from '../paths.js';
import { outputColumns, wrapTable, wrapText } from '../width.js';

/**
 * `credkit app explain`: one line per link of the application chain (resolved, skipped with the
 * reason, or failed with its own error), then the result. Exit 1 when no link gave credentials.
 * Fitted to the width (width.ts); texts are masked before they are wrapped, so a secret-shaped run
 * split over two lines cannot slip past the writer's masking.
 */
export async function appExplainCommand(options: CommandContext): Promise<number> {
  const json = booleanFlag(options.flags, 'json');
  const out = createOutput(options, json);
  const { explanation, region } = await explainApplication(options);
  if (json) {
    out.json({ ...explanation, region: region ?? null });
    return explanation.resolved ? 0 : 1;
  }
  const { stdout } = options;
  const width = outputColumns(options.env, stdout.isTTY ? stdout.columns : undefined);
  const { style } = out;
  const lines = (text: string, hang: number) => {
    for (const line of wrapText(text, width, hang)) out.line(line);
  };
  lines('Application credential chain, in order:', 2);
  // The library's first link is its `profile` option, which no credkit command sets: a CLI user
  // chooses a profile with AWS_PROFILE (the next row), so the row would name nothing they can change.
  const links = explanation.links.filter((l) => !(l.name === 'profile option' && l.status === 'skipped'));
  const rows = links.map((link, i) => {
    const n = `${i + 1}.`;
    switch (link.status) {
      case 'resolved':
        return [n, link.name, style.green('resolved'), maskSecretShapes(link.source.description)];
      case 'skipped':
        return [n, link.name, style.dim('skipped'), maskSecretShapes(link.reason)];
      default:
        return [
          n,
          link.name,
          style.red('failed'),
          maskSecretShapes(`${link.error.code}: ${homeRelative(link.error.message, options.env)}`),
        ];
    }
  });
  // Narrow screens: the reason goes under the link's name rather than in a sliver beside it.
  const under = 2 + Math.max(...rows.map((r) => r[0]!.length)) + 2;
  for (const line of wrapTable(rows, width, { indent: '  ', minLast: 30, under })) out.line(line);
  // The plan's notes on the profiles used: shadowed settings, lines the JS SDK reads differently.
  for (const note of explanation.notes) {
    const mark = note.severity === 'info' ? style.dim('note') : style.yellow('warning');
    const where = `${displayPath(note.file, options.env)}:${note.line}`;
    lines(`${mark}: ${where} ${note.code}: ${maskSecretShapes(note.message)}`, 2);
  }
  if (explanation.resolved) {
    const where = region === undefined ? 'no region configured' : `region ${region}`;
    const source = maskSecretShapes(explanation.source?.description ?? 'resolved');
    lines(`Result: ${style.bold(source)} (${where})`, 8);
    return 0;
  }
  // The rows above already say why each link was skipped or what failed; the error's message
  // would repeat the whole trail, so the result line names only its code.
  lines(
    `Result: ${style.red('no credentials')}${explanation.error ? ` (${explanation.error.code})` : ''}`,
    8,
  );
  if (explanation.error?.hint)
    lines(`${style.dim('hint:')} ${maskSecretShapes(homeRelative(explanation.error.hint, options.env))}`, 6);
  return 1;
}
