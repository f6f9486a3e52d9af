import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { childEnvironment, EXPORT_FORMATS, formatCredentials, shellQuote } from './formats.js';

const session = {
  accessKeyId: 'ASIAEXAMPLE0000001',
  secretAccessKey: 'wJalr/SECRET+key=',
  sessionToken: "tok'en with $pace",
  expiration: new Date('2026-11-27T06:00:00.000Z'),
  region: 'us-west-2',
};

describe('formatCredentials', () => {
  it('process: credential_process JSON, Version 1, optional fields only when present', () => {
    expect(JSON.parse(formatCredentials(session, 'process'))).toEqual({
      Version: 1,
      AccessKeyId: 'ASIAEXAMPLE0000001',
      SecretAccessKey: 'wJalr/SECRET+key=',
      SessionToken: "tok'en with $pace",
      Expiration: '2026-11-27T06:00:00.000Z',
    });
    expect(JSON.parse(formatCredentials({ accessKeyId: 'AKIA1', secretAccessKey: 's' }, 'process'))).toEqual({
      Version: 1,
      AccessKeyId: 'AKIA1',
      SecretAccessKey: 's',
    });
  });

  it('json: camelCase with region and nulls', () => {
    expect(JSON.parse(formatCredentials({ accessKeyId: 'AKIA1', secretAccessKey: 's' }, 'json'))).toEqual({
      accessKeyId: 'AKIA1',
      secretAccessKey: 's',
      sessionToken: null,
      expiration: null,
      region: null,
    });
  });

  it('env: a POSIX shell reads back exactly the values', () => {
    const script = `${formatCredentials(session, 'env')}\nprintf '%s\\n' "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN" "$AWS_REGION" "$AWS_CREDENTIAL_EXPIRATION"`;
    const out = execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8', env: {} });
    expect(out.split('\n').slice(0, 4)).toEqual([
      'wJalr/SECRET+key=',
      "tok'en with $pace",
      'us-west-2',
      '2026-11-27T06:00:00.000Z',
    ]);
    expect(formatCredentials(session, 'env')).toMatch(/^export AWS_ACCESS_KEY_ID=ASIAEXAMPLE0000001$/m);
  });

  it('env-no-export, dotenv, powershell and fish', () => {
    expect(formatCredentials(session, 'env-no-export')).toContain(
      "AWS_SESSION_TOKEN='tok'\\''en with $pace'\n",
    );
    expect(formatCredentials(session, 'dotenv')).toContain('AWS_SECRET_ACCESS_KEY="wJalr/SECRET+key="\n');
    expect(formatCredentials(session, 'powershell')).toContain(
      "$Env:AWS_SESSION_TOKEN='tok''en with $pace'\n",
    );
    expect(formatCredentials(session, 'fish')).toContain("set -gx AWS_SESSION_TOKEN 'tok\\'en with $pace'\n");
    expect(formatCredentials(session, 'env-no-export')).not.toContain('export ');
  });

  it('shellQuote leaves plain values alone', () => {
    expect(shellQuote('AKIA/+=.')).toBe('AKIA/+=.');
    expect(shellQuote('a b')).toBe("'a b'");
  });
});

describe('childEnvironment', () => {
  it('removes other credentials and profiles, keeps the rest, adds the chosen ones', () => {
    const env = childEnvironment(
      {
        PATH: '/bin',
        AWS_PROFILE: 'other',
        AWS_DEFAULT_PROFILE: 'other',
        AWS_ACCESS_KEY_ID: 'AKIAOLD',
        AWS_SECRET_ACCESS_KEY: 'old',
        AWS_SECURITY_TOKEN: 'old',
        AWS_WEB_IDENTITY_TOKEN_FILE: '/t',
        AWS_ROLE_ARN: 'arn',
        AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://x',
        AWS_CONTAINER_AUTHORIZATION_TOKEN: 'x',
        AWS_CONFIG_FILE: '/c',
      },
      { accessKeyId: 'AKIANEW', secretAccessKey: 'new', region: 'eu-west-1' },
    );
    expect(env).toEqual({
      PATH: '/bin',
      AWS_CONFIG_FILE: '/c',
      AWS_ACCESS_KEY_ID: 'AKIANEW',
      AWS_SECRET_ACCESS_KEY: 'new',
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
    });
  });

  it("keeps the user's own SDK warning switch", () => {
    const env = childEnvironment(
      { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      { accessKeyId: 'A', secretAccessKey: 's' },
    );
    expect(env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('true');
  });
});

describe('values with control characters', () => {
  it.each([
    ['secretAccessKey', '\u001b[2J'],
    ['sessionToken', '\u009b1m'],
    ['region', '\u0007'],
    ['accessKeyId', '\u007f'],
    ['sessionToken', '\ud800'],
  ] as const)('%s holding %j is refused in every format and for exec, never quoted', (field, seq) => {
    const hostile = { ...session, [field]: `${session[field]}${seq}` };
    for (const format of EXPORT_FORMATS) {
      expect(() => formatCredentials(hostile, format)).toThrow(
        expect.objectContaining({ code: 'CREDENTIAL_INVALID_CHARACTERS' }),
      );
    }
    let message = '';
    try {
      childEnvironment({}, hostile);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^The value for AWS_[A-Z_]+ holds control characters/);
    expect(message).not.toContain(seq);
  });
});
