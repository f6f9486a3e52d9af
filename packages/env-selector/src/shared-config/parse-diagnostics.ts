import { CredkitError } from '@credkit/temp-creds/errors';
import type { ConfigProperty, Diagnostic, ParsedSection, SectionType } from './types.js';

// Diagnostics the parser reports. Messages name the section and property, never a value; only a
// profile section's diagnostics carry `profile` (an sso-session may share a profile's name).

interface Owner {
  type: SectionType;
  name: string;
}

const label = (owner: Owner) => `[${owner.type} ${owner.name}]`;
const ownedBy = (owner: Owner) => (owner.type === 'profile' ? { profile: owner.name } : {});

export function duplicateSection(section: ParsedSection, earlier: number): Diagnostic {
  const header = section.bareDefault ? '[default]' : `[${section.type} ${section.name}]`;
  return {
    code: 'DUPLICATE_SECTION',
    severity: 'warning',
    file: section.file,
    line: section.line,
    ...ownedBy(section),
    message: `${header} is defined again (first at line ${earlier}); the standard merges both (later values win) but the AWS CLI v2 refuses the file ("Unable to parse config file")`,
  };
}

export function duplicateProperty(
  name: string,
  earlier: number,
  file: string,
  line: number,
  owner: Owner,
): Diagnostic {
  return {
    code: 'DUPLICATE_PROPERTY',
    severity: 'warning',
    file,
    line,
    ...ownedBy(owner),
    message: `"${name}" is set again in ${label(owner)} (first at line ${earlier}); the last one wins, but the AWS CLI v2 refuses a file with a repeated property`,
  };
}

/** A property name the standard ignores. */
export function invalidPropertyName(file: string, line: number, owner: Owner): Diagnostic {
  return {
    code: 'INVALID_NAME',
    severity: 'warning',
    file,
    line,
    ...ownedBy(owner),
    message: `a property name in ${label(owner)} has characters outside letters, digits and _-/.%@:+ and is ignored`,
  };
}

/** A section name the standard ignores (so the whole section is ignored). */
export function invalidSectionName(what: SectionType, file: string, line: number, name: string): Diagnostic {
  return {
    code: 'INVALID_NAME',
    severity: 'warning',
    file,
    line,
    message: `${what} name "${name}" is empty or has characters outside letters, digits and _-/.%@:+, so the section is ignored`,
  };
}

export function credentialsPrefix(
  inner: string,
  prefixed: { type: SectionType; name: string },
  file: string,
  line: number,
): Diagnostic {
  const fix =
    prefixed.type === 'profile'
      ? `write [${prefixed.name}] (the credentials file takes profile names without "profile ")`
      : `move it to the config file (${prefixed.type} sections belong there)`;
  return {
    code: 'CREDENTIALS_SECTION_IGNORED',
    severity: 'warning',
    file,
    line,
    ...ownedBy(prefixed),
    message: `[${inner}] in the credentials file is not read by the standard; ${fix}`,
  };
}

export function sdkPropertyCase(
  raw: string,
  name: string,
  file: string,
  line: number,
  owner: Owner,
): Diagnostic {
  return {
    code: 'SDK_JS_PROPERTY_CASE',
    severity: 'warning',
    file,
    line,
    ...ownedBy(owner),
    message: `"${raw}" is read as "${name}" by the standard, but the AWS SDK for JavaScript matches property names case-sensitively and would not see it; write "${name}"`,
  };
}

export function sdkContinuation(property: ConfigProperty, owner: Owner): Diagnostic {
  return {
    code: 'SDK_JS_CONTINUATION',
    severity: 'warning',
    file: property.file,
    line: property.line,
    ...ownedBy(owner),
    message: `"${property.name}" continues on indented lines; the AWS SDK for JavaScript ignores continuation lines (or reads one containing "=" as a separate property)`,
  };
}

export function sdkSubProperty(property: ConfigProperty, owner: Owner): Diagnostic {
  return {
    code: 'SDK_JS_SUB_PROPERTY',
    severity: 'info',
    file: property.file,
    line: property.line,
    ...ownedBy(owner),
    message: `"${property.name}" has sub-properties; the AWS SDK for JavaScript reads them as "${property.name}.NAME" keys and cuts "#"/";" comments out of their values`,
  };
}

export function parseError(path: string, line: number, message: string, hint?: string): CredkitError {
  return new CredkitError('CONFIG_PARSE_ERROR', `${path}:${line}: ${message}`, {
    hint:
      hint ??
      'Fix that line: every line is a [section] header, a `name = value` property, an indented continuation or sub-property, a comment or blank.',
    details: { file: path, line },
  });
}
