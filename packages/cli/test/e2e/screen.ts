/**
 * Replays what a program wrote to a terminal on a grid with no right edge, so that anything drawn
 * past column `width` is caught. A real terminal would silently wrap such a line (and a prompt
 * redrawn over it would then leave debris); here it is reported with the text of its row.
 */

export interface Overflow {
  /** The row's text as drawn so far (escape sequences removed). */
  row: string;
  /** The column the overflowing character would take (1-based). */
  column: number;
}

const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uff00-\uff60]/u;

/** Every place where `raw` draws beyond `width` columns (empty when everything fits). */
export function overflows(raw: string, width: number): Overflow[] {
  const rows = new Map<number, string[]>();
  const found: Overflow[] = [];
  let row = 0;
  let col = 0;
  const put = (char: string): void => {
    const w = WIDE.test(char) ? 2 : 1;
    const line = rows.get(row) ?? [];
    line[col] = char;
    rows.set(row, line);
    if (col + w > width) found.push({ row: rowText(line), column: col + w });
    col += w;
  };
  const rowText = (line: string[]): string => Array.from(line, (c) => c ?? ' ').join('');
  let i = 0;
  while (i < raw.length) {
    const char = raw[i] as string;
    if (char === '\u001b') {
      const csi = /^\u001b\[([0-9;?]*)[ -/]*([@-~])/.exec(raw.slice(i, i + 32));
      if (csi) {
        const n = Number((csi[1] ?? '').split(';')[0] || '1');
        const final = csi[2];
        if (final === 'A') row = Math.max(0, row - n);
        else if (final === 'B' || final === 'E') row += n;
        else if (final === 'C') col += n;
        else if (final === 'D') col = Math.max(0, col - n);
        else if (final === 'G') col = n - 1;
        else if (final === 'K' && (csi[1] === '2' || csi[1] === '')) {
          // Erasing (part of) a line: what was there is no longer on screen.
          const line = rows.get(row) ?? [];
          rows.set(row, csi[1] === '2' ? [] : line.slice(0, col));
        } else if (final === 'H' || final === 'f') {
          const [r = '1', c = '1'] = (csi[1] ?? '').split(';');
          row = Number(r || '1') - 1;
          col = Number(c || '1') - 1;
        }
        if (final === 'E') col = 0;
        i += csi[0].length;
        continue;
      }
      const osc = /^\u001b\][^\u0007]*\u0007/.exec(raw.slice(i));
      i += osc ? osc[0].length : 2;
      continue;
    }
    i += char.length;
    if (char === '\r') col = 0;
    else if (char === '\n') {
      row += 1;
      col = 0;
    } else if (char === '\b') col = Math.max(0, col - 1);
    else if (char === '\t') col = (Math.floor(col / 8) + 1) * 8;
    else if (char >= ' ' && char !== '\u007f') {
      // A surrogate pair is one character on screen.
      const code = raw.codePointAt(i - 1) ?? 0;
      const whole = String.fromCodePoint(code);
      if (whole.length === 2) i += 1;
      put(whole);
    }
  }
  return found;
}
