import type { ConfigProperty, Diagnostic, ParsedConfigFile } from './types.js';

/** Properties whose value is a secret: a file holding one must be readable by its owner only. */
const SECRET_NAMES = new Set(['aws_secret_access_key', 'aws_session_token', 'aws_security_token']);

export const FILE_PERMISSIONS_TOO_OPEN = 'FILE_PERMISSIONS_TOO_OPEN';

/**
 * Like ssh for a private key: a shared config or credentials file that holds a secret and can be
 * read by the group or by others is reported, with the fix. A file without secrets (the usual
 * `~/.aws/config`) may stay world-readable. Not checked on Windows, where modes mean nothing.
 */
export function permissionDiagnostic(
  parsed: ParsedConfigFile,
  mode: number,
  platform: string = process.platform,
  /** The path as messages show it (`~/.aws/credentials`); `file` keeps the real one. */
  shown: string = parsed.path,
): Diagnostic | undefined {
  if (platform === 'win32' || (mode & 0o077) === 0) return undefined;
  let first = parsed.skipped?.firstSecret;
  for (const section of parsed.sections) {
    const secret = firstSecret(section.properties);
    if (secret !== undefined && (first === undefined || secret.line < first.line)) {
      first = { ...secret, profile: section.name };
    }
  }
  if (first === undefined) return undefined;
  const octal = (mode & 0o777).toString(8).padStart(4, '0');
  const who = mode & 0o007 ? 'every user on this machine' : 'its group';
  return {
    code: FILE_PERMISSIONS_TOO_OPEN,
    severity: 'warning',
    file: parsed.path,
    line: first.line,
    message: `${shown} holds secrets (${first.name} at line ${first.line}) but can be read by ${who} (mode ${octal}); make it private: chmod 600 ${shown}`,
  };
}

/** The earliest property holding a non-empty secret among a section's (last-wins) properties. */
export function firstSecret(
  properties: ReadonlyMap<string, ConfigProperty>,
): { name: string; line: number } | undefined {
  let first: { name: string; line: number } | undefined;
  for (const name of SECRET_NAMES) {
    const property = properties.get(name);
    if (property === undefined || property.value.trim() === '') continue;
    if (first === undefined || property.line < first.line) first = { name, line: property.line };
  }
  return first;
}
