import { createRequire } from 'node:module';
import type { IPty } from 'node-pty';
import { CLI } from './helpers.js';

const require = createRequire(import.meta.url);
const pty = require('node-pty') as typeof import('node-pty');

export const KEY = { up: '\u001b[A', down: '\u001b[B', enter: '\r', ctrlC: '\u0003', escape: '\u001b' };

/** Removes ANSI escape sequences so assertions read the screen text. */
export function stripAnsi(text: string): string {
  return text.replace(
    /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007|\u001b[()][A-Z0-9]|\u001b[=>]/g,
    '',
  );
}

export interface PtySession {
  /** Everything the terminal received, raw (with escape sequences). */
  raw(): string;
  /** The text, escape sequences removed. */
  text(): string;
  write(data: string): void;
  /** Types text one character at a time, like a person (prompts read keypresses). */
  type(text: string): Promise<void>;
  waitFor(pattern: RegExp | string, timeoutMs?: number): Promise<void>;
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
  options: { shellSuffix?: string } = {},
): PtySession {
  const quoted = [process.execPath, CLI, ...args].map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(' ');
  const command = options.shellSuffix ? `${quoted}; echo "credkit-exit=$?"; ${options.shellSuffix}` : quoted;
  // Without a suffix credkit is the terminal's only process (a wrapping sh would get Ctrl-C too).
  return options.shellSuffix
    ? spawnPtyCommand('/bin/sh', ['-c', command], env)
    : spawnPtyCommand(process.execPath, [CLI, ...args], env);
}

/** Runs any program in a real pseudo-terminal (another tool, e.g. the AWS CLI typing an MFA code). */
export function spawnPtyCommand(file: string, argv: string[], env: Record<string, string>): PtySession {
  const term: IPty = pty.spawn(file, argv, {
    name: 'xterm-256color',
    cols: 120,
    rows: 40,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: 'xterm-256color', ...env },
  });
  let buffer = '';
  term.onData((d) => {
    buffer += d;
  });
  const exited = new Promise<number>((resolve) => term.onExit(({ exitCode }) => resolve(exitCode)));
  const session: PtySession = {
    raw: () => buffer,
    text: () => stripAnsi(buffer),
    write: (data) => term.write(data),
    type: async (text) => {
      for (const ch of text) {
        term.write(ch);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    waitFor: async (pattern, timeoutMs = 10_000) => {
      const started = Date.now();
      const matches = () =>
        typeof pattern === 'string' ? session.text().includes(pattern) : pattern.test(session.text());
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
    exit: () => exited,
    kill: () => term.kill(),
  };
  return session;
}
