// Character-level scanning shared by the parser: no regular expressions, no per-line copies.

// The names nearly every profile uses: matched in place so 10 000 profiles do not allocate
// 10 000 copies of "region" that all stay alive in the result.
const KNOWN_NAMES: readonly (readonly string[])[] = (() => {
  const names = [
    'region',
    'output',
    'role_arn',
    'source_profile',
    'credential_source',
    'role_session_name',
    'external_id',
    'mfa_serial',
    'duration_seconds',
    'credential_process',
    'sso_session',
    'sso_account_id',
    'sso_role_name',
    'sso_region',
    'sso_start_url',
    'aws_access_key_id',
    'aws_secret_access_key',
    'aws_session_token',
    'web_identity_token_file',
  ];
  const byLength: string[][] = [];
  for (const name of names) {
    const group = byLength[name.length] ?? [];
    group.push(name);
    byLength[name.length] = group;
  }
  return byLength;
})();

export function knownName(text: string, start: number, end: number): string | undefined {
  const candidates = KNOWN_NAMES[end - start];
  if (candidates === undefined) return undefined;
  for (const candidate of candidates) if (text.startsWith(candidate, start)) return candidate;
  return undefined;
}

/**
 * Finds where a property line's comment starts (a `#` or `;` after a space or tab) using the
 * native `indexOf`, not a per-character loop. The next `#` and `;` positions are kept as cursors
 * that only move forward, because lines are scanned in order: a file without any `#` costs one
 * search in total, never one search to the end of the file per line.
 */
export class CommentFinder {
  private nextHash = -2;
  private nextSemicolon = -2;

  constructor(private readonly text: string) {}

  /** The comment's index in text[start, end), or `end` when the line has none. */
  find(start: number, end: number): number {
    const text = this.text;
    for (;;) {
      if (this.nextHash !== -1 && this.nextHash <= start) this.nextHash = text.indexOf('#', start + 1);
      if (this.nextSemicolon !== -1 && this.nextSemicolon <= start) {
        this.nextSemicolon = text.indexOf(';', start + 1);
      }
      const hash = this.nextHash === -1 ? end : this.nextHash;
      const semicolon = this.nextSemicolon === -1 ? end : this.nextSemicolon;
      const at = Math.min(hash, semicolon);
      if (at >= end) return end;
      const before = text.charCodeAt(at - 1);
      if (before === SPACE || before === TAB) return at;
      start = at; // not a comment: look further along the same line
    }
  }
}

export const LOWER = 0;
export const UPPER = 1;
export const INVALID = 2;

/** Whether text[start, end) is an identifier (and whether it has upper-case letters), in one scan. */
export function identifierShape(text: string, start: number, end: number): number {
  let shape = LOWER;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) shape = UPPER;
    else if (!isIdentifierChar(c)) return INVALID;
  }
  return start < end ? shape : INVALID;
}

export function isIdentifierChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) ||
    c === 95 ||
    c === 45 ||
    c === 47 ||
    c === 46 ||
    c === 37 ||
    c === 64 ||
    c === 58 ||
    c === 43
  );
}

/** The standard's identifier alphabet: letters, digits and `_-/.%@:+`. */
export function isIdentifier(text: string): boolean {
  return identifierShape(text, 0, text.length) !== INVALID;
}

/** Exactly what `String.prototype.trim` removes, so index scanning and `trim()` agree. */
export function isSpace(c: number): boolean {
  if (c === 32 || (c >= 9 && c <= 13)) return true;
  if (c < 160) return false;
  return (
    c === 160 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

const TAB = 9;
const SPACE = 32;
