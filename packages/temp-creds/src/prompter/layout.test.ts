import { describe, expect, it } from 'vitest';
import { displayWidth, terminalColumns, truncate, wrap } from './layout.js';

describe('terminalColumns', () => {
  it('takes $COLUMNS first, then the terminal, then 80', () => {
    expect(terminalColumns({ COLUMNS: '40' }, { columns: 120 })).toBe(40);
    expect(terminalColumns({ COLUMNS: ' 100 ' }, undefined)).toBe(100);
    expect(terminalColumns({}, { columns: 132 })).toBe(132);
    expect(terminalColumns({ COLUMNS: '' }, { columns: 0 })).toBe(80);
    expect(terminalColumns(undefined, {})).toBe(80);
  });

  it('ignores a $COLUMNS that is not a positive number, and never goes below 20', () => {
    expect(terminalColumns({ COLUMNS: 'wide' }, { columns: 90 })).toBe(90);
    expect(terminalColumns({ COLUMNS: '-5' }, { columns: 90 })).toBe(90);
    expect(terminalColumns({ COLUMNS: '0' }, undefined)).toBe(80);
    expect(terminalColumns({ COLUMNS: '3' }, undefined)).toBe(20);
  });
});

describe('displayWidth, truncate and wrap', () => {
  it('counts wide characters twice and combining marks not at all', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('本番')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('❯ …')).toBe(3);
  });

  it('cuts with … only when needed, never past the width, never half a wide character', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('exactly-10', 10)).toBe('exactly-10');
    expect(truncate('a longer text', 8)).toBe('a longe…');
    expect(truncate('本番本番本番', 6)).toBe('本番…');
    expect(displayWidth(truncate('本番本番本番', 6))).toBeLessThanOrEqual(6);
    expect(truncate('trailing   spaces', 11)).toBe('trailing…');
  });

  it('wraps at words with a hanging indent and cuts a word longer than a line', () => {
    expect(wrap('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    expect(wrap('one two three four', 9, '  ')).toEqual(['one two', '  three', '  four']);
    expect(wrap('abcdefghijkl', 5)).toEqual(['abcde', 'fghij', 'kl']);
    expect(wrap('', 5)).toEqual(['']);
    for (const line of wrap('x'.repeat(50), 7, '  ')) expect(displayWidth(line)).toBeLessThanOrEqual(7);
  });
});
