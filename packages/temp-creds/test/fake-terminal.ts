/**
 * An in-memory terminal for driving the real inquirer prompts: a PassThrough input that claims to
 * be a TTY (and records raw-mode changes) and an output that collects everything drawn.
 */
import { PassThrough, Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';

export const keys = {
  up: '\x1b[A',
  down: '\x1b[B',
  enter: '\r',
  backspace: '\x7f',
  ctrlC: '\x03',
  escape: '\x1b',
} as const;

export interface FakeTerminal {
  input: PassThrough & {
    isTTY: boolean;
    isRaw: boolean;
    setRawMode(mode: boolean): void;
    rawModes: boolean[];
  };
  output: Writable & { isTTY: boolean; columns: number; rows: number };
  /** Everything written, escapes included. */
  raw(): string;
  /** Everything written, escapes stripped (all frames, one after the other). */
  screen(): string;
  /** The text drawn since `marker` was last drawn: the latest frame of that prompt. */
  frameFrom(marker: string): string;
  type(text: string): void;
  waitFor(pattern: RegExp | string, timeoutMs?: number): Promise<void>;
}

export function createFakeTerminal(): FakeTerminal {
  const rawModes: boolean[] = [];
  const input = Object.assign(new PassThrough(), {
    isTTY: true,
    isRaw: false,
    rawModes,
    setRawMode(mode: boolean) {
      input.isRaw = mode;
      rawModes.push(mode);
    },
  });
  let written = '';
  const output = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        written += chunk.toString();
        callback();
      },
    }),
    { isTTY: true, columns: 100, rows: 30 },
  );
  const screen = (): string => stripVTControlCharacters(written);
  return {
    input,
    output,
    raw: () => written,
    screen,
    frameFrom(marker) {
      const text = screen();
      const at = text.lastIndexOf(marker);
      return at === -1 ? '' : text.slice(at);
    },
    type(text) {
      input.write(text);
    },
    // Only guards a hang: a screen that never shows the pattern fails the test, however busy the machine.
    async waitFor(pattern, timeoutMs = 30_000) {
      const started = Date.now();
      const matches = (): boolean =>
        typeof pattern === 'string' ? screen().includes(pattern) : pattern.test(screen());
      while (!matches()) {
        if (Date.now() - started > timeoutMs) {
          throw new Error(`Timed out waiting for ${String(pattern)}; screen:\n${screen()}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
  };
}
