import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../clock.js';
import { isCredkitError } from '../errors/index.js';
import { parseExportedCredentials, readAssignments, readExportedCredentials } from './exported.js';
import { parseTemporaryCredentials } from './parse.js';
import { readTemporaryCredentialsFromEnv, readTemporaryCredentialsFromFlags } from './sources.js';

const KEY = 'ASIAIOSFODNN7EXAMPLE';
// A `'` and a `\` make the quoting of every format matter.
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const TOKEN = 'IQoJb3JpZ2luX2VjEHUaCXVzLWVhc3QtMSJHMEUCIQDexampleTOKEN+/=';
const EXPIRES = '2026-11-27T13:00:00.000Z';
const now: Clock = () => Date.parse('2026-11-27T12:00:00Z');

function caught(run: () => unknown): { code: string; message: string; hint?: string } {
  try {
    run();
  } catch (error: unknown) {
    if (!isCredkitError(error)) throw error;
    // Never a value in what is said about the input.
    expect(JSON.stringify({ m: error.message, h: error.hint, d: error.details })).not.toContain('EXAMPLEKEY');
    return error;
  }
  throw new Error('expected a CredkitError');
}

// What `credkit export --format X` prints (packages/cli/src/formats.ts), and the AWS CLI's windows-cmd.
const FORMATS: Record<string, string> = {
  process: `${JSON.stringify({ Version: 1, AccessKeyId: KEY, SecretAccessKey: SECRET, SessionToken: TOKEN, Expiration: EXPIRES }, null, 2)}\n`,
  json: `${JSON.stringify({ accessKeyId: KEY, secretAccessKey: SECRET, sessionToken: TOKEN, expiration: EXPIRES, region: 'eu-west-1' }, null, 2)}\n`,
  env: `export AWS_ACCESS_KEY_ID=${KEY}\nexport AWS_SECRET_ACCESS_KEY=${SECRET}\nexport AWS_SESSION_TOKEN='${TOKEN}'\nexport AWS_CREDENTIAL_EXPIRATION=${EXPIRES}\nexport AWS_REGION=eu-west-1\n`,
  'env-no-export': `AWS_ACCESS_KEY_ID=${KEY}\nAWS_SECRET_ACCESS_KEY=${SECRET}\nAWS_SESSION_TOKEN=${TOKEN}\nAWS_CREDENTIAL_EXPIRATION=${EXPIRES}\n`,
  dotenv: `AWS_ACCESS_KEY_ID="${KEY}"\nAWS_SECRET_ACCESS_KEY="${SECRET}"\nAWS_SESSION_TOKEN="${TOKEN}"\nAWS_CREDENTIAL_EXPIRATION="${EXPIRES}"\n`,
  powershell: `$Env:AWS_ACCESS_KEY_ID='${KEY}'\r\n$Env:AWS_SECRET_ACCESS_KEY='${SECRET}'\r\n$Env:AWS_SESSION_TOKEN='${TOKEN}'\r\n$Env:AWS_CREDENTIAL_EXPIRATION='${EXPIRES}'\r\n`,
  fish: `set -gx AWS_ACCESS_KEY_ID '${KEY}'\nset -gx AWS_SECRET_ACCESS_KEY '${SECRET}'\nset -gx AWS_SESSION_TOKEN '${TOKEN}'\nset -gx AWS_CREDENTIAL_EXPIRATION '${EXPIRES}'\n`,
  'windows-cmd': `set AWS_ACCESS_KEY_ID=${KEY}\nset AWS_SECRET_ACCESS_KEY=${SECRET}\nset AWS_SESSION_TOKEN=${TOKEN}\nset AWS_CREDENTIAL_EXPIRATION=${EXPIRES}\n`,
};

describe('parseExportedCredentials', () => {
  it.each(Object.keys(FORMATS))('reads the %s format', (format) => {
    const c = parseExportedCredentials(FORMATS[format]!, { now });
    expect(c).toMatchObject({
      accessKeyId: KEY,
      secretAccessKey: SECRET,
      sessionToken: TOKEN,
      source: 'stdin',
    });
    expect(c.expiration?.toISOString()).toBe(EXPIRES);
  });

  it("undoes each shell's quoting: sh '\\'' pieces, dotenv escapes, PowerShell '' and fish \\'", () => {
    const value = (line: string) => readAssignments(line).get('V');
    expect(value(`export V='ab'\\''c\\d'`)).toBe("ab'c\\d");
    expect(value('V=plain/+=')).toBe('plain/+=');
    expect(value(`V="ab'c\\\\d\\"e"`)).toBe(`ab'c\\d"e`);
    expect(value(`$Env:V='ab''c\\d'`)).toBe("ab'c\\d");
    expect(value(`set -gx V 'ab\\'c\\\\d'`)).toBe("ab'c\\d");
    expect(value('set V=a b')).toBe('a b');
    expect(readAssignments('# comment\n\nrem note\nA=1\nA=2\n')).toEqual(new Map([['A', '2']]));
  });

  it('names the variable at fault, and a missing token by its variable', () => {
    const noToken = caught(() =>
      parseExportedCredentials(`export AWS_ACCESS_KEY_ID=${KEY}\nexport AWS_SECRET_ACCESS_KEY=${SECRET}\n`),
    );
    expect(noToken.code).toBe('SESSION_TOKEN_REQUIRED');
    expect(noToken.message).toContain('AWS_SESSION_TOKEN read from stdin');
    expect(noToken.hint).toContain('Add AWS_SESSION_TOKEN');
    const camel = caught(() =>
      parseExportedCredentials(
        JSON.stringify({ accessKeyId: KEY, secretAccessKey: SECRET, sessionToken: null }),
      ),
    );
    expect(camel.message).toContain('sessionToken read from stdin');
  });

  it('refuses a line that is not an assignment by its number, never by its text', () => {
    const e = caught(() => parseExportedCredentials(`export AWS_ACCESS_KEY_ID=${KEY}\n${SECRET} oops\n`));
    expect(e.code).toBe('INVALID_CREDENTIALS_INPUT');
    expect(e.message).toContain('Line 2');
    expect(caught(() => parseExportedCredentials('export AWS_REGION=us-east-1\n')).code).toBe(
      'INVALID_CREDENTIALS_INPUT',
    );
  });

  it('keeps credential_process JSON strict: no Version is still an error', () => {
    const e = caught(() =>
      parseExportedCredentials(JSON.stringify({ AccessKeyId: KEY, SecretAccessKey: SECRET })),
    );
    expect(e.code).toBe('INVALID_CREDENTIALS_JSON');
    expect(caught(() => parseExportedCredentials('')).code).toBe('INVALID_CREDENTIALS_JSON');
  });

  it('reads a stream', async () => {
    const c = await readExportedCredentials(Readable.from([FORMATS.env!]), { now });
    expect(c.accessKeyId).toBe(KEY);
  });
});

describe('session token hints name the field of their source', () => {
  it('flags name --aws-session-token, env AWS_SESSION_TOKEN', () => {
    const flags = caught(() =>
      readTemporaryCredentialsFromFlags({ awsAccessKeyId: KEY, awsSecretAccessKey: SECRET }),
    );
    expect(flags.code).toBe('SESSION_TOKEN_REQUIRED');
    expect(flags.hint).toContain('--aws-session-token');
    expect(flags.hint).not.toMatch(/paste/i);
    const env = caught(() =>
      readTemporaryCredentialsFromEnv({ AWS_ACCESS_KEY_ID: KEY, AWS_SECRET_ACCESS_KEY: SECRET }),
    );
    expect(env.hint).toContain('Set AWS_SESSION_TOKEN');
    const longTerm = caught(() =>
      readTemporaryCredentialsFromFlags({
        awsAccessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        awsSecretAccessKey: SECRET,
        awsSessionToken: TOKEN,
      }),
    );
    expect(longTerm.code).toBe('SESSION_TOKEN_NOT_EXPECTED');
    expect(longTerm.hint).toContain('Leave out --aws-session-token');
    // At the prompt the person is looking at the field: the hint stays about pasting it.
    const prompt = caught(() =>
      parseTemporaryCredentials({ accessKeyId: KEY, secretAccessKey: SECRET }, { source: 'prompt' }),
    );
    expect(prompt.hint).toMatch(/^Paste the session token/);
  });
});
