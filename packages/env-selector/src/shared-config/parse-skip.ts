import { isSpace, knownName } from './chars.js';
import { duplicateProperty } from './parse-diagnostics.js';
import type { ConfigProperty, Diagnostic, ParsedSection, SkippedSections } from './types.js';

/**
 * A run of the lines an unbuilt section nearly always holds: `name = value` with a lower-case name,
 * no indentation and no `#` or `;`. Such a line can raise no error and no diagnostic but a repeated
 * name, so one native regex call finds how far they go and the per-line work is only the name.
 * Anything else (comments, blanks, continuations, odd names) stops the run and takes the general
 * path. Linear: each alternative consumes at least one character and nothing backtracks across lines.
 */
const PLAIN_LINES = /(?:[a-z0-9_\-/.%@:+]+[ \t]*=[^\n#;]*(?:\n|$))*/y;

/** Stands for every non-empty value of an unbuilt section: never shown, never compared. */
export const UNBUILT_VALUE = '\u0000';

const SECRETS: readonly string[] = ['aws_secret_access_key', 'aws_session_token', 'aws_security_token'];

/** What `skipPlainLines` read; one reused object, as it runs once per unbuilt section. */
export interface PlainRun {
  /** Where the main loop resumes (past the last line's newline, or past the end of the text). */
  next: number;
  lines: number;
  /** The last property, when the section goes on after the run (null otherwise). */
  last: ConfigProperty | null;
}

const run: PlainRun = { next: 0, lines: 0, last: null };

// Per-name state of the section being read, for the names `knownName` interns (a handful): the
// generation says whether a slot belongs to this section, so nothing is cleared between sections.
const slots = new Map<string, number>();
const generation = new Int32Array(64);
const lastLine = new Int32Array(64);
const lastFilled = new Uint8Array(64);
let current = 0;

/**
 * Reads the plain lines of an unbuilt section starting at `start`. When they end the section (the
 * usual case) nothing is allocated per line: repeated names and secrets are tracked by slot, and the
 * section's first secret goes straight to `skipped`. When the section goes on, each property goes
 * into `into` (name -> last definition) for the general path to continue from.
 */
export function skipPlainLines(
  text: string,
  start: number,
  lineNo: number,
  section: ParsedSection,
  into: Map<string, ConfigProperty>,
  skipped: SkippedSections,
  diagnostics: Diagnostic[],
): PlainRun {
  run.next = start;
  run.lines = 0;
  run.last = null;
  if (start >= text.length) return run;
  PLAIN_LINES.lastIndex = start;
  PLAIN_LINES.test(text);
  const end = PLAIN_LINES.lastIndex;
  if (end === start) return run;
  const closes = end >= text.length || text.charCodeAt(end) === OPEN_BRACKET;
  if (!(closes && slotted(text, start, end, lineNo, section, skipped, diagnostics))) {
    mapped(text, start, end, lineNo, section, into, diagnostics);
  }
  return run;
}

/** The allocation-free reading; false (having changed nothing) when a name is not one it knows. */
function slotted(
  text: string,
  start: number,
  end: number,
  lineNo: number,
  section: ParsedSection,
  skipped: SkippedSections,
  diagnostics: Diagnostic[],
): boolean {
  const pushed = diagnostics.length;
  current++;
  let lines = 0;
  let at = start;
  while (at < end) {
    const lineEnd = lineAfter(text, at, end);
    const line = lineNo + ++lines;
    const equals = text.indexOf('=', at);
    const name = knownName(text, at, nameEnd(text, at));
    if (name === undefined) {
      // Undo, so the general reading starts from a clean slate.
      diagnostics.length = pushed;
      return false;
    }
    let slot = slots.get(name);
    if (slot === undefined) {
      slot = slots.size;
      slots.set(name, slot);
    }
    if (generation[slot] === current) {
      diagnostics.push(duplicateProperty(name, lastLine[slot]!, section.file, line, section));
    }
    generation[slot] = current;
    lastLine[slot] = line;
    lastFilled[slot] = filled(text, equals + 1, lineEnd) ? 1 : 0;
    at = lineEnd + 1;
  }
  for (const name of SECRETS) {
    const slot = slots.get(name);
    if (slot === undefined || generation[slot] !== current || lastFilled[slot] === 0) continue;
    const line = lastLine[slot]!;
    if (skipped.firstSecret === undefined || line < skipped.firstSecret.line) {
      skipped.firstSecret = { name, line, profile: section.name };
    }
  }
  run.lines = lines;
  run.next = at;
  return true;
}

function mapped(
  text: string,
  start: number,
  end: number,
  lineNo: number,
  section: ParsedSection,
  into: Map<string, ConfigProperty>,
  diagnostics: Diagnostic[],
): void {
  let at = start;
  while (at < end) {
    const lineEnd = lineAfter(text, at, end);
    const line = lineNo + ++run.lines;
    const equals = text.indexOf('=', at);
    const last = nameEnd(text, at);
    const name = knownName(text, at, last) ?? text.slice(at, last);
    const property = {
      name,
      value: filled(text, equals + 1, lineEnd) ? UNBUILT_VALUE : '',
      file: section.file,
      line,
    };
    const previous = into.get(name);
    if (previous !== undefined) {
      diagnostics.push(duplicateProperty(name, previous.line, section.file, line, section));
    }
    into.set(name, property);
    run.last = property;
    at = lineEnd + 1;
  }
  run.next = at;
}

function lineAfter(text: string, at: number, end: number): number {
  const lineEnd = text.indexOf('\n', at);
  return lineEnd === -1 || lineEnd > end ? end : lineEnd;
}

/** End of the name of a plain line (before the spaces ahead of its `=`). */
function nameEnd(text: string, at: number): number {
  let end = text.indexOf('=', at);
  while (text.charCodeAt(end - 1) === SPACE || text.charCodeAt(end - 1) === TAB) end--;
  return end;
}

/** Whether a value is non-empty once trimmed as the general path trims it. */
function filled(text: string, from: number, lineEnd: number): boolean {
  while (from < lineEnd && isSpace(text.charCodeAt(from))) from++;
  return from < lineEnd;
}

const TAB = 9;
const SPACE = 32;
const OPEN_BRACKET = 91;
