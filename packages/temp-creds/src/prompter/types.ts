/**
 * The prompt seam: the only place credkit talks to a person. Libraries take a `Prompter`;
 * unit tests pass a scripted one, the CLI passes `createTerminalPrompter(...)`.
 *
 * Every method rejects with a `CredkitError` whose code is `PROMPT_CANCELLED` (exitCode 130)
 * when the user presses Ctrl-C, Escape or Ctrl-D, or when the signal aborts, and with `PROMPT_EOF`
 * when input ends by itself (a closed pipe or terminal) before an answer.
 */
export interface Choice<T> {
  /** What the user sees, e.g. `[profile prod-iad]`. */
  name: string;
  value: T;
  /** Shown under the list when this choice is highlighted. */
  description?: string;
}

export interface SelectOptions<T> {
  message: string;
  choices: readonly Choice<T>[];
  /** Help text shown with the question (what the answer is used for). */
  help?: string;
  /** Typing filters the list (used for long lists). */
  filter?: boolean;
}

export interface InputOptions {
  message: string;
  help?: string;
  default?: string;
  /** Return true, or a message saying what is wrong (never echoing a secret). */
  validate?: (value: string) => true | string;
  /** Most bytes accepted for the answer; more rejects with INPUT_TOO_LARGE (terminal: 1024). */
  maxLength?: number;
}

export interface SecretOptions {
  message: string;
  help?: string;
  /** Kept if the user just presses enter; shown masked, never in clear. */
  default?: string;
  validate?: (value: string) => true | string;
  /** Most bytes accepted for the answer; more rejects with INPUT_TOO_LARGE (terminal: 16 KiB). */
  maxLength?: number;
}

export interface ConfirmOptions {
  message: string;
  default?: boolean;
}

export interface Prompter {
  select<T>(options: SelectOptions<T>): Promise<T>;
  input(options: InputOptions): Promise<string>;
  /** Masked entry: what is typed never appears on the screen. */
  secret(options: SecretOptions): Promise<string>;
  confirm(options: ConfirmOptions): Promise<boolean>;
}
