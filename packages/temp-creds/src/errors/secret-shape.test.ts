import { describe, expect, it } from 'vitest';
import {
  describeUntrusted,
  escapeJsonText,
  escapeTerminalText,
  looksLikeSecret,
  maskSecretShapes,
  redactRemoteMessage,
} from './index.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const TOKEN = `IQoJb3JpZ2luX2VjE${'Ab9+/'.repeat(60)}==`;
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjaSJ9.c2lnbmF0dXJl-_x';

describe('looksLikeSecret', () => {
  it('knows a 40-character secret key, a session token and a JWT', () => {
    expect(looksLikeSecret(SECRET)).toBe(true);
    expect(looksLikeSecret(` ${SECRET}\n`)).toBe(true);
    expect(looksLikeSecret(TOKEN)).toBe(true);
    expect(looksLikeSecret(JWT)).toBe(true);
  });

  it('leaves key IDs, hex digests, ARNs, paths and regions alone', () => {
    for (const v of [
      'AKIAIOSFODNN7EXAMPLE',
      'a'.repeat(40),
      'da39a3ee5e6b4b0d3255bfef95601890afd80709',
      'arn:aws:iam::123456789012:role/Deploy',
      '/home/user/.aws/config',
      'eu-west-1',
    ]) {
      expect(looksLikeSecret(v)).toBe(false);
    }
  });
});

describe('maskSecretShapes', () => {
  it('masks secret shapes inside text, keeping the last four characters', () => {
    const text = `+ export AWS_SECRET_ACCESS_KEY=${SECRET}\n+ token=${TOKEN} jwt ${JWT}`;
    const masked = maskSecretShapes(text);
    expect(masked).not.toContain(SECRET.slice(0, 10));
    expect(masked).not.toContain(TOKEN.slice(0, 10));
    expect(masked).not.toContain(JWT.slice(0, 10));
    expect(masked).toContain('****************EKEY');
  });

  it('masks known values and any 10-character piece of them', () => {
    const sent = 'shortish-but-secret-value';
    expect(maskSecretShapes(`got ${sent}!`, [sent])).not.toContain('shortish');
    const token = 'Zm9vYmFyYmF6cXV4cXV1eA';
    expect(maskSecretShapes(`echo ${token.slice(0, 12)}`, [token])).not.toContain(token.slice(0, 12));
  });
});

describe('redactRemoteMessage', () => {
  it('masks what was sent and secret shapes, escapes controls and caps the length', () => {
    const message = `The security token ${TOKEN.slice(0, 250)} is invalid \u001b]0;owned\u0007 ${'x'.repeat(500)}`;
    const out = redactRemoteMessage(message, [TOKEN]);
    expect(out).not.toContain(TOKEN.slice(0, 10));
    expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(Array.from(out).length).toBeLessThanOrEqual(201);
  });
});

describe('describeUntrusted', () => {
  it('never quotes a secret-shaped value', () => {
    expect(describeUntrusted(SECRET)).not.toContain(SECRET.slice(0, 4));
  });

  it('shows lone surrogates escaped', () => {
    expect(describeUntrusted('a\ud800b')).toBe('"a\\ud800b"');
    expect(describeUntrusted('😀')).toBe('"😀"');
  });
});

describe('escapeTerminalText / escapeJsonText', () => {
  const corpus = [
    '\u001b[2J',
    '\u001b[31m',
    '\u0007',
    '\u009b1m',
    '\b',
    '\u001b]0;title\u0007',
    '\u007f',
    '\ud800',
  ];

  it('keeps line breaks and tabs, escapes every other control and lone surrogates', () => {
    for (const seq of corpus) {
      const out = escapeTerminalText(`a\t${seq}b\nc`);
      expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ud800-\udfff]/);
      expect(out.startsWith('a\t')).toBe(true);
      expect(out.endsWith('b\nc')).toBe(true);
    }
  });

  it('JSON stays the same data with no raw C1 or DEL', () => {
    const value = { v: corpus.join('|') };
    const json = escapeJsonText(JSON.stringify(value));
    expect(json).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(JSON.parse(json)).toEqual(value);
  });
});
