import { isSpace } from './chars.js';
import type { SkippedSections } from './types.js';

// Unbuilt profile sections, read as fast as a cold process allows. Node runs this code once per
// `credkit export`, mostly before the JIT has compiled it, and a JavaScript loop there costs about
// a microsecond per line; a 10 000-profile file has 40 000 lines. So the lines are checked by
// native regular expression calls over windows of lines, and JavaScript only touches what
// they cannot give: section and line counts and, once per file, the first secret.

/** What `skipSections` needs of the parse it serves; made once per file. */
export interface SkipContext {
  text: string;
  /** A config file's profile headers read `[profile name]`, a credentials file's `[name]`. */
  config: boolean;
  /** Profile names that must be built (the requested ones and `default`): a run stops at them. */
  built: readonly string[];
  skipped: SkippedSections;
  /** Where the next secret-looking line starts at or after the last search (-1: none; start at -2). */
  nextSecret: number;
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

/** Lines per native call: bounds the regex engine's backtrack stack on a huge file. */
const WINDOW = 1024;

interface PlainLines {
  /** Exactly WINDOW plain lines. */
  window: RegExp;
  /** Up to WINDOW - 1 plain lines. */
  some: RegExp;
  /** One plain line that ends the text without a newline. */
  last: RegExp;
}

const cache = new Map<string, PlainLines>();

/**
 * The lines an unbuilt section may hold and still raise no error: a header written
 * `[profile name]` (config) or `[name]` (credentials), optionally followed by blanks and a comment,
 * for a profile that is not built; a `name = value` property with a lower-case name at the start of
 * the line; a blank line; a comment. Anything else (other headers, indented lines, which may be
 * continuations or sub-properties, upper-case or odd names, a missing `=`, unusual whitespace) is
 * left to the general path, which knows every rule. Linear: the alternatives start with different
 * characters and nothing backtracks across a line.
 */
function plainLines(config: boolean, built: readonly string[]): PlainLines {
  const key = `${config}\n${built.join('\n')}`;
  let found = cache.get(key);
  if (found === undefined) {
    const notBuilt = `(?!(?:${built.map(escapeRegExp).join('|')})\\])`;
    const header = `\\[${config ? 'profile ' : ''}${notBuilt}[A-Za-z0-9_\\-/.%@:+]+\\](?:[ \\t\\r]+[#;][^\\n]*|[ \\t\\r]*)`;
    const line = `(?:${header}|[a-z0-9_\\-/.%@:+]+[ \\t]*=[^\\n]*|[ \\t\\r]*(?:[#;][^\\n]*)?)`;
    found = {
      window: new RegExp(`(?:${line}\\n){${WINDOW}}`, 'y'),
      some: new RegExp(`(?:${line}\\n){0,${WINDOW - 1}}`, 'y'),
      last: new RegExp(`${line}$`, 'y'),
    };
    // A library caller may ask for many different profiles: keep a few patterns, not all.
    if (cache.size >= 8) cache.clear();
    cache.set(key, found);
  }
  return found;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/**
 * Reads the unbuilt profile sections that start at `at` (the start of a header line numbered
 * `line`) for as long as their lines are plain (above): every line is checked, the sections are
 * counted, and the first secret is noted for the permission check exactly as a built section would
 * give it. A section to build, a line that is not plain, or the end of the text ends the run; a
 * section whose lines are not all plain is left whole to the general path, which reads it from its
 * header with every rule. So both paths give the same errors.
 */
export function skipSections(c: SkipContext, at: number, line: number): SkipRun {
  const { text } = c;
  const length = text.length;
  const plain = plainLines(c.config, c.built);
  // `end`: the first line that is not plain; `lines`: how many lines come before it.
  let end = at;
  let lines = 0;
  for (;;) {
    plain.window.lastIndex = end;
    if (!plain.window.test(text)) break;
    end = plain.window.lastIndex;
    lines += WINDOW;
  }
  plain.some.lastIndex = end;
  if (plain.some.test(text) && plain.some.lastIndex > end) {
    lines += newlines(text, end, plain.some.lastIndex);
    end = plain.some.lastIndex;
  }
  if (end < length && text.indexOf('\n', end) === -1) {
    plain.last.lastIndex = end;
    if (plain.last.test(text)) end = length;
  }
  // The run stops at a section boundary: a line that is not plain inside a section gives the whole
  // section back. Every `\n[` in a plain run starts a section header.
  const stop =
    end >= length || text.charCodeAt(end) === OPEN_BRACKET ? end : text.lastIndexOf('\n[', end - 1) + 1;
  run.sections = 0;
  run.next = at;
  run.line = line - 1;
  if (stop <= at) return run;
  if (stop < length) lines -= newlines(text, stop, end);
  let sections = 1;
  for (let i = text.indexOf('\n[', at); i !== -1 && i < stop - 1; i = text.indexOf('\n[', i + 2)) sections++;
  c.skipped.sections += sections;
  if (c.skipped.firstSecret === undefined) findSecret(c, at, stop, line);
  run.sections = sections;
  run.next = stop >= length ? length + 1 : stop;
  run.line = line - 1 + lines;
  return run;
}

/** Where a property line names a secret; the value is checked by `noteSecret`. */
const SECRET = /^(?:aws_secret_access_key|aws_session_token|aws_security_token)[ \t]*=/gm;

/**
 * The first secret of the plain run [at, stop), as a built section's `firstSecret` would give it:
 * the last definition of each secret name in a section counts, and only with a non-empty value.
 */
function findSecret(c: SkipContext, at: number, stop: number, line: number): void {
  const { text } = c;
  // The position found last time stays valid while it is ahead: each search starts where the
  // previous one could not have looked, so a file without secrets is searched once, not once per run.
  let found = c.nextSecret;
  if (found !== -1 && found < at) found = nextSecret(text, at);
  while (found !== -1 && found < stop) {
    const header = text.lastIndexOf('\n[', found) + 1;
    const next = text.indexOf('\n[', found);
    const sectionEnd = next === -1 || next + 1 > stop ? stop : next + 1;
    if (noteSecret(c, header, sectionEnd, at, line)) return;
    found = nextSecret(text, sectionEnd);
  }
  c.nextSecret = found;
}

function nextSecret(text: string, from: number): number {
  SECRET.lastIndex = from;
  return SECRET.exec(text)?.index ?? -1;
}

const SECRET_NAMES = ['aws_secret_access_key', 'aws_session_token', 'aws_security_token'];

/** Reads one plain section [header, end) line by line; true when it holds a secret. */
function noteSecret(c: SkipContext, header: number, end: number, runStart: number, runLine: number): boolean {
  const { text } = c;
  const last = [0, 0, 0];
  const filledAt = [false, false, false];
  for (let pos = text.indexOf('\n', header) + 1; pos > 0 && pos < end; pos = text.indexOf('\n', pos) + 1) {
    for (let k = 0; k < SECRET_NAMES.length; k++) {
      const name = SECRET_NAMES[k]!;
      if (!text.startsWith(name, pos)) continue;
      let equals = pos + name.length;
      while (text.charCodeAt(equals) === SPACE || text.charCodeAt(equals) === TAB) equals++;
      if (text.charCodeAt(equals) !== EQUALS) continue;
      last[k] = pos;
      filledAt[k] = filled(text, equals + 1);
    }
  }
  let first = -1;
  for (let k = 0; k < SECRET_NAMES.length; k++) {
    if (filledAt[k] && (first === -1 || last[k]! < last[first]!)) first = k;
  }
  if (first === -1) return false;
  const nameStart = header + (c.config ? 9 : 1);
  c.skipped.firstSecret = {
    name: SECRET_NAMES[first]!,
    line: runLine + newlines(text, runStart, last[first]!),
    profile: text.slice(nameStart, text.indexOf(']', nameStart)),
  };
  return true;
}

/**
 * Whether the value after `=` is non-empty as the general path reads it: spaces trimmed, and a `#`
 * or `;` after a space or tab starts a comment.
 */
function filled(text: string, from: number): boolean {
  let c = text.charCodeAt(from);
  while (c !== NEWLINE && isSpace(c)) c = text.charCodeAt(++from);
  if (from >= text.length || c === NEWLINE) return false;
  if (c !== HASH && c !== SEMICOLON) return true;
  const before = text.charCodeAt(from - 1);
  return before !== SPACE && before !== TAB;
}

function newlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

const TAB = 9;
const NEWLINE = 10;
const SPACE = 32;
const HASH = 35;
const SEMICOLON = 59;
const EQUALS = 61;
const OPEN_BRACKET = 91;
