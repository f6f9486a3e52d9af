import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AwsHome, createAwsHome } from '@credkit/loopback-aws';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNTS, createWorld, runCli, type World } from './helpers.js';

// Real CLI processes against the loopback SSM: two teammates, each with their own HOME, their own
// profiles and their own (empty) file store, sharing only the application's account.
let world: World;
let teammate: { home: AwsHome; credkitHome: string; env: Record<string, string> };
const APP_PARAM = '/credkit/applications/shop';
// Generous: 20 concurrent CLIs on 2 shared CI cores take seconds, not minutes.
const SLOW = { timeoutMs: 120_000 };

beforeEach(async () => {
  world = await createWorld();
  const mate = world.aws.addUser({ accountId: ACCOUNTS.app, userName: 'teammate' });
  const home = await createAwsHome({
    config: '[profile team-app]\nregion = us-east-1\n',
    credentials: `[team-app]\naws_access_key_id = ${mate.accessKeyId}\naws_secret_access_key = ${mate.secretAccessKey}\n`,
  });
  const credkitHome = await mkdtemp(join(tmpdir(), 'credkit-e2e-mate-'));
  teammate = {
    home,
    credkitHome,
    env: {
      ...home.env,
      ...(world.aws.env as unknown as Record<string, string>),
      AWS_EC2_METADATA_DISABLED: 'true',
      CREDKIT_HOME: credkitHome,
      CREDKIT_APP: 'shop',
      AWS_PROFILE: 'team-app',
    },
  };
});
afterEach(async () => {
  await world.close();
  await teammate.home.cleanup();
  await rm(teammate.credkitHome, { recursive: true, force: true });
});

const initSsm = (args: string[], extra: Record<string, string> = {}) =>
  runCli(['env', 'init', '--store', 'ssm', ...args], { env: { ...world.env, ...extra }, ...SLOW });
const mate = (args: string[]) => runCli(args, { env: teammate.env, ...SLOW });
const errorOf = (stderr: string) => {
  try {
    return (JSON.parse(stderr) as { error: { code: string; message: string; hint?: string } }).error;
  } catch {
    return undefined;
  }
};

describe('the SSM store shared by a team', () => {
  it('env init --store ssm in one HOME; env ls --store ssm in another lists it', async () => {
    const r = await initSsm(['--name', 'prod-iad', '--profile', 'prod-iad']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`Store: ssm (SSM Parameter Store ${APP_PARAM} in us-east-1)`);
    expect(world.aws.ssmParameterNames(ACCOUNTS.app, 'us-east-1')).toEqual([
      APP_PARAM,
      `${APP_PARAM}/environments/prod-iad`,
    ]);
    // Written with the application credentials only, created never overwritten, and tagged.
    const puts = world.aws.requests.filter((q) => q.service === 'ssm' && q.action === 'PutParameter');
    expect(puts.map((q) => q.accessKeyId)).toEqual([
      world.users.app.accessKeyId,
      world.users.app.accessKeyId,
    ]);
    expect(puts.every((q) => q.params?.Overwrite === 'false' && q.params?.Type === 'String')).toBe(true);
    expect(JSON.parse(puts[1]?.params?.Tags ?? '[]')).toEqual([
      { Key: 'credkit:application', Value: 'shop' },
      { Key: 'credkit:environment', Value: 'prod-iad' },
    ]);
    // Nothing went to the file store.
    expect(await readdir(world.credkitHome)).toEqual([]);

    const ls = await mate(['env', 'ls', '--store', 'ssm']);
    expect(ls.code, ls.stderr).toBe(0);
    expect(ls.stdout).toMatch(/prod-iad\s+222222222222\s+us-east-1\s+profile prod-iad/);
    expect(ls.stderr).toContain('Store: ssm');
    const json = await mate(['env', 'ls', '--store', 'ssm', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      app: 'shop',
      store: 'ssm',
      account: ACCOUNTS.app,
      environments: [{ name: 'prod-iad', account: ACCOUNTS.prod, region: 'us-east-1' }],
    });
    // CREDKIT_STORE chooses it too; the teammate's own file store knows nothing.
    const show = await runCli(['env', 'show', '--name', 'prod-iad', '--json'], {
      env: { ...teammate.env, CREDKIT_STORE: 'ssm' },
    });
    expect(JSON.parse(show.stdout)).toMatchObject({ store: 'ssm', name: 'prod-iad', region: 'us-east-1' });
    const local = await mate(['env', 'ls', '--json']);
    expect(JSON.parse(local.stdout)).toMatchObject({ store: 'file', environments: [] });
  });

  it('export --env finds the environment in the store --store names; an unknown CREDKIT_STORE is a usage error', async () => {
    expect((await initSsm(['--name', 'prod-iad', '--profile', 'prod-iad'])).code).toBe(0);
    const exported = await runCli(['export', '--env', 'prod-iad', '--store', 'ssm', '--format', 'json'], {
      env: world.env,
      ...SLOW,
    });
    expect(exported.code, exported.stderr).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ accessKeyId: world.users.prodIad.accessKeyId });
    const local = await runCli(['export', '--env', 'prod-iad', '--format', 'json'], { env: world.env });
    expect(local.code).toBe(1);
    expect(local.stderr).toContain('Environment "prod-iad" is not recorded for app "shop"');
    const bad = await runCli(['env', 'ls', '--json'], { env: { ...world.env, CREDKIT_STORE: 'dynamo' } });
    expect(bad.code).toBe(2);
    expect(errorOf(bad.stderr)?.code).toBe('STORE_INVALID');
  });

  it("the endpoint follows the profile's services section when AWS_ENDPOINT_URL_SSM is not set", async () => {
    expect((await initSsm(['--name', 'prod-iad', '--profile', 'prod-iad'])).code).toBe(0);
    const { AWS_ENDPOINT_URL_SSM: _, ...env } = teammate.env;
    await writeFile(
      teammate.home.configFile,
      `[profile team-app]\nregion = us-east-1\nservices = loopback\n\n[services loopback]\nssm =\n  endpoint_url = ${world.aws.url}\n`,
    );
    const ls = await runCli(['env', 'ls', '--store', 'ssm', '--json'], { env, ...SLOW });
    expect(ls.code, ls.stderr).toBe(0);
    expect(JSON.parse(ls.stdout).environments).toMatchObject([{ name: 'prod-iad' }]);
    // And without either, it would go to AWS itself: prove the variable was really what was removed.
    expect(env).not.toHaveProperty('AWS_ENDPOINT_URL_SSM');
  });

  it('a plain-HTTP SSM endpoint that is not loopback is refused before any request', async () => {
    // 0.0.0.0 is refused as not loopback; were the check broken, the request would still stay on this machine.
    const ls = await runCli(['env', 'ls', '--store', 'ssm', '--json'], {
      env: { ...teammate.env, AWS_ENDPOINT_URL_SSM: 'http://0.0.0.0:9' },
      ...SLOW,
    });
    expect(ls.code).not.toBe(0);
    expect(errorOf(ls.stderr)?.code, ls.stderr).toBe('INSECURE_ENDPOINT');
    expect(errorOf(ls.stderr)?.message).toContain('http://0.0.0.0:9');
    expect(world.aws.requests.filter((q) => q.action?.includes('Parameter'))).toHaveLength(0);
  });

  it('20 concurrent env init with distinct names record 20', { timeout: 240_000 }, async () => {
    const names = Array.from({ length: 20 }, (_, i) => `env-${String(i).padStart(2, '0')}`);
    const results = await Promise.all(names.map((n) => initSsm(['--name', n, '--profile', 'prod-iad'])));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const ls = await mate(['env', 'ls', '--store', 'ssm', '--json']);
    const listed = (JSON.parse(ls.stdout) as { environments: { name: string }[] }).environments;
    expect(listed.map((e) => e.name)).toEqual(names);
    // Two pages of 10.
    const pages = world.aws.requests.filter((q) => q.action === 'GetParametersByPath').slice(-2);
    expect(pages.map((q) => [q.params?.MaxResults, q.params?.NextToken ?? 'first'])).toEqual([
      ['10', 'first'],
      ['10', 'yes'],
    ]);
  });

  it('10 concurrent env init of one name in 10 regions record 1 and report 9 ENV_EXISTS', {
    timeout: 240_000,
  }, async () => {
    const regions = [
      'us-east-1',
      'us-east-2',
      'us-west-1',
      'us-west-2',
      'eu-west-1',
      'eu-west-2',
      'eu-west-3',
      'eu-central-1',
      'ap-south-1',
      'ap-northeast-1',
    ];
    const results = await Promise.all(
      regions.map((region) =>
        initSsm(['--name', 'prod', '--profile', 'prod-iad', '--region', region, '--json']),
      ),
    );
    const winners = results.filter((r) => r.code === 0);
    const losers = results.filter((r) => r.code !== 0);
    expect(winners).toHaveLength(1);
    expect(losers.map((r) => errorOf(r.stderr)?.code)).toEqual(Array(9).fill('ENV_EXISTS'));
    const won = JSON.parse(winners[0]?.stdout ?? '{}').environment.region as string;
    for (const r of losers) expect(errorOf(r.stderr)?.message).toContain(`region ${won}`);
    const ls = await mate(['env', 'ls', '--store', 'ssm', '--json']);
    expect(JSON.parse(ls.stdout).environments).toEqual([
      expect.objectContaining({ name: 'prod', region: won }),
    ]);
  });

  it('an identical repeat is a no-op; delete removes exactly one parameter', async () => {
    expect((await initSsm(['--name', 'prod-iad', '--profile', 'prod-iad'])).code).toBe(0);
    expect((await initSsm(['--name', 'prod-pdx', '--profile', 'prod-pdx'])).code).toBe(0);
    const again = await initSsm(['--name', 'prod-iad', '--profile', 'prod-iad', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ created: false, store: 'ssm' });
    const del = await runCli(['env', 'delete', '--store', 'ssm', '--name', 'prod-iad', '--yes'], {
      env: world.env,
      ...SLOW,
    });
    expect(del.code, del.stderr).toBe(0);
    expect(world.aws.ssmParameterNames(ACCOUNTS.app, 'us-east-1')).toEqual([
      APP_PARAM,
      `${APP_PARAM}/environments/prod-pdx`,
    ]);
    const deletes = world.aws.requests.filter((q) => q.action === 'DeleteParameter');
    expect(deletes.map((q) => q.params?.Name)).toEqual([`${APP_PARAM}/environments/prod-iad`]);
  });

  it('AccessDenied names the IAM actions and the identity; throttling is retried', async () => {
    world.aws.fault('ssm', { throttle: true }, { times: 2 });
    expect((await initSsm(['--name', 'prod-iad', '--profile', 'prod-iad'])).code).toBe(0);
    expect(world.aws.requests.filter((q) => q.errorCode === 'ThrottlingException')).toHaveLength(2);

    world.aws.fault('ssm', { accessDenied: true, action: 'GetParametersByPath' });
    const r = await mate(['env', 'ls', '--store', 'ssm', '--json']);
    expect(r.code).toBe(1);
    const error = errorOf(r.stderr);
    expect(error?.code).toBe('SSM_ACCESS_DENIED');
    expect(error?.message).toContain(
      `ssm:GetParametersByPath to the application credentials: arn:aws:iam::${ACCOUNTS.app}:user/teammate`,
    );
    expect(error?.message).toContain('profile "team-app"');
    for (const action of [
      'PutParameter',
      'GetParameter',
      'GetParametersByPath',
      'DeleteParameter',
      'AddTagsToResource',
    ]) {
      expect(error?.hint).toContain(`ssm:${action}`);
    }
  });
});

describe('credkit store copy', () => {
  let bigHome: string;
  beforeAll(async () => {
    bigHome = await mkdtemp(join(tmpdir(), 'credkit-e2e-big-'));
  });
  afterAll(async () => {
    await rm(bigHome, { recursive: true, force: true });
  });

  it('file → ssm copies every record (105: paging), twice changes nothing, back to a new file store', {
    timeout: 240_000,
  }, async () => {
    // 105 environments written as the file store writes them (105 env init runs would take minutes).
    const environments = Array.from({ length: 105 }, (_, i) => ({
      name: `e${String(i).padStart(3, '0')}`,
      account: ACCOUNTS.prod,
      region: 'us-east-1',
      credentialSource: 'profile prod-iad',
      createdAt: '2026-12-01T00:00:00.000Z',
    }));
    await mkdir(join(world.credkitHome, 'apps'), { recursive: true, mode: 0o700 });
    await writeFile(
      join(world.credkitHome, 'apps', 'shop.json'),
      JSON.stringify({ version: 1, app: 'shop', account: ACCOUNTS.app, environments }),
      { mode: 0o600 },
    );
    const copy = () =>
      runCli(['store', 'copy', '--app', 'shop', '--from', 'file', '--to', 'ssm', '--json'], {
        env: world.env,
        ...SLOW,
      });
    const first = await copy();
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ from: 'file', to: 'ssm', unchanged: [], conflicts: [] });
    expect(JSON.parse(first.stdout).copied).toHaveLength(105);
    const second = await copy();
    expect(JSON.parse(second.stdout)).toMatchObject({ copied: [], conflicts: [] });
    expect(JSON.parse(second.stdout).unchanged).toHaveLength(105);

    const ls = await mate(['env', 'ls', '--store', 'ssm', '--json']);
    expect(
      (JSON.parse(ls.stdout) as { environments: { name: string }[] }).environments.map((e) => e.name),
    ).toEqual(environments.map((e) => e.name));

    const back = await runCli(['store', 'copy', '--from', 'ssm', '--to', 'file'], {
      env: { ...teammate.env, CREDKIT_HOME: bigHome },
      ...SLOW,
    });
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout).toContain('105 copied, 0 unchanged, 0 refused.');
  });

  it('refuses to overwrite a different record and says so (exit 1); the others are copied', async () => {
    expect((await initSsm(['--name', 'prod', '--profile', 'prod-iad'])).code).toBe(0);
    expect(
      (await runCli(['env', 'init', '--name', 'prod', '--profile', 'prod-pdx'], { env: world.env, ...SLOW }))
        .code,
    ).toBe(0);
    expect(
      (await runCli(['env', 'init', '--name', 'test', '--profile', 'test'], { env: world.env, ...SLOW }))
        .code,
    ).toBe(0);
    const r = await runCli(['store', 'copy', '--from', 'file', '--to', 'ssm'], { env: world.env, ...SLOW });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'prod: not copied, ssm has account 222222222222 us-east-1, file has 222222222222 us-west-2',
    );
    expect(r.stdout).toContain('+ test: copied');
    expect(r.stderr).toContain('Nothing was overwritten.');
    const again = await runCli(['store', 'copy', '--from', 'file', '--to', 'ssm', '--json'], {
      env: world.env,
      ...SLOW,
    });
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout)).toMatchObject({
      copied: [],
      unchanged: ['test'],
      conflicts: [{ name: 'prod', from: { region: 'us-west-2' }, to: { region: 'us-east-1' } }],
    });
    expect(errorOf(again.stderr)?.code).toBe('STORE_COPY_CONFLICT');
    const ls = await mate(['env', 'ls', '--store', 'ssm', '--json']);
    expect(JSON.parse(ls.stdout).environments).toMatchObject([
      { name: 'prod', region: 'us-east-1' },
      { name: 'test', region: 'eu-west-1' },
    ]);
  });
});
