import { describe, expect, it } from 'vitest';
import { isCredkitError } from '../errors/index.js';
import { createScriptedPrompter } from './scripted.js';
import type { Choice } from './types.js';

const choices: Choice<{ kind: string; name?: string }>[] = [
  { name: 'Enter temporary credentials', value: { kind: 'temporary' } },
  { name: '[profile prod]', value: { kind: 'profile', name: 'prod' } },
];

describe('createScriptedPrompter', () => {
  it('answers in order, by value, by choice name or by function, and records the questions', async () => {
    const prompter = createScriptedPrompter([
      { expect: 'select', message: /Which credentials/, choose: '[profile prod]' },
      { expect: 'select', answer: (options: { choices: typeof choices }) => options.choices[0]?.value },
      { expect: 'input', answer: '' },
      { expect: 'confirm', answer: true },
    ]);
    expect(await prompter.select({ message: 'Which credentials?', choices, filter: true })).toBe(
      choices[1]?.value,
    );
    expect(await prompter.select({ message: 'Again?', choices })).toBe(choices[0]?.value);
    expect(await prompter.input({ message: 'Region?', default: 'us-west-2' })).toBe('us-west-2');
    expect(await prompter.confirm({ message: 'Sure?' })).toBe(true);
    expect(prompter.calls[0]).toMatchObject({
      kind: 'select',
      choices: ['Enter temporary credentials', '[profile prod]'],
      filter: true,
    });
    expect(prompter.calls[2]).toMatchObject({ kind: 'input', default: 'us-west-2' });
  });

  it('records disabled choices with their reason and refuses to pick one, as a terminal would', async () => {
    const withBroken: Choice<string>[] = [
      { name: '[profile ok]', value: 'ok' },
      { name: '[profile cyc]', value: 'cyc', disabled: 'source_profile forms a cycle' },
    ];
    const prompter = createScriptedPrompter([{ choose: '[profile cyc]' }, { answer: 'cyc' }]);
    const byName = await prompter.select({ message: 'Pick', choices: withBroken }).catch((e: unknown) => e);
    expect(isCredkitError(byName, 'PROMPT_SCRIPT_MISMATCH')).toBe(true);
    expect((byName as Error).message).toContain('cannot be chosen (source_profile forms a cycle)');
    const byValue = await prompter.select({ message: 'Pick', choices: withBroken }).catch((e: unknown) => e);
    expect(isCredkitError(byValue, 'PROMPT_SCRIPT_MISMATCH')).toBe(true);
    expect(prompter.calls[0]?.disabled).toEqual({ '[profile cyc]': 'source_profile forms a cycle' });
  });

  it('fails clearly instead of hanging when the script runs out or does not match', async () => {
    const prompter = createScriptedPrompter([{ expect: 'secret', answer: 'x' }]);
    const mismatch = await prompter.input({ message: 'Name?' }).catch((e: unknown) => e);
    expect(isCredkitError(mismatch, 'PROMPT_SCRIPT_MISMATCH')).toBe(true);
    const exhausted = await prompter.input({ message: 'Name?' }).catch((e: unknown) => e);
    expect(isCredkitError(exhausted, 'PROMPT_SCRIPT_EXHAUSTED')).toBe(true);
    expect((exhausted as Error).message).toContain('"Name?"');
    const wrongChoice = await createScriptedPrompter([{ choose: 'nope' }])
      .select({ message: 'Pick', choices })
      .catch((e: unknown) => e);
    expect(isCredkitError(wrongChoice, 'PROMPT_SCRIPT_MISMATCH')).toBe(true);
  });

  it('simulates Ctrl-C and end of input', async () => {
    const prompter = createScriptedPrompter([{ cancel: true }, { eof: true }]);
    const cancelled = await prompter.secret({ message: 'S?' }).catch((e: unknown) => e);
    expect(isCredkitError(cancelled, 'PROMPT_CANCELLED')).toBe(true);
    expect((cancelled as { exitCode: number }).exitCode).toBe(130);
    expect(
      isCredkitError(await prompter.confirm({ message: 'C?' }).catch((e: unknown) => e), 'PROMPT_EOF'),
    ).toBe(true);
  });

  it('runs validate like a user retyping, and fails when no valid answer is left', async () => {
    const prompter = createScriptedPrompter([{ answer: 'bad' }, { answer: 'good' }, { answer: 'bad' }]);
    const validate = (value: string): true | string => (value === 'good' ? true : 'Not good.');
    expect(await prompter.input({ message: 'Q?', validate })).toBe('good');
    expect(prompter.calls[0]?.validationErrors).toEqual(['Not good.']);
    const error = await prompter.input({ message: 'Q?', validate }).catch((e: unknown) => e);
    expect(isCredkitError(error, 'PROMPT_SCRIPT_EXHAUSTED')).toBe(true);
  });
});
