/**
 * Drivers for the reference implementations: the AWS CLI v2 (Debian, /usr/bin/aws, its Python code
 * run in one batch process) and the AWS CLI v1 from pip (`aws` on PATH, which honours
 * AWS_ENDPOINT_URL_STS). Both are required: a missing one is a failure that says what to install.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const AWS_CLI_V2 = '/usr/bin/aws';
const BATCH = fileURLToPath(new URL('./aws_cli_batch.py', import.meta.url));

export interface CliResult {
  rc: number;
  out: string;
  err: string;
}

export interface BatchJob {
  id: string;
  env: Record<string, string>;
  profiles: string[];
  /** How many profiles with local credentials also go through `configure export-credentials`. */
  exports?: number;
}

export interface ExportedCredentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken?: string;
}

export interface BatchResult {
  list: CliResult;
  profiles: Record<string, { method: string; credentials?: ExportedCredentials; export?: CliResult }>;
}

export function run(
  file: string,
  args: string[],
  env: Record<string, string | undefined>,
  timeoutMs = 60_000,
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = (error as { code?: unknown } | null)?.code;
        resolve({ rc: error ? (typeof code === 'number' ? code : 1) : 0, out: stdout, err: stderr });
      },
    );
  });
}

export function requireAwsCliV2(): void {
  if (!existsSync(AWS_CLI_V2) || !existsSync('/usr/lib/python3/dist-packages/awscli/clidriver.py')) {
    throw new Error(
      `The AWS CLI v2 is missing (${AWS_CLI_V2}): the differential suite needs it. Install it with "apt-get install awscli" (.ci/run does).`,
    );
  }
}

/** Runs every job through the AWS CLI v2's own code in one python3 process. */
export async function runAwsCliV2Batch(jobs: BatchJob[], dir: string): Promise<Record<string, BatchResult>> {
  requireAwsCliV2();
  const input = join(dir, 'jobs.json');
  await writeFile(input, JSON.stringify(jobs));
  const r = await run(
    '/usr/bin/python3',
    [BATCH, input],
    { PATH: process.env.PATH, LANG: 'C.UTF-8' },
    600_000,
  );
  if (r.rc !== 0) throw new Error(`The AWS CLI v2 batch driver failed (exit ${r.rc}): ${r.err.slice(-2000)}`);
  return JSON.parse(r.out) as Record<string, BatchResult>;
}

/**
 * The pip AWS CLI v1: the first `aws` on PATH (or in pyenv's shims) whose --version says aws-cli/1.
 */
export async function findAwsCliV1(): Promise<string> {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  const pyenv = process.env.PYENV_ROOT ?? join(homedir(), '.pyenv');
  dirs.push(join(pyenv, 'shims'));
  const tried: string[] = [];
  for (const dir of dirs) {
    const candidate = join(dir, 'aws');
    if (!existsSync(candidate) || tried.includes(candidate)) continue;
    tried.push(candidate);
    const r = await run(candidate, ['--version'], { PATH: process.env.PATH, HOME: process.env.HOME }, 30_000);
    if (/aws-cli\/1\./.test(r.out + r.err)) return candidate;
  }
  throw new Error(
    `No AWS CLI v1 found (tried ${tried.join(', ') || 'no aws on PATH'}): the role part of the differential suite needs the pip AWS CLI v1 ("pip install awscli"), which honours AWS_ENDPOINT_URL_STS.`,
  );
}
