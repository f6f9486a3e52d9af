import { listProfiles } from '@credkit/env-selector';
import { displayPath } from '@credkit/env-selector/providers';
import type { CommandContext } from '../context.js';
import { booleanFlag } from '../context.js';
import { createOutput, table } from '../output.js';
import { jsonText } from '../terminal.js';

/** `credkit profiles`: every named profile, its kind, region, where it is defined and what to fix. */
export async function profilesCommand(options: CommandContext): Promise<number> {
  const json = booleanFlag(options.flags, 'json');
  const out = createOutput(options, json);
  const listing = await listProfiles({ env: options.env });
  if (json) {
    // One write of compact JSON: 10,000 profiles should not cost a pretty-printer pass.
    options.stdout.write(`${jsonText(listing.profiles)}\n`);
    return 0;
  }
  const { style } = out;
  if (listing.profiles.length === 0) {
    out.line('No named profiles found.');
    out.note(
      `Looked in ${displayPath(listing.configFile.path, options.env)} and ${displayPath(listing.credentialsFile.path, options.env)}.`,
    );
  } else {
    const rows: string[][] = [['NAME', 'KIND', 'REGION', 'DEFINED IN'].map((h) => style.dim(h))];
    for (const p of listing.profiles) {
      const where = p.definedIn.map((d) => `${displayPath(d.file, options.env)}:${d.line}`).join(', ');
      const kind = p.kind === 'incomplete' ? style.red(p.kind) : p.kind;
      rows.push([p.name, kind, p.region ?? style.dim('-'), where]);
    }
    const lines = table(rows);
    out.line(lines[0]!.trimEnd());
    listing.profiles.forEach((p, i) => {
      out.line(lines[i + 1]!.trimEnd());
      if (p.incompleteReason) out.line(`    ${style.red('✖')} ${p.incompleteReason}`);
      for (const d of p.diagnostics) {
        const mark = d.severity === 'error' ? style.red('✖') : style.yellow('!');
        out.line(`    ${mark} ${d.message} (${displayPath(d.file, options.env)}:${d.line})`);
      }
    });
  }
  const fileLevel = listing.diagnostics.filter((d) => d.profile === undefined);
  for (const d of fileLevel) out.warn(`${d.message} (${displayPath(d.file, options.env)}:${d.line})`);
  return 0;
}
