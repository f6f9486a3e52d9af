/**
 * `npm run sandbox`: credkit's main job on a fresh machine, without an AWS account. Starts the
 * loopback AWS endpoints in this process, writes a throw-away HOME with example profiles, and runs
 * the real bundled `credkit` as child processes whose environment points only into the sandbox:
 * `app whoami`, `env init --name prod-iad` (interactive on a terminal, flags otherwise), `env ls`.
 * Then a team: a teammate records an environment in the SSM store of the application's account, and
 * a second throw-away HOME, with other profiles of that account, lists it.
 * Nothing outside the sandbox directory is read or written; everything is removed at the end.
 */
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createAwsHome, startLoopbackAws } from '@credkit/loopback-aws';

const CLI = new URL('./credkit.js', import.meta.url).pathname;
const APP_ACCOUNT = '111111111111';
const PROD_ACCOUNT = '222222222222';
const TEST_ACCOUNT = '333333333333';

function keys(k: { accessKeyId: string; secretAccessKey: string }): string {
  return `aws_access_key_id = ${k.accessKeyId}\naws_secret_access_key = ${k.secretAccessKey}\n`;
}

function run(
  args: string[],
  env: Record<string, string>,
  interactive: boolean,
  cwd: string,
): Promise<number> {
  const bold = process.stdout.isTTY === true && !process.env.NO_COLOR;
  const line = `$ credkit ${args.join(' ')}`;
  process.stdout.write(`\n${bold ? `\u001b[1m${line}\u001b[22m` : line}\n`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env,
      cwd,
      stdio: interactive ? 'inherit' : ['ignore', 'inherit', 'inherit'],
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? 130 : 1)));
  });
}

async function main(): Promise<number> {
  const interactive =
    process.stdin.isTTY === true &&
    process.stdout.isTTY === true &&
    process.env.CREDKIT_SANDBOX_INTERACTIVE !== '0';
  const aws = await startLoopbackAws();
  const appUser = aws.addUser({ accountId: APP_ACCOUNT, userName: 'my-app-deployer' });
  const defaultUser = aws.addUser({ accountId: APP_ACCOUNT, userName: 'developer' });
  const prodIad = aws.addUser({ accountId: PROD_ACCOUNT, userName: 'prod-iad-admin' });
  const prodPdx = aws.addUser({ accountId: PROD_ACCOUNT, userName: 'prod-pdx-admin' });
  const test = aws.addUser({ accountId: TEST_ACCOUNT, userName: 'test-admin' });
  // my-app's credential_process prints one-hour session credentials, like a real SSO/vault helper.
  const session = aws.issueSession(appUser, { expiresInSeconds: 3600 });
  const home = await createAwsHome({});
  const helper = join(home.dir, 'my-app-credentials.mjs');
  await writeFile(
    helper,
    `process.stdout.write(${JSON.stringify(
      JSON.stringify({
        Version: 1,
        AccessKeyId: session.accessKeyId,
        SecretAccessKey: session.secretAccessKey,
        SessionToken: session.sessionToken,
        Expiration: new Date(session.expiration).toISOString(),
      }),
    )});\n`,
    { mode: 0o600 },
  );
  await writeFile(
    home.configFile,
    `[default]\nregion = us-east-1\n\n[profile my-app]\nregion = us-east-1\ncredential_process = "${process.execPath}" "${helper}"\n\n[profile test]\nregion = eu-west-1\n\n[profile prod-iad]\nregion = us-east-1\n\n[profile prod-pdx]\nregion = us-west-2\n`,
    { mode: 0o600 },
  );
  await writeFile(
    home.credentialsFile,
    `[default]\n${keys(defaultUser)}\n[test]\n${keys(test)}\n[prod-iad]\n${keys(prodIad)}\n[prod-pdx]\n${keys(prodPdx)}`,
    { mode: 0o600 },
  );
  const credkitHome = join(home.dir, 'credkit');
  const workspace = join(home.dir, 'my-app');
  await mkdir(workspace, { recursive: true });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    ...(process.env.TERM ? { TERM: process.env.TERM } : {}),
    ...(process.env.NO_COLOR ? { NO_COLOR: process.env.NO_COLOR } : {}),
    ...home.env,
    ...(aws.env as unknown as Record<string, string>),
    AWS_EC2_METADATA_DISABLED: 'true',
    CREDKIT_HOME: credkitHome,
    AWS_PROFILE: 'my-app',
  };

  // The second teammate: own HOME, own file store, own profile, same application account.
  const teammate = aws.addUser({ accountId: APP_ACCOUNT, userName: 'teammate-dev' });
  const home2 = await createAwsHome({
    config: '[profile team-app]\nregion = us-east-1\n',
    credentials: `[team-app]\n${keys(teammate)}`,
  });
  const env2: Record<string, string> = {
    ...env,
    ...home2.env,
    CREDKIT_HOME: join(home2.dir, 'credkit'),
    AWS_PROFILE: 'team-app',
  };

  const cleanup = async () => {
    await aws.close();
    await home.cleanup();
    await home2.cleanup();
  };
  process.once('SIGINT', () => {
    // The child got the same Ctrl-C from the terminal; just make sure the sandbox is removed.
    void cleanup().finally(() => process.exit(130));
  });

  process.stdout.write(
    `${[
      `credkit sandbox: loopback AWS endpoints on ${aws.url} and a throw-away HOME at ${home.dir}`,
      `Profiles: default, my-app (credential_process, account ${APP_ACCOUNT}), test (${TEST_ACCOUNT}),`,
      `          prod-iad (${PROD_ACCOUNT}, us-east-1), prod-pdx (${PROD_ACCOUNT}, us-west-2). AWS_PROFILE=my-app.`,
      `The application is "my-app" (the current directory name); its metadata goes to ${credkitHome}.`,
      interactive
        ? 'env init will ask which credentials to use: pick [profile prod-iad] with the arrow keys and enter.'
        : 'No terminal: env init gets --profile prod-iad instead of asking.',
    ].join('\n')}\n`,
  );

  let code = 0;
  try {
    const steps: string[][] = [
      ['app', 'whoami'],
      interactive
        ? ['env', 'init', '--name', 'prod-iad']
        : ['env', 'init', '--name', 'prod-iad', '--profile', 'prod-iad'],
      ['env', 'ls'],
    ];
    for (const step of steps) {
      code = await run(step, env, interactive, workspace);
      if (code !== 0) break;
    }
    if (code === 0) {
      process.stdout.write(
        `\nA team: the SSM Parameter Store of account ${APP_ACCOUNT} (loopback) holds what everyone shares.\n`,
      );
      code = await run(
        ['env', 'init', '--name', 'prod-pdx', '--profile', 'prod-pdx', '--store', 'ssm'],
        env,
        false,
        workspace,
      );
    }
    if (code === 0) {
      process.stdout.write(
        `\nAnother teammate: HOME ${home2.dir}, profile team-app (same account, other user), nothing local.\n`,
      );
      code = await run(['env', 'ls', '--store', 'ssm'], env2, false, workspace);
    }
  } finally {
    await cleanup();
  }
  process.stdout.write(
    code === 0
      ? '\nSandbox done; it has been removed.\n'
      : `\nSandbox stopped (exit ${code}); it has been removed.\n`,
  );
  return code;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  async (error: unknown) => {
    process.stderr.write(`sandbox: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
