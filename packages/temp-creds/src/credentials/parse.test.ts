import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../clock.js';
import { isCredkitError } from '../errors/index.js';
import {
  parseTemporaryCredentials,
  type TemporaryCredentialsInput,
  type TemporaryCredentialsSource,
} from './parse.js';

const KEY = 'ASIAIOSFODNN7EXAMPLE';
const LONG_TERM_KEY = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const TOKEN = 'IQoJb3JpZ2luX2VjEHUaCXVzLWVhc3QtMSJHMEUCIQDexampleTOKEN+/=';
const NOW = new Date('2026-11-27T12:00:00Z');
const now: Clock = () => NOW.getTime();

function failure(input: TemporaryCredentialsInput, source: TemporaryCredentialsSource = 'flags') {
  try {
    parseTemporaryCredentials(input, { source, now });
  } catch (error: unknown) {
    if (!isCredkitError(error)) throw error;
    // Whatever the failure, no part of the secret or token may be in anything it carries.
    const everything = JSON.stringify({ ...error.toJSON(), cause: String(error.cause) });
    for (const secret of [SECRET, TOKEN, 'EXAMPLEKEY', 'exampleTOKEN'])
      expect(everything).not.toContain(secret);
    return error;
  }
  throw new Error('expected parseTemporaryCredentials to throw');
}

describe('parseTemporaryCredentials', () => {
  it('accepts temporary and long-term credentials, trimming what pasting adds', () => {
    const temporary = parseTemporaryCredentials(
      {
        accessKeyId: ` ${KEY}\n`,
        secretAccessKey: `${SECRET}\r\n`,
        sessionToken: `\t${TOKEN} `,
        expiration: '2026-11-27T13:00:00Z',
      },
      { source: 'env', now },
    );
    expect(temporary).toMatchObject({
      accessKeyId: KEY,
      secretAccessKey: SECRET,
      sessionToken: TOKEN,
      keyType: 'temporary',
      source: 'env',
    });
    expect(temporary.expiration?.toISOString()).toBe('2026-11-27T13:00:00.000Z');
    const longTerm = parseTemporaryCredentials(
      { accessKeyId: LONG_TERM_KEY, secretAccessKey: SECRET, sessionToken: '' },
      { source: 'flags' },
    );
    expect(longTerm.keyType).toBe('long-term');
    expect(longTerm.sessionToken).toBeUndefined();
  });

  it('never shows the secret or token when the object is logged or serialised', () => {
    const credentials = parseTemporaryCredentials(
      { accessKeyId: KEY, secretAccessKey: SECRET, sessionToken: TOKEN },
      { source: 'prompt' },
    );
    for (const shown of [
      JSON.stringify(credentials),
      inspect(credentials),
      `${inspect({ nested: credentials })}`,
    ]) {
      expect(shown).toContain(KEY);
      expect(shown).not.toContain(SECRET);
      expect(shown).not.toContain(TOKEN);
    }
    expect(credentials.secretAccessKey).toBe(SECRET);
  });

  describe('access key ID', () => {
    const cases: Array<[string, string | undefined, string, RegExp]> = [
      ['missing', undefined, 'MISSING_ACCESS_KEY_ID', /is missing/],
      ['blank', '  \n', 'MISSING_ACCESS_KEY_ID', /is missing/],
      [
        'too short',
        'AKIA1234',
        'INVALID_ACCESS_KEY_ID',
        /is 8 characters long \(12 too few\); access key IDs are AKIA and 16 upper-case letters and digits, 20 in all/,
      ],
      // AKIA/ASIA + 16: one character more or less is a copy that lost or gained one (issue 16).
      ['one short', 'ASIAIOSFODNN7EXAMPL', 'INVALID_ACCESS_KEY_ID', /19 characters long \(1 too few\)/],
      ['one long', 'AKIAIOSFODNN7EXAMPLEX', 'INVALID_ACCESS_KEY_ID', /21 characters long \(1 too many\)/],
      ['too long', `AKIA${'A'.repeat(130)}`, 'INVALID_ACCESS_KEY_ID', /134 characters long/],
      ['lower case', 'akiaiosfodnn7example', 'INVALID_ACCESS_KEY_ID', /lower-case/],
      ['punctuation', 'AKIA-OSFODNN7EXAMPLE', 'INVALID_ACCESS_KEY_ID', /upper-case letters and digits only/],
      ['a space inside', 'AKIA IOSFODNN7EXAMPLE', 'INVALID_ACCESS_KEY_ID', /control characters or spaces/],
      [
        'an IAM user ID',
        'AIDAJQABLZS4A3QDU576Q',
        'INVALID_ACCESS_KEY_ID',
        /AIDA, which marks an IAM user ID/,
      ],
      [
        'an unknown prefix',
        'ZZZZIOSFODNN7EXAMPLE',
        'INVALID_ACCESS_KEY_ID',
        /does not start with AKIA or ASIA/,
      ],
    ];
    for (const [name, accessKeyId, code, message] of cases) {
      it(`rejects ${name} with ${code}, naming the flag`, () => {
        const error = failure({ accessKeyId, secretAccessKey: SECRET, sessionToken: TOKEN });
        expect(error.code).toBe(code);
        expect(error.message).toMatch(message);
        expect(error.message).toContain('--aws-access-key-id');
        expect(error.exitCode).toBe(2);
      });
    }

    it('shows a hostile key ID escaped and cut short, never raw', () => {
      const error = failure(
        { accessKeyId: `AKIA\x1b[31mRED\x1b]0;title\x07${'X'.repeat(500)}`, secretAccessKey: SECRET },
        'env',
      );
      expect(error.code).toBe('INVALID_ACCESS_KEY_ID');
      expect(error.message).toContain('AWS_ACCESS_KEY_ID');
      expect(error.message).not.toMatch(/[\x00-\x1f]/);
      expect(error.message).toContain('\\x1b[31mRED');
      expect(error.message).toMatch(/more characters\)/);
      expect(error.message.length).toBeLessThan(300);
    });
  });

  describe('secret access key', () => {
    const cases: Array<[string, string | undefined, string]> = [
      ['missing', undefined, 'MISSING_SECRET_ACCESS_KEY'],
      ['too short', 'abc123', 'INVALID_SECRET_ACCESS_KEY'],
      ['too long', 'a'.repeat(129), 'INVALID_SECRET_ACCESS_KEY'],
      ['masked', '****************EKEY', 'INVALID_SECRET_ACCESS_KEY'],
      ['with an ANSI escape', `wJalrXUtnFEMI\x1b[2J/K7MDENG/bPxRfiCYEXAMPLEKEY`, 'INVALID_SECRET_ACCESS_KEY'],
      ['with a space inside', 'wJalrXUtnFEMI K7MDENG/bPxRfiCYEXAMPLEKEY', 'INVALID_SECRET_ACCESS_KEY'],
      ['swapped with the key ID', LONG_TERM_KEY, 'INVALID_SECRET_ACCESS_KEY'],
    ];
    for (const [name, secretAccessKey, code] of cases) {
      it(`rejects ${name} with ${code}, never echoing it`, () => {
        const error = failure({ accessKeyId: LONG_TERM_KEY, secretAccessKey }, 'stdin');
        expect(error.code).toBe(code);
        expect(error.message).toContain('"SecretAccessKey" of the JSON read from stdin');
        if (secretAccessKey !== undefined && secretAccessKey.length > 4) {
          expect(error.message).not.toContain(secretAccessKey.slice(-6));
        }
      });
    }

    it('hints that the fields were swapped', () => {
      expect(failure({ accessKeyId: LONG_TERM_KEY, secretAccessKey: LONG_TERM_KEY }).hint).toMatch(/swapped/);
    });
  });

  describe('session token', () => {
    it('is required for ASIA keys', () => {
      const error = failure({ accessKeyId: KEY, secretAccessKey: SECRET, sessionToken: ' ' });
      expect(error.code).toBe('SESSION_TOKEN_REQUIRED');
      expect(error.message).toContain('--aws-session-token');
      expect(error.message).toMatch(/ASIA access keys are temporary/);
    });

    it('is refused with a long-term AKIA key', () => {
      const error = failure(
        { accessKeyId: LONG_TERM_KEY, secretAccessKey: SECRET, sessionToken: TOKEN },
        'env',
      );
      expect(error.code).toBe('SESSION_TOKEN_NOT_EXPECTED');
      expect(error.message).toContain('AWS_SESSION_TOKEN');
    });

    for (const [name, sessionToken] of [
      ['with control characters', `${TOKEN}\x1b[0m${TOKEN}`],
      ['with non-ASCII', `${TOKEN}é`],
      ['too short', 'abc'],
      ['too long', 'A'.repeat(16 * 1024 + 1)],
    ] as const) {
      it(`rejects a token ${name} with INVALID_SESSION_TOKEN`, () => {
        expect(failure({ accessKeyId: KEY, secretAccessKey: SECRET, sessionToken }).code).toBe(
          'INVALID_SESSION_TOKEN',
        );
      });
    }
  });

  describe('expiration', () => {
    it('rejects credentials that have already expired, saying when', () => {
      const error = failure(
        {
          accessKeyId: KEY,
          secretAccessKey: SECRET,
          sessionToken: TOKEN,
          expiration: '2026-11-27T11:59:59Z',
        },
        'stdin',
      );
      expect(error.code).toBe('CREDENTIALS_EXPIRED');
      expect(error.message).toContain('expired at 2026-11-27T11:59:59.000Z');
      expect(error.hint).toMatch(/fresh/);
    });

    for (const expiration of ['tomorrow', '2026-11-27', '2026-11-27T13:00:00', '2026-13-45T99:00:00Z']) {
      it(`rejects ${JSON.stringify(expiration)} with INVALID_EXPIRATION`, () => {
        const error = failure(
          { accessKeyId: KEY, secretAccessKey: SECRET, sessionToken: TOKEN, expiration },
          'env',
        );
        expect(error.code).toBe('INVALID_EXPIRATION');
        expect(error.message).toContain('AWS_CREDENTIAL_EXPIRATION');
      });
    }
  });

  it('rejects a 1 MB value in any field at once with INPUT_TOO_LARGE, without echoing it', () => {
    const huge = 'A'.repeat(1024 * 1024);
    for (const input of [
      { accessKeyId: huge, secretAccessKey: SECRET },
      { accessKeyId: KEY, secretAccessKey: huge },
      { accessKeyId: KEY, secretAccessKey: SECRET, sessionToken: huge },
    ]) {
      const started = performance.now();
      const error = failure(input);
      // Refused by length before any pattern runs (a few ms); the bound only guards a hang.
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(error.code).toBe('INPUT_TOO_LARGE');
      expect(error.message.length).toBeLessThan(300);
    }
  });
});
