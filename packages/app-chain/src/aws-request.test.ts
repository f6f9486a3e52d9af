import * as crypto from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { THROTTLING_ERRORS as ENV_SELECTOR_THROTTLING } from '@credkit/env-selector/providers';
import { parseConfigFile } from '@credkit/env-selector/shared-config';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { configuredEndpoint, serviceTarget, signSigV4, THROTTLING_ERRORS } from './aws-request.js';

describe('retry classes', () => {
  it("are env-selector's one table, not a copy", () => {
    expect(THROTTLING_ERRORS).toBe(ENV_SELECTOR_THROTTLING);
    expect(THROTTLING_ERRORS.has('SlowDown')).toBe(true);
  });
});

describe('signSigV4 for a JSON 1.1 service', () => {
  it('matches @smithy/signature-v4 for an SSM request (x-amz-target signed)', async () => {
    const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret/key+x', sessionToken: 'tok' };
    const url = new URL('https://ssm.eu-west-3.amazonaws.com');
    const date = new Date('2026-12-01T10:11:12.000Z');
    const body = '{"Path":"/credkit/applications/a/environments","MaxResults":10}';
    const headers = {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AmazonSSM.GetParametersByPath',
    };
    const ours = signSigV4(crypto, {
      credentials,
      url,
      region: 'eu-west-3',
      service: 'ssm',
      date,
      body,
      headers,
    });
    const reference = await new SignatureV4({
      credentials,
      region: 'eu-west-3',
      service: 'ssm',
      sha256: Sha256,
    }).sign(
      {
        method: 'POST',
        protocol: url.protocol,
        hostname: url.hostname,
        path: '/',
        query: {},
        headers: { host: url.host, ...headers, 'content-length': String(body.length) },
        body,
      },
      { signingDate: date },
    );
    expect(ours).toEqual(reference.headers);
  });
});

describe('serviceTarget and configuredEndpoint', () => {
  it('regional, FIPS and custom endpoints for ssm', () => {
    expect(serviceTarget('ssm', { region: 'eu-west-1' }).url.href).toBe(
      'https://ssm.eu-west-1.amazonaws.com/',
    );
    expect(serviceTarget('ssm', { region: 'cn-north-1' }).url.host).toBe('ssm.cn-north-1.amazonaws.com.cn');
    expect(
      serviceTarget('ssm', { region: 'us-east-1', env: { AWS_USE_FIPS_ENDPOINT: 'true' } }).url.host,
    ).toBe('ssm-fips.us-east-1.amazonaws.com');
    expect(serviceTarget('ssm', { region: 'us-east-1', endpoint: 'http://127.0.0.1:1' })).toMatchObject({
      signingRegion: 'us-east-1',
    });
    expect(() => serviceTarget('ssm', { region: 'us-east-1', endpoint: 'nope' })).toThrow(
      'The SSM endpoint is not a URL.',
    );
  });

  it('follows the SDK order: service variable, services section, global variable, profile endpoint_url', () => {
    const file = parseConfigFile(
      '[profile app]\nservices = team\nendpoint_url = http://profile\n[services team]\nssm =\n  endpoint_url = http://services-ssm\nsts =\n  endpoint_url = http://services-sts\n',
      { path: '/c', kind: 'config' },
    );
    const section = (type: string, name: string) => {
      const s = file.sections.find((x) => x.type === type && x.name === name);
      return s && { properties: s.properties };
    };
    const config = {
      profile: section('profile', 'app'),
      services: new Map([['team', section('services', 'team')!]]),
    };
    expect(configuredEndpoint('ssm', { AWS_ENDPOINT_URL_SSM: 'http://env-ssm' }, config)).toBe(
      'http://env-ssm',
    );
    expect(configuredEndpoint('ssm', { AWS_ENDPOINT_URL: 'http://env' }, config)).toBe('http://services-ssm');
    expect(configuredEndpoint('s3', { AWS_ENDPOINT_URL: 'http://env' }, config)).toBe('http://env');
    expect(configuredEndpoint('s3', {}, config)).toBe('http://profile');
    expect(
      configuredEndpoint('ssm', { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }, config),
    ).toBeUndefined();
    expect(configuredEndpoint('ssm', {}, undefined)).toBeUndefined();
  });
});
