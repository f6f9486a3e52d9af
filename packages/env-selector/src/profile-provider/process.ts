import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { Clock } from '@credkit/temp-creds/errors';
import { CredkitError, escapeControlCharacters, maskSecretShapes } from '@credkit/temp-creds/errors';
import { onTerminatingSignal } from '@credkit/temp-creds/signals';
import { ProfileErrorCode as C } from './codes.js';
import { DEFAULT_PROCESS_TIMEOUT_MS, PROCESS_KILL_GRACE_MS, PROCESS_STDOUT_LIMIT } from './limits.js';
import { type ResolvedCredentials, withSdkFeature } from './types.js';

export { DEFAULT_PROCESS_TIMEOUT_MS, PROCESS_KILL_GRACE_MS, PROCESS_STDOUT_LIMIT };

const STDERR_KEEP = 64 * 1024;
const STDERR_SHOWN = 1_000;

export interface ProcessRun {
  profile: string;
  command: string;
  /** Where `credential_process` is set, for messages: `~/.aws/config:12`. */
  location: string;
  env: Record<string, string | undefined>;
  timeoutMs: number;
  killGraceMs?: number;
  stdoutLimit?: number;
  now?: Clock;
  signal?: AbortSignal;
  /** The profile's `aws_account_id`, used when the output has no AccountId (as the SDK does). */
  accountId?: string;
}

interface Outcome {
  stdout: Buffer;
  stderr: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  reason?: 'timeout' | 'too-large' | 'aborted';
  spawnError?: NodeJS.ErrnoException;
}

/**
 * Runs a `credential_process` command the way the SDK does (through a shell, so quoting in the config
 * file means the same thing), but bounded: a timeout with SIGTERM then SIGKILL to the whole process
 * group, a cap on stdout, no stdin (a prompt that cannot be answered must not hang us), and errors that
 * show the trimmed stderr but never stdout, which may hold secrets.
 */
export async function runCredentialProcess(run: ProcessRun): Promise<ResolvedCredentials> {
  const outcome = await execute(run);
  const what = `credential_process of profile "${run.profile}" (${run.location})`;
  const details = { profile: run.profile, location: run.location };
  if (outcome.spawnError) {
    throw new CredkitError(
      C.CREDENTIAL_PROCESS_FAILED,
      `${what} could not be started (${outcome.spawnError.code}).`,
      {
        hint: 'Check that a shell is available and the command line in the profile is correct.',
        details,
      },
    );
  }
  if (outcome.reason === 'timeout') {
    throw new CredkitError(
      C.CREDENTIAL_PROCESS_TIMEOUT,
      `${what} did not finish within ${run.timeoutMs} ms and was killed.`,
      {
        hint: 'Make the command finish faster, or raise the limit with the processTimeoutMs option or CREDKIT_PROCESS_TIMEOUT_MS.',
        details: { ...details, timeoutMs: run.timeoutMs },
      },
    );
  }
  if (outcome.reason === 'too-large') {
    const limit = run.stdoutLimit ?? PROCESS_STDOUT_LIMIT;
    throw new CredkitError(
      C.CREDENTIAL_PROCESS_OUTPUT_TOO_LARGE,
      `${what} wrote more than ${limit} bytes to stdout and was killed.`,
      {
        hint: 'A credential_process must print one small JSON document (Version 1) on stdout; send logs to stderr.',
        details,
      },
    );
  }
  if (outcome.reason === 'aborted') {
    throw new CredkitError(
      C.RESOLUTION_TIMEOUT,
      `${what} was stopped because credential resolution timed out.`,
      { details },
    );
  }
  const stderr = shownStderr(outcome.stderr, outcome.stdout);
  if (outcome.exitCode === 127) {
    throw new CredkitError(C.CREDENTIAL_PROCESS_NOT_FOUND, `${what} failed: command not found.${stderr}`, {
      hint: 'Fix the path in credential_process; quote it if it contains spaces.',
      details,
    });
  }
  if (outcome.exitCode !== 0) {
    const how =
      outcome.exitCode === null ? `was killed by ${outcome.signal}` : `exited with code ${outcome.exitCode}`;
    throw new CredkitError(C.CREDENTIAL_PROCESS_FAILED, `${what} ${how}.${stderr}`, {
      hint: 'Run the command yourself to see what it needs (a login, a network, a tty?).',
      details: { ...details, exitCode: outcome.exitCode },
    });
  }
  return validateProcessOutput(outcome.stdout.toString('utf8'), run, (run.now ?? Date.now)());
}

/**
 * The SDK's checks (`getValidatedProcessCredentials` of `@aws-sdk/credential-provider-process`), with
 * coded errors that never quote the output; `process-sdk.test.ts` runs the same outputs through both.
 * Stricter on purpose where the SDK would hand out unusable credentials: an empty or non-string
 * AccessKeyId/SecretAccessKey, and an Expiration that is not a date, are refused.
 */
export function validateProcessOutput(
  stdout: string,
  run: Pick<ProcessRun, 'profile' | 'location' | 'accountId'>,
  nowMs: number,
) {
  const what = `credential_process of profile "${run.profile}" (${run.location})`;
  const details = { profile: run.profile, location: run.location };
  let data: unknown;
  try {
    data = JSON.parse(stdout.trim());
  } catch {
    throw new CredkitError(C.CREDENTIAL_PROCESS_INVALID_JSON, `${what} did not print valid JSON on stdout.`, {
      hint: 'The command must print {"Version": 1, "AccessKeyId": ..., "SecretAccessKey": ...} and nothing else on stdout.',
      details,
    });
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new CredkitError(C.CREDENTIAL_PROCESS_INVALID_JSON, `${what} printed JSON that is not an object.`, {
      hint: 'The command must print {"Version": 1, "AccessKeyId": ..., "SecretAccessKey": ...}.',
      details,
    });
  }
  const d = data as Record<string, unknown>;
  if (d.Version !== 1) {
    const got =
      typeof d.Version === 'number' ? String(d.Version) : d.Version === undefined ? 'none' : typeof d.Version;
    throw new CredkitError(
      C.CREDENTIAL_PROCESS_UNSUPPORTED_VERSION,
      `${what} returned Version ${got}; only Version 1 (a number) is supported.`,
      {
        hint: 'Update the command to print "Version": 1.',
        details: { ...details, version: got },
      },
    );
  }
  const missing = ['AccessKeyId', 'SecretAccessKey'].filter((k) => typeof d[k] !== 'string' || d[k] === '');
  if (missing.length > 0) {
    throw new CredkitError(
      C.CREDENTIAL_PROCESS_INCOMPLETE,
      `${what} returned no ${missing.join(' and no ')}.`,
      {
        hint: 'The output must contain AccessKeyId and SecretAccessKey (and SessionToken for temporary credentials).',
        details: { ...details, missing },
      },
    );
  }
  let expiration: Date | undefined;
  // Truthiness and `new Date(value)` exactly as the SDK: 0 or "" means no expiry, epoch numbers work.
  if (d.Expiration) {
    expiration = new Date(d.Expiration as string | number);
    if (Number.isNaN(expiration.getTime())) {
      throw new CredkitError(
        C.CREDENTIAL_PROCESS_INCOMPLETE,
        `${what} returned an Expiration that is not an ISO 8601 date.`,
        {
          hint: 'Print Expiration like "2026-11-27T12:00:00Z".',
          details,
        },
      );
    }
    if (expiration.getTime() < nowMs) {
      throw new CredkitError(
        C.CREDENTIAL_PROCESS_EXPIRED,
        `${what} returned credentials that expired at ${expiration.toISOString()}.`,
        {
          hint: 'The command served stale cached credentials; refresh its cache or log in again.',
          details: { ...details, expiration: expiration.toISOString() },
        },
      );
    }
  }
  const optional = (k: string) => (typeof d[k] === 'string' && d[k] !== '' ? (d[k] as string) : undefined);
  const sessionToken = optional('SessionToken');
  const credentialScope = optional('CredentialScope');
  const accountId = optional('AccountId') ?? (run.accountId || undefined);
  return withSdkFeature(
    {
      accessKeyId: d.AccessKeyId as string,
      secretAccessKey: d.SecretAccessKey as string,
      ...(sessionToken && { sessionToken }),
      ...(expiration && { expiration }),
      ...(credentialScope && { credentialScope }),
      ...(accountId && { accountId }),
    },
    'CREDENTIALS_PROCESS',
    'w',
  );
}

/** The string values of the JSON document on stdout, if it is one: what a `set -x` trace echoes. */
function credentialValues(stdout: Buffer): string[] {
  try {
    const doc: unknown = JSON.parse(stdout.toString('utf8'));
    if (typeof doc !== 'object' || doc === null) return [];
    return Object.values(doc).filter((v): v is string => typeof v === 'string');
  } catch {
    // Not JSON (or cut short): the secret-shape masking still applies.
    return [];
  }
}

function shownStderr(stderr: string, stdout: Buffer): string {
  // Masked before it is cut, so a cut cannot leave a piece of a secret too short to recognise.
  const trimmed = maskSecretShapes(stderr, credentialValues(stdout)).trim();
  if (trimmed === '') return '';
  const tail = trimmed.length > STDERR_SHOWN ? `...${trimmed.slice(-STDERR_SHOWN)}` : trimmed;
  // The command's stderr is untrusted text headed for a terminal: escape sequences are shown, not run.
  const safe = tail
    .split('\n')
    .map((line) => escapeControlCharacters(line.replace(/\r$/, '')))
    .join('\n');
  return `\nstderr: ${safe}`;
}

function execute(run: ProcessRun): Promise<Outcome> {
  const limit = run.stdoutLimit ?? PROCESS_STDOUT_LIMIT;
  const grace = run.killGraceMs ?? PROCESS_KILL_GRACE_MS;
  return new Promise((resolve) => {
    // Its own process group does not get the terminal's Ctrl-C: take it down if we exit first, and
    // if a signal ends us (a signal death skips 'exit'; the group would live on under PID 1). The
    // guards go in before the spawn: a signal that arrived between the fork and their registration
    // met Node's default action, and under load the command had started its children by then. A
    // listener runs only once spawn() has returned, so it always knows the child.
    let pid: number | undefined;
    const signalGroup = (sig: NodeJS.Signals) => {
      if (pid === undefined) return;
      try {
        process.kill(process.platform === 'win32' ? pid : -pid, sig);
      } catch {
        // Already gone.
      }
    };
    const onExit = () => signalGroup('SIGKILL');
    process.once('exit', onExit);
    const offSignals = onTerminatingSignal(onExit);
    let child: ChildProcessByStdio<null, Readable, Readable>;
    try {
      child = spawn(run.command, {
        shell: true,
        // Own process group, so a timeout kills the shell and everything it started.
        detached: process.platform !== 'win32',
        stdio: ['ignore', 'pipe', 'pipe'],
        env: run.env as NodeJS.ProcessEnv,
        windowsHide: true,
      });
    } catch (error) {
      process.off('exit', onExit);
      offSignals();
      throw error;
    }
    pid = child.pid;
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let reason: Outcome['reason'];
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (why: NonNullable<Outcome['reason']>) => {
      if (reason) return;
      reason = why;
      signalGroup('SIGTERM');
      killTimer = setTimeout(() => {
        signalGroup('SIGKILL');
        // A daemonized grandchild in another group could keep our pipes open; stop waiting for it.
        setTimeout(() => {
          child.stdout.destroy();
          child.stderr.destroy();
        }, 500).unref();
      }, grace);
      killTimer.unref();
    };
    const timer = setTimeout(() => stop('timeout'), run.timeoutMs);
    const onAbort = () => stop('aborted');
    run.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      if (reason) return;
      outBytes += chunk.length;
      if (outBytes > limit) {
        out.length = 0;
        stop('too-large');
        return;
      }
      out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (err.length < STDERR_KEEP) err += chunk.toString('utf8');
      else err = err.slice(-STDERR_KEEP / 2) + chunk.toString('utf8');
    });
    let spawnError: NodeJS.ErrnoException | undefined;
    child.on('error', (e: NodeJS.ErrnoException) => {
      spawnError = e;
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      run.signal?.removeEventListener('abort', onAbort);
      process.off('exit', onExit);
      offSignals();
      resolve({
        stdout: Buffer.concat(out),
        stderr: err,
        exitCode,
        signal,
        ...(reason && { reason }),
        ...(spawnError && { spawnError }),
      });
    });
  });
}
