/**
 * The choke point between credkit and a terminal: every text the CLI writes (results, warnings,
 * errors, help) goes through `terminalText` or `jsonText`, so a new message cannot forget to escape
 * what it quotes. Untrusted text (file values, names, store fields, argv, env values, remote
 * messages) has its control characters, DEL, C1 controls and lone surrogates shown escaped, and
 * anything secret-shaped masked. Exported credentials do not come through here (see formats.ts).
 *
 * credkit's own colors cannot be told apart from a hostile `\e[31m` once both are in one string, so
 * styles are written as marks holding a per-process random nonce, turned into SGR sequences only
 * after the text around them was escaped. Text read from outside cannot carry a valid mark.
 */
import { escapeJsonText, escapeTerminalText, maskSecretShapes } from '@credkit/temp-creds/errors';

const NONCE = Math.random().toString(36).slice(2, 12).padEnd(10, '0');
const MARK = new RegExp(`\\uE000${NONCE}:(\\d{1,2})\\uE001`, 'g');

/** A style mark for SGR parameter `code` (1 bold, 31 red...); only `terminalText` gives it effect. */
export function styleMark(code: number): string {
  return `\uE000${NONCE}:${code}\uE001`;
}

/** `text` without style marks, for width computations. */
export function stripMarks(text: string): string {
  return text.replace(MARK, '');
}

/** `text` cut into style marks and the text between them (for measuring and wrapping). */
export function splitStyleMarks(text: string): { text: string; mark: boolean }[] {
  const pieces: { text: string; mark: boolean }[] = [];
  let last = 0;
  for (const match of text.matchAll(MARK)) {
    if (match.index > last) pieces.push({ text: text.slice(last, match.index), mark: false });
    pieces.push({ text: match[0], mark: true });
    last = match.index + match[0].length;
  }
  if (last < text.length) pieces.push({ text: text.slice(last), mark: false });
  return pieces;
}

function clean(text: string, maskSecrets: boolean): string {
  return escapeTerminalText(maskSecrets ? maskSecretShapes(text) : text);
}

/**
 * Text safe for a terminal: escaped (and, with `maskSecrets`, secret shapes masked) everywhere but
 * the style marks, which become SGR sequences when `color` is on and vanish otherwise.
 */
export function terminalText(
  text: string,
  { color, maskSecrets }: { color: boolean; maskSecrets: boolean },
): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(MARK)) {
    out += clean(text.slice(last, match.index), maskSecrets);
    if (color) out += `\u001b[${match[1]}m`;
    last = match.index + match[0].length;
  }
  return out + clean(text.slice(last), maskSecrets);
}

/** JSON for stdout or stderr: valid JSON (same data) with no raw control character, secrets masked. */
export function jsonText(value: unknown, indent?: number): string {
  // Masked value by value (not on the text, where a run could start inside an escape like `\n`).
  const json = JSON.stringify(
    value,
    (_key, v: unknown) => (typeof v === 'string' ? maskSecretShapes(stripMarks(v)) : v),
    indent,
  );
  return escapeJsonText(json ?? 'null');
}
