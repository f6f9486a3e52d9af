import { execFileSync } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { runProcess } from './helpers.js';

/** The AWS CLI v2 from Debian (2.9.19): ignores AWS_ENDPOINT_URL_STS, so it must never need STS. */
export const AWS_V2 = '/usr/bin/aws';

/**
 * The AWS CLI v1 on PATH (pip, usually a pyenv shim). Its pyenv root is pinned because the tests
 * change HOME, which is where pyenv looks for itself by default.
 */
export function awsV1Env(): Record<string, string> {
  return { PYENV_ROOT: process.env.PYENV_ROOT ?? join(homedir(), '.pyenv') };
}

/** Throws (the tests fail, never skip) unless both AWS CLIs are installed in the expected majors. */
export function requireAwsClis(): void {
  const version = (file: string, env: Record<string, string> = {}) => {
    try {
      return execFileSync(file, ['--version'], {
        encoding: 'utf8',
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      return `missing (${(error as Error).message})`;
    }
  };
  const v2 = version(AWS_V2);
  if (!v2.startsWith('aws-cli/2.'))
    throw new Error(`The AWS CLI v2 at ${AWS_V2} is required (Debian awscli): ${v2}`);
  const v1 = version('aws', awsV1Env());
  if (!v1.startsWith('aws-cli/1.'))
    throw new Error(`The AWS CLI v1 (pip install awscli) must be the \`aws\` on PATH: ${v1}`);
}

/** Runs an AWS CLI with exactly `env` (plus PATH), stdin closed: it can never prompt. */
export function runAws(
  file: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runProcess(file, args, { env: { ...awsV1Env(), ...env }, timeoutMs });
}
