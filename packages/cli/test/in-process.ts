/**
 * The CLI in this process: `runCli` with streams that collect what it writes, so non-interactive
 * behaviour (exit codes, stdout, stderr, prompts answered by a scripted prompter) is tested without
 * spawning a process. Interactive flows keep their pseudo-terminal tests in test/e2e/.
 */
import { PassThrough, Writable } from 'node:stream';
import type { Clock } from '@credkit/temp-creds';
import type { Prompter } from '@credkit/temp-creds/prompter';
import { type CliIo, runCli } from '../src/cli.js';

export interface InProcessOptions {
  env: Record<string, string | undefined>;
  cwd: string;
  /** What stdin holds (for --credentials-stdin); it is ended either way. */
  stdin?: string;
  /** Whether stdout and stderr claim to be terminals (colour, widths); false by default. */
  tty?: boolean;
  prompter?: Prompter;
  now?: Clock;
}

export interface CapturedIo {
  io: CliIo;
  stdout(): string;
  stderr(): string;
}

/** The streams of one run: `io` for runCli or renderError, and what was written to each. */
export function captureIo(options: InProcessOptions): CapturedIo {
  let out = '';
  let err = '';
  // Writables whose write() lands at once: what was written is there as soon as runCli returns.
  const collect = (add: (text: string) => void) =>
    Object.assign(
      new Writable({
        write(chunk: Buffer | string, _encoding, done) {
          add(chunk.toString());
          done();
        },
      }),
      { isTTY: options.tty ?? false },
    );
  const stdout = collect((text) => {
    out += text;
  });
  const stderr = collect((text) => {
    err += text;
  });
  const stdin = new PassThrough();
  stdin.end(options.stdin ?? '');
  const io: CliIo = {
    env: options.env,
    cwd: options.cwd,
    stdin,
    stdout,
    stderr,
    ...(options.prompter === undefined ? {} : { prompter: options.prompter }),
    ...(options.now === undefined ? {} : { now: options.now }),
  };
  return { io, stdout: () => out, stderr: () => err };
}

export interface InProcessRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `credkit ARGV` in this process. */
export async function runInProcess(
  argv: readonly string[],
  options: InProcessOptions,
): Promise<InProcessRun> {
  const captured = captureIo(options);
  const code = await runCli(argv, captured.io);
  return { code, stdout: captured.stdout(), stderr: captured.stderr() };
}
