import { describe, expect, it } from 'vitest';
import { createFakeTerminal, keys } from '../../test/fake-terminal.js';
import { isCredkitError } from '../errors/index.js';
import { createScriptedPrompter } from '../prompter/scripted.js';
import { createTerminalPrompter } from '../prompter/terminal.js';
import { PROMPT_MESSAGES, promptTemporaryCredentials } from './prompt.js';

const KEY = 'ASIAIOSFODNN7EXAMPLE';
const LONG_TERM_KEY = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const TOKEN = 'IQoJb3JpZ2luX2VjEHUaCXVzLWVhc3QtMSJHMEUCIQDexampleTOKEN';

describe('promptTemporaryCredentials at the prompt seam', () => {
  it('asks the three questions in order, the secret and token masked', async () => {
    const prompter = createScriptedPrompter([
      { expect: 'input', message: PROMPT_MESSAGES.accessKeyId, answer: ` ${KEY} ` },
      { expect: 'secret', message: PROMPT_MESSAGES.secretAccessKey, answer: SECRET },
      { expect: 'secret', message: PROMPT_MESSAGES.sessionToken, answer: `${TOKEN}\n` },
    ]);
    const credentials = await promptTemporaryCredentials({ prompter });
    expect(credentials).toMatchObject({
      accessKeyId: KEY,
      secretAccessKey: SECRET,
      sessionToken: TOKEN,
      source: 'prompt',
    });
    expect(prompter.calls.map((call) => call.message)).toEqual([
      "What's your AWS Access Key ID?",
      "What's your AWS Secret Access Key?",
      "What's your AWS Session Token?",
    ]);
    expect(prompter.remaining()).toBe(0);
  });

  it('a secret pasted at the Access Key ID prompt is described, not quoted, and asked again', async () => {
    const prompter = createScriptedPrompter([
      { answer: SECRET },
      { answer: KEY },
      { answer: SECRET },
      { answer: TOKEN },
    ]);
    await promptTemporaryCredentials({ prompter });
    const errors = prompter.calls[0]?.validationErrors ?? [];
    expect(errors).toEqual([expect.stringMatching(/looks like a secret access key, not a key ID/)]);
    expect(errors.join('')).not.toContain(SECRET.slice(0, 4));
  });

  it('re-asks after an invalid answer with a message that never repeats a secret', async () => {
    const prompter = createScriptedPrompter([
      { answer: 'AIDAJQABLZS4A3QDU576Q' },
      { answer: KEY },
      { answer: `${SECRET}\x1b[2J` },
      { answer: SECRET },
      { answer: '' },
      { answer: TOKEN },
    ]);
    await promptTemporaryCredentials({ prompter });
    const [key, secret, token] = prompter.calls;
    expect(key?.validationErrors).toEqual([
      expect.stringMatching(/starts with AIDA, which marks an IAM user ID/),
    ]);
    expect(secret?.validationErrors).toEqual([expect.stringMatching(/control characters or spaces/)]);
    expect(token?.validationErrors).toEqual([expect.stringMatching(/ASIA access keys are temporary/)]);
    expect(JSON.stringify(prompter.calls)).not.toContain('EXAMPLEKEY');
  });

  it('lets the token be empty for a long-term AKIA key, and says so', async () => {
    const prompter = createScriptedPrompter([{ answer: LONG_TERM_KEY }, { answer: SECRET }, { answer: '' }]);
    const credentials = await promptTemporaryCredentials({ prompter });
    expect(credentials.keyType).toBe('long-term');
    expect(credentials.sessionToken).toBeUndefined();
    expect(prompter.calls[2]?.help).toBe('leave empty for a long-term AKIA key');
  });

  it('keeps defaults on enter, offering the key ID masked', async () => {
    const prompter = createScriptedPrompter([{ answer: '' }, { answer: '' }, { answer: '' }]);
    const credentials = await promptTemporaryCredentials({
      prompter,
      defaults: { accessKeyId: KEY, secretAccessKey: SECRET, sessionToken: TOKEN },
    });
    expect(credentials).toMatchObject({ accessKeyId: KEY, secretAccessKey: SECRET, sessionToken: TOKEN });
    expect(prompter.calls[0]?.help).toBe('press enter to keep ****************MPLE');
    expect(prompter.calls[1]?.default).toBe('<hidden>');
  });

  it('passes cancellation through', async () => {
    const prompter = createScriptedPrompter([{ answer: KEY }, { cancel: true }]);
    const error = await promptTemporaryCredentials({ prompter }).catch((e: unknown) => e);
    expect(isCredkitError(error, 'PROMPT_CANCELLED')).toBe(true);
  });
});

describe('promptTemporaryCredentials on a terminal', () => {
  it('draws the questions and never the secret or token, and restores the terminal', async () => {
    const term = createFakeTerminal();
    const prompter = createTerminalPrompter({ input: term.input, output: term.output });
    const answer = promptTemporaryCredentials({ prompter });
    await term.waitFor(PROMPT_MESSAGES.accessKeyId);
    term.type(`${KEY}${keys.enter}`);
    await term.waitFor(PROMPT_MESSAGES.secretAccessKey);
    term.type(`${SECRET}${keys.enter}`);
    await term.waitFor(PROMPT_MESSAGES.sessionToken);
    term.type(`${TOKEN}${keys.enter}`);
    await expect(answer).resolves.toMatchObject({
      accessKeyId: KEY,
      secretAccessKey: SECRET,
      sessionToken: TOKEN,
    });
    const drawn = term.raw();
    expect(drawn).toContain(KEY);
    expect(drawn).not.toContain('EXAMPLEKEY');
    expect(drawn).not.toContain('exampleTOKEN');
    expect(term.input.isRaw).toBe(false);
  });

  it('shows a validation error on screen and lets the user retry', async () => {
    const term = createFakeTerminal();
    const prompter = createTerminalPrompter({ input: term.input, output: term.output });
    const answer = promptTemporaryCredentials({ prompter });
    await term.waitFor(PROMPT_MESSAGES.accessKeyId);
    term.type(`${KEY.toLowerCase()}${keys.enter}`);
    await term.waitFor('has lower-case letters');
    term.type(`${keys.backspace.repeat(KEY.length)}${KEY}${keys.enter}`);
    await term.waitFor(PROMPT_MESSAGES.secretAccessKey);
    term.type(`short${keys.enter}`);
    await term.waitFor('secret access key is 5 characters long');
    term.type(`${SECRET}${keys.enter}`);
    await term.waitFor(PROMPT_MESSAGES.sessionToken);
    term.type(keys.ctrlC);
    const error = await answer.catch((e: unknown) => e);
    expect(isCredkitError(error, 'PROMPT_CANCELLED')).toBe(true);
    expect(term.raw()).not.toContain('EXAMPLEKEY');
  });
});
