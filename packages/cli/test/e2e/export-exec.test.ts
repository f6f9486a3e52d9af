import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, createWorld, credentialProcessJson, runCli, type World } from './helpers.js';

let world: World;
beforeAll(async () => {
  world = await createWorld({
    // `loop` runs credkit for itself; `via-credkit` runs credkit for another profile (allowed).
    config: `\n[profile loop]\ncredential_process = ${process.execPath} ${CLI} export --profile loop\n\n[profile via-credkit]\nregion = eu-central-1\ncredential_process = ${process.execPath} ${CLI} export --profile prod-iad\n`,
  });
});
afterAll(async () => {
  await world.close();
});

describe('credkit export', () => {
  it('defaults to credential_process JSON for a profile', async () => {
    const r = await runCli(['export', '--profile', 'prod-iad'], { env: world.env });
    // Long-term keys are printed with a warning (and the --session alternative), never silently.
    expect(r.stderr).toMatch(/^warning: Printing a long-term access key \(profile "prod-iad"/);
    expect(r.stderr).toContain('--session');
    expect(r.stderr).not.toContain(world.users.prodIad.secretAccessKey);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      Version: 1,
      AccessKeyId: world.users.prodIad.accessKeyId,
      SecretAccessKey: world.users.prodIad.secretAccessKey,
    });
  });

  it('exports the application chain when no flag is given', async () => {
    const r = await runCli(['export', '--format', 'json'], { env: world.env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      accessKeyId: world.users.app.accessKeyId,
      region: 'us-east-1',
    });
  });

  it('prints env lines a shell can eval, with the profile region', async () => {
    const r = await runCli(['export', '--profile', 'prod-pdx', '--format', 'env'], { env: world.env });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `export AWS_ACCESS_KEY_ID=${world.users.prodPdx.accessKeyId}\nexport AWS_SECRET_ACCESS_KEY=${world.users.prodPdx.secretAccessKey}\nexport AWS_REGION=us-west-2\nexport AWS_DEFAULT_REGION=us-west-2\n`,
    );
  });

  it.each([
    ['env-no-export', /^AWS_ACCESS_KEY_ID=AKIA/m],
    ['dotenv', /^AWS_ACCESS_KEY_ID="AKIA/m],
    ['powershell', /^\$Env:AWS_ACCESS_KEY_ID='AKIA/m],
    ['fish', /^set -gx AWS_ACCESS_KEY_ID 'AKIA/m],
  ])('--format %s', async (format, pattern) => {
    const r = await runCli(['export', '--profile', 'test', '--format', format], { env: world.env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(pattern);
  });

  it('works as the credential_process of another profile (the SDK-style caller)', async () => {
    const r = await runCli(['export', '--profile', 'via-credkit', '--format', 'json'], { env: world.env });
    expect(r.stderr).toMatch(
      /^warning: Printing a long-term access key \(profile "via-credkit"[^\n]*\n[^\n]*--session[^\n]*\n$/,
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      accessKeyId: world.users.prodIad.accessKeyId,
      region: 'eu-central-1',
    });
  });

  it('detects a profile whose credential_process calls credkit for itself', async () => {
    const r = await runCli(['export', '--profile', 'loop'], { env: world.env, timeoutMs: 20_000 });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/credential_process of profile "loop"/);
    expect(r.stderr).toMatch(/Profile "loop" is already being resolved/);
  });

  it('fails at once when started inside its own resolution (CREDKIT_RESOLVING)', async () => {
    const r = await runCli(['export', '--profile', 'prod-iad'], {
      env: { ...world.env, CREDKIT_RESOLVING: 'prod-iad' },
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: Profile "prod-iad" is already being resolved/);
  });

  it('names an unknown profile', async () => {
    const r = await runCli(['export', '--profile', 'prod-idd'], { env: world.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: .*prod-idd/);
    expect(r.stderr).toMatch(/hint: /);
  });

  it('refuses --env of an environment created with temporary credentials, and an unknown one', async () => {
    const r = await runCli(['export', '--env', 'nope'], { env: world.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Environment "nope" is not recorded for app "shop"/);
    const keys = world.aws.issueSession(world.users.test, { expiresInSeconds: 3600 });
    const stdin = credentialProcessJson({ ...keys, expiration: undefined });
    const init = await runCli(
      ['env', 'init', '--name', 'tmp', '--credentials-stdin', '--region', 'eu-west-1'],
      { env: world.env, stdin },
    );
    expect(init.code).toBe(0);
    const tmp = await runCli(['export', '--env', 'tmp'], { env: world.env });
    expect(tmp.code).toBe(1);
    expect(tmp.stderr).toMatch(/was created with temporary credentials/);
  });

  it('--env exports the profile recorded for the environment, with its region', async () => {
    const init = await runCli(['env', 'init', '--name', 'pdx', '--profile', 'prod-pdx'], { env: world.env });
    expect(init.code).toBe(0);
    const r = await runCli(['export', '--env', 'pdx', '--format', 'json'], { env: world.env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      accessKeyId: world.users.prodPdx.accessKeyId,
      region: 'us-west-2',
    });
    const exec = await runCli(
      ['exec', '--env', 'pdx', '--', process.execPath, '-p', 'process.env.AWS_REGION'],
      { env: world.env },
    );
    expect(exec.stdout).toBe('us-west-2\n');
  });
});

describe('credkit exec', () => {
  const printEnv = [
    process.execPath,
    '-e',
    'const e = process.env; console.log(JSON.stringify(Object.fromEntries(Object.entries(e).filter(([k]) => k.startsWith("AWS_")))))',
  ];

  it('takes the region as the app chain does: AWS_REGION, AWS_DEFAULT_REGION, then the profile', async () => {
    const region = async (extra: Record<string, string>) => {
      const r = await runCli(['export', '--profile', 'prod-pdx', '--format', 'json'], {
        env: { ...world.env, ...extra },
      });
      expect(r.code).toBe(0);
      return JSON.parse(r.stdout).region;
    };
    expect(await region({})).toBe('us-west-2');
    expect(await region({ AWS_DEFAULT_REGION: 'eu-north-1' })).toBe('eu-north-1');
    expect(await region({ AWS_DEFAULT_REGION: 'eu-north-1', AWS_REGION: 'ap-south-1' })).toBe('ap-south-1');
    const app = await runCli(['export', '--format', 'json'], {
      env: { ...world.env, AWS_PROFILE: 'prod-pdx', AWS_REGION: 'ap-south-1' },
    });
    expect(JSON.parse(app.stdout).region).toBe('ap-south-1');
  });

  it('runs the command with the credentials and region, other AWS_* credentials removed', async () => {
    const env = {
      ...world.env,
      AWS_ACCESS_KEY_ID: 'AKIAOLDOLDOLDOLDOLD1',
      AWS_SECRET_ACCESS_KEY: 'old-secret',
      AWS_SESSION_TOKEN: 'old-token',
      AWS_DEFAULT_PROFILE: 'x',
    };
    const r = await runCli(['exec', '--profile', 'prod-pdx', '--', ...printEnv], { env });
    expect(r.code).toBe(0);
    const seen = JSON.parse(r.stdout);
    expect(seen.AWS_ACCESS_KEY_ID).toBe(world.users.prodPdx.accessKeyId);
    expect(seen.AWS_SECRET_ACCESS_KEY).toBe(world.users.prodPdx.secretAccessKey);
    expect(seen.AWS_REGION).toBe('us-west-2');
    expect(seen.AWS_DEFAULT_REGION).toBe('us-west-2');
    expect(seen.AWS_SESSION_TOKEN).toBeUndefined();
    expect(seen.AWS_PROFILE).toBeUndefined();
    expect(seen.AWS_DEFAULT_PROFILE).toBeUndefined();
    expect(seen.AWS_CONTAINER_CREDENTIALS_FULL_URI).toBeUndefined();
    expect(seen.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBeUndefined();
    // Non-credential settings (endpoints, config paths) pass through.
    expect(seen.AWS_CONFIG_FILE).toBe(world.env.AWS_CONFIG_FILE);
  });

  it("exits with the command's exit code", async () => {
    const r = await runCli(['exec', '--profile', 'test', '--', process.execPath, '-e', 'process.exit(7)'], {
      env: world.env,
    });
    expect(r.code).toBe(7);
  });

  it('forwards SIGTERM and exits 128 + signal when the command is killed', async () => {
    const script = join(world.home.dir, 'wait.sh');
    await writeFile(script, '#!/bin/sh\necho ready\nexec sleep 30\n');
    await chmod(script, 0o755);
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [CLI, 'exec', '--profile', 'test', '--', script], {
      env: { PATH: process.env.PATH ?? '', ...world.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(128 + 15);
  });

  it('reports a missing command with exit 127', async () => {
    const r = await runCli(['exec', '--profile', 'test', '--', 'no-such-command-credkit'], {
      env: world.env,
    });
    expect(r.code).toBe(127);
    expect(r.stderr).toMatch(/Command not found: no-such-command-credkit/);
  });

  it('without a command runs a shell (here reading stdin) instead of failing', async () => {
    const r = await runCli(['exec', '--profile', 'test'], { env: world.env, stdin: 'exit 5\n' });
    expect(r.code).toBe(5);
    expect(r.stderr).toBe('');
  });
});
