import { type LoopbackAws, startLoopbackAws } from '@credkit/loopback-aws';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SsmClient, type SsmClientOptions } from './ssm-client.js';
import { SsmMetadataStore } from './ssm-store.js';

const ACCOUNT = '111111111111';
let aws: LoopbackAws;
let keys: { accessKeyId: string; secretAccessKey: string };
beforeAll(async () => {
  aws = await startLoopbackAws();
  keys = aws.addUser({ accountId: ACCOUNT, userName: 'deployer' });
});
afterAll(async () => {
  await aws?.close();
});
beforeEach(() => {
  aws.clearFaults();
});

/** A client on an injected clock: sleeping advances it, so retries and deadlines take no real time. */
function client(options: Partial<SsmClientOptions> = {}) {
  let clock = 1_000_000;
  const sleeps: number[] = [];
  const ssm = new SsmClient({
    credentials: keys,
    region: 'us-east-1',
    endpoint: aws.url,
    env: {},
    caller: 'profile "app"',
    now: () => clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    random: () => 0.999,
    ...options,
  });
  return { ssm, sleeps, advance: (ms: number) => (clock += ms) };
}

const record = (name: string, region = 'us-east-1') => ({
  name,
  account: '222222222222',
  region,
  credentialSource: 'profile prod',
  createdAt: '2026-12-01T00:00:00.000Z',
});
const pin = { account: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/deployer`, source: 'profile "app"' };

describe('SsmClient retries', () => {
  it('retries throttling with growing, jittered waits, then succeeds', async () => {
    const { ssm, sleeps } = client();
    const fault = aws.fault('ssm', { throttle: true, action: 'GetParametersByPath' }, { times: 3 });
    const answer = await ssm.call<{ Parameters: unknown[] }>('GetParametersByPath', { Path: '/x' });
    expect(answer.Parameters).toEqual([]);
    expect(fault.hits).toBe(3);
    // Full jitter below a doubling cap (random() ≈ 1 here shows the cap): 500, 1000, 2000 ms.
    expect(sleeps).toEqual([499, 999, 1998]);
  });

  it('retries 500 and 503', async () => {
    const { ssm, sleeps } = client({ random: () => 0.5 });
    aws.fault('ssm', { status: 503 }, { times: 1 });
    aws.fault('ssm', { status: 500 }, { times: 1 });
    await ssm.call('GetParametersByPath', { Path: '/x' });
    expect(sleeps).toEqual([50, 100]);
  });

  it('gives up at the deadline with SSM_UNAVAILABLE, counting attempts', async () => {
    const { ssm, sleeps } = client({ deadlineMs: 10_000 });
    aws.fault('ssm', { throttle: true });
    await expect(ssm.call('GetParameter', { Name: '/x' })).rejects.toMatchObject({
      code: 'SSM_UNAVAILABLE',
      message: expect.stringMatching(
        /within 10 s: \d+ attempts, the last one ended in throttling \(ThrottlingException\)/,
      ),
    });
    expect(sleeps.reduce((a, b) => a + b, 0)).toBeLessThan(10_000);
    expect(sleeps.length).toBeGreaterThan(2);
  });

  it('does not retry what retrying cannot fix, and names an unreachable endpoint', async () => {
    const { ssm, sleeps } = client({ credentials: { ...keys, secretAccessKey: 'wrong' } });
    await expect(ssm.call('GetParameter', { Name: '/x' })).rejects.toMatchObject({
      code: 'SSM_CREDENTIALS_REJECTED',
    });
    expect(sleeps).toEqual([]);
    const closed = client({ endpoint: 'http://127.0.0.1:9', deadlineMs: 2_000 });
    await expect(closed.ssm.call('GetParameter', { Name: '/x' })).rejects.toMatchObject({
      code: 'SSM_UNAVAILABLE',
      message: expect.stringContaining('a network error (ECONNREFUSED)'),
    });
  });
});

describe('SsmMetadataStore', () => {
  it('lists 105 environments through 11 pages of at most 10, sorted', async () => {
    const store = new SsmMetadataStore(client().ssm);
    const names = Array.from({ length: 105 }, (_, i) => `e${String(104 - i).padStart(3, '0')}`);
    for (const name of names) await store.createEnvironment('paged', record(name), pin);
    const before = aws.requests.length;
    const listed = await store.listEnvironments('paged');
    expect(listed.map((e) => e.name)).toEqual([...names].sort());
    const pages = aws.requests.slice(before);
    expect(pages).toHaveLength(11);
    expect(pages.every((q) => q.action === 'GetParametersByPath' && q.params?.MaxResults === '10')).toBe(
      true,
    );
    // Another app's records are not listed.
    await store.createEnvironment('paged-2', record('other'), pin);
    expect((await store.listEnvironments('paged')).length).toBe(105);
  });

  it('create unless exists: same is a no-op, different is ENV_EXISTS, another account is APP_ACCOUNT_MISMATCH', async () => {
    const store = new SsmMetadataStore(client().ssm);
    expect(await store.createEnvironment('racy', record('prod'), pin)).toMatchObject({ created: true });
    expect(await store.createEnvironment('racy', record('prod'), pin)).toMatchObject({ created: false });
    await expect(store.createEnvironment('racy', record('prod', 'eu-west-1'), pin)).rejects.toMatchObject({
      code: 'ENV_EXISTS',
    });
    await expect(
      store.createEnvironment('racy', record('dev'), { ...pin, account: '999999999999' }),
    ).rejects.toMatchObject({ code: 'APP_ACCOUNT_MISMATCH' });
    expect(await store.getApp('racy')).toMatchObject({ app: 'racy', account: ACCOUNT });
    expect(await store.deleteEnvironment('racy', 'prod')).toBe(true);
    expect(await store.deleteEnvironment('racy', 'prod')).toBe(false);
    expect(await store.getEnvironment('racy', 'prod')).toBeUndefined();
  });

  it('a parameter that is not a credkit record is STORE_CORRUPT, never overwritten, its value not quoted', async () => {
    const { ssm } = client();
    await ssm.call('PutParameter', {
      Name: '/credkit/applications/odd/environments/prod',
      Value: 'AKIA-like secret text',
      Type: 'String',
    });
    const store = new SsmMetadataStore(ssm);
    const failure = store.listEnvironments('odd');
    await expect(failure).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    await expect(failure).rejects.not.toThrow(/secret text/);
    await expect(store.createEnvironment('odd', record('prod'), pin)).rejects.toMatchObject({
      code: 'STORE_CORRUPT',
    });
  });

  it('no secret is ever stored: the record holds names, accounts and regions only', async () => {
    const store = new SsmMetadataStore(client().ssm);
    await store.createEnvironment('clean', record('prod'), pin);
    const { ssm } = client();
    const got = await ssm.call<{ Parameter: { Value: string } }>('GetParameter', {
      Name: '/credkit/applications/clean/environments/prod',
    });
    expect(JSON.parse(got.Parameter.Value)).toEqual({ version: 1, ...record('prod') });
    expect(got.Parameter.Value).not.toContain(keys.secretAccessKey);
  });
});
