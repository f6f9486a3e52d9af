/**
 * The real prompter, on @inquirer/prompts 7. Every prompt gets the injected input/output streams
 * and AbortSignal, never process.stdin/stdout implicitly.
 *
 * inquirer is imported lazily inside each method: the CLI's start-up time is measured against bare
 * node, and most runs never prompt. Only `import type` may name inquirer at the top of this file.
 *
 * What this layer adds to inquirer (each verified in terminal.test.ts):
 * - Escape cancels (inquirer ignores it) and Ctrl-C maps to PROMPT_CANCELLED, exit code 130.
 * - Ctrl-D (which closes readline on an empty line) cancels like Ctrl-C: PROMPT_CANCELLED, exit 130.
 *   The terminal itself going away (end of input, a hung-up pty) rejects with PROMPT_EOF. inquirer
 *   alone waits forever in both cases.
 * - More than `maxLength` bytes typed or pasted into one prompt rejects with INPUT_TOO_LARGE
 *   before readline sees them (readline + inquirer are quadratic in the line length: 4 000
 *   characters in an input prompt took 11 s, 16 000 took 208 s).
 * - The raw mode of the input is put back as it was, whatever way the prompt ends.
 */
import { PassThrough, Writable } from 'node:stream';
import { CredkitError, escapeControlCharacters, isCredkitError, maskSecret } from '../errors/index.js';
import { onTerminatingSignal } from '../signals/index.js';
import type {
  Choice,
  ConfirmOptions,
  InputOptions,
  Prompter,
  SecretOptions,
  SelectOptions,
} from './types.js';

/** The input side of a terminal: process.stdin or a test double with the same shape. */
export interface TerminalInput extends NodeJS.ReadableStream {
  isTTY?: boolean | undefined;
  isRaw?: boolean | undefined;
  setRawMode?: ((mode: boolean) => unknown) | undefined;
  readableEnded?: boolean | undefined;
}

export interface TerminalOutput extends NodeJS.WritableStream {
  columns?: number | undefined;
  rows?: number | undefined;
}

export interface TerminalPrompterOptions {
  input: TerminalInput;
  output: TerminalOutput;
  /** Aborting it cancels the prompt on screen with PROMPT_CANCELLED. */
  signal?: AbortSignal | undefined;
  /** Erase each question once answered (default: leave the answered line on screen). */
  clearPromptOnDone?: boolean | undefined;
  /** When given and CI is set, every prompt fails with PROMPT_NOT_INTERACTIVE instead of waiting. */
  env?: Record<string, string | undefined> | undefined;
}

/** Bytes one prompt accepts before INPUT_TOO_LARGE, unless the options say otherwise. */
export const DEFAULT_INPUT_MAX_LENGTH = 1024;
export const DEFAULT_SECRET_MAX_LENGTH = 16 * 1024;

export function createTerminalPrompter(options: TerminalPrompterOptions): Prompter {
  const session = { ...options };
  return {
    async select<T>(opts: SelectOptions<T>): Promise<T> {
      if (opts.choices.length === 0) {
        throw new CredkitError('PROMPT_NO_CHOICES', `Nothing to choose from for "${opts.message}".`, {
          hint: 'This is a bug in the caller: a select prompt needs at least one choice.',
        });
      }
      const { message } = opts;
      const theme = helpWhileAsking(opts.help);
      const choices = opts.choices.map((choice) => displayChoice(choice));
      const pageSize = Math.min(Math.max(choices.length, 1), 12);
      const prompts = await import('@inquirer/prompts');
      return runPrompt(session, opts.message, DEFAULT_INPUT_MAX_LENGTH, (context) =>
        opts.filter === true
          ? prompts.search<T>(
              { message, theme, pageSize, source: (term) => filterChoices(choices, term) },
              context,
            )
          : prompts.select<T>({ message, theme, pageSize, choices }, context),
      );
    },

    async input(opts: InputOptions): Promise<string> {
      const { input } = await import('@inquirer/prompts');
      const validate = opts.validate;
      return runPrompt(session, opts.message, opts.maxLength ?? DEFAULT_INPUT_MAX_LENGTH, (context) =>
        input(
          {
            message: opts.message,
            theme: helpWhileAsking(opts.help),
            ...(opts.default === undefined ? {} : { default: opts.default }),
            // A pasted value must not reach the terminal as raw control sequences.
            transformer: (value) => escapeControlCharacters(value),
            ...(validate ? { validate: (value: string) => validate(value) } : {}),
          },
          context,
        ),
      );
    },

    async secret(opts: SecretOptions): Promise<string> {
      const { secretPrompt } = await import('./secret-prompt.js');
      const keep = opts.default === undefined ? undefined : `press enter to keep ${maskSecret(opts.default)}`;
      const help = [opts.help, keep].filter((part) => part !== undefined).join('; ');
      return runPrompt(session, opts.message, opts.maxLength ?? DEFAULT_SECRET_MAX_LENGTH, (context) =>
        secretPrompt(
          {
            message: withHelp(opts.message, help === '' ? undefined : help),
            default: opts.default,
            validate: opts.validate,
          },
          context,
        ),
      );
    },

    async confirm(opts: ConfirmOptions): Promise<boolean> {
      const { confirm } = await import('@inquirer/prompts');
      return runPrompt(session, opts.message, DEFAULT_INPUT_MAX_LENGTH, (context) =>
        confirm(
          { message: opts.message, ...(opts.default === undefined ? {} : { default: opts.default }) },
          context,
        ),
      );
    },
  };
}

interface DisplayChoice<T> {
  name: string;
  value: T;
  description?: string;
}

function displayChoice<T>(choice: Choice<T>): DisplayChoice<T> {
  // Profile names come from files anyone may have edited: draw their characters, not their escapes.
  const name = escapeControlCharacters(choice.name);
  return choice.description === undefined
    ? { name, value: choice.value }
    : { name, value: choice.value, description: escapeControlCharacters(choice.description) };
}

/** Case-insensitive substring match on the displayed name, keeping the original order. */
export function filterChoices<T>(
  choices: readonly DisplayChoice<T>[],
  term: string | undefined,
): DisplayChoice<T>[] {
  const needle = (term ?? '').trim().toLowerCase();
  if (needle === '') return [...choices];
  return choices.filter((choice) => choice.name.toLowerCase().includes(needle));
}

/**
 * Help is shown while the question is open and dropped from the answered line, so scrollback keeps
 * one short line per answer.
 */
function helpWhileAsking(help: string | undefined) {
  if (help === undefined || help === '') return undefined;
  return {
    style: {
      message: (text: string, status: string) => (status === 'done' ? text : withHelp(text, help)),
    },
  };
}

function withHelp(message: string, help: string | undefined): string {
  return help === undefined || help === '' ? message : `${message} (${help})`;
}

/** The context argument every inquirer prompt takes (as in @inquirer/type's `Context`). */
interface PromptContext {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  signal: AbortSignal;
  clearPromptOnDone: boolean;
}

type PromptRun<T> = (context: PromptContext) => Promise<T>;

async function runPrompt<T>(
  options: TerminalPrompterOptions,
  message: string,
  maxBytes: number,
  start: PromptRun<T>,
): Promise<T> {
  const { input, output, signal, env } = options;
  if (signal?.aborted) throw cancelled(message);
  if (input.isTTY !== true || ciIsSet(env)) throw notInteractive(message);
  if (input.readableEnded === true) throw endOfInput(message);

  const controller = new AbortController();
  let failure: CredkitError | undefined;
  const stop = (error: CredkitError): void => {
    if (failure !== undefined) return;
    failure = error;
    controller.abort(error);
  };

  const wasRaw = input.isRaw;
  let settled = false;
  let ctrlD = false;
  // readline leaves raw mode only when it closes. If that happens while the prompt is still open
  // (Ctrl-D on an empty line closes readline), inquirer would wait forever. At a terminal Ctrl-D is
  // the person saying "no": a cancel, like Ctrl-C or Escape (a shell's EOF key ends what it asks too).
  const onReadlineClosed = (): void => {
    setImmediate(() => {
      if (!settled) stop(cancelled(message, ctrlD ? 'Ctrl-D' : undefined));
    });
  };
  const promptInput = createPromptInput(input, onReadlineClosed);
  const promptOutput = createPromptOutput(output);
  let received = 0;
  const onData = (chunk: Buffer | string): void => {
    received += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    if (received > maxBytes) {
      // Dropped unread: a huge paste must not reach readline (slow) or the screen (echo).
      stop(tooLarge(message, maxBytes));
      return;
    }
    promptInput.write(chunk);
  };
  const onEnd = (): void => stop(endOfInput(message));
  const onKeypress = (_text: string, key: { name?: string; ctrl?: boolean } | undefined): void => {
    if (key?.name === 'escape') stop(cancelled(message));
    if (key?.ctrl === true && key.name === 'd') ctrlD = true;
  };
  const onAbort = (): void => stop(cancelled(message));

  input.on('data', onData);
  input.on('end', onEnd);
  input.on('close', onEnd);
  promptInput.on('keypress', onKeypress);
  signal?.addEventListener('abort', onAbort, { once: true });
  // A signal (SIGTERM from a supervisor, SIGHUP from a closed window, kill -INT) ends the process
  // without running the `finally` below: put the terminal back first, then let the signal act.
  const offSignals = onTerminatingSignal(() => restoreTerminal(input, output, wasRaw));
  input.resume();
  try {
    return await start({
      input: promptInput,
      output: promptOutput,
      signal: controller.signal,
      clearPromptOnDone: options.clearPromptOnDone === true,
    });
  } catch (error: unknown) {
    throw failure ?? toPromptError(error, message);
  } finally {
    settled = true;
    offSignals();
    input.off('data', onData);
    input.off('end', onEnd);
    input.off('close', onEnd);
    signal?.removeEventListener('abort', onAbort);
    promptInput.off('keypress', onKeypress);
    promptInput.end();
    // Let the process exit once prompting is over, and leave the terminal mode as we found it.
    input.pause();
    if (input.setRawMode !== undefined && input.isRaw !== undefined && input.isRaw !== wasRaw) {
      input.setRawMode(wasRaw === true);
    }
  }
}

/** Echo and line mode back (raw mode off, as found) and the cursor shown, synchronously. */
function restoreTerminal(input: TerminalInput, output: TerminalOutput, wasRaw: boolean | undefined): void {
  try {
    if (input.setRawMode !== undefined && input.isRaw !== undefined && input.isRaw !== wasRaw) {
      input.setRawMode(wasRaw === true);
    }
  } finally {
    // inquirer hides the cursor while a select is open; a TTY write to it is synchronous.
    output.write('\u001b[?25h\n');
  }
}

/**
 * What inquirer reads from for one prompt: fed by `runPrompt` so input can be capped and EOF seen,
 * and forwarding raw mode to the real terminal.
 */
function createPromptInput(input: TerminalInput, onRawModeOff: () => void): PassThrough {
  const proxy = new PassThrough();
  Object.assign(proxy, {
    isTTY: true,
    setRawMode(mode: boolean) {
      input.setRawMode?.(mode);
      if (!mode) onRawModeOff();
      return proxy;
    },
  });
  return proxy;
}

/**
 * What inquirer writes to for one prompt. inquirer ends the stream it is given when a prompt
 * finishes; this wrapper keeps that from ending the caller's output (which the next prompt needs).
 */
function createPromptOutput(output: TerminalOutput): Writable {
  const proxy = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      output.write(chunk);
      callback();
    },
  });
  Object.defineProperties(proxy, {
    isTTY: { get: () => true },
    columns: { get: () => output.columns ?? 80 },
    rows: { get: () => output.rows ?? 24 },
  });
  return proxy;
}

function ciIsSet(env: Record<string, string | undefined> | undefined): boolean {
  const ci = env?.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

function toPromptError(error: unknown, message: string): CredkitError {
  if (isCredkitError(error)) return error;
  const name = error instanceof Error ? error.name : typeof error;
  if (name === 'ExitPromptError' || name === 'AbortPromptError' || name === 'CancelPromptError') {
    return cancelled(message);
  }
  // Keep only the name: an unexpected error's message could hold what was typed.
  return new CredkitError('PROMPT_FAILED', `The prompt "${message}" failed (${name}).`, {
    hint: 'Pass the answer with a flag instead, and report this as a bug.',
    details: { errorName: name },
  });
}

export function cancelled(message: string, key?: string): CredkitError {
  return new CredkitError('PROMPT_CANCELLED', `Cancelled at "${message}"${key ? ` (${key})` : ''}.`, {
    exitCode: 130,
  });
}

export function endOfInput(message: string): CredkitError {
  return new CredkitError('PROMPT_EOF', `Input ended before "${message}" was answered.`, {
    hint: 'Run credkit in a terminal, or pass the answer with flags.',
  });
}

function notInteractive(message: string): CredkitError {
  return new CredkitError('PROMPT_NOT_INTERACTIVE', `Cannot ask "${message}": no terminal to ask it on.`, {
    hint: 'Stdin is not a terminal or CI is set; pass the answer with flags.',
    exitCode: 2,
  });
}

function tooLarge(message: string, maxBytes: number): CredkitError {
  return new CredkitError(
    'INPUT_TOO_LARGE',
    `The answer to "${message}" is longer than ${maxBytes} bytes; it was rejected without being read.`,
    { hint: 'Check what was pasted: expected a single value.', details: { maxBytes } },
  );
}
