import { describe, expect, it } from 'vitest';
import { THROTTLING_ERRORS } from './retry-classes.js';
import { mapStsError } from './sts.js';
import { unpackStsCredentials } from './sts-credentials.js';

const KEY = 'ASIAEXAMPLEUNPACK01';
const SECRET = 'unpack-secret-value';
const TOKEN = 'unpack-token-value';
const EXPIRATION = new Date('2026-12-01T12:00:00Z');

describe('unpackStsCredentials (the one reading of an STS answer)', () => {
  it('keeps key pair, token, expiration and the account of the ARN', () => {
    const creds = unpackStsCredentials(
      { AccessKeyId: KEY, SecretAccessKey: SECRET, SessionToken: TOKEN, Expiration: EXPIRATION },
      { call: 'STS AssumeRole for profile "prod"', arn: 'arn:aws:iam::123456789012:role/deploy' },
    );
    expect(creds).toEqual({
      accessKeyId: KEY,
      secretAccessKey: SECRET,
      sessionToken: TOKEN,
      expiration: EXPIRATION,
      accountId: '123456789012',
    });
  });

  it('prefers a known account, drops one that is not an account ID, and leaves absent fields out', () => {
    const pair = { AccessKeyId: KEY, SecretAccessKey: SECRET };
    expect(
      unpackStsCredentials(pair, { call: 'x', accountId: '210987654321', arn: 'arn:aws:iam::1:role/r' }),
    ).toEqual({ accessKeyId: KEY, secretAccessKey: SECRET, accountId: '210987654321' });
    const odd = unpackStsCredentials(pair, { call: 'x', arn: 'arn:aws:iam::not-an-account:role/r' });
    expect(odd).toEqual({ accessKeyId: KEY, secretAccessKey: SECRET });
    expect(Object.keys(odd)).toEqual(['accessKeyId', 'secretAccessKey']);
  });

  it('refuses an answer without the key pair, naming the call and never a secret', () => {
    for (const c of [undefined, {}, { AccessKeyId: KEY }, { SecretAccessKey: SECRET, SessionToken: TOKEN }]) {
      expect(() =>
        unpackStsCredentials(c, {
          call: 'STS AssumeRole for profile "prod"',
          details: { profile: 'prod', roleArn: 'arn:aws:iam::123456789012:role/deploy' },
        }),
      ).toThrow(
        expect.objectContaining({
          code: 'STS_ERROR',
          message: 'STS AssumeRole for profile "prod" returned no credentials.',
          details: { profile: 'prod', roleArn: 'arn:aws:iam::123456789012:role/deploy' },
          hint: expect.stringContaining('STS endpoint'),
        }),
      );
    }
    expect(() => unpackStsCredentials({ SecretAccessKey: SECRET }, { call: 'x' })).toThrow(
      expect.not.objectContaining({ message: expect.stringContaining(SECRET) }),
    );
  });

  it('with temporary: a session needs its token and expiration', () => {
    const call = { call: 'STS GetSessionToken for profile "dev"', temporary: true };
    const pair = { AccessKeyId: KEY, SecretAccessKey: SECRET };
    for (const c of [pair, { ...pair, SessionToken: TOKEN }, { ...pair, Expiration: EXPIRATION }]) {
      expect(() => unpackStsCredentials(c, call)).toThrow(
        expect.objectContaining({ code: 'STS_ERROR', message: `${call.call} returned no credentials.` }),
      );
    }
    expect(
      unpackStsCredentials({ ...pair, SessionToken: TOKEN, Expiration: EXPIRATION }, call),
    ).toMatchObject({ sessionToken: TOKEN, expiration: EXPIRATION });
  });
});

describe('one table of throttling error names', () => {
  it("is the SDK's standard-mode list, and mapStsError reads it", () => {
    expect(THROTTLING_ERRORS.size).toBe(14);
    for (const name of THROTTLING_ERRORS) {
      const error = Object.assign(new Error('Rate exceeded'), {
        name,
        $metadata: { httpStatusCode: 400, attempts: 3 },
      });
      expect(mapStsError(error, { action: 'assume role r' })).toMatchObject({
        code: 'STS_UNAVAILABLE',
        message: 'Could not assume role r: STS throttled the request after 3 attempts.',
      });
    }
    // A 400 that is not throttling stays a service error.
    const other = Object.assign(new Error('bad'), {
      name: 'ValidationError',
      $metadata: { httpStatusCode: 400 },
    });
    expect(mapStsError(other, { action: 'x' }).code).toBe('STS_ERROR');
  });
});
