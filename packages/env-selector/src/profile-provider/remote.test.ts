import { describe, expect, it } from 'vitest';
import { metadataTimeoutMs } from './remote.js';

const HOME = { HOME: '/home/u' };
const setting = (value: string) => ({ profile: 'dev', value, file: '/home/u/.aws/config', line: 4 });

describe('metadataTimeoutMs', () => {
  it('reads seconds from AWS_METADATA_SERVICE_TIMEOUT, then the profile, then falls back', () => {
    expect(metadataTimeoutMs({ ...HOME, AWS_METADATA_SERVICE_TIMEOUT: '5' }, setting('2'), 1_000)).toBe(
      5_000,
    );
    expect(metadataTimeoutMs(HOME, setting(' 2.5 '), 1_000)).toBe(2_500);
    expect(metadataTimeoutMs({ ...HOME, AWS_METADATA_SERVICE_TIMEOUT: '' }, setting('2'), 1_000)).toBe(2_000);
    expect(metadataTimeoutMs(HOME, undefined, 1_000)).toBe(1_000);
    expect(metadataTimeoutMs(HOME, setting(''), 750)).toBe(750);
    expect(metadataTimeoutMs({ AWS_METADATA_SERVICE_TIMEOUT: '0.0001' }, undefined, 1_000)).toBe(1);
    expect(metadataTimeoutMs({ AWS_METADATA_SERVICE_TIMEOUT: '3600' }, undefined, 1_000)).toBe(3_600_000);
  });

  it.each(['0', '-1', 'abc', '5s', 'Infinity', '3601'])(
    'refuses AWS_METADATA_SERVICE_TIMEOUT=%s',
    (value) => {
      expect(() => metadataTimeoutMs({ AWS_METADATA_SERVICE_TIMEOUT: value }, setting('2'), 1_000)).toThrow(
        expect.objectContaining({
          code: 'PROFILE_INVALID_VALUE',
          message: `AWS_METADATA_SERVICE_TIMEOUT="${value}" is not a number of seconds from 0 to 3600.`,
          hint: expect.stringContaining('AWS_METADATA_SERVICE_TIMEOUT'),
        }),
      );
    },
  );

  it('refuses a wrong profile value, naming the profile, file and line, and cuts a long value short', () => {
    expect(() => metadataTimeoutMs(HOME, setting('x'.repeat(100)), 1_000)).toThrow(
      expect.objectContaining({
        code: 'PROFILE_INVALID_VALUE',
        message: `Profile "dev" has metadata_service_timeout = "${'x'.repeat(40)}…" (~/.aws/config:4); it must be a number of seconds from 0 to 3600.`,
        details: { profile: 'dev', file: '/home/u/.aws/config', line: 4 },
      }),
    );
  });
});
