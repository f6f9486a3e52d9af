import { COMMANDS, GROUPS } from './commands/index.js';
import type { CommandSpec } from './context.js';
import type { Style } from './output.js';
import { VERSION } from './version.js';
import { DEFAULT_COLUMNS, wrapCommand, wrapParagraphs, wrapTable, wrapText, wrapUsage } from './width.js';

export { VERSION } from './version.js';

/** Flag and command descriptions wrap under themselves while they keep this many columns. */
const MIN_DESCRIPTION = 28;

export function mainHelp(style: Style, width = DEFAULT_COLUMNS): string {
  const rows = COMMANDS.filter((c) => !c.hidden).map((c) => [`  ${style.bold(c.name)}`, c.summary]);
  const table = (r: string[][]) => wrapTable(r, width, { minLast: MIN_DESCRIPTION });
  return [
    ...wrapText(
      `${style.bold('credkit')} ${VERSION}: decide which AWS credentials your deployment uses, safely.`,
      width,
      2,
    ),
    '',
    ...wrapUsage(`${style.bold('Usage:')} credkit`, '<command> [flags]', width),
    '',
    style.bold('Commands:'),
    ...table(rows),
    '',
    style.bold('Global flags:'),
    ...table([
      ['  -h, --help', 'Show help (also: credkit <command> --help, credkit help <command>)'],
      ['  -v, --version', 'Print the versions of credkit and of the libraries inside it'],
    ]),
    '',
    style.bold('Environment:'),
    ...table([
      ['  CREDKIT_HOME', 'Metadata store directory (default: $XDG_CONFIG_HOME/credkit or ~/.config/credkit)'],
      ['  CREDKIT_APP', 'Default application name (else the current directory name)'],
      [
        '  CREDKIT_STORE',
        'Metadata store: file (default) or ssm (SSM Parameter Store, the application account)',
      ],
      ['  CREDKIT_SESSION_CACHE', 'Where sessions are cached: aws (~/.aws/cli/cache, default), credkit, off'],
      ['  COLUMNS', 'Width to fit help and explanations to (default: the terminal, else 80)'],
      ['  NO_COLOR', 'Disable color'],
      ['  CREDKIT_DEBUG=1', 'Print stack traces of unexpected errors'],
    ]),
    '',
    ...wrapText('Exit codes: 0 success, 1 failure, 2 usage error, 130 cancelled.', width, 2),
    ...wrapText('Start here: credkit app whoami, then credkit env init --name NAME.', width, 2),
  ].join('\n');
}

export function groupHelp(group: string, style: Style, width = DEFAULT_COLUMNS): string {
  const standalone = COMMANDS.filter((c) => c.name === group);
  const commands = [
    ...standalone,
    ...(GROUPS[group] ?? []).map((sub) => COMMANDS.find((c) => c.name === `${group} ${sub}`)!),
  ];
  return [
    ...wrapUsage(
      `${style.bold('Usage:')} credkit ${group}`,
      `${standalone.length > 0 ? '[<command>]' : '<command>'} [flags]`,
      width,
    ),
    '',
    style.bold('Commands:'),
    ...wrapTable(
      commands.map((c) => [`  ${style.bold(c.name)}`, c.summary]),
      width,
      { minLast: MIN_DESCRIPTION },
    ),
    '',
    ...wrapText(`Run \`credkit ${group} <command> --help\` for details.`, width, 2),
  ].join('\n');
}

/** `credkit env init --name NAME [...]` split into the command's words and its synopsis. */
function splitUsage(command: CommandSpec): [string, string] {
  const head = `credkit ${command.name}`;
  if (command.usage.startsWith(`${head} `)) return [head, command.usage.slice(head.length + 1)];
  return [command.usage, ''];
}

export function commandHelp(command: CommandSpec, style: Style, width = DEFAULT_COLUMNS): string {
  const flagRows = Object.entries(command.flags).map(([name, spec]) => {
    const short = spec.short === undefined ? '    ' : `-${spec.short}, `;
    const value = spec.type === 'string' ? ` ${spec.valueName ?? 'VALUE'}` : '';
    const required = spec.required ? ' (required)' : '';
    return [`  ${short}--${name}${value}`, `${spec.description}${required}`];
  });
  flagRows.push(['  -h, --help', 'Show this help']);
  const [head, synopsis] = splitUsage(command);
  return [
    ...wrapUsage(`${style.bold('Usage:')} ${head}`, synopsis, width),
    '',
    ...wrapText(command.summary.endsWith('.') ? command.summary : `${command.summary}.`, width),
    '',
    ...wrapParagraphs(command.description, width),
    '',
    style.bold('Flags:'),
    ...wrapTable(flagRows, width, { minLast: MIN_DESCRIPTION }),
    '',
    style.bold('Examples:'),
    ...command.examples.flatMap((e) => wrapCommand(e, width, 2)),
  ].join('\n');
}
