import { describe, expect, it } from 'vitest';
import { type SkipContext, skipSections } from './parse-skip.js';

// The fast reading must really be taken for plain sections (the differential test in
// materialize.test.ts proves its results; this proves it runs) and must hand back the rest.

function context(text: string, built: string[] = ['default'], config = true): SkipContext {
  return { text, config, built, skipped: { sections: 0 }, nextSecret: -2 };
}

describe('skipSections', () => {
  it('reads a run of plain sections, counting sections and lines, up to a profile to build', () => {
    const text = '[profile a] # c\nregion = x\n\n# c\n[profile b]\nregion = y\n[profile p]\nregion = z\n';
    const c = context(text, ['p', 'default']);
    const run = skipSections(c, 0, 1);
    expect(run).toEqual({ sections: 2, next: text.indexOf('[profile p]'), line: 6 });
    expect(c.skipped).toEqual({ sections: 2 });
  });

  it('reads to the end of the text, last line without a newline, and notes the first secret', () => {
    const text = '[a]\nregion = x\n[b]\naws_session_token = t\naws_secret_access_key = s';
    const c = context(text, ['default'], false);
    expect(skipSections(c, 0, 1)).toMatchObject({ sections: 2, next: text.length + 1 });
    expect(c.skipped).toEqual({
      sections: 2,
      firstSecret: { name: 'aws_session_token', line: 4, profile: 'b' },
    });
  });

  it('gives back a whole section whose lines are not all plain, and reads none that starts so', () => {
    const text = '[profile a]\nregion = x\n[profile b]\nregion = y\n  continued\n[profile c]\n';
    const c = context(text);
    expect(skipSections(c, 0, 1)).toEqual({ sections: 1, next: text.indexOf('[profile b]'), line: 2 });
    expect(skipSections(c, text.indexOf('[profile b]'), 3)).toMatchObject({ sections: 0 });
    for (const header of [
      '[profile a]x',
      '[ profile a]',
      '[profile a',
      '[sso-session a]',
      '[default]',
      '[a]',
    ]) {
      expect(skipSections(context(`${header}\nregion = x\n`), 0, 1)).toMatchObject({ sections: 0 });
    }
    for (const line of ['Region = x', 'region x', '\tregion = x', 'region\u00a0= x', '=x']) {
      expect(skipSections(context(`[profile a]\n${line}\n`), 0, 1)).toMatchObject({ sections: 0 });
    }
  });

  it('stops at a profile to build, however it is spelt in the pattern', () => {
    const text = '[profile a+b]\n[profile a.b]\n[profile ab]\n';
    expect(skipSections(context(text, ['a.b']), 0, 1)).toMatchObject({ sections: 1, line: 1 });
  });
});
