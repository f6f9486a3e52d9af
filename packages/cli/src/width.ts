/**
 * Fitting text to the width of the user's screen: `$COLUMNS`, else the terminal's columns, else 80
 * (also when piped, so a saved `--help` or `app explain` reads the same everywhere).
 *
 * Text is measured and broken as the writer will show it: a style mark is zero-wide and never
 * split, a control character counts as the escape the writer turns it into (`\x1b` is 4 columns),
 * so a break never lands inside an escape, and wide (CJK, emoji) characters count 2.
 */
import { escapeTerminalText } from '@credkit/temp-creds/errors';
import { DEFAULT_COLUMNS, displayWidth as plainWidth, terminalColumns } from '@credkit/temp-creds/prompter';
import { splitStyleMarks, stripMarks } from './terminal.js';

// The width rule (and the width of a printable character) is the prompts' own, from temp-creds:
// help, `app explain` and the prompts always agree on how wide the screen is.
export { DEFAULT_COLUMNS };

/**
 * The width to fit: a positive integer `$COLUMNS` (what shells export, and what a user sets to ask
 * for another width), else the terminal's width when stdout is one, else 80.
 */
export function outputColumns(env: Record<string, string | undefined>, columns?: number): number {
  return terminalColumns(env, { columns });
}

interface Atom {
  text: string;
  width: number;
}

function charWidth(char: string): number {
  // Printable ASCII, nearly all text: no escape, no lookup (help must start as fast as bare node).
  const code = char.charCodeAt(0);
  if (code >= 0x20 && code < 0x7f) return 1;
  const shown = escapeTerminalText(char);
  if (shown !== char) return shown.length;
  return plainWidth(char);
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

function atomsOf(text: string): Atom[] {
  const atoms: Atom[] = [];
  if (PRINTABLE_ASCII.test(text)) {
    for (let i = 0; i < text.length; i++) atoms.push({ text: text[i]!, width: 1 });
    return atoms;
  }
  for (const piece of splitStyleMarks(text)) {
    if (piece.mark) atoms.push({ text: piece.text, width: 0 });
    else for (const char of piece.text) atoms.push({ text: char, width: charWidth(char) });
  }
  return atoms;
}

/** Columns the text takes once written (style marks take none, escapes their full length). */
export function displayWidth(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  // Styled ASCII (help's bold names): one replace instead of a walk over every character.
  const plain = stripMarks(text);
  if (PRINTABLE_ASCII.test(plain)) return plain.length;
  let width = 0;
  for (const atom of atomsOf(text)) width += atom.width;
  return width;
}

const join = (atoms: readonly Atom[]) => atoms.map((a) => a.text).join('');
const widthOf = (atoms: readonly Atom[]) => atoms.reduce((sum, a) => sum + a.width, 0);

/**
 * Where a word too long for a line may break: after a path, ARN, list or option separator, else
 * after a hyphen or dot (inside a name), else anywhere.
 */
const STRONG_BREAK = new Set(['/', ':', ',', ';', '=', '&', '?', '|']);
const WEAK_BREAK = new Set(['-', '_', '.', '@']);

/** A word longer than a line, in pieces that fit: at separators when possible, else anywhere. */
function breakWord(word: readonly Atom[], first: number, rest: number): Atom[][] {
  const pieces: Atom[][] = [];
  let start = 0;
  let limit = first;
  while (widthOf(word.slice(start)) > limit) {
    let used = 0;
    let end = start;
    let strong = -1;
    let weak = -1;
    while (end < word.length && used + word[end]!.width <= limit) {
      used += word[end]!.width;
      if (STRONG_BREAK.has(word[end]!.text)) strong = end + 1;
      else if (WEAK_BREAK.has(word[end]!.text)) weak = end + 1;
      end++;
    }
    // A separator early in the line would leave a ragged stub: prefer a path separator in the
    // second half, then any separator in the last two thirds, then cut where the line is full.
    const span = end - start;
    const cut =
      strong - start >= span / 2
        ? strong
        : Math.max(strong, weak) - start >= span / 3
          ? Math.max(strong, weak)
          : end;
    // Nothing fits (a character wider than the line): take one atom so the loop ends.
    const next = cut > start ? cut : start + 1;
    pieces.push(word.slice(start, next));
    start = next;
    limit = rest;
  }
  pieces.push(word.slice(start));
  return pieces;
}

/**
 * Greedy word wrap: the first line holds at most `first` columns, the others `rest`. Spaces between
 * words are kept as written except at a break; leading spaces stay on the first line.
 */
export function wrapWords(text: string, first: number, rest = first): string[] {
  return (PRINTABLE_ASCII.test(text) && wrapAscii(text, first, rest)) || wrapAny(text, first, rest);
}

/**
 * The common case (help text: plain ASCII, no word longer than a line) with native string search:
 * `--help` must start nearly as fast as bare node. Undefined when a word needs cutting.
 */
function wrapAscii(text: string, first: number, rest: number): string[] | undefined {
  const lead = text.length - text.trimStart().length;
  const lines: string[] = [];
  let start = 0;
  let limit = Math.max(1, first);
  while (text.length - start > limit) {
    const cut = text.lastIndexOf(' ', start + limit);
    if (cut <= start + (lines.length === 0 ? lead : 0)) return undefined;
    lines.push(text.slice(start, cut).trimEnd());
    start = cut;
    while (text[start] === ' ') start++;
    limit = Math.max(1, rest);
  }
  lines.push(text.slice(start).trimEnd());
  return lines;
}

function wrapAny(text: string, first: number, rest: number): string[] {
  // Strings, not atoms: a style mark holds no space, so splitting at spaces never cuts one, and
  // widths come from displayWidth's ASCII fast path. Only a word too long for a line is cut up.
  const lead = text.length - text.trimStart().length;
  const parts = text.slice(lead).split(/( +)/);
  const lines: string[] = [];
  let line = text.slice(0, lead);
  let lineWidth = lead;
  let hasWord = false;
  let limit = Math.max(1, first);
  const restLimit = Math.max(1, rest);
  const newLine = () => {
    lines.push(line);
    line = '';
    lineWidth = 0;
    hasWord = false;
    limit = restLimit;
  };
  for (let i = 0; i < parts.length; i += 2) {
    const spaces = i === 0 ? '' : parts[i - 1]!;
    const word = parts[i]!;
    if (word === '' && i === parts.length - 1) break; // trailing spaces
    const wordWidth = displayWidth(word);
    // A word too long for any line is broken anyway: it starts here if a fair piece fits.
    const breaksAnyway = wordWidth > restLimit && limit - lineWidth - spaces.length >= 10;
    if (hasWord && lineWidth + spaces.length + wordWidth > limit && !breaksAnyway) newLine();
    else {
      line += spaces;
      lineWidth += spaces.length;
    }
    if (lineWidth + wordWidth <= limit) {
      line += word;
      lineWidth += wordWidth;
      if (wordWidth > 0) hasWord = true;
      continue;
    }
    breakWord(atomsOf(word), limit - lineWidth, restLimit).forEach((piece, n) => {
      if (n > 0) newLine();
      line += join(piece);
      lineWidth += widthOf(piece);
    });
    hasWord = true;
  }
  lines.push(line);
  return lines.map((l) => l.trimEnd());
}

/** Keeps a hanging indent from eating the line on a narrow screen. */
function fitIndent(indent: number, width: number): number {
  return Math.min(indent, Math.floor(width * 0.4));
}

/** `text` fitted to `width`; continuation lines start with `hang` spaces. */
export function wrapText(text: string, width: number, hang = 0): string[] {
  const indent = fitIndent(hang, width);
  const lines = wrapWords(text, width, width - indent);
  return lines.map((l, n) => (n === 0 || l === '' ? l : ' '.repeat(indent) + l));
}

/**
 * Aligned columns; the last one wraps with a hanging indent under itself. When the other columns
 * leave it less than `minLast` columns, it goes on the lines below, indented by `under` columns
 * (default: `indent` + 8).
 */
export function wrapTable(
  rows: readonly (readonly string[])[],
  width: number,
  {
    indent = '',
    minLast = 24,
    under: underOption,
  }: { indent?: string; minLast?: number; under?: number } = {},
): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      if (i < row.length - 1) widths[i] = Math.max(widths[i] ?? 0, displayWidth(cell));
    });
  }
  const out: string[] = [];
  for (const row of rows) {
    const head = row
      .slice(0, -1)
      .map((cell, i) => cell + ' '.repeat(widths[i]! - displayWidth(cell) + 2))
      .join('');
    const last = row[row.length - 1] ?? '';
    const start = displayWidth(indent) + displayWidth(head);
    if (width - start >= minLast) {
      const lines = wrapWords(last, width - start);
      out.push(`${indent}${head}${lines[0]}`.trimEnd());
      for (const line of lines.slice(1)) out.push(line === '' ? '' : ' '.repeat(start) + line);
      continue;
    }
    const under = fitIndent(underOption ?? displayWidth(indent) + 8, width);
    out.push(...wrapText(`${indent}${head.trimEnd()}`, width, under));
    if (last !== '') out.push(...wrapText(' '.repeat(under) + last, width, under));
  }
  return out;
}

/**
 * A shell command fitted to `width` the way a person would split it: at spaces outside quotes,
 * each line but the last ending in ` \` so the example still pastes into a shell.
 */
export function wrapCommand(command: string, width: number, indent = 2): string[] {
  const lead = ' '.repeat(indent);
  if (displayWidth(lead + command) <= width) return [lead + command];
  // Words at spaces outside quotes (a quoted argument is one word, whatever its spaces).
  const words = command.match(/(?:[^\s"']+|"[^"]*"?|'[^']*'?)+/g) ?? [];
  // A flag and its value stay on one line (`--name test`, not `--name \` then `test`).
  const units: string[] = [];
  for (const w of words) {
    const previous = units[units.length - 1];
    const flagValue = previous !== undefined && /^--?[A-Za-z][\w-]*$/.test(previous) && !/^[-|&;<>]/.test(w);
    if (flagValue) units[units.length - 1] = `${previous} ${w}`;
    else units.push(w);
  }
  const hang = fitIndent(indent + 4, width);
  const lines: string[] = [];
  let line = lead;
  for (const w of units) {
    const candidate = line.trim() === '' ? line + w : `${line} ${w}`;
    // Room for the ` \` that the line gets if another follows.
    if (line.trim() !== '' && displayWidth(candidate) + 2 > width) {
      lines.push(`${line} \\`);
      line = ' '.repeat(hang) + w;
    } else line = candidate;
  }
  lines.push(line);
  // A single word (a long quoted argument) wider than the screen: fitted, even if not pasteable.
  return lines.flatMap((l) => (displayWidth(l) <= width ? [l] : wrapText(l, width, hang)));
}

/**
 * A usage line: `prefix` (e.g. `Usage: credkit env init`) then groups of flags, broken between
 * top-level groups (`[--app APP]` stays whole) and inside a group only when it alone is too long.
 */
export function wrapUsage(prefix: string, synopsis: string, width: number): string[] {
  const whole = synopsis === '' ? prefix : `${prefix} ${synopsis}`;
  if (displayWidth(whole) <= width) return [whole];
  // Top-level groups: a bracketed group (one level of nesting inside) is one unit, like a word.
  const groups = synopsis.match(/(?:\[(?:[^[\]]|\[[^[\]]*\])*\]|[^\s[]+)+|\[/g) ?? [];
  const hang = fitIndent(displayWidth(prefix) + 1, width);
  const lines: string[] = [];
  let line = prefix;
  for (const g of groups) {
    const candidate = line.trim() === '' ? line + g : `${line} ${g}`;
    if (displayWidth(candidate) <= width || line.trim() === '') {
      line = candidate;
      continue;
    }
    lines.push(line);
    line = ' '.repeat(hang) + g;
  }
  lines.push(line);
  return lines.flatMap((l) => (displayWidth(l) <= width ? [l] : wrapText(l, width, hang + 1)));
}

const LIST_ITEM = /^(\d+\.|[-*]) /;

/**
 * Prose written with hand line breaks, refitted: lines of a paragraph are joined and wrapped again;
 * a numbered or bulleted item keeps its hanging indent; an indented line (a command, a table row)
 * stays a line of its own, wrapped under its indent only when too long; blank lines stay.
 */
export function wrapParagraphs(text: string, width: number): string[] {
  const out: string[] = [];
  const source = text.split('\n');
  let i = 0;
  while (i < source.length) {
    const line = source[i]!;
    if (line.trim() === '') {
      out.push('');
      i++;
      continue;
    }
    const leading = line.length - line.trimStart().length;
    if (leading > 0) {
      out.push(...wrapText(line, width, leading + 2));
      i++;
      continue;
    }
    const item = LIST_ITEM.exec(line);
    const hang = item ? item[0].length : 0;
    let paragraph = line;
    i++;
    // Continuation: under the item's text for an item, at column 0 for plain prose.
    while (i < source.length) {
      const next = source[i]!;
      const nextLeading = next.length - next.trimStart().length;
      if (next.trim() === '' || LIST_ITEM.test(next) || nextLeading !== hang) break;
      paragraph += ` ${next.trim()}`;
      i++;
    }
    out.push(...wrapText(paragraph, width, hang));
  }
  return out;
}
