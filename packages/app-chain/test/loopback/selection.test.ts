import { describe, expect, it } from 'vitest';
import { explainAppChain, fromAppChain, resolveAppRegion } from '../../src/index.js';
import { keys, LOOPBACK_METADATA_TIMEOUT, useLoopback } from './helpers.js';

// Which profile the chain reads, and when [default] is passed over: the AWS CLI's rules.
const lb = useLoopback();
const ACCOUNT = '777777777777';
let n = 0;
const user = () => lb.aws.addUser({ accountId: ACCOUNT, userName: `sel${++n}` });

describe('profile selection', () => {
  it('an implicit [default] holding only a region is skipped; instance metadata answers', async () => {
    lb.aws.setInstanceRole({ accountId: ACCOUNT, roleName: 'instance' });
    const { env } = await lb.home(
      { config: '[default]\nregion = eu-west-1\n' },
      {
        AWS_EC2_METADATA_DISABLED: 'false',
        AWS_EC2_METADATA_SERVICE_ENDPOINT: lb.aws.env.AWS_EC2_METADATA_SERVICE_ENDPOINT,
        ...LOOPBACK_METADATA_TIMEOUT,
      },
    );
    const x = await explainAppChain({ env });
    expect(x.resolved).toBe(true);
    const byName = Object.fromEntries(x.links.map((l) => [l.name, l]));
    expect(byName['[default] profile']).toMatchObject({
      status: 'skipped',
      reason: '[default] (~/.aws/config:1) has no credentials: no credential settings',
    });
    expect(byName['instance metadata (IMDS)']).toMatchObject({ status: 'resolved' });
    expect((await resolveAppRegion({ env })).region).toBe('eu-west-1');
  });

  it('[default] named by the option still fails as itself, with file and line', async () => {
    const { env } = await lb.home({ config: '[default]\nregion = eu-west-1\n' });
    await expect(fromAppChain({ env, profile: 'default' })()).rejects.toMatchObject({
      code: 'PROFILE_UNSUPPORTED',
      message: expect.stringContaining('Profile "default" (~/.aws/config:1)'),
    });
  });

  it('AWS_DEFAULT_PROFILE is used when AWS_PROFILE is unset, and named in the explanation', async () => {
    const u = user();
    const other = user();
    const { env } = await lb.home({ credentials: `[dp]\n${keys(u)}[ap]\n${keys(other)}` });
    const x = await explainAppChain({ env: { ...env, AWS_DEFAULT_PROFILE: 'dp' } });
    expect(x.links.find((l) => l.status === 'resolved')?.name).toBe('AWS_DEFAULT_PROFILE');
    expect(x.credentials?.accessKeyId).toBe(u.accessKeyId);
    const both = await fromAppChain({ env: { ...env, AWS_DEFAULT_PROFILE: 'dp', AWS_PROFILE: 'ap' } })();
    expect(both.accessKeyId).toBe(other.accessKeyId);
    await expect(fromAppChain({ env: { ...env, AWS_DEFAULT_PROFILE: 'nope' } })()).rejects.toMatchObject({
      code: 'PROFILE_NOT_FOUND',
      message: expect.stringContaining('AWS_DEFAULT_PROFILE=nope'),
    });
  });

  it('region: AWS_REGION, then AWS_DEFAULT_REGION, then the selected profile (AWS_DEFAULT_PROFILE too)', async () => {
    const { env } = await lb.home({ config: '[profile dp]\nregion = eu-west-1\n' });
    const base = { ...env, AWS_DEFAULT_PROFILE: 'dp' };
    expect(await resolveAppRegion({ env: base })).toMatchObject({
      region: 'eu-west-1',
      from: 'profile',
      profile: 'dp',
    });
    expect(await resolveAppRegion({ env: { ...base, AWS_DEFAULT_REGION: 'us-west-2' } })).toMatchObject({
      region: 'us-west-2',
      from: 'AWS_DEFAULT_REGION',
    });
    expect(
      await resolveAppRegion({ env: { ...base, AWS_DEFAULT_REGION: 'us-west-2', AWS_REGION: 'us-east-2' } }),
    ).toMatchObject({ region: 'us-east-2', from: 'AWS_REGION' });
  });
});
