import { type ChildProcess, spawn } from 'node:child_process';
import { constants } from 'node:os';
import { CredkitError } from '@credkit/temp-creds/errors';
import type { CommandContext } from '../context.js';
import { commandNotFound, EXEC_MARKER, refuseNested, withNameHint } from '../exec-hints.js';
import { childEnvironment } from '../formats.js';
import { createOutput } from '../output.js';
import { resolveSourceCredentials } from '../sources.js';

const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH'] as const;

/**
 * `credkit exec`: runs the command with the credentials and region in its environment (every other
 * AWS_* credential or profile variable removed), forwards signals and exits with its exit code.
 * Secrets go in the child's environment only, never in its argv.
 */
export async function execCommand(options: CommandContext): Promise<number> {
  refuseNested(options);
  // No command: a shell with the credentials, as aws-vault and granted open one.
  const shell = options.rest.length === 0;
  const [command, ...args] = shell ? [options.env.SHELL || '/bin/sh'] : options.rest;
  const resolved = await resolveSourceCredentials(options).catch(async (error: unknown) => {
    throw await withNameHint(error, options, 'exec');
  });
  const env = childEnvironment(options.env, resolved.credentials);
  env[EXEC_MARKER] = resolved.profile ?? 'app';
  if (shell && options.stdin.isTTY === true) {
    createOutput(options, false).note(
      `Starting ${command} with the credentials of ${resolved.description}; exit returns to credkit.`,
    );
  }
  return new Promise<number>((resolve, reject) => {
    const fromTerminal = options.stdin.isTTY === true;
    // Handlers go in before the spawn: a fast command can print, and its caller signal credkit,
    // before spawn() returns. A signal that arrives first is passed on once the child exists.
    let child: ChildProcess | undefined;
    let pending: NodeJS.Signals | undefined;
    const forward = (signal: NodeJS.Signals) => () => {
      // Ctrl-C on a terminal already reaches the child (same process group); a second SIGINT would
      // make shells and REPLs see two. Credkit only keeps itself alive then and waits for the child.
      if (signal === 'SIGINT' && fromTerminal) return;
      if (child === undefined) pending = signal;
      else if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    const handlers = FORWARDED.map((signal) => [signal, forward(signal)] as const);
    for (const [signal, handler] of handlers) process.on(signal, handler);
    child = spawn(command!, args, { stdio: 'inherit', env, cwd: options.cwd });
    if (pending !== undefined) child.kill(pending);
    const cleanup = () => {
      for (const [signal, handler] of handlers) process.off(signal, handler);
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      cleanup();
      if (error.code === 'ENOENT') {
        commandNotFound(options, command!, shell).then(reject, reject);
      } else if (error.code === 'EACCES') {
        reject(
          new CredkitError('EXEC_PERMISSION_DENIED', `Permission denied running ${command}.`, {
            hint: 'Make the file executable (chmod +x) or run it through its interpreter.',
            exitCode: 126,
            details: { command },
          }),
        );
      } else {
        reject(
          new CredkitError('EXEC_FAILED', `Could not run ${command} (${error.code ?? error.name}).`, {
            details: { command },
          }),
        );
      }
    });
    child.on('exit', (code, signal) => {
      cleanup();
      if (signal !== null) resolve(128 + (constants.signals[signal] ?? 0));
      else resolve(code ?? 1);
    });
  });
}
