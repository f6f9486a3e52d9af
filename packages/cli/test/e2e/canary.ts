/**
 * Secret canaries for issue 7: values that appear nowhere but where a test puts them, and a scanner
 * that fails a test when one comes back out of credkit (an output stream, an error in any rendering,
 * a warning, a file written). Loopback-issued secrets are scanned the same way.
 */
import { chmod, cp, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { inspect } from 'node:util';
import { expect } from 'vitest';
import { CLI, runCli } from './helpers.js';

/** A secret access key of the right shape (40 characters of the secret alphabet). */
export const CANARY_SECRET = 'CANARYsecretAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
/** A session token of the right shape. */
export const CANARY_TOKEN = `CANARYtoken${'B'.repeat(50)}/${'C'.repeat(50)}+==`;
export const CANARY_ACCESS_KEY_ID = 'ASIACANARYACCESSKEY1';

/**
 * The fragments that must not appear: each whole secret, and its first 10 characters (a prefix
 * quoted by a parser or cut by a message is a leak too). The last 4 characters alone are fine:
 * that is the AWS CLI's masking.
 */
export function fragments(secrets: readonly string[]): string[] {
  return [...new Set(secrets.flatMap((s) => [s, s.slice(0, 10)]))];
}

/** Names of the secrets found in `text` (empty when clean). */
export function leaks(text: string, secrets: readonly string[]): string[] {
  return fragments(secrets).filter((f) => text.includes(f));
}

export function expectNoLeak(where: string, text: string, secrets: readonly string[]): void {
  const found = leaks(text, secrets);
  expect(found.map((f) => `${f.slice(0, 6)}… in ${where}`)).toEqual([]);
}

/** Every way an error reaches a person or a log: message, hint, details, cause chain, toString, JSON, inspect. */
export function renderError(error: unknown): string {
  const parts: string[] = [];
  let e: unknown = error;
  for (let depth = 0; e !== undefined && e !== null && depth < 10; depth++) {
    const x = e as { message?: unknown; hint?: unknown; details?: unknown; stack?: unknown; cause?: unknown };
    parts.push(String(e), String(x.message), String(x.hint), String(x.stack));
    parts.push(JSON.stringify(x.details) ?? '', JSON.stringify(e) ?? '');
    parts.push(inspect(e, { depth: 10, showHidden: true }));
    e = x.cause;
  }
  return parts.join('\n');
}

/** Text of every regular file under `dir`, except the paths given (which hold secrets on purpose). */
export async function filesUnder(dir: string, except: readonly string[] = []): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (d: string) => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && !except.includes(path)) out.set(path, await readFile(path, 'latin1'));
    }
  };
  await walk(dir);
  return out;
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The bundled CLI copied to a world-readable temp dir, so a child running as another user (the
 * unprivileged `nobody` of the store tests) can read it whatever the checkout's permissions are.
 */
export async function portableCli(): Promise<{ cli: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'credkit-cli-'));
  // The whole dist/: the bundle may load chunks beside it.
  await cp(dirname(CLI), dir, { recursive: true });
  const cli = join(dir, basename(CLI));
  await chmodTree(dir);
  expect((await stat(cli)).mode & 0o004).toBe(0o004);
  return { cli, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

async function chmodTree(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await chmodTree(path);
    else await chmod(path, 0o644);
  }
}

/** Spawns the CLI with exactly `env` (plus PATH), optionally as another user. */
export function spawnCli(args: readonly string[], options: Parameters<typeof runCli>[1]): Promise<Run> {
  return runCli(args, { timeoutMs: 60_000, ...options });
}

/** The last JSON line of stderr (`--json` errors), or undefined. */
export function jsonError(stderr: string): { code?: string; message?: string } | undefined {
  const last = stderr.trim().split('\n').at(-1);
  try {
    return (JSON.parse(last ?? '') as { error?: { code?: string; message?: string } }).error;
  } catch {
    return undefined;
  }
}
