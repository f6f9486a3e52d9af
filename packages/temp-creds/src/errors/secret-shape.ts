/**
 * The one secret-shape detector: whatever field a value arrived in (a key ID flag, a region, a
 * remote error message, a command's stderr), a value shaped like a secret access key, a session
 * token or a JWT is never echoed. Shapes, not knowledge: a secret pasted into the wrong field is
 * caught as well as one a remote endpoint echoes back.
 */

// Runs of the secret alphabet (base64), bounded by anything else. A secret access key is exactly 40
// characters; session tokens and SSO tokens are long (hundreds of characters); both mix upper and
// lower case, which keeps hex digests (lower-case) and IDs like AKIA… (upper-case) out.
const BASE64_RUN = /[A-Za-z0-9/+]+={0,2}/g;
const SECRET_KEY_LENGTH = 40;
const TOKEN_MIN_LENGTH = 60;
// A JWT (web identity token, OIDC id token): base64url header starting `eyJ` ("{"), payload, signature.
const JWT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;

function secretRun(run: string): boolean {
  const bare = run.replace(/=+$/, '');
  if (bare.length !== SECRET_KEY_LENGTH && bare.length < TOKEN_MIN_LENGTH) return false;
  return /[a-z]/.test(bare) && /[A-Z]/.test(bare);
}

/** True when the whole value (trimmed) is shaped like a secret access key, a session token or a JWT. */
export function looksLikeSecret(value: string): boolean {
  const v = value.trim();
  if (v.length < SECRET_KEY_LENGTH) return false;
  if (/^[A-Za-z0-9/+]+={0,2}$/.test(v) && secretRun(v)) return true;
  return new RegExp(`^${JWT.source}$`).test(v);
}

/** True when the value is shaped like a 40-character secret access key (the swapped-fields mistake). */
export function looksLikeSecretAccessKey(value: string): boolean {
  const v = value.trim();
  return /^[A-Za-z0-9/+]{40}$/.test(v) && /[a-z]/.test(v) && /[A-Z]/.test(v);
}

/** The AWS CLI's masking: 16 `*` then the last 4 characters. Short values are fully masked. */
export function maskSecret(value: string): string {
  if (value.length <= 4) return '*'.repeat(16);
  return `${'*'.repeat(16)}${value.slice(-4)}`;
}

/**
 * `text` with every secret-shaped substring masked, and every occurrence of the given values (what
 * credkit sent, the credential fields of a command's output), and of any 10-character or longer
 * piece of them (an endpoint may echo a prefix), masked too.
 */
export function maskSecretShapes(text: string, known: readonly (string | undefined)[] = []): string {
  const values = known.filter((k): k is string => typeof k === 'string' && k.length >= 8);
  // The common case, kept cheap for listings of thousands of short strings.
  if (values.length === 0 && text.length < SECRET_KEY_LENGTH) return text;
  let out = text;
  for (const value of values) out = out.split(value).join(maskSecret(value));
  out = out.replace(JWT, (jwt) => maskSecret(jwt));
  return out.replace(BASE64_RUN, (run) => {
    if (secretRun(run)) return maskSecret(run);
    if (run.length >= 10 && values.some((v) => v.includes(run))) return maskSecret(run);
    return run;
  });
}
