/**
 * `credkit __complete SHELL -- WORD... CURRENT`: what the completion scripts call on Tab. Commands,
 * flags and choices come from the command table; profile names from the shared config; environment
 * names from the file store. No AWS call, no prompt, nothing secret: only names are printed.
 */
import { basename } from 'node:path';
import { loadSharedConfig } from '@credkit/env-selector/shared-config';
import type { CommandContext, CommandSpec, FlagSpec } from '../context.js';
import { stringFlag } from '../context.js';
import { takesPositional } from '../positional.js';
import { FileMetadataStore, resolveStoreDir } from '../store/index.js';

/** A candidate and a one-line description (shown by zsh and fish). */
export type Candidate = [value: string, description: string];

/** What to print: candidates, or the shell's own completion of commands or files. */
export type Completion = { candidates: Candidate[] } | { shell: 'command' | 'file' };

export interface NameSources {
  profiles(): Promise<string[]>;
  environments(app: string | undefined): Promise<string[]>;
}

const NONE: Completion = { candidates: [] };

function firstSentence(text: string): string {
  const line = text.split('\n')[0] ?? '';
  const end = line.search(/\.(\s|$)/);
  return end < 0 ? line : line.slice(0, end);
}

/** Where the command name ends in `words`, and which command it is. */
function findCommand(
  words: string[],
  commands: readonly CommandSpec[],
  groups: Record<string, string[]>,
): { command: CommandSpec; used: number } | undefined {
  const [first, second] = words;
  if (first === undefined) return undefined;
  const pair = commands.find((c) => c.name === `${first} ${second}`);
  if (groups[first] !== undefined && pair !== undefined) return { command: pair, used: 2 };
  const single = commands.find((c) => c.name === first);
  return single === undefined ? undefined : { command: single, used: 1 };
}

function topLevel(commands: readonly CommandSpec[], groups: Record<string, string[]>): Candidate[] {
  const seen = new Map<string, string>();
  for (const c of commands) {
    if (c.hidden) continue;
    const word = c.name.split(' ')[0]!;
    if (!seen.has(word)) seen.set(word, groups[word] !== undefined ? `${word} commands` : c.summary);
  }
  seen.set('help', 'Show help for a command');
  return [...seen];
}

async function flagValues(
  spec: FlagSpec,
  words: string[],
  env: CommandContext['env'],
  sources: NameSources,
): Promise<Candidate[]> {
  if (spec.choices !== undefined) return spec.choices.map((c) => [c, spec.valueName ?? 'value']);
  if (spec.complete === 'profiles') return (await sources.profiles()).map((p) => [p, 'profile']);
  if (spec.complete === 'environments') {
    const at = words.lastIndexOf('--app');
    const inline = words.findLast((w) => w.startsWith('--app='))?.slice('--app='.length);
    const app = (at >= 0 ? words[at + 1] : undefined) ?? inline;
    return (await sources.environments(app || env.CREDKIT_APP || undefined)).map((e) => [e, 'environment']);
  }
  return [];
}

function lookup(command: CommandSpec, token: string): [string, FlagSpec] | undefined {
  if (token.startsWith('--')) {
    const name = token.slice(2);
    const spec = command.flags[name];
    return spec === undefined ? undefined : [name, spec];
  }
  const found = Object.entries(command.flags).find(([, spec]) => spec.short && `-${spec.short}` === token);
  return found;
}

/** The completions of `words` (after `credkit`; the last one is the word being typed, maybe ''). */
export async function complete(
  words: string[],
  commands: readonly CommandSpec[],
  groups: Record<string, string[]>,
  env: CommandContext['env'],
  sources: NameSources,
): Promise<Completion> {
  const current = words.at(-1) ?? '';
  const before = words.slice(0, -1);
  if (before[0] === 'help') return complete(words.slice(1), commands, groups, env, sources);
  if (before.length === 0) {
    if (current.startsWith('-')) {
      return {
        candidates: [
          ['--help', 'Show help'],
          ['--version', 'Print the version'],
        ],
      };
    }
    return { candidates: topLevel(commands, groups) };
  }
  const first = before[0]!;
  if (before.length === 1 && groups[first] !== undefined && !current.startsWith('-')) {
    return {
      candidates: groups[first].map((sub): Candidate => {
        const spec = commands.find((c) => c.name === `${first} ${sub}`);
        return [sub, spec?.summary ?? ''];
      }),
    };
  }
  const found = findCommand(before, commands, groups);
  if (found === undefined) return NONE;
  const { command } = found;
  const given = new Set<string>();
  let positional = false;
  let expecting: FlagSpec | undefined;
  for (const [index, word] of before.slice(found.used).entries()) {
    if (expecting !== undefined) {
      expecting = undefined;
      continue;
    }
    if (word === '--')
      return command.passthrough ? restCompletion(before.length - found.used - index - 1) : NONE;
    if (word.startsWith('-') && word !== '-') {
      const match = lookup(command, word.split('=')[0]!);
      if (match === undefined) continue;
      given.add(match[0]);
      if (match[1].type === 'string' && !word.includes('=')) expecting = match[1];
      continue;
    }
    if (!positional && takesPositional(command, (name) => given.has(name))) {
      positional = true;
      // `credkit export deploy --<Tab>` offers no --profile: the word already gave it.
      given.add(command.positional!.flag);
      continue;
    }
    // exec: the command to run started at this word.
    if (command.passthrough) return restCompletion(before.length - found.used - index);
    return NONE;
  }
  if (expecting !== undefined) return { candidates: await flagValues(expecting, words, env, sources) };
  if (current.startsWith('--') && current.includes('=')) {
    const flag = current.slice(0, current.indexOf('='));
    const match = lookup(command, flag);
    if (match === undefined) return NONE;
    const values = await flagValues(match[1], words, env, sources);
    return { candidates: values.map(([v, d]) => [`${flag}=${v}`, d]) };
  }
  if (current.startsWith('-')) {
    const flags = Object.entries(command.flags)
      .filter(([name]) => !given.has(name))
      .map(([name, spec]): Candidate => [`--${name}`, firstSentence(spec.description)]);
    return { candidates: [...flags, ['--help', 'Show help']] };
  }
  if (!positional && takesPositional(command, (name) => given.has(name))) {
    const spec = command.flags[command.positional!.flag]!;
    return { candidates: await flagValues(spec, words, env, sources) };
  }
  return command.passthrough ? restCompletion(0) : NONE;
}

/** After `credkit exec ... --`: the first word is a command, the others are the shell's business. */
function restCompletion(wordsBefore: number): Completion {
  return { shell: wordsBefore === 0 ? 'command' : 'file' };
}

/** bash splits `--format=js` into `--format`, `=`, `js` (COMP_WORDBREAKS): put them back together. */
export function joinBashWords(words: readonly string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const previous = joined.at(-1);
    if (word === '=' && previous?.startsWith('--') && !previous.includes('=')) {
      joined[joined.length - 1] = `${previous}=${words[i + 1] ?? ''}`;
      if (i + 1 < words.length) i++;
      continue;
    }
    joined.push(word);
  }
  return joined;
}

/** One line per candidate, as each shell's script reads it. */
export function render(shell: string, completion: Completion, current: string): string {
  if ('shell' in completion) return `:${completion.shell}\n`;
  // Control characters would break the line protocol and could drive the terminal: never printed.
  const clean = completion.candidates.filter(([value]) => !/[\u0000-\u001f\u007f]/.test(value));
  if (shell === 'bash') {
    // bash replaces only the part after `=`; it filters nothing itself here, so filter by prefix.
    const cut = current.startsWith('--') && current.includes('=') ? current.indexOf('=') + 1 : 0;
    return clean
      .filter(([value]) => value.startsWith(current))
      .map(([value]) => `${value.slice(cut)}\n`)
      .join('');
  }
  const description = (d: string) => d.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return clean.map(([value, d]) => `${value}\t${description(d)}\n`).join('');
}

function fileSources(ctx: CommandContext): NameSources {
  return {
    async profiles() {
      try {
        return [...(await loadSharedConfig({ env: ctx.env })).profiles.keys()];
      } catch {
        return []; // A broken file: Tab offers nothing; `credkit profiles` explains the problem.
      }
    },
    async environments(app) {
      try {
        const name = app ?? basename(ctx.cwd);
        const store = new FileMetadataStore(resolveStoreDir(ctx.env));
        return (await store.listEnvironments(name)).map((e) => e.name).sort();
      } catch {
        return [];
      }
    },
  };
}

export async function completeCommand(
  ctx: CommandContext,
  commands: readonly CommandSpec[],
  groups: Record<string, string[]>,
  sources: NameSources = fileSources(ctx),
): Promise<number> {
  const shell = stringFlag(ctx.flags, 'shell')!;
  const words = shell === 'bash' ? joinBashWords(ctx.rest) : ctx.rest;
  if (words.length === 0) words.push('');
  const completion = await complete(words, commands, groups, ctx.env, sources);
  ctx.stdout.write(render(shell, completion, words.at(-1)!));
  return 0;
}
