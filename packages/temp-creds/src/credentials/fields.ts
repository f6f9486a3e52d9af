/**
 * One check per credential field, shared by `parseTemporaryCredentials` (which throws) and the
 * prompts (which show the problem and ask again). A problem never contains the secret or token, not
 * even in part; the access key ID (not a secret) is shown only through `describeUntrusted`.
 */
import { describeUntrusted, hasControlCharacters, looksLikeSecret } from '../errors/index.js';

export type CredentialField = 'accessKeyId' | 'secretAccessKey' | 'sessionToken' | 'expiration';

export interface FieldProblem {
  code: string;
  /** Completes "The access key ID from --aws-access-key-id …" / "The access key ID …". */
  problem: string;
  hint?: string;
}

/** Longest value any field accepts before it is rejected unread (a stray 1 MB paste, a wrong file). */
export const MAX_FIELD_LENGTH = 64 * 1024;
/**
 * IAM and STS issue access key IDs of exactly 20 characters: AKIA or ASIA and 16 upper-case letters
 * and digits. (The API allows 16 to 128 for IDs in general, but no issued access key has another
 * length, and a shorter or longer value is a copy that lost or gained characters.)
 */
export const ACCESS_KEY_ID_LENGTH = { min: 20, max: 20 } as const;
/** IAM issues 40-character secrets; the bounds leave room without accepting obvious junk. */
export const SECRET_ACCESS_KEY_LENGTH = { min: 16, max: 128 } as const;
/** STS does not fix a token size (typically 300 to 2 000 characters); 16 KiB is far beyond it. */
export const SESSION_TOKEN_LENGTH = { min: 16, max: 16 * 1024 } as const;

export type KeyType = 'temporary' | 'long-term';

/** IAM unique-ID prefixes people paste by mistake, and what they identify. */
const NOT_ACCESS_KEYS: Record<string, string> = {
  AIDA: 'an IAM user ID',
  AROA: 'an IAM role ID',
  AGPA: 'an IAM group ID',
  ANPA: 'a managed policy ID',
  ANVA: 'a managed policy version ID',
  AIPA: 'an EC2 instance profile ID',
  APKA: 'a CloudFront public key ID',
  ASCA: 'a certificate ID',
  ABIA: 'an STS bearer token ID',
  ACCA: 'a context-specific credential ID',
};

const tooLarge = (what: string): FieldProblem => ({
  code: 'INPUT_TOO_LARGE',
  problem: `is longer than ${MAX_FIELD_LENGTH} characters and was rejected without being read`,
  hint: `Check what was pasted: a ${what} is a single short value.`,
});

export function keyTypeOf(accessKeyId: string): KeyType | undefined {
  if (accessKeyId.startsWith('ASIA')) return 'temporary';
  if (accessKeyId.startsWith('AKIA')) return 'long-term';
  return undefined;
}

/** Trims what pasting adds (spaces, tabs, CR/LF) around a value; inside the value they stay errors. */
export function trimPasted(value: string): string {
  return value.replace(/^[\s\uFEFF]+|[\s\uFEFF]+$/g, '');
}

export function checkAccessKeyId(raw: string | undefined): FieldProblem | undefined {
  if (raw !== undefined && raw.length > MAX_FIELD_LENGTH) return tooLarge('access key ID');
  const value = trimPasted(raw ?? '');
  if (value === '') {
    return { code: 'MISSING_ACCESS_KEY_ID', problem: 'is missing', hint: 'It looks like AKIA… or ASIA….' };
  }
  // Checked before anything quotes the value: a secret in this field must not be echoed, not even
  // the first characters of it (key and secret swapped on a command line, in JSON, at a prompt).
  if (looksLikeSecret(value)) {
    return {
      code: 'INVALID_ACCESS_KEY_ID',
      problem:
        value.length === 40
          ? 'looks like a secret access key, not a key ID (it is not shown)'
          : 'looks like a session token or another secret, not a key ID (it is not shown)',
      hint: 'The key ID (AKIA…/ASIA…, 20 characters) and the secret may have been swapped.',
    };
  }
  const shown = describeUntrusted(value, { maxLength: 24 });
  if (hasControlCharacters(value) || /\s/.test(value)) {
    return {
      code: 'INVALID_ACCESS_KEY_ID',
      problem: `contains control characters or spaces: ${shown}`,
      hint: 'Copy the key ID again; it is only upper-case letters and digits.',
    };
  }
  if (!/^[A-Za-z0-9]+$/.test(value)) {
    return {
      code: 'INVALID_ACCESS_KEY_ID',
      problem: `must be upper-case letters and digits only: ${shown}`,
      hint: 'An access key ID looks like AKIAIOSFODNN7EXAMPLE.',
    };
  }
  if (value !== value.toUpperCase()) {
    return {
      code: 'INVALID_ACCESS_KEY_ID',
      problem: `has lower-case letters: ${shown}`,
      hint: 'Access key IDs are upper case; copy it again rather than retyping it.',
    };
  }
  const prefix = value.slice(0, 4);
  const other = NOT_ACCESS_KEYS[prefix];
  if (other !== undefined) {
    return {
      code: 'INVALID_ACCESS_KEY_ID',
      problem: `starts with ${prefix}, which marks ${other}, not an access key ID: ${shown}`,
      hint: 'Access key IDs start with AKIA (long-term keys) or ASIA (temporary credentials).',
    };
  }
  if (keyTypeOf(value) === undefined) {
    return {
      code: 'INVALID_ACCESS_KEY_ID',
      problem: `does not start with AKIA or ASIA: ${shown}`,
      hint: 'Access key IDs start with AKIA (long-term keys) or ASIA (temporary credentials).',
    };
  }
  // The prefix first: it says more about a wrong paste than the length does.
  if (value.length < ACCESS_KEY_ID_LENGTH.min || value.length > ACCESS_KEY_ID_LENGTH.max) {
    const off =
      value.length < ACCESS_KEY_ID_LENGTH.min
        ? `${ACCESS_KEY_ID_LENGTH.min - value.length} too few`
        : `${value.length - ACCESS_KEY_ID_LENGTH.max} too many`;
    return {
      code: 'INVALID_ACCESS_KEY_ID',
      problem: `is ${value.length} characters long (${off}); access key IDs are ${prefix} and 16 upper-case letters and digits, 20 in all: ${shown}`,
      hint: 'Copy the whole key ID again.',
    };
  }
  return undefined;
}

export function checkSecretAccessKey(raw: string | undefined): FieldProblem | undefined {
  if (raw !== undefined && raw.length > MAX_FIELD_LENGTH) return tooLarge('secret access key');
  const value = trimPasted(raw ?? '');
  if (value === '') return { code: 'MISSING_SECRET_ACCESS_KEY', problem: 'is missing' };
  if (hasControlCharacters(value) || /\s/.test(value)) {
    return {
      code: 'INVALID_SECRET_ACCESS_KEY',
      problem: 'contains control characters or spaces',
      hint: 'Copy the secret access key again, on its own.',
    };
  }
  if (/^(AKIA|ASIA)[A-Z0-9]{12,124}$/.test(value)) {
    return {
      code: 'INVALID_SECRET_ACCESS_KEY',
      problem: 'looks like an access key ID',
      hint: 'The key ID (AKIA…/ASIA…) and the secret access key may have been swapped.',
    };
  }
  if (!/^[A-Za-z0-9/+=]+$/.test(value)) {
    return {
      code: 'INVALID_SECRET_ACCESS_KEY',
      problem: 'has characters a secret access key never contains (it uses A-Z, a-z, 0-9, /, + and =)',
      hint: 'Copy the secret access key again; a masked value (****) cannot be used.',
    };
  }
  if (value.length < SECRET_ACCESS_KEY_LENGTH.min || value.length > SECRET_ACCESS_KEY_LENGTH.max) {
    return {
      code: 'INVALID_SECRET_ACCESS_KEY',
      problem: `is ${value.length} characters long; secret access keys are usually 40`,
      hint: 'Copy the whole secret access key again.',
    };
  }
  return undefined;
}

export function checkSessionToken(
  raw: string | undefined,
  accessKeyId: string | undefined,
): FieldProblem | undefined {
  if (raw !== undefined && raw.length > MAX_FIELD_LENGTH) return tooLarge('session token');
  const value = trimPasted(raw ?? '');
  const keyType = keyTypeOf(trimPasted(accessKeyId ?? ''));
  if (value === '') {
    if (keyType !== 'temporary') return undefined;
    return {
      code: 'SESSION_TOKEN_REQUIRED',
      problem: 'is missing, and ASIA access keys are temporary: they only work with their session token',
      hint: 'Paste the session token that was issued with these credentials.',
    };
  }
  if (keyType === 'long-term') {
    return {
      code: 'SESSION_TOKEN_NOT_EXPECTED',
      problem: 'was given with a long-term AKIA access key, which never has one',
      hint: 'Leave the session token empty for AKIA keys (or unset AWS_SESSION_TOKEN), or use the ASIA key it belongs to.',
    };
  }
  if (hasControlCharacters(value) || /\s/.test(value) || !/^[\x21-\x7e]+$/.test(value)) {
    return {
      code: 'INVALID_SESSION_TOKEN',
      problem: 'contains control characters, spaces or non-ASCII characters',
      hint: 'Copy the session token again, on its own.',
    };
  }
  if (value.length < SESSION_TOKEN_LENGTH.min || value.length > SESSION_TOKEN_LENGTH.max) {
    return {
      code: 'INVALID_SESSION_TOKEN',
      problem: `is ${value.length} characters long; session tokens are ${SESSION_TOKEN_LENGTH.min} to ${SESSION_TOKEN_LENGTH.max}`,
      hint: 'Copy the whole session token again.',
    };
  }
  return undefined;
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** Parses an ISO-8601 timestamp with a time zone; returns a problem or the date. */
export function checkExpiration(raw: string | Date | undefined): FieldProblem | Date | undefined {
  if (raw === undefined) return undefined;
  if (raw instanceof Date) {
    if (!Number.isNaN(raw.getTime())) return raw;
    return { code: 'INVALID_EXPIRATION', problem: 'is not a valid date' };
  }
  if (raw.length > MAX_FIELD_LENGTH) return tooLarge('expiration time');
  const value = trimPasted(raw);
  if (value === '') return undefined;
  const date = new Date(value);
  if (!ISO_8601.test(value) || Number.isNaN(date.getTime())) {
    return {
      code: 'INVALID_EXPIRATION',
      problem: `is not an ISO-8601 time with a time zone: ${describeUntrusted(value, { maxLength: 40 })}`,
      hint: 'Use the form 2026-11-27T18:30:00Z.',
    };
  }
  return date;
}
