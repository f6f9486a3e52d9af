/**
 * Renders a value the user typed, pasted or passed on a command line so that it is safe to put in
 * an error message: control characters and ANSI escapes are shown escaped (never sent raw to the
 * terminal, where they could recolour, move the cursor or hide text) and long values are cut.
 * Use it only for values that are NOT secret (names, key IDs, paths); never for a secret.
 */
export interface DescribeUntrustedOptions {
  /** Characters of the value shown before it is cut (default 40). */
  maxLength?: number;
}

export function describeUntrusted(value: string, { maxLength = 40 }: DescribeUntrustedOptions = {}): string {
  const chars = Array.from(value);
  const shown = chars.slice(0, maxLength).map(escapeChar).join('');
  const rest = chars.length - Math.min(chars.length, maxLength);
  return rest > 0 ? `"${shown}"… (${rest} more characters)` : `"${shown}"`;
}

function escapeChar(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  if (char === '"') return '\\"';
  if (char === '\\') return '\\\\';
  if (char === '\n') return '\\n';
  if (char === '\r') return '\\r';
  if (char === '\t') return '\\t';
  // C0 and C1 controls, DEL, and the Unicode line/paragraph separators and bidi overrides that can
  // make a terminal show something other than what the bytes say.
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (
    code === 0x2028 ||
    code === 0x2029 ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  ) {
    return `\\u${code.toString(16).padStart(4, '0')}`;
  }
  return char;
}

/** True when the value holds a control character (C0, DEL, C1), e.g. part of an ANSI escape. */
export function hasControlCharacters(value: string): boolean {
  return /[\u0000-\u001f\u007f-\u009f]/.test(value);
}

/**
 * Escapes control characters (no quotes, no truncation) so a label from a config file or a typed
 * value can be drawn on a terminal as the characters it holds.
 */
export function escapeControlCharacters(value: string): string {
  return Array.from(value, (char) => (char === '"' || char === '\\' ? char : escapeChar(char))).join('');
}
