import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AwsHome, createAwsHome, type LoopbackAws, startLoopbackAws } from '@credkit/loopback-aws';

export const CLI = new URL('../../dist/credkit.js', import.meta.url).pathname;

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** How runProcess starts a child. */
export interface ProcessOptions {
  env: Record<string, string>;
  stdin?: string;
  cwd?: string;
  timeoutMs?: number;
  /** Run as another user (the parent must be root). */
  uid?: number;
  gid?: number;
}

/**
 * Spawns the bundled CLI (or `cli`) with exactly the given env (nothing inherited but PATH and the
 * test run's compile cache directory).
 */
export function runCli(
  args: readonly string[],
  options: ProcessOptions & {
    /** Another copy of the bundle, e.g. one readable by an unprivileged user. */
    cli?: string;
  },
): Promise<RunResult> {
  return runProcess(process.execPath, [options.cli ?? CLI, ...args], options);
}

/**
 * Spawns `file` with exactly `env` (plus PATH and the test run's compile cache directory), feeds
 * `stdin` and closes it (a program that would prompt sees end of input), collects its output and
 * kills it after `timeoutMs` (a hang guard).
 */
export function runProcess(
  file: string,
  args: readonly string[],
  options: ProcessOptions,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...testCompileCache(), ...options.env },
      cwd: options.cwd ?? tmpdir(),
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(options.uid === undefined ? {} : { uid: options.uid }),
      ...(options.gid === undefined ? {} : { gid: options.gid }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    // A program that fails before reading stdin closes the pipe; that is its answer, not a test error.
    child.stdin.on('error', () => {});
    child.stdin.end(options.stdin ?? '');
  });
}

/** Credentials as `credential_process` prints them (what `--credentials-stdin` reads). */
export function credentialProcessJson(c: {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
  expiration?: string | Date | undefined;
}): string {
  return JSON.stringify({
    Version: 1,
    AccessKeyId: c.accessKeyId,
    SecretAccessKey: c.secretAccessKey,
    SessionToken: c.sessionToken,
    Expiration: c.expiration,
  });
}

export interface World {
  aws: LoopbackAws;
  home: AwsHome;
  credkitHome: string;
  /** The env for the CLI: sandbox HOME, config files, CREDKIT_HOME, loopback endpoints. */
  env: Record<string, string>;
  users: Record<
    'app' | 'prodIad' | 'prodPdx' | 'test',
    { accessKeyId: string; secretAccessKey: string; arn: string }
  >;
  root: { accessKeyId: string; secretAccessKey: string; arn: string };
  store(app?: string): Promise<unknown>;
  close(): Promise<void>;
}

export const ACCOUNTS = {
  app: '111111111111',
  prod: '222222222222',
  test: '333333333333',
  other: '444444444444',
};

/**
 * A loopback AWS with IAM users for the app and its environments, and an AWS home whose profiles
 * point at them: app (app account), prod-iad/prod-pdx (prod account, two regions), test, root.
 */
export async function createWorld(extra: { config?: string; credentials?: string } = {}): Promise<World> {
  const aws = await startLoopbackAws();
  const users = {
    app: aws.addUser({ accountId: ACCOUNTS.app, userName: 'app-deployer' }),
    prodIad: aws.addUser({ accountId: ACCOUNTS.prod, userName: 'prod-iad' }),
    prodPdx: aws.addUser({ accountId: ACCOUNTS.prod, userName: 'prod-pdx' }),
    test: aws.addUser({ accountId: ACCOUNTS.test, userName: 'tester' }),
  };
  const root = aws.addRoot({ accountId: ACCOUNTS.other });
  const keys = (u: { accessKeyId: string; secretAccessKey: string }) =>
    `aws_access_key_id = ${u.accessKeyId}\naws_secret_access_key = ${u.secretAccessKey}`;
  const home = await createAwsHome({
    config: `[default]\nregion = us-east-1\n\n[profile my-app]\nregion = us-east-1\n\n[profile prod-iad]\nregion = us-east-1\n\n[profile prod-pdx]\nregion = us-west-2\n\n[profile test]\nregion = eu-west-1\n\n[profile root]\nregion = us-east-1\n\n[profile noregion]\n${extra.config ?? ''}`,
    credentials: `[my-app]\n${keys(users.app)}\n\n[prod-iad]\n${keys(users.prodIad)}\n\n[prod-pdx]\n${keys(users.prodPdx)}\n\n[test]\n${keys(users.test)}\n\n[root]\n${keys(root)}\n\n[noregion]\n${keys(users.test)}\n${extra.credentials ?? ''}`,
  });
  const credkitHome = await mkdtemp(join(tmpdir(), 'credkit-e2e-store-'));
  const env: Record<string, string> = {
    ...home.env,
    ...(aws.env as unknown as Record<string, string>),
    AWS_EC2_METADATA_DISABLED: 'true',
    CREDKIT_HOME: credkitHome,
    CREDKIT_APP: 'shop',
    AWS_PROFILE: 'my-app',
  };
  return {
    aws,
    home,
    credkitHome,
    env,
    users,
    root,
    store: async (app = 'shop') =>
      JSON.parse(await readFile(join(credkitHome, 'apps', `${app}.json`), 'utf8')),
    close: async () => {
      await aws.close();
      await home.cleanup();
      await rm(credkitHome, { recursive: true, force: true });
    },
  };
}

/**
 * The test run's own directory for the CLI's compile cache (set by vitest.global-setup.ts), for
 * children started without a HOME of their own: the CLI would otherwise keep it in the real home.
 */
export function testCompileCache(): { CREDKIT_COMPILE_CACHE?: string } {
  const dir = process.env.CREDKIT_COMPILE_CACHE;
  return dir === undefined ? {} : { CREDKIT_COMPILE_CACHE: dir };
}
