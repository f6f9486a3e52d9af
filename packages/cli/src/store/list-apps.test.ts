import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LoopbackAws, startLoopbackAws } from '@credkit/loopback-aws';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { compareNames, FileMetadataStore } from './index.js';
import { SsmClient } from './ssm-client.js';
import { SsmMetadataStore } from './ssm-store.js';

const ACCOUNT = '111111111111';
const env = (name: string) => ({
  name,
  account: '222222222222',
  region: 'us-east-1',
  credentialSource: `profile ${name}`,
  createdAt: '2026-12-01T00:00:00.000Z',
});
const pin = { account: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/deployer`, source: 'profile "app"' };
const names = (items: { name: string }[]) => items.map((e) => e.name);

describe('compareNames: one order for every listing', () => {
  it('case-insensitive, numbers as numbers, total', () => {
    const sorted = ['prod-10', 'Staging', 'prod-2', 'alpha', 'prod-iad', 'Prod-2', 'beta_1', 'beta-1'].sort(
      compareNames,
    );
    expect(sorted).toEqual([
      'alpha',
      'beta-1',
      'beta_1',
      'Prod-2',
      'prod-2',
      'prod-10',
      'prod-iad',
      'Staging',
    ]);
    expect(compareNames('a', 'a')).toBe(0);
  });
});

describe('FileMetadataStore.listApps', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'credkit-list-apps-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('an empty or missing store lists nothing', async () => {
    expect(await new FileMetadataStore(join(dir, 'none')).listApps()).toEqual({ apps: [], problems: [] });
  });

  it('every app, sorted, environments sorted; lock, temp and foreign files ignored; a corrupt record is a problem', async () => {
    const store = new FileMetadataStore(dir);
    for (const [app, envs] of [
      ['web', ['prod-10', 'prod-2', 'Dev']],
      ['api', ['test']],
      ['Zeta', []],
    ] as const) {
      await store.updateApp(app, (current) => ({
        ...current,
        ...(app === 'Zeta' ? {} : { account: ACCOUNT }),
        environments: envs.map(env),
      }));
    }
    const apps = join(dir, 'apps');
    await writeFile(join(apps, 'web.json.lock'), 'held');
    await writeFile(join(apps, 'web.json.123.abcd.tmp'), '{');
    await writeFile(join(apps, 'notes.txt'), 'mine');
    await writeFile(join(apps, 'not an app.json'), '{}');
    await writeFile(join(apps, 'broken.json'), '{"version": 1, "app": "broken", "environments": [');
    await mkdir(join(apps, 'sub.d'));
    const { apps: listed, problems } = await store.listApps();
    expect(listed.map((a) => a.app)).toEqual(['api', 'web', 'Zeta']);
    expect(names(listed[1]!.environments)).toEqual(['Dev', 'prod-2', 'prod-10']);
    expect(listed[1]!.account).toBe(ACCOUNT);
    expect(listed[2]).toEqual({ app: 'Zeta', environments: [] });
    expect(problems).toEqual([
      expect.objectContaining({ app: 'broken', code: 'STORE_CORRUPT', hint: expect.any(String) }),
    ]);
    expect(problems[0]!.message).toContain(join(apps, 'broken.json'));
    expect(store.describeStore()).toBe(apps);
    // env ls of one app reads the same order.
    expect(names(await store.listEnvironments('web'))).toEqual(['Dev', 'prod-2', 'prod-10']);
  });
});

describe('SsmMetadataStore.listApps (loopback SSM)', () => {
  let aws: LoopbackAws;
  let client: SsmClient;
  beforeAll(async () => {
    aws = await startLoopbackAws();
    const keys = aws.addUser({ accountId: ACCOUNT, userName: 'deployer' });
    client = new SsmClient({
      credentials: keys,
      region: 'us-east-1',
      endpoint: aws.url,
      env: {},
      caller: 'profile "app"',
    });
  });
  afterAll(async () => {
    await aws?.close();
  });

  it('one paged recursive listing of /credkit/applications, grouped by app and sorted', async () => {
    const store = new SsmMetadataStore(client);
    expect(await store.listApps()).toEqual({ apps: [], problems: [] });
    // 12 + 2 environments and 2 app records: 16 parameters, two pages of at most 10.
    const shop = [
      'prod-10',
      'prod-2',
      ...Array.from({ length: 10 }, (_, i) => `env-${String.fromCharCode(106 - i)}`),
    ];
    for (const name of shop) await store.createEnvironment('shop', env(name), pin);
    for (const name of ['b', 'A']) await store.createEnvironment('api', env(name), pin);
    // An environment whose app record was deleted by hand, and parameters credkit did not write.
    await client.call('PutParameter', {
      Name: '/credkit/applications/orphan/environments/solo',
      Value: JSON.stringify({ version: 1, ...env('solo') }),
      Type: 'String',
    });
    await client.call('PutParameter', {
      Name: '/credkit/applications/shop/notes/x',
      Value: 'hi',
      Type: 'String',
    });
    const before = aws.requests.length;
    const { apps, problems } = await store.listApps();
    const listings = aws.requests.slice(before).filter((q) => q.action === 'GetParametersByPath');
    expect(listings.length).toBeGreaterThanOrEqual(2);
    expect(
      listings.every((q) => q.params?.Path === '/credkit/applications' && q.params?.Recursive === 'true'),
    ).toBe(true);
    expect(problems).toEqual([]);
    expect(apps.map((a) => [a.app, a.account ?? null])).toEqual([
      ['api', ACCOUNT],
      ['orphan', null],
      ['shop', ACCOUNT],
    ]);
    expect(names(apps[0]!.environments)).toEqual(['A', 'b']);
    expect(names(apps[2]!.environments)).toEqual([...shop].sort(compareNames));
    expect(names(apps[2]!.environments).slice(-3)).toEqual(['env-j', 'prod-2', 'prod-10']);
    expect(store.describeStore()).toBe('SSM Parameter Store /credkit/applications in us-east-1');

    // A record that is not credkit's: that app is a problem, the others are still listed.
    await client.call('PutParameter', {
      Name: '/credkit/applications/api/environments/zz',
      Value: 'not json',
      Type: 'String',
    });
    const again = await store.listApps();
    expect(again.apps.map((a) => a.app)).toEqual(['orphan', 'shop']);
    expect(again.problems).toEqual([
      expect.objectContaining({ app: 'api', code: 'STORE_CORRUPT', hint: expect.any(String) }),
    ]);
    expect(again.problems[0]!.message).toContain('/credkit/applications/api/environments/zz');
    expect(again.problems[0]!.message).not.toContain('not json');
  });
});
