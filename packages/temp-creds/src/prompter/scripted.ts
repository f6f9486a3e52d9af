/**
 * A prompter that answers from a script, for unit tests at the prompt seam (the one place credkit
 * tests may replace a collaborator). It records every question, runs the caller's `validate` on the
 * scripted answers like a person retyping after an error, and fails loudly, never hangs, when the
 * script and the questions disagree or the script runs out.
 */
import { CredkitError } from '../errors/index.js';
import { cancelled, endOfInput } from './terminal.js';
import type { ConfirmOptions, InputOptions, Prompter, SecretOptions, SelectOptions } from './types.js';

export type PromptKind = 'select' | 'input' | 'secret' | 'confirm';

type PromptOptions = SelectOptions<unknown> | InputOptions | SecretOptions | ConfirmOptions;

interface StepMatch {
  /** The kind of prompt this step answers; a different kind fails with PROMPT_SCRIPT_MISMATCH. */
  expect?: PromptKind;
  /** The question must equal this string or match this pattern. */
  message?: RegExp | string;
}

export type ScriptStep = StepMatch &
  (
    | { answer: unknown }
    /** Select the choice whose displayed name is this. */
    | { choose: string }
    /** Behave like Ctrl-C / Escape: reject with PROMPT_CANCELLED. */
    | { cancel: true }
    /** Behave like input ending: reject with PROMPT_EOF. */
    | { eof: true }
  );

export interface ScriptedCall {
  kind: PromptKind;
  message: string;
  help?: string;
  /** Displayed names of a select's choices, in order. */
  choices?: string[];
  /** For a select: the choices that cannot be taken, by displayed name, with the reason shown. */
  disabled?: Record<string, string>;
  filter?: boolean;
  /** The default offered (for a secret only whether there was one: `'<hidden>'`). */
  default?: unknown;
  /** Messages returned by `validate` for rejected scripted answers, in order. */
  validationErrors: string[];
}

export interface ScriptedPrompter extends Prompter {
  readonly calls: readonly ScriptedCall[];
  /** Steps not used yet. */
  remaining(): number;
}

/** `answer` may be a function of the prompt options, e.g. `(o) => o.choices[1].value`. */
export function createScriptedPrompter(script: readonly ScriptStep[]): ScriptedPrompter {
  const steps = [...script];
  const calls: ScriptedCall[] = [];

  const next = (kind: PromptKind, options: PromptOptions, call: ScriptedCall): ScriptStep => {
    const step = steps.shift();
    if (step === undefined) {
      throw new CredkitError(
        'PROMPT_SCRIPT_EXHAUSTED',
        `The scripted prompter has no answer for ${kind} "${options.message}" (prompt ${calls.length}).`,
        { hint: 'Add a step to the script, or fix the code that asked an unexpected question.' },
      );
    }
    const kindOk = step.expect === undefined || step.expect === kind;
    const messageOk =
      step.message === undefined ||
      (typeof step.message === 'string'
        ? step.message === options.message
        : step.message.test(options.message));
    if (!kindOk || !messageOk) {
      throw mismatch(call, `expected ${step.expect ?? 'any prompt'} ${String(step.message ?? '')}`.trim());
    }
    if ('cancel' in step) throw cancelled(options.message);
    if ('eof' in step) throw endOfInput(options.message);
    return step;
  };

  const answerOf = (step: ScriptStep, options: PromptOptions): unknown =>
    'answer' in step ? (typeof step.answer === 'function' ? step.answer(options) : step.answer) : undefined;

  const text = async (kind: 'input' | 'secret', options: InputOptions | SecretOptions): Promise<string> => {
    const call: ScriptedCall = {
      kind,
      message: options.message,
      ...(options.help === undefined ? {} : { help: options.help }),
      ...(options.default === undefined ? {} : { default: kind === 'secret' ? '<hidden>' : options.default }),
      validationErrors: [],
    };
    calls.push(call);
    for (;;) {
      const answer = answerOf(next(kind, options, call), options);
      if (typeof answer !== 'string') throw mismatch(call, `a ${kind} answer must be a string`);
      const value = answer === '' && options.default !== undefined ? options.default : answer;
      if (options.maxLength !== undefined && Buffer.byteLength(value) > options.maxLength) {
        throw new CredkitError('INPUT_TOO_LARGE', `The answer to "${options.message}" is too long.`);
      }
      const verdict = options.validate ? options.validate(value) : true;
      if (verdict === true) return value;
      call.validationErrors.push(verdict);
    }
  };

  return {
    calls,
    remaining: () => steps.length,

    async select<T>(options: SelectOptions<T>): Promise<T> {
      const call: ScriptedCall = {
        kind: 'select',
        message: options.message,
        ...(options.help === undefined ? {} : { help: options.help }),
        choices: options.choices.map((choice) => choice.name),
        ...(options.choices.some((c) => c.disabled !== undefined)
          ? {
              disabled: Object.fromEntries(
                options.choices.flatMap((c) => (c.disabled === undefined ? [] : [[c.name, c.disabled]])),
              ),
            }
          : {}),
        ...(options.filter === undefined ? {} : { filter: options.filter }),
        validationErrors: [],
      };
      calls.push(call);
      const step = next('select', options as SelectOptions<unknown>, call);
      const picked =
        'choose' in step
          ? options.choices.find((choice) => choice.name === step.choose)
          : options.choices.find(
              (choice) => choice.value === answerOf(step, options as SelectOptions<unknown>),
            );
      if (picked === undefined) {
        throw mismatch(
          call,
          'choose' in step
            ? `no choice named "${step.choose}"`
            : 'the scripted answer is not one of the choice values',
        );
      }
      // A person cannot land on a disabled row either: a script that does is testing the impossible.
      if (picked.disabled !== undefined) {
        throw mismatch(call, `"${picked.name}" cannot be chosen (${picked.disabled})`);
      }
      return picked.value;
    },

    input: (options) => text('input', options),
    secret: (options) => text('secret', options),

    async confirm(options: ConfirmOptions): Promise<boolean> {
      const call: ScriptedCall = {
        kind: 'confirm',
        message: options.message,
        ...(options.default === undefined ? {} : { default: options.default }),
        validationErrors: [],
      };
      calls.push(call);
      const answer = answerOf(next('confirm', options, call), options) ?? options.default;
      if (typeof answer !== 'boolean') throw mismatch(call, 'a confirm answer must be a boolean');
      return answer;
    },
  };
}

function mismatch(call: ScriptedCall, why: string): CredkitError {
  return new CredkitError(
    'PROMPT_SCRIPT_MISMATCH',
    `The scripted prompter cannot answer ${call.kind} "${call.message}": ${why}.`,
    { details: { call } },
  );
}
