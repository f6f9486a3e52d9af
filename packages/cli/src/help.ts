import { COMMANDS, GROUPS } from './commands/index.js';
import type { CommandSpec } from './context.js';
import { type Style, table } from './output.js';

declare const __CREDKIT_VERSION__: string | undefined;

/** Injected by build.mjs from package.json; unit tests run from source and see the fallback. */
export const VERSION = typeof __CREDKIT_VERSION__ === 'string' ? __CREDKIT_VERSION__ : '0.0.0-dev';

export function mainHelp(style: Style): string {
  const rows = COMMANDS.map((c) => [`  ${style.bold(c.name)}`, c.summary]);
  return [
    `${style.bold('credkit')} ${VERSION}: decide which AWS credentials your deployment uses, safely.`,
    '',
    `${style.bold('Usage:')} credkit <command> [flags]`,
    '',
    style.bold('Commands:'),
    ...table(rows),
    '',
    style.bold('Global flags:'),
    ...table([
      ['  -h, --help', 'Show help (also: credkit <command> --help, credkit help <command>)'],
      ['  -v, --version', 'Print the version'],
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
      ['  NO_COLOR', 'Disable color'],
      ['  CREDKIT_DEBUG=1', 'Print stack traces of unexpected errors'],
    ]),
    '',
    'Exit codes: 0 success, 1 failure, 2 usage error, 130 cancelled.',
    'Start here: credkit app whoami, then credkit env init --name NAME.',
  ].join('\n');
}

export function groupHelp(group: string, style: Style): string {
  const standalone = COMMANDS.filter((c) => c.name === group);
  const commands = [
    ...standalone,
    ...(GROUPS[group] ?? []).map((sub) => COMMANDS.find((c) => c.name === `${group} ${sub}`)!),
  ];
  return [
    `${style.bold('Usage:')} credkit ${group}${standalone.length > 0 ? ' [<command>]' : ' <command>'} [flags]`,
    '',
    style.bold('Commands:'),
    ...table(commands.map((c) => [`  ${style.bold(c.name)}`, c.summary])),
    '',
    `Run \`credkit ${group} <command> --help\` for details.`,
  ].join('\n');
}

export function commandHelp(command: CommandSpec, style: Style): string {
  const flagRows = Object.entries(command.flags).map(([name, spec]) => {
    const short = spec.short === undefined ? '    ' : `-${spec.short}, `;
    const value = spec.type === 'string' ? ` ${spec.valueName ?? 'VALUE'}` : '';
    const required = spec.required ? ' (required)' : '';
    return [`  ${short}--${name}${value}`, `${spec.description}${required}`];
  });
  flagRows.push(['  -h, --help', 'Show this help']);
  return [
    `${style.bold('Usage:')} ${command.usage}`,
    '',
    command.summary.endsWith('.') ? command.summary : `${command.summary}.`,
    '',
    command.description,
    '',
    style.bold('Flags:'),
    ...table(flagRows),
    '',
    style.bold('Examples:'),
    ...command.examples.map((e) => `  ${e}`),
  ].join('\n');
}
