export type { Clock } from '../clock.js';
export { REMOTE_MESSAGE_MAX, redactRemoteMessage } from './remote-message.js';
export { looksLikeSecret, looksLikeSecretAccessKey, maskSecret, maskSecretShapes } from './secret-shape.js';
export {
  type DescribeUntrustedOptions,
  describeUntrusted,
  escapeControlCharacters,
  escapeJsonText,
  escapeTerminalText,
  hasControlCharacters,
} from './untrusted.js';

/**
 * The one error base of credkit. Every package throws `CredkitError` (or a subclass) with a stable
 * `code`; callers match on `code` (see `isCredkitError`), never on `instanceof` alone, because a
 * bundled CLI and an unbundled library can hold two copies of this class.
 *
 * Messages and hints must never contain a secret value: build them from names, files, lines and
 * masked values only (see `maskSecret`).
 */
export interface CredkitErrorOptions {
  /** What the user can do next, one or two sentences. */
  hint?: string;
  cause?: unknown;
  /** Process exit code the CLI uses: 1 failure (default), 2 usage error, 130 cancelled. */
  exitCode?: number;
  /** Non-secret structured facts (file, line, profile, flag...) for `--json` output and tests. */
  details?: Record<string, unknown>;
}

export class CredkitError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly exitCode: number;
  readonly details: Record<string, unknown>;

  constructor(code: string, message: string, options: CredkitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CredkitError';
    this.code = code;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? 1;
    this.details = options.details ?? {};
  }

  toJSON(): { code: string; message: string; hint?: string; details?: Record<string, unknown> } {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint === undefined ? {} : { hint: this.hint }),
      ...(Object.keys(this.details).length === 0 ? {} : { details: this.details }),
    };
  }
}

/** True when `error` is a credkit error (optionally with the given code), across bundle copies. */
export function isCredkitError(error: unknown, code?: string): error is CredkitError {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { name?: unknown; code?: unknown; exitCode?: unknown };
  const shaped = e.name === 'CredkitError' && typeof e.code === 'string' && typeof e.exitCode === 'number';
  return shaped && (code === undefined || e.code === code);
}
