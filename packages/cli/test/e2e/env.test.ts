import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNTS, createWorld, credentialProcessJson, runCli, type World } from './helpers.js';

let world: World;
beforeEach(async () => {
  world = await createWorld();
});
afterEach(async () => {
  await world.close();
});

const init = (args: string[], env = world.env, stdin?: string) =>
  runCli(['env', 'init', ...args], { env, ...(stdin === undefined ? {} : { stdin }) });

describe('credkit env init (flags, no terminal)', () => {
  it('verifies app and environment credentials, then records name, account, region and source', async () => {
    const r = await init(['--name', 'prod-iad', '--profile', 'prod-iad']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'Recorded: environment prod-iad of app shop, account 222222222222, region us-east-1',
    );
    expect(r.stderr).toContain(`Application credentials: profile "my-app"`);
    const store = await world.store();
    expect(store).toMatchObject({
      version: 1,
      app: 'shop',
      account: ACCOUNTS.app,
      environments: [
        {
          name: 'prod-iad',
          account: ACCOUNTS.prod,
          region: 'us-east-1',
          credentialSource: 'profile prod-iad',
        },
      ],
    });
    const file = join(world.credkitHome, 'apps', 'shop.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const text = await readFile(file, 'utf8');
    for (const u of Object.values(world.users)) {
      expect(text).not.toContain(u.secretAccessKey);
      expect(text).not.toContain(u.accessKeyId);
    }
    // Both identities were checked with STS: the app's first.
    const calls = world.aws.requests
      .filter((q) => q.action === 'GetCallerIdentity')
      .map((q) => q.accessKeyId);
    expect(calls).toEqual([world.users.app.accessKeyId, world.users.prodIad.accessKeyId]);
  });

  it('--json prints the record; --region overrides the profile region', async () => {
    const r = await init(['--name', 'prod-x', '--profile', 'prod-iad', '--region', 'eu-west-3', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      app: 'shop',
      created: true,
      environment: { name: 'prod-x', account: ACCOUNTS.prod, region: 'eu-west-3' },
    });
  });

  it('takes keys from flags, warns that the secret is visible, records "temporary"', async () => {
    const keys = world.aws.issueSession(world.users.test, { expiresInSeconds: 3600 });
    const r = await init([
      '--name',
      'tmp',
      '--aws-access-key-id',
      keys.accessKeyId,
      '--aws-secret-access-key',
      keys.secretAccessKey,
      '--aws-session-token',
      keys.sessionToken,
      '--region',
      'eu-west-1',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /warning: --aws-secret-access-key and --aws-session-token on the command line are visible/,
    );
    expect(r.stderr).toMatch(/--credentials-stdin/);
    expect(r.stderr + r.stdout).not.toContain(keys.secretAccessKey);
    expect(await world.store()).toMatchObject({
      environments: [
        { name: 'tmp', account: ACCOUNTS.test, region: 'eu-west-1', credentialSource: 'temporary' },
      ],
    });
  });

  it('reads credential_process JSON from stdin with --credentials-stdin', async () => {
    const keys = world.aws.issueSession(world.users.test, { expiresInSeconds: 3600 });
    const json = credentialProcessJson(keys);
    const r = await init(
      ['--name', 'stdin', '--credentials-stdin', '--region', 'eu-west-1'],
      world.env,
      json,
    );
    expect(r.stderr).not.toContain('warning');
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(keys.secretAccessKey);
    expect((await world.store()) as object).toMatchObject({
      environments: [{ name: 'stdin', account: ACCOUNTS.test, credentialSource: 'temporary' }],
    });
  });

  it('reports expired credentials as such and records nothing', async () => {
    const keys = world.aws.issueSession(world.users.test, { expiresInSeconds: -60 });
    const r = await init([
      '--name',
      'old',
      '--aws-access-key-id',
      keys.accessKeyId,
      '--aws-secret-access-key',
      keys.secretAccessKey,
      '--aws-session-token',
      keys.sessionToken,
      '--region',
      'eu-west-1',
      '--json',
    ]);
    expect(r.code).toBe(1);
    const { error } = JSON.parse(r.stderr.trim().split('\n').at(-1)!);
    expect(error.code).toMatch(/EXPIRED/);
    expect(r.stderr).not.toContain(keys.secretAccessKey);
    await expect(readdir(join(world.credkitHome, 'apps'))).rejects.toThrow();
  });

  it('reports invalid credentials as such', async () => {
    const r = await init([
      '--name',
      'bad',
      '--aws-access-key-id',
      'AKIAFAKEFAKEFAKEFAKE',
      '--aws-secret-access-key',
      'x'.repeat(40),
      '--region',
      'eu-west-1',
      '--json',
    ]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stderr.trim().split('\n').at(-1)!).error.code).toMatch(/INVALID/);
  });

  it('refuses root environment credentials', async () => {
    const r = await init(['--name', 'r', '--profile', 'root']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/root user/);
    await expect(readdir(join(world.credkitHome, 'apps'))).rejects.toThrow();
  });

  it('without a terminal fails at once, naming the flags, before any AWS call', async () => {
    const r = await init(['--name', 'prod-iad']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--profile/);
    expect(r.stderr).toMatch(/--credentials-stdin/);
    expect(world.aws.requests).toHaveLength(0);
    const noRegion = await init(['--name', 'p', '--credentials-stdin'], world.env, '{}');
    expect(noRegion.code).toBe(2);
    expect(noRegion.stderr).toMatch(/--region/);
    const profileNoRegion = await init(['--name', 'p', '--profile', 'noregion']);
    expect(profileNoRegion.code).toBe(2);
    expect(profileNoRegion.stderr).toMatch(/--region/);
  });

  it('an existing name is an error unless account and region are the same', async () => {
    expect((await init(['--name', 'prod', '--profile', 'prod-iad'])).code).toBe(0);
    const again = await init(['--name', 'prod', '--profile', 'prod-iad']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Already recorded');
    const otherRegion = await init(['--name', 'prod', '--profile', 'prod-pdx']);
    expect(otherRegion.code).toBe(1);
    expect(otherRegion.stderr).toMatch(/already recorded with account 222222222222 and region us-east-1/);
    const otherAccount = await init(['--name', 'prod', '--profile', 'test']);
    expect(otherAccount.code).toBe(1);
    expect(((await world.store()) as { environments: unknown[] }).environments).toHaveLength(1);
  });

  it("pins the app's account: other application credentials fail naming both accounts and the source", async () => {
    expect((await init(['--name', 'prod-iad', '--profile', 'prod-iad'])).code).toBe(0);
    const r = await init(['--name', 'test', '--profile', 'test'], { ...world.env, AWS_PROFILE: 'test' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`App "shop" belongs to account ${ACCOUNTS.app}`);
    expect(r.stderr).toContain(`are for account ${ACCOUNTS.test}`);
    expect(r.stderr).toContain('profile "test"');
    expect(((await world.store()) as { environments: unknown[] }).environments).toHaveLength(1);
  });

  it('refuses root application credentials before anything is recorded', async () => {
    const r = await init(['--name', 'x', '--profile', 'prod-iad'], { ...world.env, AWS_PROFILE: 'root' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/root user/);
  });

  it('two env init processes at once for one app: both recorded', async () => {
    const [a, b] = await Promise.all([
      init(['--name', 'prod-iad', '--profile', 'prod-iad']),
      init(['--name', 'prod-pdx', '--profile', 'prod-pdx']),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const names = ((await world.store()) as { environments: { name: string }[] }).environments.map(
      (e) => e.name,
    );
    expect(names.sort()).toEqual(['prod-iad', 'prod-pdx']);
  });

  it('a corrupt metadata file is an error naming it, never replaced', async () => {
    expect((await init(['--name', 'prod-iad', '--profile', 'prod-iad'])).code).toBe(0);
    const file = join(world.credkitHome, 'apps', 'shop.json');
    await writeFile(file, '{ not json');
    const r = await init(['--name', 'prod-pdx', '--profile', 'prod-pdx']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`The credkit metadata file ${file} is corrupt`);
    expect(await readFile(file, 'utf8')).toBe('{ not json');
  });
});

describe('credkit env ls / show', () => {
  it('lists and shows what was recorded, without AWS calls', async () => {
    await init(['--name', 'prod-iad', '--profile', 'prod-iad']);
    await init(['--name', 'prod-pdx', '--profile', 'prod-pdx']);
    const before = world.aws.requests.length;
    const ls = await runCli(['env', 'ls'], { env: world.env });
    expect(ls.code).toBe(0);
    expect(ls.stdout).toMatch(/prod-iad\s+222222222222\s+us-east-1\s+profile prod-iad/);
    expect(ls.stdout).toMatch(/prod-pdx\s+222222222222\s+us-west-2\s+profile prod-pdx/);
    const json = await runCli(['env', 'ls', '--json'], { env: world.env });
    expect(JSON.parse(json.stdout)).toMatchObject({ app: 'shop', store: 'file', account: '111111111111' });
    expect(JSON.parse(json.stdout).environments.map((e: { name: string }) => e.name)).toEqual([
      'prod-iad',
      'prod-pdx',
    ]);
    const show = await runCli(['env', 'show', '--name', 'prod-pdx', '--json'], { env: world.env });
    expect(JSON.parse(show.stdout)).toMatchObject({ app: 'shop', name: 'prod-pdx', region: 'us-west-2' });
    const human = await runCli(['env', 'show', '--name', 'prod-pdx'], { env: world.env });
    expect(human.stdout).toMatch(/Region\s+us-west-2/);
    expect(world.aws.requests.length).toBe(before);
  });

  it('an empty app, another app via --app, and an unknown environment', async () => {
    const ls = await runCli(['env', 'ls', '--app', 'other'], { env: world.env });
    expect(ls.code).toBe(0);
    expect(ls.stdout).toContain('No environments recorded for app other.');
    const show = await runCli(['env', 'show', '--name', 'nope', '--json'], { env: world.env });
    expect(show.code).toBe(1);
    expect(JSON.parse(show.stderr).error.code).toBe('ENV_NOT_FOUND');
  });

  it('the app defaults to the current directory name without --app or CREDKIT_APP', async () => {
    const { CREDKIT_APP: _, ...env } = world.env;
    const r = await runCli(['env', 'ls'], { env, cwd: world.home.dir });
    expect(r.stdout).toMatch(/No environments recorded for app credkit-aws-home-/);
  });
});

describe('credkit env delete', () => {
  it('deletes with the recorded profile when it reaches the recorded account (--yes)', async () => {
    await init(['--name', 'prod-iad', '--profile', 'prod-iad']);
    const r = await runCli(['env', 'delete', '--name', 'prod-iad', '--yes'], { env: world.env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Deleted environment prod-iad of app shop');
    expect(((await world.store()) as { environments: unknown[] }).environments).toEqual([]);
  });

  it('refuses credentials of another account and deletes nothing', async () => {
    await init(['--name', 'prod-iad', '--profile', 'prod-iad']);
    const r = await runCli(['env', 'delete', '--name', 'prod-iad', '--profile', 'test', '--yes'], {
      env: world.env,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`recorded in account ${ACCOUNTS.prod}`);
    expect(r.stderr).toContain(`for account ${ACCOUNTS.test}`);
    expect(((await world.store()) as { environments: unknown[] }).environments).toHaveLength(1);
  });

  it('needs --yes without a terminal', async () => {
    await init(['--name', 'prod-iad', '--profile', 'prod-iad']);
    const r = await runCli(['env', 'delete', '--name', 'prod-iad'], { env: world.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--yes/);
    expect(((await world.store()) as { environments: unknown[] }).environments).toHaveLength(1);
  });

  it('an environment recorded with temporary credentials needs them again', async () => {
    const keys = world.aws.issueSession(world.users.test, { expiresInSeconds: 3600 });
    const flags = [
      '--aws-access-key-id',
      keys.accessKeyId,
      '--aws-secret-access-key',
      keys.secretAccessKey,
      '--aws-session-token',
      keys.sessionToken,
    ];
    await init(['--name', 'tmp', ...flags, '--region', 'eu-west-1']);
    const without = await runCli(['env', 'delete', '--name', 'tmp', '--yes'], { env: world.env });
    expect(without.code).toBe(2);
    expect(without.stderr).toMatch(/--credentials-stdin/);
    const withKeys = await runCli(['env', 'delete', '--name', 'tmp', '--yes', ...flags], { env: world.env });
    expect(withKeys.code).toBe(0);
  });
});
