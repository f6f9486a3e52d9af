/**
 * Run under a real pseudo-terminal by prompt-pty.test.ts (bundled with esbuild first): asks for
 * temporary credentials on process.stdin/stdout and prints only hashes of the secret values.
 */
import { createHash } from 'node:crypto';
import { isCredkitError, promptTemporaryCredentials } from '../../src/index.js';
import { createTerminalPrompter } from '../../src/prompter/index.js';

const sha = (value: string | undefined): string =>
  value === undefined ? '-' : createHash('sha256').update(value).digest('hex').slice(0, 16);

try {
  const prompter = createTerminalPrompter({ input: process.stdin, output: process.stdout, env: {} });
  const credentials = await promptTemporaryCredentials({ prompter });
  process.stdout.write(
    `RESULT key=${credentials.accessKeyId} secret=${sha(credentials.secretAccessKey)} token=${sha(credentials.sessionToken)}\n`,
  );
} catch (error: unknown) {
  if (!isCredkitError(error)) throw error;
  process.stdout.write(`ERROR ${error.code}\n`);
  process.exitCode = error.exitCode;
}
// Node resets the terminal when it exits, so look at raw mode while still running.
process.stdout.write(`RAW ${String(process.stdin.isRaw)}\n`);
