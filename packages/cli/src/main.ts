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

// Creating process.stdout or process.stderr loads Node's stream machinery (and net for a pipe): a
// measurable part of a run that prints a few lines. Text goes out with synchronous writes to the fd
// instead, which is what the streams do for files and pipes on Linux anyway; a stream is created
// only when a write cannot complete (a non-blocking pipe that is full), or when something needs more
// than text out (a prompt on stderr), and then takes every later write, so the order is kept.
function fdOutput(fd: 1 | 2, open: () => NodeJS.WriteStream, mask: (text: string) => string) {
  let created: NodeJS.WriteStream | undefined;
  const stream = (): NodeJS.WriteStream => {
    if (created === undefined) {
      created = open();
      // A closed pipe (`credkit profiles | head`) is not an error worth a stack trace.
      created.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      });
    }
    return created;
  };
  return {
    stream,
    // A character device is a terminal (or /dev/null, where color harms nobody).
    get isTTY(): boolean {
      return created !== undefined ? created.isTTY === true : fstatSync(fd).isCharacterDevice();
    },
    // Only a terminal has a width: asking the stream for it creates it, which costs 20 modules, so
    // /dev/null (also a character device; benchmarks write there) is told apart first.
    get columns(): number | undefined {
      if (!this.isTTY) return undefined;
      if (created === undefined) {
        try {
          if (fstatSync(fd).rdev === statSync('/dev/null').rdev) return undefined;
        } catch {
          // No /dev/null (Windows): ask the stream.
        }
      }
      return stream().columns;
    },
    write(chunk: string | Uint8Array): boolean {
      if (created !== undefined) return created.write(chunk);
      const bytes = typeof chunk === 'string' ? Buffer.from(mask(chunk)) : chunk;
      let written: number;
      try {
        written = writeSync(fd, bytes);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') return stream().write(bytes);
        if (code === 'EPIPE') process.exit(process.exitCode ?? 0);
        throw error;
      }
      // A partial write (a signal, a non-blocking pipe): the stream sends the rest.
      if (written < bytes.length) return stream().write(bytes.subarray(written));
      return true;
    },
  };
}

const stdout = fdOutput(
  1,
  () => process.stdout,
  (text) => text,
);
// Everything on stderr has secret shapes masked, as the getter above does for the stream.
const stderrText = fdOutput(2, () => process.stderr, maskSecretShapes);
/**
 * process.stderr as the commands see it: text and isTTY without the stream; anything else a
 * stream has (a prompt's output, listeners) creates the real one and is its.
 */
const stderr = new Proxy({} as NodeJS.WriteStream, {
  get(_target, prop) {
    if (prop === 'write') return stderrText.write;
    if (prop === 'isTTY') return stderrText.isTTY;
    if (prop === 'columns') return stderrText.columns;
    const real = stderrText.stream();
    const value = Reflect.get(real, prop, real) as unknown;
    return typeof value === 'function' ? value.bind(real) : value;
  },
  set(_target, prop, value) {
    return Reflect.set(stderrText.stream(), prop, value);
  },
  has(_target, prop) {
    return Reflect.has(stderrText.stream(), prop);
  },
});

const io = {
  env: process.env,
  cwd: process.cwd(),
  get stdin() {
    return process.stdin;
  },
  stdout,
  stderr,
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
    stderr.write(`credkit: ${String(error).replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, '?')}\n`);
    process.exitCode = 1;
  },
);
