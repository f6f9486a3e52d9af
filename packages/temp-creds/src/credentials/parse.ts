import type { Clock } from '../clock.js';
import { CredkitError } from '../errors/index.js';
import {
  type CredentialField,
  checkAccessKeyId,
  checkExpiration,
  checkSecretAccessKey,
  checkSessionToken,
  type FieldProblem,
  type KeyType,
  keyTypeOf,
  trimPasted,
} from './fields.js';

/** Where a set of credentials came from; decides how errors name the field at fault. */
export type TemporaryCredentialsSource = 'flags' | 'env' | 'stdin' | 'prompt';

export interface TemporaryCredentialsInput {
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
  sessionToken?: string | undefined;
  /** ISO-8601 with a time zone, or a Date. */
  expiration?: string | Date | undefined;
}

/**
 * Validated credentials held in memory only. `JSON.stringify` and `util.inspect` show the secret
 * and token masked, so logging the object by mistake leaks nothing.
 */
export interface TemporaryCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
  readonly source: TemporaryCredentialsSource;
  /** ASIA keys are temporary (they need the token); AKIA keys are long-term. */
  readonly keyType: KeyType;
}

export interface ParseOptions {
  source: TemporaryCredentialsSource;
  /** The clock, for expiry checks (default: `Date.now`). */
  now?: Clock | undefined;
  /**
   * For `stdin`: what the input calls each field (`AWS_ACCESS_KEY_ID` when variables were piped in),
   * instead of the credential_process JSON keys.
   */
  names?: Record<CredentialField, string> | undefined;
}

/** How each source names each field in messages. */
export const FIELD_NAMES: Record<TemporaryCredentialsSource, Record<CredentialField, string>> = {
  flags: {
    accessKeyId: '--aws-access-key-id',
    secretAccessKey: '--aws-secret-access-key',
    sessionToken: '--aws-session-token',
    // No flag sets an expiration; credentials from flags never carry one.
    expiration: 'the expiration',
  },
  env: {
    accessKeyId: 'AWS_ACCESS_KEY_ID',
    secretAccessKey: 'AWS_SECRET_ACCESS_KEY',
    sessionToken: 'AWS_SESSION_TOKEN',
    expiration: 'AWS_CREDENTIAL_EXPIRATION',
  },
  stdin: {
    accessKeyId: 'AccessKeyId',
    secretAccessKey: 'SecretAccessKey',
    sessionToken: 'SessionToken',
    expiration: 'Expiration',
  },
  prompt: {
    accessKeyId: 'the prompt',
    secretAccessKey: 'the prompt',
    sessionToken: 'the prompt',
    expiration: 'the prompt',
  },
};

const LABELS: Record<CredentialField, string> = {
  accessKeyId: 'access key ID',
  secretAccessKey: 'secret access key',
  sessionToken: 'session token',
  expiration: 'expiration time',
};

function where(
  source: TemporaryCredentialsSource,
  field: CredentialField,
  names?: Record<CredentialField, string>,
): string {
  if (source === 'stdin' && names !== undefined) return `in ${names[field]} read from stdin`;
  const name = FIELD_NAMES[source][field];
  switch (source) {
    case 'flags':
      return `from ${name}`;
    case 'env':
      return `from the ${name} environment variable`;
    case 'stdin':
      return `in "${name}" of the JSON read from stdin`;
    case 'prompt':
      return 'entered at the prompt';
  }
}

/**
 * A field check's hint speaks to someone at the prompt ("paste the session token"); for the other
 * sources the fix is a flag, a variable or a JSON key, so it names that instead.
 */
function hintFor(
  found: FieldProblem,
  source: TemporaryCredentialsSource,
  names?: Record<CredentialField, string>,
): string | undefined {
  if (source === 'prompt') return found.hint;
  const token = (source === 'stdin' ? names?.sessionToken : undefined) ?? FIELD_NAMES[source].sessionToken;
  // A JSON key is quoted; a flag or a variable is written as typed.
  const named = /^(--|[A-Z0-9_]+$)/.test(token) ? token : `"${token}"`;
  if (found.code === 'SESSION_TOKEN_REQUIRED') {
    const add = source === 'env' ? `Set ${named} to` : `Add ${named} with`;
    return `${add} the session token that was issued with these credentials (ASIA keys work only with it).`;
  }
  if (found.code === 'SESSION_TOKEN_NOT_EXPECTED') {
    const drop = source === 'env' ? `Unset ${named}` : `Leave out ${named}`;
    return `${drop} for AKIA keys, or use the ASIA key the token belongs to.`;
  }
  return found.hint;
}

function fail(
  field: CredentialField,
  found: FieldProblem,
  source: TemporaryCredentialsSource,
  names?: Record<CredentialField, string>,
): never {
  const label = LABELS[field];
  const hint = hintFor(found, source, names);
  throw new CredkitError(found.code, `The ${label} ${where(source, field, names)} ${found.problem}.`, {
    ...(hint === undefined ? {} : { hint }),
    exitCode: source === 'flags' ? 2 : 1,
    details: {
      field,
      source,
      name: (source === 'stdin' ? names?.[field] : undefined) ?? FIELD_NAMES[source][field],
    },
  });
}

/** The message a prompt shows for a field problem (no source named: the user is looking at it). */
export function describeFieldProblem(field: CredentialField, found: FieldProblem): string {
  return `The ${LABELS[field]} ${found.problem}.${found.hint === undefined ? '' : ` ${found.hint}`}`;
}

/**
 * Validates credentials from any source, trimming what pasting adds, and throws a CredkitError
 * naming the field (and its flag, env var or JSON key) at fault. Never echoes a secret or token.
 */
export function parseTemporaryCredentials(
  input: TemporaryCredentialsInput,
  options: ParseOptions,
): TemporaryCredentials {
  const { source } = options;
  const keyProblem = checkAccessKeyId(input.accessKeyId);
  if (keyProblem !== undefined) fail('accessKeyId', keyProblem, source, options.names);
  const secretProblem = checkSecretAccessKey(input.secretAccessKey);
  if (secretProblem !== undefined) fail('secretAccessKey', secretProblem, source, options.names);
  const tokenProblem = checkSessionToken(input.sessionToken, input.accessKeyId);
  if (tokenProblem !== undefined) fail('sessionToken', tokenProblem, source, options.names);
  const expiration = checkExpiration(input.expiration);
  if (expiration !== undefined && !(expiration instanceof Date))
    fail('expiration', expiration, source, options.names);

  const accessKeyId = trimPasted(input.accessKeyId ?? '');
  const sessionToken = trimPasted(input.sessionToken ?? '');
  if (expiration !== undefined) assertNotExpired(expiration, source, options.now);
  return createTemporaryCredentials({
    accessKeyId,
    secretAccessKey: trimPasted(input.secretAccessKey ?? ''),
    ...(sessionToken === '' ? {} : { sessionToken }),
    ...(expiration === undefined ? {} : { expiration }),
    source,
    keyType: keyTypeOf(accessKeyId) ?? 'long-term',
  });
}

/** How each source is described as a whole, e.g. in the provider's `source.description`. */
export const SOURCE_PHRASES: Record<TemporaryCredentialsSource, string> = {
  flags: 'given with --aws-access-key-id and --aws-secret-access-key',
  env: 'from the AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY environment variables',
  stdin: 'read from stdin (credential_process JSON)',
  prompt: 'entered at the prompt',
};

export function assertNotExpired(
  expiration: Date,
  source: TemporaryCredentialsSource,
  now: Clock | undefined = Date.now,
): void {
  if (expiration.getTime() > now()) return;
  const field = source === 'prompt' ? '' : ` (${FIELD_NAMES[source].expiration})`;
  throw new CredkitError(
    'CREDENTIALS_EXPIRED',
    `The temporary credentials ${SOURCE_PHRASES[source]} expired at ${expiration.toISOString()}${field}.`,
    {
      hint: 'Get fresh temporary credentials (for example from your SSO portal or `aws sts get-session-token`) and enter them again.',
      details: { expiration: expiration.toISOString(), source },
    },
  );
}

const inspectCustom = Symbol.for('nodejs.util.inspect.custom');

function redacted(credentials: TemporaryCredentials): Record<string, unknown> {
  return {
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: '<redacted>',
    ...(credentials.sessionToken === undefined ? {} : { sessionToken: '<redacted>' }),
    ...(credentials.expiration === undefined ? {} : { expiration: credentials.expiration.toISOString() }),
    source: credentials.source,
    keyType: credentials.keyType,
  };
}

function createTemporaryCredentials(fields: TemporaryCredentials): TemporaryCredentials {
  const credentials = { ...fields };
  Object.defineProperties(credentials, {
    toJSON: { value: () => redacted(credentials) },
    [inspectCustom]: { value: () => redacted(credentials) },
  });
  return Object.freeze(credentials);
}
