import { CommentFinder, INVALID, identifierShape, isIdentifier, isSpace, knownName, UPPER } from './chars.js';
import {
  duplicateProperty,
  duplicateSection,
  invalidPropertyName,
  parseError,
  sdkContinuation,
  sdkPropertyCase,
  sdkSubProperty,
} from './parse-diagnostics.js';
import { canonicalHeaderName, type Header, readHeader } from './parse-header.js';
import { type SkipContext, skipSections } from './parse-skip.js';
import { firstSecret } from './permissions.js';
import { sdkJsHeaderDiagnostic } from './sdk-js-view.js';
import type {
  ConfigFileKind,
  ConfigProperty,
  ConfigSubProperty,
  Diagnostic,
  ParsedConfigFile,
  ParsedSection,
  SectionType,
  SkippedSections,
} from './types.js';

export interface ParseConfigFileOptions {
  kind: ConfigFileKind;
  /** Named in every error and diagnostic. */
  path: string;
  /**
   * Profiles to build. When given, every other profile section is still checked line by line (the
   * same errors as a full parse, and the same permission-relevant secrets in `skipped`) but gets no
   * property objects and is left out of `sections`, so asking for one profile of 10 000 does not
   * allocate the other 9 999. Diagnostics are those of a full parse except the ones about a profile
   * left unbuilt (a diagnostic with another `profile`). Profiles named `default` are always built
   * (merging decides between `[default]` and `[profile default]`), as are sso-session and services
   * sections.
   */
  materialize?: ReadonlySet<string>;
}

/**
 * Parses one shared config or credentials file as the cross-SDK standard reads it, in a single pass
 * over the lines (hostile input stays linear). Sections left unbuilt by `materialize` are mostly
 * checked by native regular expressions instead (parse-skip.ts).
 *
 * Throws a `CredkitError` with code `CONFIG_PARSE_ERROR` (naming file and line) where the standard
 * says the file is invalid; everything the standard ignores is reported as a diagnostic instead.
 */
export function parseConfigFile(
  input: string,
  { kind, path, materialize }: ParseConfigFileOptions,
): ParsedConfigFile {
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
  // A profile section left unbuilt: its properties go to one reused map, only to find duplicate
  // names and the secrets the permission check needs; their values are never copied.
  let skipping = false;
  const scratch = new Map<string, ConfigProperty>();
  const skipped: SkippedSections = { sections: 0 };
  // Runs of plainly written unbuilt sections are read by one scan over the raw text (parse-skip.ts).
  const built = materialize === undefined ? undefined : [...materialize, 'default'];
  const skipContext: SkipContext | undefined =
    built === undefined ? undefined : { text, config: kind === 'config', built, skipped, nextSecret: -2 };
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
      if (skipping && scratch.size > 0) noteSkippedSecret(skipped, scratch, section);
      skipping = false;
      sawHeader = true;
      property = null;
      subProperties = null;
      if (skipContext !== undefined && start === lineStart) {
        const run = skipSections(skipContext, lineStart, lineNo);
        if (run.sections > 0) {
          next = run.next;
          lineNo = run.line;
          section = null;
          continue;
        }
      }
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
      skipping =
        materialize !== undefined &&
        header.type === 'profile' &&
        header.name !== 'default' &&
        !materialize.has(header.name);
      // Only when used: clearing a Map allocates a new table, once per unbuilt section adds up.
      if (skipping && scratch.size > 0) scratch.clear();
      section = {
        type: header.type,
        name: header.name,
        file: path,
        line: lineNo,
        bareDefault: header.bareDefault,
        properties: skipping ? scratch : new Map(),
      };
      const seen = header.bareDefault ? bareDefaultLines : firstHeaderLines[header.type];
      const earlier = seen.get(header.name);
      if (earlier === undefined) seen.set(header.name, lineNo);
      else diagnostics.push(duplicateSection(section, earlier));
      if (!skipping) {
        sections.push(section);
        continue;
      }
      skipped.sections++;
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
      if (!skipping) property.value = `${property.value}\n${trimmed}`;
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
    // An unbuilt section keeps only whether a value is empty (what the permission check asks).
    const value = !skipping ? text.slice(valueStart, valueEnd) : valueStart === valueEnd ? '' : UNBUILT_VALUE;
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
  if (skipping && scratch.size > 0) noteSkippedSecret(skipped, scratch, section);
  if (built === undefined) return { path, kind, sections, diagnostics };
  // The fast reading of unbuilt sections does not look for what only concerns them (a repeated
  // property, say); drop the rest of it too, so a lazy parse says the same whichever path read a line.
  const about = diagnostics.filter((d) => d.profile === undefined || built.includes(d.profile));
  return { path, kind, sections, diagnostics: about, skipped };
}

/** Keeps the first line of an unbuilt section that holds a secret (after duplicates are resolved). */
function noteSkippedSecret(
  skipped: SkippedSections,
  properties: ReadonlyMap<string, ConfigProperty>,
  section: ParsedSection | null,
): void {
  const secret = firstSecret(properties);
  if (secret === undefined || section === null) return;
  if (skipped.firstSecret === undefined || secret.line < skipped.firstSecret.line) {
    skipped.firstSecret = { ...secret, profile: section.name };
  }
}

/**
 * A lone CR ends a line for the AWS CLI (Python's universal newlines) but not for the AWS SDK for
 * JavaScript; read it as a line end and say so. CRLF needs nothing: the CR is trimmed.
 */
function normalizeLineEnds(text: string, path: string, diagnostics: Diagnostic[]): string {
  // indexOf, not a regular expression: a file without CR (the usual case) costs one native search.
  let lone = text.indexOf('\r');
  while (lone !== -1 && text.charCodeAt(lone + 1) === NEWLINE) lone = text.indexOf('\r', lone + 2);
  if (lone === -1) return text;
  const line = countLines(text, lone);
  diagnostics.push({
    code: 'SDK_JS_LINE_ENDINGS',
    severity: 'warning',
    file: path,
    line,
    message: `a line ends with a lone carriage return (old Mac line ends); the AWS SDK for JavaScript does not end lines there, so it reads several lines as one. Save the file with LF line ends`,
  });
  return text.replace(CR_LINE_END, '\n');
}

const CR_LINE_END = /\r\n?/g;

function countLines(text: string, upTo: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1 && at < upTo; at = text.indexOf('\n', at + 1)) line++;
  return line;
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

export { isIdentifier, parseError };

/** Stands for every non-empty value of an unbuilt section: never shown, never compared. */
const UNBUILT_VALUE = '\u0000';

const TAB = 9;
const NEWLINE = 10;
const SPACE = 32;
const HASH = 35;
const SEMICOLON = 59;
const OPEN_BRACKET = 91;
