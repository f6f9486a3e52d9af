/**
 * argv → a command and its flags. Hand-written rather than commander (start-up cost) and rather than
 * `node:util` parseArgs (its errors cannot name the command, suggest a flag, or report conflicts).
 * Every problem is a CredkitError with exit code 2.
 */
import { editDistance } from '@credkit/env-selector/providers';
import { CredkitError } from '@credkit/temp-creds/errors';
import { COMMANDS, GROUPS } from './commands/index.js';
import type { CommandSpec, FlagSpec, FlagValues } from './context.js';
import { takesPositional } from './positional.js';

export type ParsedArgs =
  | { kind: 'help'; command?: CommandSpec; group?: string }
  | { kind: 'version' }
  | {
      kind: 'run';
      command: CommandSpec;
      flags: FlagValues;
      rest: string[];
      /** The flag that a bare word filled (`credkit export deploy`), when it was not also given. */
      positional?: string;
    };

function usageError(code: string, message: string, hint: string, details: Record<string, unknown> = {}) {
  return new CredkitError(code, message, { hint, exitCode: 2, details });
}

export function closest(input: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const score = editDistance(input, candidate);
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  const limit = Math.max(2, Math.floor(input.length / 3));
  return bestScore <= limit ? best : undefined;
}

const GLOBAL_HELP = new Set(['--help', '-h']);
const GLOBAL_VERSION = new Set(['--version', '-v', '-V']);

/** Finds the command named by the leading words of argv; returns it with the remaining arguments. */
function findCommand(argv: readonly string[]): ParsedArgs | { command: CommandSpec; rest: string[] } {
  const first = argv[0];
  if (first === undefined) return { kind: 'help' };
  if (GLOBAL_HELP.has(first)) return { kind: 'help' };
  if (GLOBAL_VERSION.has(first)) return { kind: 'version' };
  if (first === 'help') {
    const target = argv.slice(1).filter((word) => !word.startsWith('-'));
    if (target.length === 0) return { kind: 'help' };
    const found = findCommand(target);
    if ('kind' in found) return found;
    return { kind: 'help', command: found.command };
  }
  if (first.startsWith('-')) {
    throw usageError('UNKNOWN_FLAG', `Unknown flag ${first} before the command.`, 'Run `credkit --help`.', {
      flag: first,
    });
  }
  if (GROUPS[first] !== undefined) {
    const second = argv[1];
    // A group that is also a command (`credkit sessions`) runs it when no subcommand follows.
    const standalone = COMMANDS.find((c) => c.name === first);
    if (standalone && (second === undefined || second.startsWith('-'))) {
      if (second !== undefined && GLOBAL_HELP.has(second)) return { kind: 'help', command: standalone };
      return { command: standalone, rest: argv.slice(1) };
    }
    if (second === undefined || GLOBAL_HELP.has(second)) {
      if (second === undefined) {
        const subs = GROUPS[first].join(', ');
        throw usageError(
          'MISSING_COMMAND',
          `\`credkit ${first}\` needs a subcommand: ${subs}.`,
          `Run \`credkit ${first} --help\`.`,
        );
      }
      return { kind: 'help', group: first };
    }
    const command = COMMANDS.find((c) => c.name === `${first} ${second}`);
    if (command === undefined) {
      const suggestion = closest(second, GROUPS[first]);
      throw usageError(
        'UNKNOWN_COMMAND',
        `Unknown command \`credkit ${first} ${second}\`.`,
        suggestion === undefined
          ? `Run \`credkit ${first} --help\` to see its subcommands.`
          : `Did you mean \`credkit ${first} ${suggestion}\`?`,
        { command: `${first} ${second}` },
      );
    }
    return { command, rest: argv.slice(2) };
  }
  const command = COMMANDS.find((c) => c.name === first);
  if (command === undefined) {
    const names = [...COMMANDS.filter((c) => !c.hidden).map((c) => c.name), ...Object.keys(GROUPS)];
    const suggestion = closest(first, names);
    throw usageError(
      'UNKNOWN_COMMAND',
      `Unknown command \`${first}\`.`,
      suggestion === undefined
        ? 'Run `credkit --help` to see the commands.'
        : `Did you mean \`credkit ${suggestion}\`?`,
      { command: first },
    );
  }
  return { command, rest: argv.slice(1) };
}

function lookupFlag(command: CommandSpec, token: string): [string, FlagSpec] | undefined {
  if (token.startsWith('--')) {
    const name = token.slice(2);
    const spec = command.flags[name];
    return spec === undefined ? undefined : [name, spec];
  }
  for (const [name, spec] of Object.entries(command.flags)) {
    if (spec.short !== undefined && `-${spec.short}` === token) return [name, spec];
  }
  return undefined;
}

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const found = findCommand(argv);
  if ('kind' in found) return found;
  const { command } = found;
  const flags: FlagValues = {};
  const rest: string[] = [];
  const tokens = found.rest;
  let positional: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === '--') {
      if (!command.passthrough) {
        throw usageError(
          'UNEXPECTED_ARGUMENT',
          `\`credkit ${command.name}\` takes no arguments after --.`,
          `Run \`credkit ${command.name} --help\`.`,
        );
      }
      rest.push(...tokens.slice(i + 1));
      break;
    }
    if (GLOBAL_HELP.has(token)) return { kind: 'help', command };
    if (!token.startsWith('-') || token === '-') {
      if (positional === undefined && takesPositional(command, (name) => flags[name] !== undefined)) {
        positional = token;
        continue;
      }
      if (command.passthrough) {
        // `credkit exec deploy aws s3 ls` without `--`, as aws-vault takes it: the command starts here.
        rest.push(...tokens.slice(i));
        break;
      }
      throw unexpectedArgument(command, token, positional);
    }
    const eq = token.indexOf('=');
    const flagToken = token.startsWith('--') && eq > 0 ? token.slice(0, eq) : token;
    const inline = token.startsWith('--') && eq > 0 ? token.slice(eq + 1) : undefined;
    const match = lookupFlag(command, flagToken);
    if (match === undefined) {
      const suggestion = closest(flagToken.replace(/^-+/, ''), Object.keys(command.flags));
      // `credkit exec ls -la`: the bare word was taken as the profile, the flag is the command's.
      const asCommand =
        command.passthrough && positional !== undefined
          ? ` If \`${positional}\` is the command to run, write \`credkit ${command.name} -- ${positional} ${token}\`.`
          : '';
      throw usageError(
        'UNKNOWN_FLAG',
        `Unknown flag ${flagToken} for \`credkit ${command.name}\`.`,
        (suggestion === undefined
          ? `Run \`credkit ${command.name} --help\` to see its flags.`
          : `Did you mean --${suggestion}?`) + asCommand,
        { flag: flagToken },
      );
    }
    const [name, spec] = match;
    if (flags[name] !== undefined) {
      throw usageError('FLAG_REPEATED', `--${name} is given more than once.`, `Pass --${name} once.`, {
        flag: name,
      });
    }
    if (spec.type === 'boolean') {
      if (inline !== undefined) {
        throw usageError('INVALID_FLAG_VALUE', `--${name} takes no value.`, `Write --${name} alone.`, {
          flag: name,
        });
      }
      flags[name] = true;
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = tokens[i + 1];
      if (next === undefined || (next.startsWith('-') && next !== '-' && next.length > 1)) {
        throw usageError(
          'MISSING_VALUE',
          `--${name} needs a value.`,
          `Write --${name} ${spec.valueName ?? 'VALUE'}.`,
          {
            flag: name,
          },
        );
      }
      value = next;
      i++;
    }
    if (value === '') {
      throw usageError(
        'MISSING_VALUE',
        `--${name} needs a non-empty value.`,
        `Write --${name} ${spec.valueName ?? 'VALUE'}.`,
        {
          flag: name,
        },
      );
    }
    checkChoice(name, spec, value);
    flags[name] = value;
  }
  const filled = positional === undefined ? undefined : fillPositional(command, flags, positional);
  checkRules(command, flags, filled);
  return { kind: 'run', command, flags, rest, ...(filled === undefined ? {} : { positional: filled }) };
}

function unexpectedArgument(command: CommandSpec, token: string, positional: string | undefined) {
  const help = `Run \`credkit ${command.name} --help\`.`;
  const spec = command.positional;
  if (spec !== undefined && positional !== undefined) {
    return usageError(
      'UNEXPECTED_ARGUMENT',
      `Unexpected argument \`${token}\`: \`credkit ${command.name}\` takes one ${spec.what} (\`${positional}\` given).`,
      `Give one ${spec.what}, or pass values with flags. ${help}`,
      { argument: token },
    );
  }
  // Name flags this command has: a hint that names a flag it lacks sends the user to a second error.
  const valued = Object.entries(command.flags)
    .filter(([, flag]) => flag.type === 'string')
    .map(([name, flag]) => `--${name} ${flag.valueName ?? 'VALUE'}`);
  return usageError(
    'UNEXPECTED_ARGUMENT',
    `Unexpected argument \`${token}\`: \`credkit ${command.name}\` takes no arguments.`,
    valued.length === 0
      ? `${help}`
      : `Values are given with flags: ${valued.slice(0, 3).join(', ')}${valued.length > 3 ? '...' : ''}. ${help}`,
    { argument: token },
  );
}

/** Puts the positional into its flag; both given and different is an error, not a silent choice. */
function fillPositional(command: CommandSpec, flags: FlagValues, value: string): string | undefined {
  const spec = command.positional!;
  const given = flags[spec.flag];
  if (given !== undefined && given !== value) {
    throw usageError(
      'ARGUMENT_CONFLICT',
      `The ${spec.what} is given twice: \`${value}\` and --${spec.flag} ${String(given)}.`,
      `Give it once: \`credkit ${command.name} ${given}\` or --${spec.flag} ${given}.`,
      { flag: spec.flag },
    );
  }
  checkChoice(spec.flag, command.flags[spec.flag]!, value);
  if (given !== undefined) return undefined;
  flags[spec.flag] = value;
  return spec.flag;
}

function checkChoice(name: string, spec: FlagSpec, value: string): void {
  if (spec.choices !== undefined && !spec.choices.includes(value)) {
    const suggestion = closest(value, spec.choices);
    throw usageError(
      'INVALID_FLAG_VALUE',
      `--${name} must be one of ${spec.choices.join(', ')} (got \`${value}\`).`,
      suggestion === undefined
        ? `Choose one of: ${spec.choices.join(', ')}.`
        : `Did you mean --${name} ${suggestion}?`,
      { flag: name },
    );
  }
}

function given(flags: FlagValues, name: string): boolean {
  return flags[name] !== undefined && flags[name] !== false;
}

function checkRules(command: CommandSpec, flags: FlagValues, positional: string | undefined): void {
  // A value that came as a bare word is named as the user typed it, not as a flag they never wrote.
  const label = (name: string) =>
    name === positional ? `The ${command.positional!.what} \`${String(flags[name])}\`` : `--${name}`;
  for (const group of command.conflicts ?? []) {
    const present = group.filter((names) => names.some((name) => given(flags, name)));
    if (present.length > 1) {
      const a = present[0]!.find((name) => given(flags, name))!;
      const b = present[1]!.find((name) => given(flags, name))!;
      throw usageError(
        'FLAG_CONFLICT',
        `${label(a)} and ${label(b)} cannot be used together.`,
        `Use ${label(a).replace(/^The /, 'the ')} or ${label(b).replace(/^The /, 'the ')}, not both.`,
        { flags: [a, b] },
      );
    }
  }
  for (const [name, spec] of Object.entries(command.flags)) {
    if (spec.required === true && !given(flags, name)) {
      // A flag with choices names them: `credkit completion bash|zsh|fish` says more than SHELL.
      const value = spec.choices?.join('|') ?? spec.valueName ?? 'VALUE';
      throw usageError(
        'MISSING_FLAG',
        `\`credkit ${command.name}\` needs ${command.positional?.flag === name ? `the ${command.positional.what}` : `--${name}`}.`,
        command.positional?.flag === name
          ? `Write \`credkit ${command.name} ${value}\` (or --${name} ${value}).`
          : `Write --${name} ${value}.`,
        { flag: name },
      );
    }
    for (const needed of spec.requires ?? []) {
      if (given(flags, name) && !given(flags, needed)) {
        throw usageError('MISSING_FLAG', `--${name} needs --${needed} as well.`, `Add --${needed}.`, {
          flag: needed,
        });
      }
    }
  }
}
