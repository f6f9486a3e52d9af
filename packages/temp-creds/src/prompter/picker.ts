/**
 * The list picker behind `Prompter.select`, built on @inquirer/core rather than @inquirer/select or
 * @inquirer/search because those let rows wrap (a long profile list at 80 columns took two lines a
 * row), show disabled rows without their reason, filter on names only, and give Escape no meaning.
 *
 * Here every line is cut to the width first and coloured afterwards (so a cut never lands inside an
 * escape sequence), rows that cannot be chosen show why and the cursor skips them, typing filters on
 * the name and the detail shown beside it, and Escape clears the filter before it cancels.
 * This module is imported lazily by terminal.ts (it loads readline and the prompt engine).
 */
import {
  createPrompt,
  isDownKey,
  isEnterKey,
  isUpKey,
  makeTheme,
  useKeypress,
  usePrefix,
  useRef,
  useState,
} from '@inquirer/core';
import { displayWidth, truncate, wrap } from './layout.js';

export interface PickerChoice {
  name: string;
  value: unknown;
  /** What typing matches first (default: the name). */
  filterName?: string | undefined;
  /** Shown beside the name, dimmed. */
  description?: string | undefined;
  /** Why this row cannot be chosen; shown beside the name, and the cursor skips the row. */
  disabled?: string | undefined;
}

export interface PickerConfig {
  message: string;
  help?: string | undefined;
  choices: readonly PickerChoice[];
  /** Typing narrows the list (otherwise typed characters are ignored). */
  filter: boolean;
  /** Columns available, read at each drawing; nothing drawn is wider. */
  columns: () => number;
  /** Rows of choices shown at once. */
  pageSize: number;
  /** Escape with no filter typed: the caller cancels the prompt (PROMPT_CANCELLED). */
  onCancel: () => void;
}

type Status = 'idle' | 'done';

/**
 * Indexes into `choices` of the rows that match `term` (case-insensitive substring): first those
 * whose name matches, then those matching only the text beside them, each in their original order.
 */
export function matchingRows(choices: readonly PickerChoice[], term: string): number[] {
  const needle = term.trim().toLowerCase();
  if (needle === '') return choices.map((_, index) => index);
  const byName: number[] = [];
  const byDetail: number[] = [];
  choices.forEach((choice, index) => {
    if ((choice.filterName ?? choice.name).toLowerCase().includes(needle)) byName.push(index);
    else if (`${choice.description ?? ''} ${choice.disabled ?? ''}`.toLowerCase().includes(needle)) {
      byDetail.push(index);
    }
  });
  return [...byName, ...byDetail];
}

/** The key hints, longest first: the first that fits the width is drawn. */
function footerVariants(filter: boolean, filtering: boolean): string[] {
  const esc = filtering ? 'esc clear filter' : 'esc cancel';
  return filter
    ? [
        `↑↓ move · type to filter · enter select · ${esc}`,
        `↑↓ · type to filter · enter · ${esc}`,
        `type to filter · ${esc}`,
      ]
    : [`↑↓ move · enter select · ${esc}`, `↑↓ · enter · ${esc}`];
}

export function footerLine(filter: boolean, filtering: boolean, position: string, width: number): string {
  for (const variant of footerVariants(filter, filtering)) {
    const withPosition = position === '' ? variant : `${variant} · ${position}`;
    if (displayWidth(withPosition) <= width) return withPosition;
    if (displayWidth(variant) <= width) return variant;
  }
  return truncate(footerVariants(filter, filtering).at(-1) ?? '', width);
}

/** Readline keeps its own copy of what was typed: make it say `text`. */
function setLine(rl: unknown, text: string): void {
  const editable = rl as { line: string; cursor: number };
  editable.line = text;
  editable.cursor = text.length;
}

// Typed or pasted control and bidi-override characters would be drawn raw in the filter: drop them.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028-\u202e\u2066-\u2069]/g;

export const picker = createPrompt<unknown, PickerConfig>((config, done) => {
  const theme = makeTheme({});
  const { choices, columns } = config;
  // The last column stays empty: some terminals wrap as soon as it is written.
  const width = Math.max(10, columns() - 1);
  const [status, setStatus] = useState<Status>('idle');
  const [term, setTerm] = useState('');
  const rows = matchingRows(choices, term);
  const selectable = rows.filter((index) => choices[index]?.disabled === undefined);
  const [active, setActive] = useState<number | undefined>(selectable[0]);
  const current = active !== undefined && selectable.includes(active) ? active : selectable[0];
  const top = useRef(0);
  const prefix = usePrefix({ status, theme });

  useKeypress((key, rl) => {
    if (status !== 'idle') return;
    if (isEnterKey(key)) {
      // Readline empties its line on enter; the filter stays until the user changes it.
      setLine(rl, term);
      if (current === undefined) return;
      setStatus('done');
      done(choices[current]?.value);
      return;
    }
    if (key.name === 'escape') {
      if (term === '') {
        config.onCancel();
        return;
      }
      setLine(rl, '');
      setTerm('');
      setActive(undefined);
      return;
    }
    if (key.name === 'pageup' || key.name === 'pagedown') {
      // A page at a time through a long list, stopping at its ends.
      if (selectable.length === 0) return;
      const at = current === undefined ? 0 : selectable.indexOf(current);
      const step = key.name === 'pageup' ? -config.pageSize : config.pageSize;
      setActive(selectable[Math.max(0, Math.min(selectable.length - 1, at + step))]);
      return;
    }
    if (isUpKey(key) || isDownKey(key)) {
      // Readline may have put a history entry in its line: the filter is what counts.
      setLine(rl, term);
      if (selectable.length === 0) return;
      const at = current === undefined ? -1 : selectable.indexOf(current);
      const step = isUpKey(key) ? -1 : 1;
      setActive(selectable[(at + step + selectable.length) % selectable.length]);
      return;
    }
    const typed = rl.line.replace(CONTROL, '');
    if (!config.filter) {
      setLine(rl, '');
      return;
    }
    if (typed !== rl.line) setLine(rl, typed);
    if (typed !== term) {
      setTerm(typed);
      setActive(undefined);
    }
  });

  const message = config.message;
  if (status === 'done') {
    const answer = current === undefined ? '' : (choices[current]?.name ?? '');
    const whole = `${message} ${answer}`;
    const line =
      displayWidth(whole) <= width - 2
        ? `${theme.style.message(message, status)} ${theme.style.answer(answer)}`
        : theme.style.message(wrap(whole, width - 2, '  ').join('\n'), status);
    return `${prefix} ${line}`;
  }

  // The question wraps at words (cutting it could lose the environment's name); the filter goes
  // at its end, where the cursor is, or on a line of its own when it does not fit there.
  const questionLines = wrap(message, width - 2, '  ');
  const last = questionLines.length - 1;
  const shownTerm = config.filter ? term : '';
  const headerLines = questionLines.map((line, i) =>
    i === 0 ? `${prefix} ${theme.style.message(line, status)}` : theme.style.message(line, status),
  );
  if (shownTerm !== '') {
    const room = width - (last === 0 ? 2 : 0) - displayWidth(questionLines[last] ?? '') - 1;
    if (displayWidth(shownTerm) <= room) headerLines[last] += ` ${theme.style.highlight(shownTerm)}`;
    else headerLines.push(`  ${theme.style.highlight(shownTerm)}`);
  }
  const header = headerLines.join('\n');

  const lines: string[] = [];
  if (config.help !== undefined && config.help !== '') {
    for (const line of wrap(config.help, width - 2)) lines.push(theme.style.help(`  ${line}`));
  }

  const pageSize = Math.max(1, config.pageSize);
  const position = current === undefined ? -1 : rows.indexOf(current);
  if (position !== -1 && position < top.current) top.current = position;
  if (position >= top.current + pageSize) top.current = position - pageSize + 1;
  top.current = Math.max(0, Math.min(top.current, Math.max(0, rows.length - pageSize)));
  const page = rows.slice(top.current, top.current + pageSize);

  // Details line up in one column, set from every choice so it does not move while filtering.
  // Names get half the width, but at least 24 columns on a narrow screen (the name is what the
  // user picks by), leaving the detail 12 or more.
  const longest = choices.reduce((max, c) => Math.max(max, displayWidth(c.name)), 0);
  const nameColumn = Math.max(4, Math.min(longest, Math.max(Math.floor(width / 2), 24), width - 16));
  let cutDetail: string | undefined;
  for (const index of page) {
    const choice = choices[index];
    if (choice === undefined) continue;
    const isActive = index === current;
    const name = truncate(choice.name, nameColumn);
    const detail = choice.disabled !== undefined ? `✗ ${choice.disabled}` : (choice.description ?? '');
    const start = `${isActive ? '❯' : ' '} ${name}`;
    const pad = ' '.repeat(Math.max(0, nameColumn - displayWidth(name)));
    const room = width - displayWidth(start) - pad.length - 2;
    const shownDetail = detail === '' || room < 4 ? '' : truncate(detail, room);
    if (isActive && shownDetail !== detail) cutDetail = detail;
    // Nothing to highlight (only broken rows match): the first one's whole reason, when it was cut.
    if (current === undefined && cutDetail === undefined && shownDetail !== detail) {
      cutDetail = `${choice.name}: ${detail}`;
    }
    const tail = shownDetail === '' ? '' : `${pad}  ${shownDetail}`;
    if (choice.disabled !== undefined) lines.push(theme.style.help(`${start}${tail}`));
    else if (isActive) lines.push(theme.style.highlight(`${start}${tail}`));
    else lines.push(`${start}${theme.style.help(tail)}`);
  }
  if (rows.length === 0) {
    // The error style puts "> " in front.
    lines.push(theme.style.error(truncate(`No choice matches "${term}".`, width - 2)));
  } else if (selectable.length === 0) {
    lines.push(theme.style.error(truncate('None of these can be used; change the filter.', width - 2)));
  }
  // The highlighted row's full detail (or the first broken row's reason), when its row had to cut it.
  if (cutDetail !== undefined) {
    const full = wrap(cutDetail, width - 2);
    // At most four lines, the last one marked when there was more.
    const shown = full.length > 4 ? [...full.slice(0, 3), truncate(`${full[3]} …`, width - 2)] : full;
    for (const line of shown) lines.push(theme.style.help(`  ${line}`));
  }
  const range =
    rows.length > pageSize
      ? `${top.current + 1}-${Math.min(rows.length, top.current + pageSize)} of ${rows.length}`
      : '';
  lines.push(theme.style.help(footerLine(config.filter, term !== '', range, width)));
  return [header, lines.join('\n')];
});
