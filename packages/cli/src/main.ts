/**
 * The process entry of `credkit`: the only file that reads `process`. Keep its imports tiny:
 * start-up time is a feature (see bench/); libraries load lazily from the command handlers.
 */
import { fstatSync, statSync, writeSync } from 'node:fs';
import { maskSecretShapes } from '@credkit/temp-creds/errors';
import { runCli } from './cli.js';

// Node's own tracing (NODE_DEBUG=http,net... logs request options, headers included) and any
// dependency write to process.stderr directly, past credkit's writers: whoever creates the stream
// first, its write masks secret-shaped text. Wrapping the getter keeps the stream lazy (start-up).
const stderrGetter = Object.getOwnPropertyDescriptor(process, 'stderr')?.get;
if (stderrGetter !== undefined) {
  let patched: NodeJS.WriteStream | undefined;
  Object.defineProperty(process, 'stderr', {
    configurable: true,
    enumerable: true,
    get(): NodeJS.WriteStream {
      const stream = stderrGetter.call(process) as NodeJS.WriteStream;
      if (patched !== stream) {
        patched = stream;
        const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
        stream.write = ((chunk: unknown, ...rest: unknown[]) =>
          write(typeof chunk === 'string' ? maskSecretShapes(chunk) : chunk, ...rest)) as typeof stream.write;
      }
      return stream;
    },
  });
}

// Creating process.stdout loads Node's stream machinery (and net for a pipe): a measurable part of
// a run that prints a few lines. Output goes out with synchronous writes to fd 1 instead, which is
// what process.stdout does for files and pipes on Linux anyway; the stream is created only when a
// write cannot complete (a non-blocking pipe that is full) and then takes every later write, so the
// order is kept.
let stdoutStream: NodeJS.WriteStream | undefined;
function stream(): NodeJS.WriteStream {
  if (stdoutStream === undefined) {
    stdoutStream = process.stdout;
    // A closed pipe (`credkit profiles | head`) is not an error worth a stack trace.
    stdoutStream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    });
  }
  return stdoutStream;
}

const stdout = {
  // A character device on fd 1 is a terminal (or /dev/null, where color harms nobody).
  get isTTY(): boolean {
    return stdoutStream !== undefined ? stdoutStream.isTTY === true : fstatSync(1).isCharacterDevice();
  },
  // Only a terminal has a width: asking process.stdout for it creates the stream, which costs
  // 20 modules, so /dev/null (also a character device; benchmarks write there) is told apart first.
  get columns(): number | undefined {
    if (!this.isTTY) return undefined;
    if (stdoutStream === undefined) {
      try {
        if (fstatSync(1).rdev === statSync('/dev/null').rdev) return undefined;
      } catch {
        // No /dev/null (Windows): ask the stream.
      }
    }
    return stream().columns;
  },
  write(text: string): boolean {
    if (stdoutStream !== undefined) return stdoutStream.write(text);
    let written: number;
    try {
      written = writeSync(1, text);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') return stream().write(text);
      if (code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    }
    // A partial write (a signal, a non-blocking pipe): the stream sends the rest.
    if (written < Buffer.byteLength(text)) return stream().write(Buffer.from(text).subarray(written));
    return true;
  },
};

const io = {
  env: process.env,
  cwd: process.cwd(),
  get stdin() {
    return process.stdin;
  },
  stdout,
  get stderr() {
    return process.stderr;
  },
  stdoutIsTTY: () => stdout.isTTY,
  writeSmall: (text: string) => {
    stdout.write(text);
  },
  runtime: { version: process.version, platform: process.platform, arch: process.arch },
};

runCli(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Only reached by a bug outside runCli's own catch: still never a raw control character.
    process.stderr.write(
      `credkit: ${String(error).replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, '?')}\n`,
    );
    process.exitCode = 1;
  },
);
