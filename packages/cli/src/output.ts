/**
 * How credkit talks back: human text (colored only on a TTY, never with NO_COLOR), plain text when
 * piped, JSON with --json. Warnings and errors always go to stderr.
 */

import { escapeTerminalText } from '@credkit/temp-creds/errors';
import type { OutputStream, TextOutput } from './context.js';
import { homeRelative } from './paths.js';
import { jsonText, stripMarks, styleMark, terminalText } from './terminal.js';

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

/** https://no-color.org: any non-empty NO_COLOR disables color; TERM=dumb too. */
export function colorEnabled(
  stream: { isTTY?: boolean | undefined },
  env: Record<string, string | undefined>,
): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

// Marks, not SGR sequences: the writer turns them into colors after escaping everything else.
function wrap(enabled: boolean, open: number, close: number) {
  return (text: string) => (enabled ? `${styleMark(open)}${text}${styleMark(close)}` : text);
}

export function createStyle(enabled: boolean): Style {
  return {
    bold: wrap(enabled, 1, 22),
    dim: wrap(enabled, 2, 22),
    red: wrap(enabled, 31, 39),
    green: wrap(enabled, 32, 39),
    yellow: wrap(enabled, 33, 39),
    cyan: wrap(enabled, 36, 39),
  };
}

export interface Output {
  /** Style for stdout text. */
  style: Style;
  line(text?: string): void;
  json(value: unknown): void;
  warn(message: string, hint?: string): void;
  /** Progress/notice on stderr, kept off stdout so that stdout stays scriptable. */
  note(message: string): void;
}

const warned = new WeakMap<object, Set<string>>();

/**
 * Output for one command. `streams` is read lazily (the CLI passes getters), so a command that only
 * writes to stdout never creates process.stderr or process.stdin.
 */
export function createOutput(
  streams: {
    readonly stdout: TextOutput;
    readonly stderr: OutputStream;
    readonly env: Record<string, string | undefined>;
  },
  json = false,
): Output {
  const { env } = streams;
  let style: Style | undefined;
  let errStyle: Style | undefined;
  const stderrStyle = () => {
    errStyle ??= createStyle(colorEnabled(streams.stderr, env));
    return errStyle;
  };
  // Nothing this object prints is a credential (export writes those itself), so secret shapes
  // are masked on both streams.
  let outColor: boolean | undefined;
  let errColor: boolean | undefined;
  const toStderr = (text: string) => {
    errColor ??= colorEnabled(streams.stderr, env);
    streams.stderr.write(terminalText(text, { color: errColor, maskSecrets: true }));
  };
  return {
    get style() {
      style ??= createStyle(colorEnabled(streams.stdout, env));
      return style;
    },
    line: (text = '') => {
      outColor ??= colorEnabled(streams.stdout, env);
      streams.stdout.write(terminalText(`${text}\n`, { color: outColor, maskSecrets: true }));
    },
    json: (value) => {
      streams.stdout.write(`${jsonText(value, 2)}\n`);
    },
    warn: (text, hint) => {
      const message = homeRelative(text, env);
      // One command may reach the same warning twice (the app chain and a profile read the same
      // group-readable file): each is said once per command.
      const said = warned.get(streams) ?? new Set<string>();
      warned.set(streams, said);
      if (said.has(message)) return;
      said.add(message);
      if (json) {
        streams.stderr.write(
          `${jsonText({ warning: { message, ...(hint ? { hint: homeRelative(hint, env) } : {}) } })}\n`,
        );
        return;
      }
      toStderr(`${stderrStyle().yellow('warning:')} ${message}\n`);
      if (hint) toStderr(`${stderrStyle().dim('hint:')} ${homeRelative(hint, env)}\n`);
    },
    note: (message) => {
      if (!json) toStderr(`${stderrStyle().dim(message)}\n`);
    },
  };
}

/** Aligned two-column rows for human output. */
export function table(rows: readonly (readonly string[])[], indent = ''): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell));
    });
  }
  return rows.map(
    (row) =>
      indent +
      row
        .map((cell, i) =>
          i === row.length - 1 ? cell : cell + ' '.repeat(widths[i]! - visibleLength(cell) + 2),
        )
        .join(''),
  );
}

/** Width on screen: without style marks, and as the writer will escape it. */
function visibleLength(text: string): number {
  return escapeTerminalText(stripMarks(text)).length;
}

export function formatExpiry(expiration: Date | undefined, now: Date, sessionToken?: string): string {
  if (expiration === undefined) {
    // Session keys without a known expiry (e.g. from env vars without AWS_CREDENTIAL_EXPIRATION)
    // do expire: say so rather than claim they are long-term.
    return sessionToken
      ? 'unknown (session credentials; set AWS_CREDENTIAL_EXPIRATION to show it)'
      : 'does not expire (long-term keys)';
  }
  const ms = expiration.getTime() - now.getTime();
  const iso = expiration.toISOString();
  if (ms <= 0) return `${iso} (expired)`;
  const minutes = Math.round(ms / 60_000);
  const span = minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
  return `${iso} (in ${span})`;
}
