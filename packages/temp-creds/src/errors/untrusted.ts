/**
 * The one way credkit prints text that did not come from its own source (file values, names, store
 * fields, argv, env values, remote messages): control characters and ANSI escapes are shown escaped
 * (never sent raw to the terminal, where they could recolour, clear the screen, set the title, move
 * the cursor or hide text), and so are lone surrogates, which a terminal cannot show truthfully.
 */
import { looksLikeSecret } from './secret-shape.js';

export interface DescribeUntrustedOptions {
  /** Characters of the value shown before it is cut (default 40). */
  maxLength?: number;
}

/**
 * Quotes a value the user typed, pasted or passed for an error message, escaped and cut. A value
 * shaped like a secret (whatever field it came in) is described, never quoted, not even in part.
 */
export function describeUntrusted(value: string, { maxLength = 40 }: DescribeUntrustedOptions = {}): string {
  if (looksLikeSecret(value)) return '(not shown: it looks like a secret)';
  const chars = Array.from(value);
  const shown = chars.slice(0, maxLength).map(escapeChar).join('');
  const rest = chars.length - Math.min(chars.length, maxLength);
  return rest > 0 ? `"${shown}"… (${rest} more characters)` : `"${shown}"`;
}

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
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
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `\\x${hex(code, 2)}`;
  if (
    code === 0x2028 ||
    code === 0x2029 ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069) ||
    // Array.from keeps a surrogate pair together, so a surrogate here is a lone one.
    (code >= 0xd800 && code <= 0xdfff)
  ) {
    return `\\u${hex(code, 4)}`;
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

// Everything escapeChar changes apart from quotes, backslashes, newlines and tabs: the fast path of
// escapeTerminalText skips the per-character walk for the common clean text.
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028-\u202e\u2066-\u2069\ud800-\udfff]/;

/**
 * Escapes a whole block of text for a terminal or log line, keeping its line breaks and tabs: what
 * the CLI's stdout and stderr writers apply to every string they print, so a new message cannot
 * forget it. Quotes and backslashes stay as they are.
 */
export function escapeTerminalText(text: string): string {
  if (!UNSAFE.test(text)) return text;
  return Array.from(text, (char) =>
    char === '"' || char === '\\' || char === '\n' || char === '\t' ? char : escapeChar(char),
  ).join('');
}

/**
 * JSON text that a terminal shows truthfully: JSON.stringify escapes C0 controls but leaves DEL, C1
 * controls, bidi overrides and line separators raw. They only occur inside strings, where a \u
 * escape means the same value, so the document parses to the same data.
 */
export function escapeJsonText(json: string): string {
  return json.replace(/[\u007f-\u009f\u2028-\u202e\u2066-\u2069]/g, (c) => `\\u${hex(c.charCodeAt(0), 4)}`);
}
