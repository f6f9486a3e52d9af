import { describe, expect, it } from 'vitest';
import { createOutput, createStyle } from './output.js';
import { jsonText, stripMarks, styleMark, terminalText } from './terminal.js';

const HOSTILE = [
  '\u001b[2J',
  '\u001b[31m',
  '\u0007',
  '\u009b1m',
  '\b',
  '\u001b]0;title\u0007',
  '\u007f',
  '\ud800',
];
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describe('terminalText', () => {
  it('on a color terminal, credkit’s styles become SGR and hostile text stays escaped', () => {
    const style = createStyle(true);
    for (const seq of HOSTILE) {
      const out = terminalText(`${style.red('error:')} bad ${seq} value\n`, {
        color: true,
        maskSecrets: true,
      });
      expect(out.startsWith('\u001b[31merror:\u001b[39m bad ')).toBe(true);
      // Only credkit's two sequences carry an ESC; nothing else is raw.
      const rest = out.replace('\u001b[31m', '').replace('\u001b[39m', '');
      expect(rest).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\ud800-\udfff]/);
    }
  });

  it('a forged mark (wrong nonce) is shown, not obeyed; marks vanish without color', () => {
    const forged = '\uE000aaaaaaaaaa:31\uE001x';
    expect(terminalText(forged, { color: true, maskSecrets: false })).not.toContain('\u001b');
    expect(terminalText(`${styleMark(1)}b${styleMark(22)}`, { color: false, maskSecrets: false })).toBe('b');
    expect(stripMarks(`${styleMark(1)}b${styleMark(22)}`)).toBe('b');
  });

  it('masks secret shapes when asked', () => {
    expect(terminalText(`key ${SECRET}`, { color: false, maskSecrets: true })).toBe(
      'key ****************EKEY',
    );
  });
});

describe('jsonText', () => {
  it('is valid JSON of the same data with no raw control character, secrets masked', () => {
    const value = { a: HOSTILE.join('|'), n: 1, s: SECRET };
    const text = jsonText(value, 2);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(JSON.parse(text)).toEqual({ ...value, s: '****************EKEY' });
  });
});

describe('createOutput', () => {
  it('escapes every line, warning and note it writes', () => {
    let stdout = '';
    let stderr = '';
    const out = createOutput({
      stdout: { write: (t: string) => (stdout += t), isTTY: false },
      stderr: { write: (t: string) => (stderr += t), isTTY: true } as never,
      env: {},
    });
    out.line(`region ${HOSTILE.join('')}`);
    out.warn(`name ${HOSTILE.join('')}`, `hint ${HOSTILE.join('')}`);
    out.note(`note ${HOSTILE.join('')}`);
    expect(stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    // stderr is a terminal here: only credkit's own yellow/dim sequences are raw.
    expect(stderr.replace(/\u001b\[(33|39|2|22)m/g, '')).not.toMatch(
      /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/,
    );
  });
});
