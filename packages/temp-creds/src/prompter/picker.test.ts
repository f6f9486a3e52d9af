import { describe, expect, it } from 'vitest';
import { createFakeTerminal, type FakeTerminal, keys } from '../../test/fake-terminal.js';
import { isCredkitError } from '../errors/index.js';
import { displayWidth } from './layout.js';
import { createTerminalPrompter } from './terminal.js';
import type { Choice, Prompter } from './types.js';

function setup(options: { columns?: number; env?: Record<string, string> } = {}): {
  term: FakeTerminal;
  prompter: Prompter;
} {
  const term = createFakeTerminal();
  if (options.columns !== undefined) term.output.columns = options.columns;
  const prompter = createTerminalPrompter({
    input: term.input,
    output: term.output,
    ...(options.env ? { env: options.env } : {}),
  });
  return { term, prompter };
}

/** Lines of the latest frame drawn from `marker` on (the text after it is that frame only). */
function frameLines(term: FakeTerminal, marker: string): string[] {
  return term.frameFrom(marker).split('\n');
}

/** Waits until the latest frame drawn from `marker` on satisfies `check` (a hang guard only). */
async function waitForFrame(term: FakeTerminal, marker: string, check: (frame: string) => boolean) {
  const started = Date.now();
  while (!check(term.frameFrom(marker))) {
    if (Date.now() - started > 30_000) throw new Error(`No such frame; screen:\n${term.screen()}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const QUESTION = 'Which credentials would you like to use to create prod-iad?';
const HELP =
  'These credentials are used only to create or delete prod-iad in its own account and region; your application keeps its default credentials.';

const profiles: Choice<string>[] = [
  { name: 'Enter temporary credentials', value: 'temp', description: 'Paste or type a key pair' },
  { name: '[profile cyc-a]', value: 'cyc-a', disabled: 'source_profile forms a cycle cyc-a -> cyc-b' },
  { name: '[profile deploy]', value: 'deploy', description: 'assume-role, eu-central-1' },
  { name: '[profile typo]', value: 'typo', disabled: 'aws_secret_access_key without aws_access_key_id' },
  { name: '[profile prod-iad]', value: 'prod-iad', description: 'static, us-east-1' },
];

describe('the picker: what cannot be used', () => {
  it('shows a broken row with its reason, and the cursor skips it both ways', async () => {
    const { term, prompter } = setup();
    const answer = prompter.select({ message: QUESTION, choices: profiles, filter: true });
    await term.waitFor('[profile prod-iad]');
    const frame = term.frameFrom(QUESTION);
    expect(frame).toMatch(/\[profile typo\] +✗ aws_secret_access_key without aws_access_key_id/);
    expect(frame).toMatch(/\[profile cyc-a\] +✗ source_profile forms a cycle/);
    term.type(keys.down);
    await term.waitFor(/❯ \[profile deploy\]/);
    term.type(keys.down);
    await term.waitFor(/❯ \[profile prod-iad\]/);
    term.type(keys.up);
    await term.waitFor(/❯ \[profile deploy\][^\n]*\n[^❯]*\[profile prod-iad\]/);
    term.type(keys.up);
    await term.waitFor(/❯ Enter temporary credentials[^❯]*\[profile deploy\]/);
    term.type(keys.up); // wraps to the last usable row, past no broken one
    await term.waitFor(/\[profile deploy\][^❯]*❯ \[profile prod-iad\]/);
    term.type(keys.enter);
    await expect(answer).resolves.toBe('prod-iad');
  });

  it('Enter when only broken rows match does nothing; the prompt stays and can still answer', async () => {
    const { term, prompter } = setup();
    const answer = prompter.select({ message: QUESTION, choices: profiles, filter: true });
    await term.waitFor('[profile prod-iad]');
    term.type('typo');
    await term.waitFor('None of these can be used');
    term.type(keys.enter);
    term.type(keys.enter);
    await term.waitFor(`${QUESTION} typo`);
    let settled = false;
    void answer.finally(() => {
      settled = true;
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(settled).toBe(false);
    term.type(keys.escape);
    // A lone Escape is told from an escape sequence only after a pause: wait for its frame.
    await waitForFrame(term, QUESTION, (f) => f.includes('esc cancel'));
    expect(term.frameFrom(QUESTION)).toContain('❯ Enter temporary credentials');
    term.type('deploy');
    await term.waitFor(/❯ \[profile deploy\]/);
    term.type(keys.enter);
    await expect(answer).resolves.toBe('deploy');
  });

  it('a list with nothing usable but a filter-free prompt still cancels on Escape', async () => {
    const { term, prompter } = setup();
    const broken = profiles.filter((p) => p.disabled !== undefined);
    const error = prompter.select({ message: 'Pick', choices: broken }).catch((e: unknown) => e);
    await term.waitFor('None of these can be used');
    term.type(keys.enter);
    term.type(keys.escape);
    expect(isCredkitError(await error, 'PROMPT_CANCELLED')).toBe(true);
  });
});

describe('the picker: filtering', () => {
  it('the footer says typing filters, and Escape clears the filter before it cancels', async () => {
    const { term, prompter } = setup();
    const error = prompter.select({ message: QUESTION, choices: profiles, filter: true }).catch((e) => e);
    await term.waitFor('type to filter');
    expect(term.frameFrom(QUESTION)).toContain('esc cancel');
    term.type('prod');
    await term.waitFor(`${QUESTION} prod`);
    expect(term.frameFrom(`${QUESTION} prod`)).not.toContain('[profile deploy]');
    expect(term.frameFrom(`${QUESTION} prod`)).toContain('esc clear filter');
    term.type(keys.escape);
    // The whole list is back, the filter gone, and the prompt still open.
    await waitForFrame(term, QUESTION, (f) => f.includes('esc cancel'));
    const frame = term.frameFrom(QUESTION);
    expect(frame).toContain('[profile deploy]');
    expect(frame.split('\n')[0]).toBe(QUESTION);
    term.type(keys.escape);
    const caught = await error;
    expect(isCredkitError(caught, 'PROMPT_CANCELLED')).toBe(true);
    expect((caught as { exitCode: number }).exitCode).toBe(130);
    expect(term.input.isRaw).toBe(false);
  });

  it('matches the text beside the name: a city finds its region', async () => {
    const { term, prompter } = setup();
    const answer = prompter.select({
      message: 'Which region?',
      filter: true,
      choices: [
        { name: 'eu-west-1', value: 'eu-west-1', description: 'Europe (Ireland)' },
        { name: 'eu-central-1', value: 'eu-central-1', description: 'Europe (Frankfurt)' },
        { name: 'us-east-1', value: 'us-east-1', description: 'US East (N. Virginia)' },
      ],
    });
    await term.waitFor('us-east-1');
    term.type('frank');
    await term.waitFor('Which region? frank');
    const frame = term.frameFrom('Which region? frank');
    expect(frame).toMatch(/❯ eu-central-1 +Europe \(Frankfurt\)/);
    expect(frame).not.toContain('eu-west-1');
    term.type(keys.enter);
    await expect(answer).resolves.toBe('eu-central-1');
  });

  it('matches the filter name before the text beside it: "pro" is not every "[profile …]"', async () => {
    const { term, prompter } = setup();
    const answer = prompter.select({
      message: 'Pick',
      filter: true,
      choices: [
        { name: '[profile app]', filterName: 'app', value: 'app', description: 'process, us-east-1' },
        { name: '[profile dev]', filterName: 'dev', value: 'dev', description: 'static, us-west-2' },
        { name: '[profile prod]', filterName: 'prod', value: 'prod', description: 'static, us-east-1' },
      ],
    });
    await term.waitFor('[profile dev]');
    term.type('pro');
    await waitForFrame(term, 'Pick pro', (f) => f.includes('[profile app]'));
    const frame = term.frameFrom('Pick pro');
    // prod by its name first (and highlighted), then app by "process"; dev not at all.
    expect(frame).toMatch(/❯ \[profile prod\][\s\S]*\[profile app\]/);
    expect(frame).not.toContain('[profile dev]');
    term.type(keys.enter);
    await expect(answer).resolves.toBe('prod');
  });

  it('Page Down and Page Up move a page at a time and stop at the ends', async () => {
    const { term, prompter } = setup();
    const many = Array.from({ length: 30 }, (_, i) => ({ name: `row-${i}`, value: i }));
    const answer = prompter.select({ message: 'Pick', choices: many, filter: true });
    await term.waitFor('1-12 of 30');
    term.type('\u001b[6~'); // Page Down
    await waitForFrame(term, 'Pick', (f) => f.includes('❯ row-12'));
    term.type('\u001b[6~\u001b[6~');
    await waitForFrame(term, 'Pick', (f) => f.includes('❯ row-29') && f.includes('19-30 of 30'));
    term.type('\u001b[5~'); // Page Up
    await waitForFrame(term, 'Pick', (f) => f.includes('❯ row-17'));
    term.type(keys.enter);
    await expect(answer).resolves.toBe(17);
  });

  it('says so when nothing matches, and typing without filter does not narrow the list', async () => {
    const { term, prompter } = setup();
    const error = prompter.select({ message: QUESTION, choices: profiles, filter: true }).catch((e) => e);
    await term.waitFor('[profile prod-iad]');
    term.type('zzz');
    await term.waitFor('No choice matches "zzz".');
    term.type(keys.ctrlC);
    expect(isCredkitError(await error, 'PROMPT_CANCELLED')).toBe(true);

    const second = setup();
    const answer = second.prompter.select({ message: 'Pick', choices: profiles });
    await second.term.waitFor('[profile prod-iad]');
    expect(second.term.frameFrom('Pick')).not.toContain('type to filter');
    second.term.type('prod');
    second.term.type(keys.down);
    await second.term.waitFor(/❯ \[profile deploy\]/);
    second.term.type(keys.enter);
    await expect(answer).resolves.toBe('deploy');
  });
});

describe('every prompt fits the width', () => {
  const long: Choice<string>[] = [
    ...profiles,
    {
      name: '[profile a-profile-name-that-goes-on-and-on-for-far-too-long-to-fit]',
      value: 'long',
      description: 'assume-role through three hops, us-gov-west-1',
    },
    ...Array.from({ length: 20 }, (_, i) => ({ name: `[profile extra-${i}]`, value: `x${i}` })),
  ];

  for (const columns of [80, 40]) {
    it(`at ${columns} columns: the question on one line, rows and footer cut with …`, async () => {
      const { term, prompter } = setup({ columns });
      const answer = prompter.select({ message: QUESTION, help: HELP, choices: long, filter: true });
      await term.waitFor('type to filter');
      term.type(keys.down);
      term.type(keys.down);
      term.type(keys.down);
      await term.waitFor(/❯ \[profile a-profile/);
      const lines = frameLines(term, columns === 80 ? QUESTION : 'Which credentials');
      for (const line of lines) expect(displayWidth(line), line).toBeLessThan(columns);
      // One line for the question at 80 columns; wrapped at words, never cut, when narrower.
      if (columns === 80) expect(lines[0]).toBe(QUESTION);
      else
        expect(lines.slice(0, 2)).toEqual([
          'Which credentials would you like to',
          '  use to create prod-iad?',
        ]);
      expect(lines.some((l) => l.startsWith('❯ [profile a-profile') && l.endsWith('…'))).toBe(true);
      expect(lines.some((l) => l.includes('type to filter'))).toBe(true);
      // 12 rows at most, and where the window is.
      expect(lines.at(-1)).toMatch(columns === 80 ? /1-12 of 26$/ : /type to filter/);
      // Colour is added after cutting: every escape sequence drawn is whole.
      for (const line of term.raw().split('\n')) {
        expect(line.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '')).not.toContain('\u001b');
      }
      term.type(keys.enter);
      await expect(answer).resolves.toBe('long');
      for (const line of term.frameFrom('Which credentials').split('\n')) {
        expect(displayWidth(line)).toBeLessThan(columns);
      }
    });

    it(`at ${columns} columns: a secret prompt and its error wrap at words`, async () => {
      const { term, prompter } = setup({ columns });
      const answer = prompter.secret({
        message: 'AWS session token',
        help: 'required for ASIA keys; paste the whole token, which is several hundred characters long',
        validate: (v) =>
          v === 'ok' ? true : 'The session token is too short: a token is several hundred characters long.',
      });
      await term.waitFor('[input is hidden]');
      term.type(`nope${keys.enter}`);
      await term.waitFor(/> (.* )?long\./);
      const lines = frameLines(term, 'AWS session token');
      for (const line of lines) expect(displayWidth(line), line).toBeLessThan(columns);
      expect(lines.join(' ')).toMatch(/too short: a (> )?token is several/);
      term.type(`ok${keys.enter}`);
      await expect(answer).resolves.toBe('ok');
    });
  }

  it('$COLUMNS also narrows the plain input prompts (region name, MFA code, access key id)', async () => {
    const { term, prompter } = setup({ columns: 200, env: { COLUMNS: '40' } });
    const answer = prompter.input({
      message: 'Region name:',
      help: 'For example us-east-1 or eu-west-3, or any region launched since',
      validate: (v) => (v === 'eu-west-3' ? true : 'Not a valid region name (like us-east-1 or eu-west-3).'),
    });
    await term.waitFor('since)');
    term.type(`mars${keys.enter}`);
    await term.waitFor(/> Not a valid/);
    for (const line of frameLines(term, 'Region name:')) expect(displayWidth(line), line).toBeLessThan(41);
    term.type(`\u0015eu-west-3${keys.enter}`);
    await expect(answer).resolves.toBe('eu-west-3');
  });

  it('$COLUMNS wins over the terminal width', async () => {
    const { term, prompter } = setup({ columns: 200, env: { COLUMNS: '40' } });
    const answer = prompter.select({ message: QUESTION, help: HELP, choices: long, filter: true });
    await term.waitFor('type to filter');
    for (const line of frameLines(term, 'Which credentials')) {
      expect(displayWidth(line), line).toBeLessThan(40);
    }
    term.type(keys.enter);
    await expect(answer).resolves.toBe('temp');
  });
});
