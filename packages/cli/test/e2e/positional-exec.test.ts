/**
 * Positional names (`credkit export deploy`, `credkit exec deploy -- cmd`, `credkit env show NAME`),
 * `credkit exec NAME` without a command (a shell), the refusal of an exec inside an exec, and the
 * hints for words in the wrong place. The bundled CLI against the loopback AWS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, createWorld, runCli, type World } from './helpers.js';
import { spawnPtyCommand } from './pty.js';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(async () => {
  await world.close();
});

const printEnv = [process.execPath, '-p', 'process.env.CREDKIT_PROFILE + " " + process.env.AWS_REGION'];

describe('positional names', () => {
  it('credkit export PROFILE is --profile PROFILE', async () => {
    const r = await runCli(['export', 'prod-pdx', '--format', 'env'], { env: world.env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`export AWS_ACCESS_KEY_ID=${world.users.prodPdx.accessKeyId}\n`);
    expect(r.stdout).toContain('export AWS_REGION=us-west-2\n');
  });

  it('a positional that differs from its flag is a usage error naming both', async () => {
    const r = await runCli(['export', 'prod-pdx', '--profile', 'test'], { env: world.env });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error: The profile name is given twice: `prod-pdx` and --profile test.');
    expect(r.stderr).toContain('hint: Give it once: `credkit export test` or --profile test.');
    const json = await runCli(['env', 'show', 'a', '--name', 'b', '--json'], { env: world.env });
    expect(JSON.parse(json.stderr).error.code).toBe('ARGUMENT_CONFLICT');
  });

  it('a second bare word says the command takes one name, and names no flag it lacks', async () => {
    const r = await runCli(['export', 'prod-pdx', 'prod-iad'], { env: world.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('takes one profile name (`prod-pdx` given)');
    expect(r.stderr).not.toContain('--name');
  });

  it('an environment name where the profile goes: the hint says --env', async () => {
    const init = await runCli(['env', 'init', 'staging', '--profile', 'test'], { env: world.env });
    expect(init.code).toBe(0);
    const r = await runCli(['export', 'staging'], { env: world.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Profile "staging" was not found');
    expect(r.stderr).toContain(
      'hint: "staging" is an environment of app "shop", not a profile: write `credkit export --env staging`.',
    );
    const exec = await runCli(['exec', 'staging', '--', 'true'], { env: world.env });
    expect(exec.stderr).toContain('write `credkit exec --env staging -- true`');
  });

  it('credkit env init NAME, env show NAME and env delete NAME', async () => {
    const init = await runCli(['env', 'init', 'prod-iad', '--profile', 'prod-iad'], { env: world.env });
    expect(init.code).toBe(0);
    const show = await runCli(['env', 'show', 'prod-iad', '--json'], { env: world.env });
    expect(show.code).toBe(0);
    expect(JSON.parse(show.stdout)).toMatchObject({ name: 'prod-iad', region: 'us-east-1' });
    const conflict = await runCli(['env', 'show', 'prod-iad', '--name', 'prod-pdx'], { env: world.env });
    expect(conflict.code).toBe(2);
    expect(conflict.stderr).toContain('The environment name is given twice');
    const del = await runCli(['env', 'delete', 'prod-iad', '--yes'], { env: world.env });
    expect(del.code).toBe(0);
    const gone = await runCli(['env', 'show', 'prod-iad'], { env: world.env });
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('Environment "prod-iad" is not recorded');
  });
});

describe('credkit exec PROFILE', () => {
  it('runs the command after -- (or right after the profile) with the marker set', async () => {
    const dashed = await runCli(['exec', 'prod-pdx', '--', ...printEnv], { env: world.env });
    expect(dashed.stderr).toBe('');
    expect(dashed.code).toBe(0);
    expect(dashed.stdout).toBe('prod-pdx us-west-2\n');
    const bare = await runCli(['exec', 'test', ...printEnv], { env: world.env });
    expect(bare.stdout).toBe('test eu-west-1\n');
    // The application chain marks its commands too, so a nested exec is caught there as well.
    const app = await runCli(['exec', '--', ...printEnv], { env: world.env });
    expect(app.stdout).toBe('app us-east-1\n');
  });

  it('without a command opens $SHELL with the credentials', async () => {
    const script = 'echo "in $CREDKIT_PROFILE $AWS_REGION"; test -n "$AWS_SECRET_ACCESS_KEY"; exit 4\n';
    const r = await runCli(['exec', 'test'], { env: { ...world.env, SHELL: '/bin/bash' }, stdin: script });
    expect(r.stdout).toBe('in test eu-west-1\n');
    expect(r.code).toBe(4);
    // No SHELL: /bin/sh.
    const sh = await runCli(['exec', 'test'], { env: world.env, stdin: 'echo "$0"\n' });
    expect(sh.stdout).toBe('/bin/sh\n');
  });

  it('a SHELL that does not exist: exit 127 and a hint', async () => {
    const r = await runCli(['exec', 'test'], { env: { ...world.env, SHELL: '/nonexistent/zsh' } });
    expect(r.code).toBe(127);
    expect(r.stderr).toContain('Command not found: /nonexistent/zsh');
    expect(r.stderr).toContain('set SHELL to an installed shell');
  });

  it('refuses an exec inside an exec, unless --nested', async () => {
    const inner = [process.execPath, CLI, 'exec', 'prod-iad', '--', ...printEnv];
    const nested = await runCli(['exec', 'test', '--', ...inner], { env: world.env });
    expect(nested.code).toBe(1);
    expect(nested.stdout).toBe('');
    expect(nested.stderr).toContain('error: Already inside `credkit exec` (CREDKIT_PROFILE=test)');
    expect(nested.stderr).toContain('--nested');
    expect(nested.stderr).not.toContain(world.users.test.secretAccessKey);
    const printKey = [
      process.execPath,
      '-p',
      'process.env.CREDKIT_PROFILE + " " + process.env.AWS_ACCESS_KEY_ID',
    ];
    const allowed = await runCli(
      ['exec', 'test', '--', process.execPath, CLI, 'exec', '--nested', 'prod-iad', '--', ...printKey],
      { env: world.env },
    );
    expect(allowed.stderr).toBe('');
    expect(allowed.stdout).toBe(`prod-iad ${world.users.prodIad.accessKeyId}\n`);
    // Refused before any credential is resolved: no shell, no MFA prompt, nothing on stdout.
    const shell = await runCli(['exec', 'test'], {
      env: { ...world.env, CREDKIT_PROFILE: 'app' },
      stdin: 'echo ran\n',
    });
    expect(shell.code).toBe(1);
    expect(shell.stdout).toBe('');
  });

  it('a profile name where the command goes: command not found says it is a profile', async () => {
    const r = await runCli(['exec', '--profile', 'test', 'prod-iad'], { env: world.env });
    expect(r.code).toBe(127);
    expect(r.stderr).toContain('error: Command not found: prod-iad');
    expect(r.stderr).toContain(
      '"prod-iad" is a profile name, not a command: write `credkit exec prod-iad -- COMMAND`',
    );
    const plain = await runCli(['exec', '--profile', 'test', '--', 'no-such-command-credkit'], {
      env: world.env,
    });
    expect(plain.code).toBe(127);
    expect(plain.stderr).not.toContain('profile name');
  });

  it('a command where the profile goes: the profile error says how to run it', async () => {
    const r = await runCli(['exec', 'ls', '/tmp'], { env: world.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Profile "ls" was not found');
    expect(r.stderr).toContain('write `credkit exec -- ls /tmp`');
    const flag = await runCli(['exec', 'ls', '-la'], { env: world.env });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('Unknown flag -la for `credkit exec`');
    expect(flag.stderr).toContain('write `credkit exec -- ls -la`');
  });

  it('on a terminal: a shell with the credentials, a note on stderr, its exit code', async () => {
    const term = spawnPtyCommand(process.execPath, [CLI, 'exec', 'test'], {
      ...world.env,
      SHELL: '/bin/sh',
      PS1: 'sub$ ',
    });
    try {
      await term.waitFor('Starting /bin/sh with the credentials of profile "test"');
      await term.waitFor('sub$ ');
      await term.type('echo "profile=$CREDKIT_PROFILE"\r');
      await term.waitFor('profile=test');
      await term.type('exit 3\r');
      expect(await term.exit()).toBe(3);
    } finally {
      term.kill();
    }
  });
});
