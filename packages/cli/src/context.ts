import type { Clock } from '@credkit/temp-creds/errors';
import type { Prompter } from '@credkit/temp-creds/prompter';

/** The flags of one command line, by long name: a string value, `true`, or absent. */
export type FlagValues = Record<string, string | boolean | undefined>;

export interface FlagSpec {
  type: 'string' | 'boolean';
  description: string;
  short?: string;
  valueName?: string;
  required?: boolean;
  /** Other flags that must be given with this one. */
  requires?: string[];
  choices?: readonly string[];
  /** Names offered by shell completion for the value, read when the user presses Tab. */
  complete?: 'profiles' | 'environments';
}

export type Handler = (context: CommandContext) => Promise<number>;

/** One row of the command table (commands/index.ts): what the parser, help and the runner read. */
export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  description: string;
  flags: Record<string, FlagSpec>;
  /** Groups of flag sets: flags from two different sets of one group cannot be combined. */
  conflicts?: string[][][];
  /** Takes `-- COMMAND [ARGS...]`. */
  passthrough?: boolean;
  /** A bare word fills this flag, as people type it: `credkit export deploy` is `--profile deploy`. */
  positional?: { flag: string; what: string };
  /** Left out of help (the `__complete` plumbing of the completion scripts). */
  hidden?: boolean;
  examples: string[];
  /**
   * Its common path must start nearly as fast as bare node (bench/run.mjs): the build packs the
   * modules it loads into one file, read with the entry (packages/cli/build.mjs).
   */
  fast?: boolean;
  load: () => Promise<Handler>;
}

export interface InputStream extends NodeJS.ReadableStream {
  isTTY?: boolean | undefined;
}
export interface OutputStream extends NodeJS.WritableStream {
  isTTY?: boolean | undefined;
}
/**
 * All a command asks of stdout: text out, and whether it is a terminal. Narrower than a stream so
 * the CLI can write with `writeSync` and never create process.stdout (see main.ts).
 */
export interface TextOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean | undefined;
  /** The terminal's width when stdout is a terminal (see width.ts for the rule). */
  readonly columns?: number | undefined;
}

/**
 * What a command handler gets: everything that touches the outside world is here, so tests run a
 * handler without touching `process`.
 */
export interface CommandContext {
  flags: FlagValues;
  /** Arguments after `--` (exec only). */
  rest: string[];
  /** The flag that a bare word filled (`credkit exec deploy`: `profile`), for hints about typos. */
  positional?: string;
  env: Record<string, string | undefined>;
  cwd: string;
  stdin: InputStream;
  stdout: TextOutput;
  stderr: OutputStream;
  /** Injected by unit tests; the CLI creates the terminal prompter lazily when one is needed. */
  prompter?: Prompter;
  now?: Clock;
  /** Aborted on SIGINT/SIGTERM so that prompts and waits end. */
  signal?: AbortSignal;
}

export function stringFlag(flags: FlagValues, name: string): string | undefined {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
}

/** A flag whose value the parser checked against `choices` (FlagSpec.choices), typed as one of them. */
export function choiceFlag<T extends string>(
  flags: FlagValues,
  name: string,
  choices: readonly T[],
): T | undefined {
  const value = flags[name];
  return choices.find((choice) => choice === value);
}

export function booleanFlag(flags: FlagValues, name: string): boolean {
  return flags[name] === true;
}
