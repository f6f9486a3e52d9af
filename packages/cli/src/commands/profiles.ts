import { type Diagnostic, listProfiles } from '@credkit/env-selector';
import { displayPath } from '@credkit/env-selector/providers';
import type { CommandContext } from '../context.js';
import { booleanFlag } from '../context.js';
import { createOutput, table } from '../output.js';
import { jsonText } from '../terminal.js';

/**
 * `credkit profiles`: every named profile, its kind, region, where it is defined and what to fix.
 * Exit 0 also when no profile is found, like `aws configure list-profiles` and `aws-vault list`; a
 * file that AWS_CONFIG_FILE or AWS_SHARED_CREDENTIALS_FILE names but that does not exist is said on
 * stderr, so a wrong path is never mistaken for an empty configuration.
 */
export async function profilesCommand(options: CommandContext): Promise<number> {
  const json = booleanFlag(options.flags, 'json');
  const out = createOutput(options, json);
  const listing = await listProfiles({ env: options.env });
  const shown = (file: string) => displayPath(file, options.env);
  const files = [
    { info: listing.configFile, variable: 'AWS_CONFIG_FILE' },
    { info: listing.credentialsFile, variable: 'AWS_SHARED_CREDENTIALS_FILE' },
  ];
  // The same path read as both files is one file: say things about it once.
  const distinct = files.filter((f, i) => i === 0 || f.info.path !== files[0]!.info.path);
  for (const { info, variable } of distinct) {
    if (info.exists || !options.env[variable]) continue;
    out.warn(
      `${variable} names ${shown(info.path)}, which does not exist; no profiles were read from it.`,
      `Fix the path, or unset ${variable} to read the default file.`,
    );
  }
  if (json) {
    // One write of compact JSON: 10,000 profiles should not cost a pretty-printer pass.
    options.stdout.write(`${jsonText(listing.profiles)}\n`);
    return 0;
  }
  const { style } = out;
  if (listing.profiles.length === 0) {
    out.line('No named profiles found.');
    const state = (exists: boolean) => (exists ? 'has no profile sections' : 'does not exist');
    out.note(
      `Read ${distinct.map(({ info }) => `${shown(info.path)} (${state(info.exists)})`).join(' and ')}. Add one with: aws configure --profile NAME`,
    );
  } else {
    const rows: string[][] = [['NAME', 'KIND', 'REGION', 'DEFINED IN'].map((h) => style.dim(h))];
    for (const p of listing.profiles) {
      // One file given as both AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE defines it once.
      const where = [...new Set(p.definedIn.map((d) => `${shown(d.file)}:${d.line}`))].join(', ');
      const kind = p.kind === 'incomplete' ? style.red(p.kind) : p.kind;
      rows.push([p.name, kind, p.region ?? style.dim('-'), where]);
    }
    const lines = table(rows);
    out.line(lines[0]!.trimEnd());
    listing.profiles.forEach((p, i) => {
      out.line(lines[i + 1]!.trimEnd());
      // The incomplete reason is also a diagnostic with its line when it has one: say it once.
      const stated = p.diagnostics.some((d) => d.code === 'PROFILE_INCOMPLETE');
      if (p.incompleteReason && !stated) out.line(`    ${style.red('✖')} ${p.incompleteReason}`);
      for (const d of p.diagnostics) {
        const error = d.severity === 'error' || d.code === 'PROFILE_INCOMPLETE';
        const mark = error ? style.red('✖') : style.yellow('!');
        out.line(`    ${mark} ${located(d, shown)}`);
      }
    });
  }
  const fileLevel = listing.diagnostics.filter((d) => d.profile === undefined);
  // Read as config and as credentials, one file gives the same file-level note twice.
  for (const text of new Set(fileLevel.map((d) => located(d, shown)))) out.warn(text);
  return 0;
}

/** The message, then `(file:line)` unless the message already names the file. */
function located(d: Diagnostic, shown: (file: string) => string): string {
  const file = shown(d.file);
  return d.message.includes(file) ? d.message : `${d.message} (${file}:${d.line})`;
}
