import { describe, expect, it } from 'vitest';
import { roleSessionKey, sessionTokenKey, ssoSessionKey } from './keys.js';
import { pythonJsonDumps } from './python-json.js';

// Expected values computed with botocore's own expressions under Python 3:
// sha1(json.dumps(args, sort_keys=True)) and, for SSO, separators=(',', ':').
describe('cache keys', () => {
  it('matches botocore for a plain role profile (RoleArn only; a generated session name is not hashed)', () => {
    expect(roleSessionKey({ roleArn: 'arn:aws:iam::123456789012:role/admin' })).toBe(
      '85df843ebbf3964c64e26d66d796d302b1a7a5ff',
    );
  });

  it('matches botocore with every optional argument, DurationSeconds as an integer and non-ASCII escaped', () => {
    expect(
      roleSessionKey({
        roleArn: 'arn:aws:iam::123456789012:role/admin',
        mfaSerial: 'arn:aws:iam::123456789012:mfa/alice',
        durationSeconds: 7200,
        externalId: 'ext-é',
        sessionName: 'alice',
      }),
    ).toBe('005086f50864d27e8d6bbab1f46427d0ca3694e3');
  });

  it('matches botocore for SSO: sessionName for sso-session profiles, startUrl for legacy ones', () => {
    const base = { roleName: 'Admin', accountId: '123456789012', startUrl: 'https://corp.awsapps.com/start' };
    expect(ssoSessionKey({ ...base, session: 'corp' })).toBe('8457bc68cf9d4aa8d629a61563948e8bd3159d49');
    expect(ssoSessionKey(base)).toBe('e03d8025af26e6a3f6c8402f15b918fb974ccc47');
  });

  it('gives GetSessionToken sessions their own keys, by source key, MFA device and duration', () => {
    const a = sessionTokenKey({ accessKeyId: 'AKIAAAAAAAAAAAAAAAAA', durationSeconds: 3600 });
    expect(a).toMatch(/^[0-9a-f]{40}$/);
    expect(sessionTokenKey({ accessKeyId: 'AKIABBBBBBBBBBBBBBBB', durationSeconds: 3600 })).not.toBe(a);
    expect(
      sessionTokenKey({ accessKeyId: 'AKIAAAAAAAAAAAAAAAAA', durationSeconds: 3600, mfaSerial: 'arn:x' }),
    ).not.toBe(a);
  });
});

describe('pythonJsonDumps', () => {
  it("writes what Python's json.dumps(sort_keys=True) writes", () => {
    // python3 -c 'import json;print(json.dumps({"b":"é\u007f\n\"x","a":3600,"c":"😀\u2028"},sort_keys=True))'
    expect(pythonJsonDumps({ b: 'é\u007f\n"x', a: 3600, c: '😀\u2028' })).toBe(
      '{"a": 3600, "b": "\\u00e9\\u007f\\n\\"x", "c": "\\ud83d\\ude00\\u2028"}',
    );
    expect(pythonJsonDumps({ b: [1, 'x'], a: { d: 1, c: null } }, { compact: true })).toBe(
      '{"a":{"c":null,"d":1},"b":[1,"x"]}',
    );
  });
});
