import { createRequire } from 'node:module';
import type { IPty } from '@lydell/node-pty';
import { CLI, testCompileCache } from './helpers.js';

const require = createRequire(import.meta.url);
const pty = require('@lydell/node-pty') as typeof import('@lydell/node-pty');

/** The line a `shellSuffix` session prints last, with the suffix's exit status. */
const END = 'credkit-pty-end';

export const KEY = { up: '\u001b[A', down: '\u001b[B', enter: '\r', ctrlC: '\u0003', escape: '\u001b' };

/** Removes ANSI escape sequences so assertions read the screen text. */
export function stripAnsi(text: string): string {
  return text.replace(
    /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007|\u001b[()][A-Z0-9]|\u001b[=>]/g,
    '',
  );
}

export interface PtySession {
  /** The terminal's first process: credkit, or the `sh` that runs it when there is a shellSuffix. */
  pid: number;
  /** Everything the terminal received, raw (with escape sequences). */
  raw(): string;
  /** The text, escape sequences removed. */
  text(): string;
  write(data: string): void;
  /** Types text one character at a time, like a person (prompts read keypresses). */
  type(text: string): Promise<void>;
  waitFor(pattern: RegExp | string, timeoutMs?: number): Promise<void>;
  /** Where the output is now: waitForAfter(mark, ...) looks only at what came after it. */
  mark(): number;
  /** waitFor, on the output written after `mark` (not a screen drawn before the last keys). */
  waitForAfter(mark: number, pattern: RegExp | string, timeoutMs?: number): Promise<void>;
  exit(): Promise<number>;
  kill(): void;
}

/**
 * Runs a command line in a real pseudo-terminal. `shellSuffix` runs after credkit in the same
 * terminal (e.g. `stty -a`) to look at the terminal state credkit left behind.
 */
export function spawnPty(
  args: string[],
  env: Record<string, string>,
  options: { shellSuffix?: string; cols?: number } = {},
): PtySession {
  const quoted = [process.execPath, CLI, ...args].map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(' ');
  // The shell prints a closing line and then stays (as `sleep`, killed by exit()): a terminal whose last
  // process is gone can drop output not read yet, which lost the `stty -a` lines on a loaded machine.
  const command = options.shellSuffix
    ? `${quoted}; echo "credkit-exit=$?"; ${options.shellSuffix}; echo "${END}=$?"; exec sleep 60`
    : quoted;
  // Without a suffix credkit is the terminal's only process (a wrapping sh would get Ctrl-C too).
  const size = options.cols === undefined ? {} : { cols: options.cols };
  return options.shellSuffix
    ? spawnPtyCommand('/bin/sh', ['-c', command], env, { endMarker: true, ...size })
    : spawnPtyCommand(process.execPath, [CLI, ...args], env, size);
}

/**
 * Runs any program in a real pseudo-terminal (another tool, e.g. the AWS CLI typing an MFA code).
 * `endMarker`: the program prints spawnPty's closing line and then stays; exit() reads the status from it.
 */
export function spawnPtyCommand(
  file: string,
  argv: string[],
  env: Record<string, string>,
  /** `cols`: the terminal's width (default 120). */
  options: { endMarker?: boolean; cols?: number } = {},
): PtySession {
  const term: IPty = pty.spawn(file, argv, {
    name: 'xterm-256color',
    cols: options.cols ?? 120,
    rows: 40,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: 'xterm-256color', ...testCompileCache(), ...env },
  });
  let buffer = '';
  term.onData((d) => {
    buffer += d;
  });
  const exited = new Promise<number>((resolve) => term.onExit(({ exitCode }) => resolve(exitCode)));
  const session: PtySession = {
    pid: term.pid,
    raw: () => buffer,
    text: () => stripAnsi(buffer),
    write: (data) => term.write(data),
    type: async (text) => {
      for (const ch of text) {
        term.write(ch);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    waitFor: (pattern, timeoutMs) => session.waitForAfter(0, pattern, timeoutMs),
    mark: () => buffer.length,
    waitForAfter: async (mark, pattern, timeoutMs = 30_000) => {
      const started = Date.now();
      const after = () => stripAnsi(buffer.slice(mark));
      const matches = () => (typeof pattern === 'string' ? after().includes(pattern) : pattern.test(after()));
      while (!matches()) {
        if (Date.now() - started > timeoutMs) {
          throw new Error(
            `Timed out waiting for ${pattern} on the terminal. Screen so far:\n${session.text()}`,
          );
        }
        await new Promise((r) => setTimeout(r, 25));
      }
      // Let the prompt finish rendering and start reading keys.
      await new Promise((r) => setTimeout(r, 100));
    },
    exit: async () => {
      if (!options.endMarker) return exited;
      await session.waitFor(new RegExp(`${END}=\\d+\\r?\\n`));
      const code = Number(new RegExp(`${END}=(\\d+)`).exec(session.text())?.[1]);
      term.kill();
      await exited;
      return code;
    },
    kill: () => term.kill(),
  };
  return session;
}
