/**
 * The process entry of `credkit`: the only file that reads `process`. Keep its imports tiny:
 * start-up time is a feature (see bench/); libraries load lazily from the command handlers.
 */
import { fstatSync, writeSync } from 'node:fs';
import { runCli } from './cli.js';

// The AWS SDK prints a multi-line NodeVersionSupportWarning on Node 20. Its documented switch is
// this variable (read from process.env by @aws-sdk/core); `exec` removes it again from the child's
// environment when credkit set it, so the user's own programs are unaffected.
if (process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED === undefined) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  process.env.CREDKIT_SET_SDK_WARNING_SWITCH = '1';
}

// Getters: creating process.stdin/stdout/stderr loads Node's stream (and net) machinery, a
// measurable part of `credkit --help`. Help and version text goes out with one synchronous write
// instead, so those runs never create a stream.
let stdoutReady = false;
function stdout(): NodeJS.WriteStream {
  if (!stdoutReady) {
    stdoutReady = true;
    // A closed pipe (`credkit profiles | head`) is not an error worth a stack trace.
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    });
  }
  return process.stdout;
}

const io = {
  env: process.env,
  cwd: process.cwd(),
  get stdin() {
    return process.stdin;
  },
  get stdout() {
    return stdout();
  },
  get stderr() {
    return process.stderr;
  },
  // A character device on fd 1 is a terminal (or /dev/null, where color harms nobody).
  stdoutIsTTY: () => (stdoutReady ? process.stdout.isTTY === true : fstatSync(1).isCharacterDevice()),
  writeSmall: (text: string) => {
    try {
      writeSync(1, text);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A non-blocking pipe that is full: let the stream queue it.
      if (code === 'EAGAIN') stdout().write(text);
      else if (code !== 'EPIPE') throw error;
    }
  },
};

runCli(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`credkit: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
