import { tempAwsHomes } from '@credkit/loopback-aws';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveAppRegion } from './region.js';

const tempHome = tempAwsHomes(afterEach, { verbatim: true, fileMode: 0o644 });

async function env(config: string, extra: Record<string, string> = {}) {
  const h = await tempHome({ config });
  return { HOME: h.dir, ...extra } as Record<string, string | undefined>;
}

describe('resolveAppRegion', () => {
  const config =
    '[default]\nregion = eu-west-1\n[profile app]\nregion = ap-south-1\n[profile bare]\noutput = json\n';

  it('prefers AWS_REGION, then AWS_DEFAULT_REGION, then the selected profile', async () => {
    expect(
      await resolveAppRegion({
        env: await env(config, { AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'us-east-2' }),
      }),
    ).toEqual({ region: 'us-west-2', from: 'AWS_REGION' });
    expect(await resolveAppRegion({ env: await env(config, { AWS_DEFAULT_REGION: 'us-east-2' }) })).toEqual({
      region: 'us-east-2',
      from: 'AWS_DEFAULT_REGION',
    });
    expect(await resolveAppRegion({ env: await env(config) })).toMatchObject({
      region: 'eu-west-1',
      from: 'profile',
      profile: 'default',
      line: 2,
    });
    expect(await resolveAppRegion({ env: await env(config, { AWS_PROFILE: 'app' }) })).toMatchObject({
      region: 'ap-south-1',
      profile: 'app',
    });
    expect(
      await resolveAppRegion({ env: await env(config, { AWS_PROFILE: 'app' }), profile: 'default' }),
    ).toMatchObject({ region: 'eu-west-1' });
  });

  it('shows both fixes when no region is set', async () => {
    const e = resolveAppRegion({ env: await env(config), profile: 'bare' });
    await expect(e).rejects.toMatchObject({
      code: 'REGION_MISSING',
      hint: expect.stringContaining('[profile bare] in ~/.aws/config'),
    });
    await expect(e).rejects.toMatchObject({ hint: expect.stringContaining('region = ') });
    await expect(e).rejects.toMatchObject({ hint: expect.stringContaining('export AWS_REGION=') });
  });

  it('rejects a value that is not a region name, naming where it came from', async () => {
    await expect(
      resolveAppRegion({ env: await env('[default]\nregion = Frankfurt\n') }),
    ).rejects.toMatchObject({ code: 'REGION_INVALID', message: expect.stringContaining('~/.aws/config:2') });
  });
});
