import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mapStsError, quietSdkNodeVersionWarning } from '@credkit/env-selector/providers';
import { describe, expect, it } from 'vitest';
import { stsTarget } from './sts-endpoint.js';

describe('stsTarget', () => {
  it('uses a custom endpoint as given, signed for the client region', () => {
    const t = stsTarget({ region: 'cn-north-1', endpoint: 'http://127.0.0.1:4566/sts/' });
    expect([t.url.href, t.signingRegion]).toEqual(['http://127.0.0.1:4566/sts/', 'cn-north-1']);
  });

  it('refuses what the SDK refuses', () => {
    expect(() => stsTarget({ region: 'us-east-1; drop' })).toThrow(/^Region not accepted/);
    expect(() =>
      stsTarget({ region: 'us-east-1', endpoint: 'http://x', env: { AWS_USE_FIPS_ENDPOINT: 'true' } }),
    ).toThrow(/FIPS and custom endpoint/);
    expect(() => stsTarget({ region: 'us-east-1', endpoint: 'ftp://x' })).toThrow(/not an http/);
    expect(() => stsTarget({ region: 'us-east-1', endpoint: 'not a url' })).toThrow(/not a URL/);
  });

  it('its errors map like the SDK errors they stand for', () => {
    const codeOf = (options: Parameters<typeof stsTarget>[0]) => {
      try {
        stsTarget(options);
      } catch (error) {
        return mapStsError(error, { action: 'x' }).code;
      }
    };
    expect(codeOf({ region: 'us-east-1; drop' })).toBe('PROFILE_INVALID_VALUE');
    expect(codeOf({ region: 'us-east-1', endpoint: 'not a url' })).toBe('STS_UNAVAILABLE');
  });

  // The SDK's own STSClient, stopped at its request handler, says where it would send the request
  // and for which region it signs; credkit must agree for every region shape credkit accepts.
  const regions = [
    'us-east-1',
    'eu-west-3',
    'ap-southeast-7',
    'mx-central-1',
    'cn-north-1',
    'cn-northwest-1',
    'us-gov-west-1',
    'us-gov-east-1',
    'us-iso-east-1',
    'us-isob-east-1',
    'eu-isoe-west-1',
    'us-isof-south-1',
    'eusc-de-east-1',
    'xx-future-1',
    'aws-global',
  ];
  const modes = [{}, { fips: true }, { dualStack: true }, { fips: true, dualStack: true }];
  it.each(regions)('agrees with the SDK STSClient for %s (plain, FIPS, dual-stack, both)', async (region) => {
    await quietSdkNodeVersionWarning();
    for (const mode of modes) {
      const env = {
        ...(mode.fips && { AWS_USE_FIPS_ENDPOINT: 'true' }),
        ...(mode.dualStack && { AWS_USE_DUALSTACK_ENDPOINT: 'true' }),
      };
      const sdk = await sdkTarget(region, {
        useFipsEndpoint: !!mode.fips,
        useDualstackEndpoint: !!mode.dualStack,
      });
      const ours = stsTarget({ region, env });
      expect({ host: ours.url.host, region: ours.signingRegion }, JSON.stringify(mode)).toEqual(sdk);
    }
  });
});

async function sdkTarget(region: string, flags: { useFipsEndpoint: boolean; useDualstackEndpoint: boolean }) {
  let seen: { host: string; region: string } | undefined;
  const client = new STSClient({
    region,
    ...flags,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
    requestHandler: {
      handle: async (req: { hostname: string; headers: Record<string, string> }) => {
        const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/sts\//.exec(req.headers.authorization ?? '');
        seen = { host: req.hostname, region: scope?.[1] ?? '' };
        throw Object.assign(new Error('captured'), { name: 'Captured' });
      },
    },
  });
  await client.send(new GetCallerIdentityCommand({})).catch(() => undefined);
  return seen;
}
