/**
 * Credentials piped in the way export tools print them: credential_process JSON, credkit's own
 * `export --format` outputs (json, env, env-no-export, dotenv, powershell, fish) and the AWS CLI's
 * `configure export-credentials` formats (process, env, env-no-export, powershell, windows-cmd).
 * So `credkit export --format X | credkit env init --credentials-stdin` works for every X.
 */
import { CredkitError } from '../errors/index.js';
import type { CredentialField } from './fields.js';
import { parseTemporaryCredentials, type TemporaryCredentials } from './parse.js';
import {
  DEFAULT_JSON_MAX_BYTES,
  type JsonStream,
  parseCredentialProcessJson,
  type ReadJsonOptions,
  readCapped,
} from './sources.js';

/** The variables each field is exported as (AWS_SECURITY_TOKEN is the older name of the token). */
const VARIABLES: Record<string, CredentialField> = {
  AWS_ACCESS_KEY_ID: 'accessKeyId',
  AWS_SECRET_ACCESS_KEY: 'secretAccessKey',
  AWS_SESSION_TOKEN: 'sessionToken',
  AWS_SECURITY_TOKEN: 'sessionToken',
  AWS_CREDENTIAL_EXPIRATION: 'expiration',
};

const FORMATS =
  'credential_process JSON, credkit export --format json, or variable assignments (env, env-no-export, dotenv, powershell, fish, windows-cmd)';

/** Reads stdin (or any stream) in any of the accepted formats; a terminal is refused, not waited on. */
export async function readExportedCredentials(
  input: string | JsonStream,
  options: ReadJsonOptions = {},
): Promise<TemporaryCredentials> {
  const maxBytes = options.maxBytes ?? DEFAULT_JSON_MAX_BYTES;
  const text = typeof input === 'string' ? input : await readCapped(input, maxBytes);
  return parseExportedCredentials(text, { ...options, maxBytes });
}

/** Parses text already in memory; JSON goes to `parseCredentialProcessJson` unless it is credkit's json format. */
export function parseExportedCredentials(text: string, options: ReadJsonOptions = {}): TemporaryCredentials {
  const body = text.replace(/^\uFEFF/, '').trim();
  if (body === '' || body.startsWith('{')) {
    const camel = camelCaseJson(body);
    if (camel === undefined) return parseCredentialProcessJson(text, options);
    return parseTemporaryCredentials(camel, {
      ...options,
      source: 'stdin',
      names: {
        accessKeyId: 'accessKeyId',
        secretAccessKey: 'secretAccessKey',
        sessionToken: 'sessionToken',
        expiration: 'expiration',
      },
    });
  }
  if (Buffer.byteLength(text) > (options.maxBytes ?? DEFAULT_JSON_MAX_BYTES)) {
    // Same limit and code as the JSON path: a runaway pipe is not credentials.
    return parseCredentialProcessJson(text, options);
  }
  const found: Partial<Record<CredentialField, string>> = {};
  const names: Partial<Record<CredentialField, string>> = {};
  for (const [name, value] of readAssignments(body)) {
    const field = VARIABLES[name];
    if (field === undefined || (name === 'AWS_SECURITY_TOKEN' && found.sessionToken)) continue;
    found[field] = value;
    names[field] = name;
  }
  if (found.accessKeyId === undefined && found.secretAccessKey === undefined) {
    throw new CredkitError(
      'INVALID_CREDENTIALS_INPUT',
      'The input on stdin sets neither AWS_ACCESS_KEY_ID nor AWS_SECRET_ACCESS_KEY.',
      { hint: `Pipe in one of: ${FORMATS}.` },
    );
  }
  return parseTemporaryCredentials(found, {
    ...options,
    source: 'stdin',
    names: {
      accessKeyId: names.accessKeyId ?? 'AWS_ACCESS_KEY_ID',
      secretAccessKey: names.secretAccessKey ?? 'AWS_SECRET_ACCESS_KEY',
      sessionToken: names.sessionToken ?? 'AWS_SESSION_TOKEN',
      expiration: names.expiration ?? 'AWS_CREDENTIAL_EXPIRATION',
    },
  });
}

/**
 * The variables a text of assignment lines sets, quoting undone (last one wins). Blank lines and
 * comments (`#`, `rem`) are skipped; any other line that is not an assignment is an error.
 */
export function readAssignments(text: string): Map<string, string> {
  const values = new Map<string, string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || /^rem\b/i.test(line)) return;
    const assignment = parseAssignment(line);
    if (assignment === undefined) {
      // The line itself is never quoted back: it may hold a secret.
      throw new CredkitError(
        'INVALID_CREDENTIALS_INPUT',
        `Line ${index + 1} of the input on stdin is not JSON and not a variable assignment.`,
        { hint: `Pipe in one of: ${FORMATS}.`, details: { line: index + 1 } },
      );
    }
    values.set(assignment.name, assignment.value);
  });
  return values;
}

/** credkit's `export --format json` document (camelCase keys, nulls for absent values), else undefined. */
function camelCaseJson(body: string): Record<CredentialField, string | undefined> | undefined {
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return undefined;
  const record = document as Record<string, unknown>;
  if ('Version' in record || !('accessKeyId' in record)) return undefined;
  const text = (key: string): string | undefined => {
    const value = record[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') {
      throw new CredkitError(
        'INVALID_CREDENTIALS_JSON',
        `"${key}" in the JSON on stdin must be a string; got a ${typeof value}.`,
        {
          details: { key },
        },
      );
    }
    return value;
  };
  return {
    accessKeyId: text('accessKeyId'),
    secretAccessKey: text('secretAccessKey'),
    sessionToken: text('sessionToken'),
    expiration: text('expiration'),
  };
}

/** One `NAME=value` line in any of the shells' spellings, with the quoting each export format uses. */
function parseAssignment(line: string): { name: string; value: string } | undefined {
  let m = /^\$Env:([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/i.exec(line);
  if (m) return unquoted(m[1]!, m[2]!, 'powershell');
  m = /^set\s+-gx\s+([A-Za-z_][A-Za-z0-9_]*)\s+(.*)$/.exec(line);
  if (m) return unquoted(m[1]!, m[2]!, 'fish');
  m = /^set\s+([A-Za-z_][A-Za-z0-9_]*)=(.*)$/i.exec(line);
  if (m) return { name: m[1]!, value: m[2]! };
  m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
  if (m) return unquoted(m[1]!, m[2]!, 'sh');
  return undefined;
}

function unquoted(
  name: string,
  raw: string,
  shell: 'sh' | 'powershell' | 'fish',
): { name: string; value: string } | undefined {
  const value = raw.trim();
  if (shell === 'powershell') {
    const m = /^'((?:[^']|'')*)'$/.exec(value);
    return m
      ? { name, value: m[1]!.replaceAll("''", "'") }
      : { name, value: value.replace(/^"(.*)"$/, '$1') };
  }
  if (shell === 'fish') {
    const m = /^'((?:[^'\\]|\\.)*)'$/.exec(value);
    return m ? { name, value: m[1]!.replace(/\\(.)/g, '$1') } : { name, value };
  }
  // sh: concatenated '…' pieces with '\'' escapes (credkit env), or one "…" dotenv value.
  if (value.startsWith('"')) {
    const m = /^"((?:[^"\\]|\\.)*)"$/.exec(value);
    if (!m) return undefined;
    return { name, value: m[1]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c)) };
  }
  let out = '';
  let rest = value;
  while (rest !== '') {
    const quoted = /^'([^']*)'/.exec(rest);
    if (quoted) {
      out += quoted[1];
      rest = rest.slice(quoted[0].length);
      continue;
    }
    const escaped = /^\\(.)/.exec(rest);
    if (escaped) {
      out += escaped[1];
      rest = rest.slice(2);
      continue;
    }
    const bare = /^[^'\\\s]+/.exec(rest);
    if (!bare) return undefined;
    out += bare[0];
    rest = rest.slice(bare[0].length);
  }
  return { name, value: out };
}
