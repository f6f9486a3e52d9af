/**
 * The process entry of `credkit`: the only file that reads `process`. Keep its imports tiny:
 * start-up time is a feature (see bench/); libraries load lazily from the command handlers.
 */
import { runCli } from './cli.js';

// The AWS SDK prints a multi-line NodeVersionSupportWarning on Node 20. Its documented switch is
// this variable (read from process.env by @aws-sdk/core); `exec` removes it again from the child's
// environment when credkit set it, so the user's own programs are unaffected.
if (process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED === undefined) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  process.env.CREDKIT_SET_SDK_WARNING_SWITCH = '1';
}

// Getters: creating process.stdin (or stderr) loads Node's stream/net machinery, a measurable part
// of `credkit --help`, which only writes to stdout.
const io = {
  env: process.env,
  cwd: process.cwd(),
  get stdin() {
    return process.stdin;
  },
  get stdout() {
    return process.stdout;
  },
  get stderr() {
    return process.stderr;
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

// A closed pipe (`credkit profiles | head`) is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});
