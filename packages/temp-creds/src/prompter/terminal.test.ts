import { describe, expect, it } from 'vitest';
import { createFakeTerminal, type FakeTerminal, keys } from '../../test/fake-terminal.js';
import { isCredkitError } from '../errors/index.js';
import { createTerminalPrompter } from './terminal.js';
import type { Prompter } from './types.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

function setup(extra: { env?: Record<string, string>; signal?: AbortSignal } = {}): {
  term: FakeTerminal;
  prompter: Prompter;
} {
  const term = createFakeTerminal();
  const prompter = createTerminalPrompter({ input: term.input, output: term.output, ...extra });
  return { term, prompter };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the prompt to reject');
    },
    (error: unknown) => error,
  );
}

const regions = [
  { name: '[profile dev]', value: 'dev' },
  { name: '[profile prod-iad]', value: 'prod-iad', description: 'us-east-1' },
  { name: '[profile prod-pdx]', value: 'prod-pdx' },
  { name: 'Enter temporary credentials', value: 'temp' },
];

describe('createTerminalPrompter select', () => {
  it('shows the choices in order and picks with arrows and enter', async () => {
    const { term, prompter } = setup();
    const answer = prompter.select({ message: 'Which credentials?', choices: regions, help: 'for prod-iad' });
    await term.waitFor('Enter temporary credentials');
    const frame = term.frameFrom('Which credentials?');
    expect(frame).toContain('(for prod-iad)');
    const order = regions.map((choice) => frame.indexOf(choice.name));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    term.type(keys.down);
    await term.waitFor('us-east-1');
    term.type(keys.enter);
    await expect(answer).resolves.toBe('prod-iad');
    expect(term.input.rawModes.at(-1)).toBe(false);
    // The answered line keeps the question and the answer, not the help text.
    expect(term.frameFrom('Which credentials?')).not.toContain('for prod-iad');
  });

  it('narrows the list as the user types when filter is on, case-insensitively', async () => {
    const { term, prompter } = setup();
    const answer = prompter.select({ message: 'Which credentials?', choices: regions, filter: true });
    await term.waitFor('Enter temporary credentials');
    term.type('PROD-P');
    await term.waitFor(/Which credentials\? PROD-P/);
    const frame = term.frameFrom('Which credentials? PROD-P');
    expect(frame).toContain('[profile prod-pdx]');
    expect(frame).not.toContain('[profile prod-iad]');
    expect(frame).not.toContain('[profile dev]');
    term.type(keys.enter);
    await expect(answer).resolves.toBe('prod-pdx');
  });

  it('draws control characters in choice names escaped, never raw', async () => {
    const { term, prompter } = setup();
    const answer = prompter.select({
      message: 'Pick',
      choices: [{ name: 'evil\x1b[2J\x1b]0;pwned\x07', value: 1 }],
    });
    await term.waitFor('evil');
    expect(term.raw()).not.toContain('\x1b[2J');
    expect(term.raw()).not.toContain('\x1b]0;');
    expect(term.screen()).toContain('evil\\x1b[2J\\x1b]0;pwned\\x07');
    term.type(keys.enter);
    await expect(answer).resolves.toBe(1);
  });
});

describe('createTerminalPrompter input and confirm', () => {
  it('shows validation errors, then accepts a corrected answer', async () => {
    const { term, prompter } = setup();
    const answer = prompter.input({
      message: 'Name?',
      validate: (value) => (/^[a-z]+$/.test(value) ? true : 'Use lower-case letters only.'),
    });
    await term.waitFor('Name?');
    term.type(`BAD${keys.enter}`);
    await term.waitFor('Use lower-case letters only.');
    for (let i = 0; i < 3; i += 1) term.type(keys.backspace);
    term.type(`good${keys.enter}`);
    await expect(answer).resolves.toBe('good');
  });

  it('draws typed control characters escaped, never raw', async () => {
    const { term, prompter } = setup();
    const answer = prompter.input({ message: 'Key?' });
    await term.waitFor('Key?');
    term.type('ab\u009b2Jcd');
    await term.waitFor('cd');
    term.type(keys.enter);
    await expect(answer).resolves.toBe('ab\u009b2Jcd');
    expect(term.raw()).not.toContain('\u009b');
    expect(term.screen()).toContain('ab\\x9b2Jcd');
  });

  it('keeps the default on a bare enter, and asks several questions on one terminal', async () => {
    const { term, prompter } = setup();
    const first = prompter.input({ message: 'Region?', default: 'us-west-2' });
    await term.waitFor('Region?');
    term.type(keys.enter);
    await expect(first).resolves.toBe('us-west-2');
    const second = prompter.confirm({ message: 'Continue?', default: false });
    await term.waitFor('Continue?');
    term.type(`y${keys.enter}`);
    await expect(second).resolves.toBe(true);
  });
});

describe('createTerminalPrompter secret', () => {
  it('never draws what is typed, not even one mask character per key', async () => {
    const { term, prompter } = setup();
    const answer = prompter.secret({ message: "What's your AWS Secret Access Key?" });
    await term.waitFor('[input is hidden]');
    const before = term.raw().length;
    term.type(SECRET);
    term.type(keys.enter);
    await expect(answer).resolves.toBe(SECRET);
    const drawn = term.raw();
    expect(drawn).not.toContain(SECRET);
    expect(drawn).not.toContain('EXAMPLEKEY');
    expect(drawn.slice(before)).not.toContain('*');
    expect(term.screen()).toContain("✔ What's your AWS Secret Access Key?");
  });

  it('shows a default only masked, keeps it on enter, and supports backspace', async () => {
    const { term, prompter } = setup();
    const kept = prompter.secret({ message: 'Secret?', default: SECRET });
    await term.waitFor('Secret?');
    expect(term.screen()).toContain('press enter to keep ****************EKEY');
    term.type(keys.enter);
    await expect(kept).resolves.toBe(SECRET);
    expect(term.raw()).not.toContain('EXAMPLE');

    const edited = prompter.secret({ message: 'Again?' });
    await term.waitFor('Again?');
    term.type(`abcX${keys.backspace}d${keys.enter}`);
    await expect(edited).resolves.toBe('abcd');
  });

  it('reports validation errors without the value and starts the entry over', async () => {
    const { term, prompter } = setup();
    const answer = prompter.secret({
      message: 'Token?',
      validate: (value) => (value.length >= 8 ? true : 'The token is too short.'),
    });
    await term.waitFor('Token?');
    term.type(`short${keys.enter}`);
    await term.waitFor('The token is too short.');
    term.type(`longenough${keys.enter}`);
    await expect(answer).resolves.toBe('longenough');
    expect(term.screen()).not.toContain('short\n');
  });

  it('takes a long pasted token quickly', async () => {
    const { term, prompter } = setup();
    const token = 'IQoJb3JpZ2luX2VjE'.repeat(600); // 10 200 characters
    const answer = prompter.secret({ message: 'Token?' });
    await term.waitFor('Token?');
    const started = Date.now();
    term.type(`${token}${keys.enter}`);
    await expect(answer).resolves.toBe(token);
    // A hang guard (about 100 ms normally), not a speed claim.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(term.raw()).not.toContain('IQoJb3JpZ2lu');
  });
});

describe('createTerminalPrompter cancellation and failures', () => {
  const ask: Record<string, (p: Prompter) => Promise<unknown>> = {
    select: (p) => p.select({ message: 'Q?', choices: regions }),
    search: (p) => p.select({ message: 'Q?', choices: regions, filter: true }),
    input: (p) => p.input({ message: 'Q?' }),
    secret: (p) => p.secret({ message: 'Q?' }),
    confirm: (p) => p.confirm({ message: 'Q?' }),
  };

  for (const [kind, start] of Object.entries(ask)) {
    it(`${kind}: Ctrl-C rejects with PROMPT_CANCELLED (exit 130) and restores the terminal`, async () => {
      const { term, prompter } = setup();
      const error = rejection(start(prompter));
      await term.waitFor('Q?');
      expect(term.input.isRaw).toBe(true);
      term.type(keys.ctrlC);
      const caught = await error;
      expect(isCredkitError(caught, 'PROMPT_CANCELLED')).toBe(true);
      expect((caught as { exitCode: number }).exitCode).toBe(130);
      expect(term.input.isRaw).toBe(false);
      expect(term.raw().endsWith('\x1b[?25h')).toBe(true); // cursor shown again
    });

    it(`${kind}: Escape rejects with PROMPT_CANCELLED`, async () => {
      const { term, prompter } = setup();
      const error = rejection(start(prompter));
      await term.waitFor('Q?');
      term.type(keys.escape);
      expect(isCredkitError(await error, 'PROMPT_CANCELLED')).toBe(true);
      expect(term.input.isRaw).toBe(false);
    });

    it(`${kind}: Ctrl-D (which closes readline) cancels like Ctrl-C (exit 130) instead of hanging`, async () => {
      const { term, prompter } = setup();
      const error = rejection(start(prompter));
      await term.waitFor('Q?');
      term.type('\x04');
      const caught = await error;
      expect(caught).toMatchObject({ code: 'PROMPT_CANCELLED', exitCode: 130 });
      expect((caught as Error).message).toContain('(Ctrl-D)');
      expect(term.input.isRaw).toBe(false);
    });

    it(`${kind}: input ending before an answer rejects with PROMPT_EOF`, async () => {
      const { term, prompter } = setup();
      const error = rejection(start(prompter));
      await term.waitFor('Q?');
      term.input.end();
      const caught = await error;
      expect(isCredkitError(caught, 'PROMPT_EOF')).toBe(true);
      expect((caught as { exitCode: number }).exitCode).toBe(1);
    });
  }

  it('the AbortSignal cancels a prompt on screen, and an aborted signal cancels before drawing', async () => {
    const controller = new AbortController();
    const { term, prompter } = setup({ signal: controller.signal });
    const error = rejection(prompter.input({ message: 'Q?' }));
    await term.waitFor('Q?');
    controller.abort();
    expect(isCredkitError(await error, 'PROMPT_CANCELLED')).toBe(true);
    const again = await rejection(prompter.input({ message: 'Next?' }));
    expect(isCredkitError(again, 'PROMPT_CANCELLED')).toBe(true);
    expect(term.screen()).not.toContain('Next?');
  });

  it('rejects an input that already ended without drawing the question', async () => {
    const { term, prompter } = setup();
    term.input.end();
    term.input.resume();
    await new Promise((resolve) => setImmediate(resolve));
    expect(isCredkitError(await rejection(prompter.input({ message: 'Q?' })), 'PROMPT_EOF')).toBe(true);
  });

  it('rejects a 1 MB paste quickly with INPUT_TOO_LARGE, without echoing it', async () => {
    for (const kind of ['input', 'secret'] as const) {
      const { term, prompter } = setup();
      const error = rejection(prompter[kind]({ message: 'Q?' }));
      await term.waitFor('Q?');
      const started = Date.now();
      term.type(`${'AKIA'.repeat(256 * 1024)}\r`);
      const caught = await error;
      expect(isCredkitError(caught, 'INPUT_TOO_LARGE')).toBe(true);
      // A hang guard (milliseconds normally), not a speed claim.
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(term.raw()).not.toContain('AKIAAKIA');
      expect(term.input.isRaw).toBe(false);
    }
  });

  it('refuses to prompt without a TTY or under CI, instead of waiting', async () => {
    const { term, prompter } = setup({ env: { CI: 'true' } });
    const ci = await rejection(prompter.input({ message: 'Q?' }));
    expect(isCredkitError(ci, 'PROMPT_NOT_INTERACTIVE')).toBe(true);
    expect((ci as { exitCode: number }).exitCode).toBe(2);

    term.input.isTTY = false;
    const plain = createTerminalPrompter({ input: term.input, output: term.output });
    expect(isCredkitError(await rejection(plain.secret({ message: 'Q?' })), 'PROMPT_NOT_INTERACTIVE')).toBe(
      true,
    );
    expect(term.raw()).toBe('');
  });
});
