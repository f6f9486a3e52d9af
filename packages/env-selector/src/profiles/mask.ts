import { looksLikeSecret, maskSecret } from '@credkit/temp-creds/errors';

const SECRET_PROPERTIES = new Set(['aws_secret_access_key', 'aws_session_token', 'aws_security_token']);
// Names that merely point at a secret (a file, an URL, an ARN) are shown as they are.
const REFERENCE_SUFFIXES = ['_file', '_url', '_path', '_arn', '_name', '_id', '_region', '_expiration'];

/**
 * Whether a property's value is shown masked in listings. The secret key and session tokens are;
 * so is any property whose name speaks of a secret, token or password, unless it only names where
 * one lives (`web_identity_token_file`). `aws_access_key_id` is shown in full: it identifies the key
 * and is not a secret (the AWS CLI masks it in `configure list`, we prefer users can tell keys apart).
 */
export function isSecretProperty(name: string): boolean {
  // Listing 10 000 profiles asks about the same few names again and again.
  const known = decided.get(name);
  if (known !== undefined) return known;
  const secret = judge(name);
  if (decided.size < 1024) decided.set(name, secret);
  return secret;
}

const decided = new Map<string, boolean>();

function judge(name: string): boolean {
  if (SECRET_PROPERTIES.has(name)) return true;
  if (!name.includes('secret') && !name.includes('token') && !name.includes('password')) return false;
  return !REFERENCE_SUFFIXES.some((suffix) => name.endsWith(suffix));
}

export function displayValue(name: string, value: string): { value: string; masked: boolean } {
  if (value === '' || !(isSecretProperty(name) || looksLikeSecret(value))) return { value, masked: false };
  return { value: maskSecret(value), masked: true };
}
