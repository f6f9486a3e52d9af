import { describe, expect, it } from 'vitest';
import { describeUntrusted, escapeControlCharacters, hasControlCharacters } from './index.js';

describe('describeUntrusted', () => {
  it('quotes plain values as they are', () => {
    expect(describeUntrusted('prod-iad')).toBe('"prod-iad"');
    expect(describeUntrusted('say "hi"')).toBe('"say \\"hi\\""');
  });

  it('escapes ANSI sequences, C0/C1 controls and bidi overrides so nothing reaches the terminal raw', () => {
    const shown = describeUntrusted('a\x1b[31mb\x07c\r\nd\u009b2Je\u202Ef\x7f', { maxLength: 100 });
    expect(shown).toBe('"a\\x1b[31mb\\x07c\\r\\nd\\x9b2Je\\u202ef\\x7f"');
    expect(hasControlCharacters(shown)).toBe(false);
    expect(/[\u202a-\u202e]/.test(shown)).toBe(false);
  });

  it('cuts long values, counting what was left out', () => {
    expect(describeUntrusted('x'.repeat(1_000_000), { maxLength: 10 })).toBe(
      '"xxxxxxxxxx"… (999990 more characters)',
    );
  });

  it('escapes without quoting for labels drawn in prompts', () => {
    expect(escapeControlCharacters('[profile a\x1b]0;t\x07]')).toBe('[profile a\\x1b]0;t\\x07]');
  });
});
