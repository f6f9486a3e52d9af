import { isIdentifier, isIdentifierChar, isSpace } from './chars.js';
import { credentialsPrefix, invalidSectionName, parseError } from './parse-diagnostics.js';
import type { ConfigFileKind, Diagnostic, SectionType } from './types.js';

// Section headers: the common `[profile name]` read in one scan, everything else by the rules.

/**
 * The profile name of a header written exactly `[profile name]` (config) or `[name]` (credentials),
 * optionally followed by whitespace and a comment. Both the standard and the AWS SDK for JavaScript
 * read those the same way. Undefined for anything else, which takes the general path.
 */
export function canonicalHeaderName(
  text: string,
  start: number,
  end: number,
  kind: ConfigFileKind,
): string | undefined {
  let nameStart = start + 1;
  if (kind === 'config') {
    if (!text.startsWith('profile ', nameStart)) return undefined;
    nameStart += 8;
  }
  let i = nameStart;
  while (i < end && isIdentifierChar(text.charCodeAt(i))) i++;
  if (i === nameStart || i === end || text.charCodeAt(i) !== CLOSE_BRACKET) return undefined;
  // After `]` only whitespace, then nothing or a comment: anything else takes the general path
  // (which rejects `[profile a] junk`).
  let after = i + 1;
  while (after < end && isSpace(text.charCodeAt(after))) after++;
  if (after < end) {
    const c = text.charCodeAt(after);
    if (after === i + 1 || (c !== HASH && c !== SEMICOLON)) return undefined;
  }
  return text.slice(nameStart, i);
}

export interface Header {
  type: SectionType;
  name: string;
  bareDefault: boolean;
}

/** Reads `[...]`; returns null for a header the standard ignores (with a diagnostic saying why). */
export function readHeader(
  trimmed: string,
  kind: ConfigFileKind,
  path: string,
  line: number,
  diagnostics: Diagnostic[],
): Header | null {
  // Names cannot contain `#` or `;`, so a comment may follow `]` directly.
  let end = trimmed.length;
  for (let i = 1; i < trimmed.length; i++) {
    const c = trimmed.charCodeAt(i);
    if (c === HASH || c === SEMICOLON) {
      end = i;
      break;
    }
  }
  const header = trimmed.slice(0, end).trimEnd();
  if (header.length < 2 || header.charCodeAt(header.length - 1) !== CLOSE_BRACKET) {
    throw parseError(
      path,
      line,
      "Section definition must end with ']'",
      'Close the section header with "]".',
    );
  }
  const inner = header.slice(1, -1).trim();
  const prefixed = splitPrefix(inner);

  if (kind === 'credentials') {
    if (prefixed !== null) {
      diagnostics.push(credentialsPrefix(inner, prefixed, path, line));
      return null;
    }
    if (!isIdentifier(inner)) {
      diagnostics.push(invalidSectionName('profile', path, line, inner));
      return null;
    }
    return { type: 'profile', name: inner, bareDefault: false };
  }

  if (prefixed === null) {
    if (inner === 'default') return { type: 'profile', name: 'default', bareDefault: true };
    diagnostics.push({
      code: 'CONFIG_SECTION_IGNORED',
      severity: 'warning',
      file: path,
      line,
      ...(isIdentifier(inner) ? { profile: inner } : {}),
      message: `section [${inner}] is ignored: in the config file a profile is written [profile ${inner}] (only [default] needs no prefix)`,
    });
    return null;
  }
  if (prefixed.name === '' || !isIdentifier(prefixed.name)) {
    diagnostics.push(invalidSectionName(prefixed.type, path, line, prefixed.name));
    return null;
  }
  return { type: prefixed.type, name: prefixed.name, bareDefault: false };
}

const PREFIXES: readonly SectionType[] = ['profile', 'sso-session', 'services'];

/** `profile foo` -> { profile, foo }: the prefix must be followed by a space or a tab. */
function splitPrefix(inner: string): { type: SectionType; name: string } | null {
  for (const type of PREFIXES) {
    if (inner.length > type.length && inner.startsWith(type)) {
      const next = inner.charCodeAt(type.length);
      if (next === SPACE || next === TAB) return { type, name: inner.slice(type.length + 1).trim() };
    }
  }
  return null;
}

const TAB = 9;
const SPACE = 32;
const HASH = 35;
const SEMICOLON = 59;
const CLOSE_BRACKET = 93;
