import { CredkitError } from '@credkit/temp-creds/errors';

/**
 * Credentials → text for `credkit export`. Values are quoted for the target shell so that a value
 * can never break out of its assignment.
 */
export interface ExportableCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
  expiration?: Date | undefined;
  region?: string | undefined;
}

/** Credentials that `export` and `exec` hand out, with where they came from. */
export interface SourceCredentials {
  credentials: ExportableCredentials;
  description: string;
  /** The profile resolved (--profile, or the profile of --env); absent for the app chain. */
  profile?: string;
  /** The profile's mfa_serial, for `--session`. */
  mfaSerial?: string;
}

/** The formats of `credkit export --format`: the command table offers this list, the type follows it. */
export const EXPORT_FORMATS = [
  'process',
  'env',
  'env-no-export',
  'dotenv',
  'json',
  'powershell',
  'fish',
] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * Exported values are never escaped (that would corrupt them), so a value holding a control
 * character (an ANSI escape in a credentials file, a hostile credential_process) is refused before
 * anything is printed or handed to a child. The message names the variable, never the value.
 */
function checkedValues(vars: [string, string][]): [string, string][] {
  for (const [name, value] of vars) {
    if (
      /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(
        value,
      )
    ) {
      throw new CredkitError(
        'CREDENTIAL_INVALID_CHARACTERS',
        `The value for ${name} holds control characters; credkit does not hand it out.`,
        {
          hint: 'Check the profile or credential source it came from: a key, secret, token or region never contains control characters.',
          details: { variable: name },
        },
      );
    }
  }
  return vars;
}

function variables(c: ExportableCredentials): [string, string][] {
  const vars: [string, string][] = [
    ['AWS_ACCESS_KEY_ID', c.accessKeyId],
    ['AWS_SECRET_ACCESS_KEY', c.secretAccessKey],
  ];
  if (c.sessionToken) vars.push(['AWS_SESSION_TOKEN', c.sessionToken]);
  if (c.expiration) vars.push(['AWS_CREDENTIAL_EXPIRATION', c.expiration.toISOString()]);
  if (c.region) vars.push(['AWS_REGION', c.region], ['AWS_DEFAULT_REGION', c.region]);
  return checkedValues(vars);
}

const SHELL_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function shellQuote(value: string): string {
  if (SHELL_SAFE.test(value)) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** dotenv: double quotes with backslash escapes (what dotenv parsers in Node, Python and Ruby accept). */
function dotenvQuote(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`;
}

/** PowerShell single quotes are literal; only `'` needs doubling. */
function powershellQuote(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** fish single quotes: only `\` and `'` are special. */
function fishQuote(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

export function formatCredentials(c: ExportableCredentials, format: ExportFormat): string {
  // Checks every value first, whatever the format (process and json do not list variables).
  variables(c);
  switch (format) {
    case 'process':
      return `${JSON.stringify(
        {
          Version: 1,
          AccessKeyId: c.accessKeyId,
          SecretAccessKey: c.secretAccessKey,
          ...(c.sessionToken ? { SessionToken: c.sessionToken } : {}),
          ...(c.expiration ? { Expiration: c.expiration.toISOString() } : {}),
        },
        null,
        2,
      )}\n`;
    case 'json':
      return `${JSON.stringify(
        {
          accessKeyId: c.accessKeyId,
          secretAccessKey: c.secretAccessKey,
          sessionToken: c.sessionToken ?? null,
          expiration: c.expiration?.toISOString() ?? null,
          region: c.region ?? null,
        },
        null,
        2,
      )}\n`;
    case 'env':
      return lines(variables(c).map(([k, v]) => `export ${k}=${shellQuote(v)}`));
    case 'env-no-export':
      return lines(variables(c).map(([k, v]) => `${k}=${shellQuote(v)}`));
    case 'dotenv':
      return lines(variables(c).map(([k, v]) => `${k}=${dotenvQuote(v)}`));
    case 'powershell':
      return lines(variables(c).map(([k, v]) => `$Env:${k}=${powershellQuote(v)}`));
    case 'fish':
      return lines(variables(c).map(([k, v]) => `set -gx ${k} ${fishQuote(v)}`));
  }
}

function lines(items: string[]): string {
  return `${items.join('\n')}\n`;
}

/** Variables `exec` removes from the child's environment before adding the chosen credentials. */
function isCredentialVariable(name: string): boolean {
  return (
    CLEARED.has(name) ||
    name.startsWith('AWS_CONTAINER_') ||
    name.startsWith('AWS_SSO_') ||
    name.startsWith('AWS_ROLE_')
  );
}

const CLEARED = new Set([
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_ACCESS_KEY_ID',
  'AWS_ACCESS_KEY',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SECRET_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_CREDENTIAL_SCOPE',
  'AWS_ACCOUNT_ID',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_ROLE_SESSION_NAME',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
]);

export function childEnvironment(
  parent: Record<string, string | undefined>,
  c: ExportableCredentials,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(parent)) {
    if (v === undefined || isCredentialVariable(k)) continue;
    env[k] = v;
  }
  for (const [k, v] of variables(c)) env[k] = v;
  return env;
}
