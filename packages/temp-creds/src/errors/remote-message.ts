/**
 * A remote endpoint's error message is data, not text to trust: it can echo what it received (a
 * session token, a secret, a web identity token) and carry terminal escapes. It is kept only after
 * every value credkit sent in that request and everything secret-shaped is masked, then escaped and
 * capped. Its error code is kept as it is (callers check it against a strict pattern).
 */
import { maskSecretShapes } from './secret-shape.js';
import { escapeControlCharacters } from './untrusted.js';

/** Characters of a remote message kept; enough for "User: arn:… is not authorized to perform: …". */
export const REMOTE_MESSAGE_MAX = 200;

export function redactRemoteMessage(
  message: string,
  sent: readonly (string | undefined)[],
  maxLength = REMOTE_MESSAGE_MAX,
): string {
  // Mask before cutting: a cut could leave a piece too short to recognise.
  const masked = escapeControlCharacters(maskSecretShapes(message, sent).replace(/\s+/g, ' ').trim());
  const chars = Array.from(masked);
  return chars.length > maxLength ? `${chars.slice(0, maxLength).join('')}…` : masked;
}
