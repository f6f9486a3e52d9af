import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNTS, createWorld, runCli, type World } from './helpers.js';

// `env ls` sorted by name, and `env ls --all` over the whole file store and the whole SSM store.
let world: World;
beforeEach(async () => {
  world = await createWorld();
});
afterEach(async () => {
  await world.close();
});

const SLOW = { timeoutMs: 120_000 };
const record = (app: string, account: string | null, names: string[]) =>
  JSON.stringify({
    version: 1,
    app,
    ...(account && { account }),
    environments: names.map((name, i) => ({
      name,
      account: ACCOUNTS.prod,
      region: i % 2 ? 'us-west-2' : 'us-east-1',
      credentialSource: `profile ${name}`,
      createdAt: '2026-12-01T00:00:00.000Z',
    })),
  });
/** Apps recorded by earlier runs, written as the file store writes them. */
async function seed(home: string, apps: Record<string, string[]>, account: string | null = ACCOUNTS.app) {
  await mkdir(join(home, 'apps'), { recursive: true, mode: 0o700 });
  for (const [app, names] of Object.entries(apps)) {
    await writeFile(join(home, 'apps', `${app}.json`), record(app, account, names), { mode: 0o600 });
  }
}
const envNames = (stdout: string) => [...stdout.matchAll(/^ {2}(\S+) +\d{12} /gm)].map((m) => m[1]);

describe('credkit env ls', () => {
  it('sorted by name in text and in --json, whatever order they were created in', async () => {
    for (const name of ['test', 'prod-pdx', 'prod-iad']) {
      const r = await runCli(['env', 'init', '--name', name, '--profile', name], { env: world.env, ...SLOW });
      expect(r.code, r.stderr).toBe(0);
    }
    await seed(world.credkitHome, { web: ['prod-10', 'Dev', 'prod-2', 'alpha'] });
    const text = await runCli(['env', 'ls'], { env: world.env });
    expect(envNames(text.stdout)).toEqual(['prod-iad', 'prod-pdx', 'test']);
    const web = await runCli(['env', 'ls', '--app', 'web'], { env: world.env });
    expect(envNames(web.stdout)).toEqual(['alpha', 'Dev', 'prod-2', 'prod-10']);
    const json = JSON.parse(
      (await runCli(['env', 'ls', '--app', 'web', '--json'], { env: world.env })).stdout,
    );
    expect(json.environments.map((e: { name: string }) => e.name)).toEqual([
      'alpha',
      'Dev',
      'prod-2',
      'prod-10',
    ]);
  });
});

describe('credkit env ls --all (file store)', () => {
  it('every application, grouped and sorted, in text and --json; no AWS call', async () => {
    const r = await runCli(['env', 'init', '--name', 'prod-iad', '--profile', 'prod-iad'], {
      env: world.env,
      ...SLOW,
    });
    expect(r.code, r.stderr).toBe(0);
    await seed(world.credkitHome, { web: ['prod-2', 'Dev'], api: [] });
    await seed(world.credkitHome, { legacy: ['old'] }, null);
    const before = world.aws.requests.length;
    const text = await runCli(['env', 'ls', '--all'], { env: world.env });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stderr).toContain(`Store: file (${join(world.credkitHome, 'apps')})`);
    expect(text.stdout).toBe(
      [
        'api (account 111111111111):',
        '  no environments',
        '',
        'legacy (account not pinned):',
        '  NAME  ACCOUNT       REGION     CREDENTIALS',
        '  old   222222222222  us-east-1  profile old',
        '',
        'shop (account 111111111111):',
        '  NAME      ACCOUNT       REGION     CREDENTIALS',
        '  prod-iad  222222222222  us-east-1  profile prod-iad',
        '',
        'web (account 111111111111):',
        '  NAME    ACCOUNT       REGION     CREDENTIALS',
        '  Dev     222222222222  us-west-2  profile Dev',
        '  prod-2  222222222222  us-east-1  profile prod-2',
        '',
      ].join('\n'),
    );
    const json = await runCli(['env', 'ls', '-a', '--json'], { env: world.env });
    expect(json.code).toBe(0);
    const body = JSON.parse(json.stdout);
    expect(body).toMatchObject({ store: 'file', location: join(world.credkitHome, 'apps'), problems: [] });
    expect(body.applications.map((a: { app: string; account: string | null }) => [a.app, a.account])).toEqual(
      [
        ['api', ACCOUNTS.app],
        ['legacy', null],
        ['shop', ACCOUNTS.app],
        ['web', ACCOUNTS.app],
      ],
    );
    expect(body.applications[3].environments.map((e: { name: string }) => e.name)).toEqual(['Dev', 'prod-2']);
    expect(world.aws.requests.length).toBe(before);
  });

  it('a corrupt record: the others are listed, the broken one named on stderr, exit 1', async () => {
    await seed(world.credkitHome, { web: ['prod'] });
    await writeFile(join(world.credkitHome, 'apps', 'broken.json'), '{"version":1,', { mode: 0o600 });
    const text = await runCli(['env', 'ls', '--all'], { env: world.env });
    expect(text.code).toBe(1);
    expect(envNames(text.stdout)).toEqual(['prod']);
    expect(text.stderr).toMatch(/warning: app broken was not listed: STORE_CORRUPT: .*broken\.json/);
    expect(text.stderr).toMatch(/hint: /);
    const json = await runCli(['env', 'ls', '--all', '--json'], { env: world.env });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).problems).toEqual([
      expect.objectContaining({ app: 'broken', code: 'STORE_CORRUPT' }),
    ]);
  });

  it('an empty store, and --all with --app is a usage error', async () => {
    const empty = await runCli(['env', 'ls', '--all'], { env: world.env });
    expect(empty.code).toBe(0);
    expect(empty.stdout).toBe('No applications recorded in this store.\n');
    const both = await runCli(['env', 'ls', '--all', '--app', 'web', '--json'], { env: world.env });
    expect(both.code).toBe(2);
    const error = JSON.parse(both.stderr).error;
    expect(error.message).toMatch(/--all/);
    expect(error.message).toMatch(/--app/);
  });
});

describe('credkit env ls --all --store ssm', () => {
  it("lists every application of the team's SSM store, paged, from another HOME", async () => {
    // Two apps recorded on this machine, copied to SSM the way a team moves to the shared store.
    const many = Array.from({ length: 12 }, (_, i) => `env-${i + 1}`);
    await seed(world.credkitHome, { shop: many, api: ['prod-2', 'Dev'] });
    for (const app of ['shop', 'api']) {
      const r = await runCli(['store', 'copy', '--app', app, '--from', 'file', '--to', 'ssm'], {
        env: world.env,
        ...SLOW,
      });
      expect(r.code, r.stderr).toBe(0);
    }
    // A teammate's empty file store: only SSM can answer.
    const mateHome = await mkdtemp(join(tmpdir(), 'credkit-e2e-ls-all-'));
    try {
      const env = { ...world.env, CREDKIT_HOME: mateHome };
      const before = world.aws.requests.length;
      const text = await runCli(['env', 'ls', '--all', '--store', 'ssm'], { env, ...SLOW });
      expect(text.code, text.stderr).toBe(0);
      expect(text.stderr).toContain('Store: ssm (SSM Parameter Store /credkit/applications in us-east-1)');
      expect(text.stdout).toMatch(/^api \(account 111111111111\):\n/);
      expect(text.stdout).toContain('\n\nshop (account 111111111111):\n');
      expect(envNames(text.stdout)).toEqual(['Dev', 'prod-2', ...many]);
      const pages = world.aws.requests
        .slice(before)
        .filter((q) => q.service === 'ssm' && q.action === 'GetParametersByPath');
      // 2 app records + 14 environments: at least two pages of 10, all read with the app's keys.
      expect(pages.length).toBeGreaterThanOrEqual(2);
      expect(pages.every((q) => q.accessKeyId === world.users.app.accessKeyId)).toBe(true);

      const json = await runCli(['env', 'ls', '--all', '--store', 'ssm', '--json'], { env, ...SLOW });
      expect(json.code, json.stderr).toBe(0);
      const body = JSON.parse(json.stdout);
      expect(body.store).toBe('ssm');
      expect(body.applications.map((a: { app: string }) => a.app)).toEqual(['api', 'shop']);
      expect(body.applications[1].environments.map((e: { name: string }) => e.name)).toEqual(many);
      expect(body.applications[0].environments[0]).toMatchObject({
        name: 'Dev',
        account: ACCOUNTS.prod,
        region: 'us-west-2',
        credentialSource: 'profile Dev',
      });
    } finally {
      await rm(mateHome, { recursive: true, force: true });
    }
  });
});
