/**
 * Masked entry built on @inquirer/core. Not @inquirer/password, because that prompt keeps the whole
 * value in readline's line buffer and re-measures it on every keypress: pasting a few thousand
 * characters takes seconds (measured: 16 000 characters took 7.8 s). Here every keypress moves the
 * typed text out of readline into our own buffer, so each key costs the same however long the
 * value is.
 *
 * Nothing typed is ever drawn: not the characters, not one `*` per character. The screen shows only
 * the question and `[input is hidden]`, so scrollback holds no trace of the value or its length.
 * This module is imported lazily by terminal.ts (it loads readline and the prompt engine).
 */
import {
  createPrompt,
  isBackspaceKey,
  isEnterKey,
  makeTheme,
  useKeypress,
  usePrefix,
  useRef,
  useState,
} from '@inquirer/core';
import { DEFAULT_COLUMNS, displayWidth, wrap } from './layout.js';

export interface SecretPromptConfig {
  message: string;
  /** Returned when the user presses enter without typing anything. */
  default?: string | undefined;
  validate?: ((value: string) => true | string) | undefined;
  /** Columns available, read at each drawing (default 80): the question wraps at words to fit. */
  columns?: (() => number) | undefined;
}

const HIDDEN = '[input is hidden]';

type Status = 'idle' | 'done';

export const secretPrompt = createPrompt<string, SecretPromptConfig>((config, done) => {
  const theme = makeTheme({});
  const [status, setStatus] = useState<Status>('idle');
  const [error, setError] = useState<string | undefined>(undefined);
  // The typed text lives in a ref, not state: no render depends on it.
  const typed = useRef('');
  const prefix = usePrefix({ status, theme });

  useKeypress((key, rl) => {
    if (status !== 'idle') return;
    // readline has already applied the key to its own line; take what it inserted and empty the
    // line again, so readline never holds (or measures) more than one keypress worth of text.
    const line = rl.line;
    const editable = rl as unknown as { line: string; cursor: number };
    editable.line = '';
    editable.cursor = 0;
    if (isEnterKey(key)) {
      const answer = typed.current === '' && config.default !== undefined ? config.default : typed.current;
      const verdict = config.validate ? config.validate(answer) : true;
      if (verdict === true) {
        setStatus('done');
        done(answer);
      } else {
        // The user cannot see what they typed, so editing it is hopeless: start over.
        typed.current = '';
        setError(verdict);
      }
      return;
    }
    if (isBackspaceKey(key)) {
      typed.current = Array.from(typed.current).slice(0, -1).join('');
    } else if (key.ctrl && key.name === 'u') {
      typed.current = '';
    } else {
      typed.current += line;
    }
    if (error !== undefined) setError(undefined);
  });

  // The last column stays empty: some terminals wrap as soon as it is written.
  const width = Math.max(10, (config.columns?.() ?? DEFAULT_COLUMNS) - 1);
  const lines = wrap(config.message, width - 2, '  ');
  const last = lines.length - 1;
  const styled = lines.map((line, i) => {
    const text = i === 0 ? line : line.slice(2);
    return `${i === 0 ? `${prefix} ` : '  '}${theme.style.message(text, status)}`;
  });
  if (status === 'done') return styled.join('\n');
  const tip = theme.style.help(HIDDEN);
  // The cursor rests after the tip: it goes on the question's last line when it fits there.
  if (displayWidth(`${lines[last] ?? ''} ${HIDDEN}`) <= width - (last === 0 ? 2 : 0)) {
    styled[last] = `${styled[last]} ${tip}`;
  } else {
    styled.push(`  ${tip}`);
  }
  const problem =
    error === undefined
      ? ''
      : wrap(error, width - 2)
          .map((l) => theme.style.error(l))
          .join('\n');
  return [styled.join('\n'), problem];
});
