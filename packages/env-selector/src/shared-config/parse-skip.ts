import { isSpace } from './chars.js';
import { duplicateProperty, duplicateSection } from './parse-diagnostics.js';
import type { Diagnostic, SkippedSections } from './types.js';

/** What `skipSections` needs of the parse it serves; made once per file. */
export interface SkipContext {
  text: string;
  /** A config file's profile headers read `[profile name]`, a credentials file's `[name]`. */
  config: boolean;
  path: string;
  /** Profile names that must be built (the requested ones and `default`): the scan stops at them. */
  built: readonly string[];
  /** Profile name -> line of its first header, shared with the general path (duplicate sections). */
  firstHeaderLines: Map<string, number>;
  skipped: SkippedSections;
  diagnostics: Diagnostic[];
  /** Lines in [plainFrom, plainEnd) are known to be plain (see PLAIN_CONFIG); start both at 0. */
  plainFrom: number;
  plainEnd: number;
}

/** What `skipSections` read; one reused object. */
export interface SkipRun {
  /** Sections read and left unbuilt; 0 when the first one needs the general path. */
  sections: number;
  /** Start of the first line not read (past the end of the text when all of it was). */
  next: number;
  /** Number of the line before `next`. */
  line: number;
}

const run: SkipRun = { sections: 0, next: 0, line: 0 };

/**
 * Lines that can raise no error and no diagnostic but a repeated section or property name: a
 * header written `[profile name]` (config) or `[name]` (credentials) with at most a comment after
 * blanks, a `name = value` property with a lower-case name at the start of the line, a blank line,
 * a comment. Checked by one native regex call per window of lines, not character by character in
 * JavaScript: on a cold start that is the difference between a few milliseconds and tens for a
 * large file. Linear: the alternatives start with different characters and nothing backtracks
 * across lines; the window bounds the regex engine's backtrack stack on a huge file.
 */
const LINE_TAIL = String.raw`|[a-z0-9_\-/.%@:+]+[ \t]*=[^\n]*|[ \t\r]*(?:[#;][^\n]*)?)(?:\n|$)){0,4096}`;
const HEADER_TAIL = String.raw`[A-Za-z0-9_\-/.%@:+]+\](?:[ \t\r]+[#;][^\n]*|[ \t\r]*)`;
const PLAIN_CONFIG = new RegExp(String.raw`(?:(?:\[profile ${HEADER_TAIL}${LINE_TAIL}`, 'y');
const PLAIN_CREDENTIALS = new RegExp(String.raw`(?:(?:\[${HEADER_TAIL}${LINE_TAIL}`, 'y');

/** Most profiles have a few properties; a section with more than this takes the general path. */
const MAX_NAMES = 64;
const nameStarts = new Int32Array(MAX_NAMES);
const nameLengths = new Int32Array(MAX_NAMES);
const nameLines = new Int32Array(MAX_NAMES);

/**
 * Reads the unbuilt profile sections that start at `at` (the start of a header line numbered
 * `line`) for as long as their lines are plain (above): every line is checked, repeated sections
 * and properties are reported as the general path reports them, the first secret is noted for the
 * permission check, and nothing is copied but each header's name (the key of the repeated-section
 * map). Property names are compared in place.
 *
 * A section to build or a line that is not plain ends the run at the start of that line's section,
 * with what was read of that section undone: the general path then reads the whole section with
 * every rule, so both paths give the same errors and diagnostics in the same order.
 */
export function skipSections(c: SkipContext, at: number, line: number): SkipRun {
  const { text, diagnostics, skipped } = c;
  const length = text.length;
  run.sections = 0;
  run.next = at;
  run.line = line - 1;
  let plainEnd = at >= c.plainFrom && at <= c.plainEnd ? c.plainEnd : plainRun(c, at);
  const nameOffset = c.config ? 9 : 1;

  // The open section (`open` false until the first header is read).
  let open = false;
  let name = '';
  let sectionLine = 0;
  let earlier: number | undefined;
  let undo = 0;
  let names = 0;
  let secretKeyLine = 0;
  let sessionTokenLine = 0;
  let securityTokenLine = 0;

  let pos = at;
  let ln = line - 1;
  for (;;) {
    if (pos >= plainEnd && pos < length) plainEnd = plainRun(c, pos);
    if (pos >= plainEnd || pos >= length) {
      if (pos < length && text.charCodeAt(pos) !== OPEN_BRACKET) {
        // A line only the general path can read, inside the open section.
        if (open) diagnostics.length = undo;
        return run;
      }
      // The end of the text, or a header for the general path: the open section is complete.
      if (open) {
        if (earlier === undefined) c.firstHeaderLines.set(name, sectionLine);
        skipped.sections++;
        if (skipped.firstSecret === undefined) {
          noteSecret(skipped, name, secretKeyLine, sessionTokenLine, securityTokenLine);
        }
        run.sections++;
      }
      run.next = pos >= length ? length + 1 : pos;
      run.line = ln;
      return run;
    }
    ln++;
    let lineEnd = text.indexOf('\n', pos);
    if (lineEnd === -1) lineEnd = length;
    const first = text.charCodeAt(pos);
    if (first === OPEN_BRACKET) {
      if (open) {
        if (earlier === undefined) c.firstHeaderLines.set(name, sectionLine);
        skipped.sections++;
        if (skipped.firstSecret === undefined) {
          noteSecret(skipped, name, secretKeyLine, sessionTokenLine, securityTokenLine);
        }
        run.sections++;
        run.next = pos;
        run.line = ln - 1;
      }
      const nameStart = pos + nameOffset;
      const nameEnd = text.indexOf(']', nameStart);
      if (isBuilt(text, nameStart, nameEnd, c.built)) return run;
      open = true;
      name = text.slice(nameStart, nameEnd);
      sectionLine = ln;
      undo = diagnostics.length;
      names = 0;
      secretKeyLine = 0;
      sessionTokenLine = 0;
      securityTokenLine = 0;
      earlier = c.firstHeaderLines.get(name);
      if (earlier !== undefined) {
        const section = { type: 'profile' as const, name, file: c.path, line: ln, bareDefault: false };
        diagnostics.push(duplicateSection(section, earlier));
      }
    } else if (first > SPACE && first !== HASH && first !== SEMICOLON) {
      // A property (blank and comment lines need nothing more): the name ends before the `=`.
      const equals = text.indexOf('=', pos);
      let nameEnd = equals;
      while (text.charCodeAt(nameEnd - 1) === SPACE || text.charCodeAt(nameEnd - 1) === TAB) nameEnd--;
      const nameLength = nameEnd - pos;
      let k = 0;
      while (
        k < names &&
        !(nameLengths[k] === nameLength && sameName(text, nameStarts[k]!, pos, nameLength))
      ) {
        k++;
      }
      if (k < names) {
        const owner = { type: 'profile' as const, name };
        diagnostics.push(duplicateProperty(text.slice(pos, nameEnd), nameLines[k]!, c.path, ln, owner));
        nameLines[k] = ln;
      } else if (names === MAX_NAMES) {
        diagnostics.length = undo;
        return run;
      } else {
        nameStarts[names] = pos;
        nameLengths[names] = nameLength;
        nameLines[names] = ln;
        names++;
      }
      // Secrets: the last definition of each counts, and only when its value is not empty.
      if (nameLength >= 17 && nameLength <= 21 && skipped.firstSecret === undefined) {
        const secret = secretIndex(text, pos, nameLength);
        if (secret !== NOT_SECRET) {
          const held = filled(text, equals + 1, lineEnd) ? ln : 0;
          if (secret === SECRET_KEY) secretKeyLine = held;
          else if (secret === SESSION_TOKEN) sessionTokenLine = held;
          else securityTokenLine = held;
        }
      }
    }
    pos = lineEnd + 1;
  }
}

/** Where the plain lines starting at `from` end (a line start); remembered in the context. */
function plainRun(c: SkipContext, from: number): number {
  const plain = c.config ? PLAIN_CONFIG : PLAIN_CREDENTIALS;
  let end = from;
  for (;;) {
    plain.lastIndex = end;
    if (!plain.test(c.text) || plain.lastIndex <= end) break;
    end = plain.lastIndex;
  }
  c.plainFrom = from;
  c.plainEnd = end;
  return end;
}

function isBuilt(text: string, start: number, end: number, built: readonly string[]): boolean {
  for (const name of built) {
    if (name.length === end - start && text.startsWith(name, start)) return true;
  }
  return false;
}

function sameName(text: string, a: number, b: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (text.charCodeAt(a + i) !== text.charCodeAt(b + i)) return false;
  return true;
}

const NOT_SECRET = 0;
const SECRET_KEY = 1;
const SESSION_TOKEN = 2;
const SECURITY_TOKEN = 3;

function secretIndex(text: string, at: number, length: number): number {
  if (length === 21 && text.startsWith('aws_secret_access_key', at)) return SECRET_KEY;
  if (length === 17 && text.startsWith('aws_session_token', at)) return SESSION_TOKEN;
  if (length === 18 && text.startsWith('aws_security_token', at)) return SECURITY_TOKEN;
  return NOT_SECRET;
}

/**
 * Whether the value after `=` is non-empty as the general path reads it: spaces trimmed, and a `#`
 * or `;` after a space or tab starts a comment.
 */
function filled(text: string, from: number, lineEnd: number): boolean {
  let c = text.charCodeAt(from);
  while (from < lineEnd && isSpace(c)) c = text.charCodeAt(++from);
  if (from >= lineEnd) return false;
  if (c !== HASH && c !== SEMICOLON) return true;
  const before = text.charCodeAt(from - 1);
  return before !== SPACE && before !== TAB;
}

/** The section's first secret (by line), as `firstSecret` of a built section would find it. */
function noteSecret(
  skipped: SkippedSections,
  profile: string,
  secretKeyLine: number,
  sessionTokenLine: number,
  securityTokenLine: number,
): void {
  let name = '';
  let line = 0;
  if (secretKeyLine > 0) [name, line] = ['aws_secret_access_key', secretKeyLine];
  if (sessionTokenLine > 0 && (line === 0 || sessionTokenLine < line)) {
    [name, line] = ['aws_session_token', sessionTokenLine];
  }
  if (securityTokenLine > 0 && (line === 0 || securityTokenLine < line)) {
    [name, line] = ['aws_security_token', securityTokenLine];
  }
  if (line > 0) skipped.firstSecret = { name, line, profile };
}

const TAB = 9;
const SPACE = 32;
const HASH = 35;
const SEMICOLON = 59;
const OPEN_BRACKET = 91;
