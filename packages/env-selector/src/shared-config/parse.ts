import { CredkitError } from '@credkit/temp-creds/errors';
import {
  CommentFinder,
  INVALID,
  identifierShape,
  isIdentifier,
  isIdentifierChar,
  isSpace,
  knownName,
  UPPER,
} from './chars.js';
import {
  credentialsPrefix,
  duplicateProperty,
  duplicateSection,
  invalidPropertyName,
  invalidSectionName,
  sdkContinuation,
  sdkPropertyCase,
  sdkSubProperty,
} from './parse-diagnostics.js';
import { sdkJsHeaderDiagnostic } from './sdk-js-view.js';
import type {
  ConfigFileKind,
  ConfigProperty,
  ConfigSubProperty,
  Diagnostic,
  ParsedConfigFile,
  ParsedSection,
  SectionType,
} from './types.js';

export interface ParseConfigFileOptions {
  kind: ConfigFileKind;
  /** Named in every error and diagnostic. */
  path: string;
}

/**
 * Parses one shared config or credentials file as the cross-SDK standard reads it, in a single pass
 * over the lines with no regular expressions on the hot path (hostile input stays linear).
 *
 * Throws a `CredkitError` with code `CONFIG_PARSE_ERROR` (naming file and line) where the standard
 * says the file is invalid; everything the standard ignores is reported as a diagnostic instead.
 */
export function parseConfigFile(input: string, { kind, path }: ParseConfigFileOptions): ParsedConfigFile {
  const sections: ParsedSection[] = [];
  const diagnostics: Diagnostic[] = [];
  const firstHeaderLines: Record<SectionType, Map<string, number>> = {
    profile: new Map(),
    'sso-session': new Map(),
    services: new Map(),
  };
  const bareDefaultLines = new Map<string, number>();
  const text = normalizeLineEnds(input, path, diagnostics);
  const length = text.length;
  const comments = new CommentFinder(text);

  let sawHeader = false;
  // `section` is null inside an ignored section: its lines are still checked, then dropped.
  let section: ParsedSection | null = null;
  let property: ConfigProperty | null = null;
  let propertyIgnored = false;
  let subProperties: Map<string, ConfigSubProperty> | null = null;
  let continuationReported = false;
  let lineNo = 0;
  let next = 0;

  // Lines are scanned by index on the original string: only names and values are ever copied.
  while (next <= length) {
    const lineStart = next;
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = length;
    next = lineEnd + 1;
    lineNo++;
    let start = lineStart;
    let end = lineEnd;
    while (start < end && isSpace(text.charCodeAt(start))) start++;
    if (start === end) continue;
    while (isSpace(text.charCodeAt(end - 1))) end--;
    const first = text.charCodeAt(start);
    if (first === HASH || first === SEMICOLON) continue;
    const lead = text.charCodeAt(lineStart);
    const indented = lead === SPACE || lead === TAB;

    if (!indented && first === OPEN_BRACKET) {
      sawHeader = true;
      property = null;
      subProperties = null;
      // Fast path for the usual `[profile name]` / `[name]`: one scan, no SDK comparison needed.
      let header: Header | null;
      const fastName = canonicalHeaderName(text, start, end, kind);
      if (fastName !== undefined) {
        header = { type: 'profile', name: fastName, bareDefault: false };
      } else {
        const trimmed = text.slice(start, end);
        header = readHeader(trimmed, kind, path, lineNo, diagnostics);
        const sdkDiagnostic = sdkJsHeaderDiagnostic(
          text.slice(lineStart, lineEnd),
          kind,
          header,
          path,
          lineNo,
        );
        if (sdkDiagnostic !== undefined) diagnostics.push(sdkDiagnostic);
      }
      if (header === null) {
        section = null;
        continue;
      }
      section = {
        type: header.type,
        name: header.name,
        file: path,
        line: lineNo,
        bareDefault: header.bareDefault,
        properties: new Map(),
      };
      const seen = header.bareDefault ? bareDefaultLines : firstHeaderLines[header.type];
      const earlier = seen.get(header.name);
      if (earlier === undefined) seen.set(header.name, lineNo);
      else diagnostics.push(duplicateSection(section, earlier));
      sections.push(section);
      continue;
    }

    if (!sawHeader) throw parseError(path, lineNo, 'Expected a section definition');

    if (indented) {
      if (property === null) {
        throw parseError(path, lineNo, 'Expected a property definition, found continuation');
      }
      if (propertyIgnored) continue;
      const trimmed = text.slice(start, end);
      if (subProperties !== null) {
        readSubProperty(trimmed, subProperties, property, path, lineNo, diagnostics, section);
        continue;
      }
      property.value = `${property.value}\n${trimmed}`;
      if (!continuationReported && section !== null) {
        continuationReported = true;
        diagnostics.push(sdkContinuation(property, section));
      }
      continue;
    }

    const bodyEnd = comments.find(start, end);
    const equals = text.indexOf('=', start);
    if (equals === -1 || equals >= bodyEnd) {
      throw parseError(path, lineNo, "Expected an '=' sign defining a property");
    }
    let nameEnd = equals;
    while (nameEnd > start && isSpace(text.charCodeAt(nameEnd - 1))) nameEnd--;
    if (nameEnd === start) throw parseError(path, lineNo, 'Property did not have a name');
    let valueStart = equals + 1;
    let valueEnd = bodyEnd;
    while (valueStart < valueEnd && isSpace(text.charCodeAt(valueStart))) valueStart++;
    while (valueEnd > valueStart && isSpace(text.charCodeAt(valueEnd - 1))) valueEnd--;
    const value = text.slice(valueStart, valueEnd);
    const nameShape = identifierShape(text, start, nameEnd);
    const rawName = knownName(text, start, nameEnd) ?? text.slice(start, nameEnd);
    const name = nameShape === UPPER ? rawName.toLowerCase() : rawName;
    property = { name, value, file: path, line: lineNo };
    continuationReported = false;
    subProperties = null;
    propertyIgnored = section === null || nameShape === INVALID;
    if (section === null) continue;
    if (propertyIgnored) {
      diagnostics.push(invalidPropertyName(path, lineNo, section));
      continue;
    }
    // An empty value opens a sub-property block; the map is attached once it has an entry.
    if (value === '') subProperties = new Map();
    if (nameShape === UPPER) diagnostics.push(sdkPropertyCase(rawName, name, path, lineNo, section));
    const previous = section.properties.get(name);
    if (previous !== undefined) {
      diagnostics.push(duplicateProperty(name, previous.line, path, lineNo, section));
    }
    section.properties.set(name, property);
  }
  return { path, kind, sections, diagnostics };
}

/**
 * A lone CR ends a line for the AWS CLI (Python's universal newlines) but not for the AWS SDK for
 * JavaScript; read it as a line end and say so. CRLF needs nothing: the CR is trimmed.
 */
function normalizeLineEnds(text: string, path: string, diagnostics: Diagnostic[]): string {
  const lone = LONE_CR.exec(text);
  if (lone === null) return text;
  const line = countLines(text, lone.index);
  diagnostics.push({
    code: 'SDK_JS_LINE_ENDINGS',
    severity: 'warning',
    file: path,
    line,
    message: `a line ends with a lone carriage return (old Mac line ends); the AWS SDK for JavaScript does not end lines there, so it reads several lines as one. Save the file with LF line ends`,
  });
  return text.replace(CR_LINE_END, '\n');
}

const LONE_CR = /\r(?!\n)/;
const CR_LINE_END = /\r\n?/g;

function countLines(text: string, upTo: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1 && at < upTo; at = text.indexOf('\n', at + 1)) line++;
  return line;
}

/**
 * The profile name of a header written exactly `[profile name]` (config) or `[name]` (credentials),
 * optionally followed by whitespace and a comment. Both the standard and the AWS SDK for JavaScript
 * read those the same way. Undefined for anything else, which takes the general path.
 */
function canonicalHeaderName(
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

interface Header {
  type: SectionType;
  name: string;
  bareDefault: boolean;
}

/** Reads `[...]`; returns null for a header the standard ignores (with a diagnostic saying why). */
function readHeader(
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

function readSubProperty(
  trimmed: string,
  into: Map<string, ConfigSubProperty>,
  parent: ConfigProperty,
  path: string,
  line: number,
  diagnostics: Diagnostic[],
  section: ParsedSection | null,
): void {
  const equals = trimmed.indexOf('=');
  if (equals === -1) {
    throw parseError(path, line, "Expected an '=' sign defining a property in sub-property");
  }
  const rawName = trimmed.slice(0, equals).trim();
  if (rawName === '') throw parseError(path, line, 'Property did not have a name in sub-property');
  if (section === null) return;
  if (parent.subProperties === undefined) {
    parent.subProperties = into;
    diagnostics.push(sdkSubProperty(parent, section));
  }
  if (!isIdentifier(rawName)) {
    diagnostics.push(invalidPropertyName(path, line, section));
    return;
  }
  // Sub-property values keep `#` and `;`: the standard has no comments there.
  into.set(rawName.toLowerCase(), { value: trimmed.slice(equals + 1).trim(), line });
}

export { isIdentifier };

export function parseError(path: string, line: number, message: string, hint?: string): CredkitError {
  return new CredkitError('CONFIG_PARSE_ERROR', `${path}:${line}: ${message}`, {
    hint:
      hint ??
      'Fix that line: every line is a [section] header, a `name = value` property, an indented continuation or sub-property, a comment or blank.',
    details: { file: path, line },
  });
}

const TAB = 9;
const SPACE = 32;
const HASH = 35;
const SEMICOLON = 59;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
