/**
 * Fitting prompt text into the terminal's width. Everything here works on plain text (no escape
 * sequences): prompts truncate or wrap first and colour afterwards, so a cut can never land inside
 * an escape sequence.
 */

/** Used when neither $COLUMNS nor the terminal says how wide the screen is (as the AWS CLI does). */
export const DEFAULT_COLUMNS = 80;
/** Narrower than this nothing reads well; a smaller $COLUMNS is taken as this. */
const MIN_COLUMNS = 20;

/**
 * The width prompts are drawn for: `$COLUMNS` when set to a number, else the terminal's columns,
 * else 80. `$COLUMNS` wins so a user (or a test) can ask for a narrower layout than the window.
 */
export function terminalColumns(
  env: Record<string, string | undefined> | undefined,
  output: { columns?: number | undefined } | undefined,
): number {
  const fromEnv = env?.COLUMNS?.trim();
  if (fromEnv !== undefined && /^\d{1,5}$/.test(fromEnv) && Number(fromEnv) > 0) {
    return Math.max(MIN_COLUMNS, Number(fromEnv));
  }
  const columns = output?.columns;
  if (typeof columns === 'number' && Number.isInteger(columns) && columns > 0) {
    return Math.max(MIN_COLUMNS, columns);
  }
  return DEFAULT_COLUMNS;
}

// Combining marks, variation selectors and zero-width joiners (all Mn, Me or Cf).
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;
// East Asian wide and fullwidth ranges plus emoji: each takes two columns on a terminal.
const WIDE =
  /^[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]$/u;

function charWidth(char: string): number {
  if (ZERO_WIDTH.test(char)) return 0;
  return WIDE.test(char) ? 2 : 1;
}

/** Columns a plain string takes on a terminal. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += charWidth(char);
  return width;
}

/** The text cut to at most `width` columns, ending in `…` when something was cut. */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return '';
  let out = '';
  let used = 0;
  for (const char of text) {
    const w = charWidth(char);
    if (used + w > width - 1) break;
    out += char;
    used += w;
  }
  return `${out.trimEnd()}…`;
}

/**
 * Word-wrapped lines of at most `width` columns; a word longer than a line is cut into pieces.
 * `indent` starts every line after the first (for a hanging indent under a prefix).
 */
export function wrap(text: string, width: number, indent = ''): string[] {
  const lines: string[] = [];
  const room = Math.max(1, width);
  let line = '';
  const push = (): void => {
    lines.push(line.trimEnd());
    line = indent;
  };
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    const sep = line.trim() === '' ? '' : ' ';
    if (displayWidth(line + sep + word) <= room) {
      line += sep + word;
      continue;
    }
    if (line.trim() !== '') push();
    let rest = word;
    while (displayWidth(line + rest) > room) {
      // Cut the word at the line's end, whole characters only.
      let piece = '';
      for (const char of rest) {
        if (displayWidth(line + piece + char) > room) break;
        piece += char;
      }
      if (piece === '') break;
      line += piece;
      rest = rest.slice(piece.length);
      push();
    }
    line += rest;
  }
  if (line.trim() !== '' || lines.length === 0) lines.push(line.trimEnd());
  return lines;
}
