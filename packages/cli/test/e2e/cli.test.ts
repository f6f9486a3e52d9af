import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/commands/index.js';
import { createWorld, runCli, type World } from './helpers.js';
import { KEY, spawnPty } from './pty.js';

let world: World;
let mfaRoleArn: string;
beforeAll(async () => {
  world = await createWorld();
  // An MFA-protected role in the prod account, assumed from a user with an MFA device.
  const serial = 'arn:aws:iam::111111111111:mfa/ops';
  const ops = world.aws.addUser({
    accountId: '111111111111',
    userName: 'ops',
    mfa: { serial, code: '123456' },
  });
  mfaRoleArn = world.aws.addRole({
    accountId: '222222222222',
    roleName: 'admin',
    trust: [ops.arn],
    requireMfa: true,
  }).roleArn;
  const { appendFile } = await import('node:fs/promises');
  await appendFile(
    world.home.configFile,
    `\n[profile ops]\nregion = us-east-1\n\n[profile admin]\nregion = us-east-1\nrole_arn = ${mfaRoleArn}\nsource_profile = ops\nmfa_serial = ${serial}\n`,
  );
  await appendFile(
    world.home.credentialsFile,
    `\n[ops]\naws_access_key_id = ${ops.accessKeyId}\naws_secret_access_key = ${ops.secretAccessKey}\n`,
  );
});
afterAll(async () => {
  await world.close();
});

describe('help and version', () => {
  it('credkit --help lists every command, exit 0', async () => {
    const r = await runCli(['--help'], { env: {} });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    for (const c of COMMANDS) {
      if (c.hidden) expect(r.stdout).not.toContain(c.name);
      else expect(r.stdout).toContain(c.name);
    }
    expect(r.stdout).toContain('Exit codes: 0 success, 1 failure, 2 usage error, 130 cancelled.');
  });

  it.each(COMMANDS.map((c) => [c.name]))(
    'credkit %s --help shows usage, flags and examples',
    async (name) => {
      const r = await runCli([...name.split(' '), '--help'], { env: {} });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: credkit /);
      expect(r.stdout).toContain('Flags:');
      expect(r.stdout).toContain('Examples:');
    },
  );

  it('credkit help env init and credkit env --help', async () => {
    expect((await runCli(['help', 'env', 'init'], { env: {} })).stdout).toContain('Usage: credkit env init');
    const group = await runCli(['env', '--help'], { env: {} });
    expect(group.stdout).toContain('env delete');
  });

  it('--version prints the version', async () => {
    const r = await runCli(['--version'], { env: {} });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^credkit \d+\.\d+\.\d+\S* \(@credkit\/cli\)\n/);
  });
});

describe('usage errors from the real binary', () => {
  it('exit 2 with message and hint; --json puts the error object on stderr', async () => {
    const r = await runCli(['env', 'int'], { env: {} });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'error: Unknown command `credkit env int`.\nhint: Did you mean `credkit env init`?\n',
    );
    const j = await runCli(['env', 'init', '--json'], { env: {} });
    expect(j.code).toBe(2);
    expect(JSON.parse(j.stderr)).toEqual({
      error: {
        code: 'MISSING_FLAG',
        message: '`credkit env init` needs the environment name.',
        hint: 'Write `credkit env init NAME` (or --name NAME).',
      },
    });
  });

  it('conflicting flags', async () => {
    const r = await runCli(['export', '--profile', 'a', '--env', 'b'], { env: {} });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--profile and --env cannot be used together/);
  });
});

describe('color', () => {
  it('on a terminal output is colored; NO_COLOR turns it off; piped output is plain', async () => {
    const colored = spawnPty(['env', 'ls'], world.env);
    await colored.exit();
    expect(colored.raw()).toContain('\u001b[1m');
    const plain = spawnPty(['env', 'ls'], { ...world.env, NO_COLOR: '1' });
    await plain.exit();
    expect(plain.raw()).not.toMatch(/\u001b\[\d+m/);
    const piped = await runCli(['env', 'ls'], { env: world.env });
    expect(piped.stdout).not.toContain('\u001b[');
  });
});

describe('MFA for assume-role profiles', () => {
  // Each case starts without a cached role session (the first one would serve the others).
  beforeEach(() => rm(join(world.env.HOME!, '.aws', 'cli', 'cache'), { recursive: true, force: true }));

  it('takes the code from --mfa-code without a terminal', async () => {
    const r = await runCli(['export', '--profile', 'admin', '--mfa-code', '123456', '--format', 'json'], {
      env: world.env,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).sessionToken).toBeTruthy();
  });

  it('fails at once naming --mfa-code when there is no terminal', async () => {
    const r = await runCli(['export', '--profile', 'admin'], { env: world.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--mfa-code/);
  });

  it('asks for the code on a terminal (app whoami)', async () => {
    const term = spawnPty(['app', 'whoami'], { ...world.env, AWS_PROFILE: 'admin' });
    await term.waitFor(/MFA code for arn:aws:iam::111111111111:mfa\/ops/);
    await term.type('123456');
    term.write(KEY.enter);
    expect(await term.exit()).toBe(0);
    expect(term.text()).toMatch(/Account\s+222222222222/);
    expect(term.text()).toContain('assumed-role/admin');
  });
});
