import { leaksNone, tempAwsHomes } from '@credkit/loopback-aws';
import { createScriptedPrompter } from '@credkit/temp-creds/prompter';
import { afterEach, describe, expect, it } from 'vitest';
import { selectEnvironmentCredentials } from './select.js';

const tempHome = tempAwsHomes(afterEach, { verbatim: true, fileMode: 0o644 });

const KEY = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const TEMP_KEY = 'ASIAIOSFODNN7EXAMPLE';
const TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLETOKENVALUE0123456789abcdef';
const QUESTION = 'Which credentials would you like to use to create prod-iad?';

async function home(config = '', credentials = '') {
  const { dir } = await tempHome({ config, credentials });
  return { dir, env: { HOME: dir } as Record<string, string | undefined> };
}

const profiles = `[profile prod]\nregion = us-east-1\naws_access_key_id = ${KEY}\naws_secret_access_key = ${SECRET}\n[profile half]\naws_access_key_id = ${KEY}\n`;

describe('flags', () => {
  it.each([
    [{ profile: 'prod', accessKeyId: KEY }, ['--profile', '--aws-access-key-id']],
    [{ profile: 'prod', secretAccessKey: SECRET }, ['--profile', '--aws-secret-access-key']],
    [{ profile: 'prod', sessionToken: TOKEN }, ['--profile', '--aws-session-token']],
    [
      { profile: 'prod', accessKeyId: KEY, secretAccessKey: SECRET },
      ['--profile', '--aws-access-key-id', '--aws-secret-access-key'],
    ],
  ])('%j is a FLAG_CONFLICT naming both flags', async (flags, named) => {
    const error = selectEnvironmentCredentials({ envName: 'prod-iad', flags, interactive: false });
    await expect(error).rejects.toMatchObject({
      code: 'FLAG_CONFLICT',
      exitCode: 2,
      details: { flags: named },
    });
    for (const flag of named) await expect(error).rejects.toThrow(flag);
    await expect(error).rejects.toSatisfy(leaksNone(SECRET));
  });

  it.each([
    [{ accessKeyId: KEY }, ['--aws-secret-access-key']],
    [{ secretAccessKey: SECRET }, ['--aws-access-key-id']],
    [{ sessionToken: TOKEN }, ['--aws-access-key-id', '--aws-secret-access-key']],
    [{ accessKeyId: KEY, sessionToken: TOKEN }, ['--aws-secret-access-key']],
    [{ accessKeyId: KEY, secretAccessKey: '  ' }, ['--aws-secret-access-key']],
  ])('%j is a MISSING_FLAG naming the missing partner', async (flags, missing) => {
    const error = selectEnvironmentCredentials({ envName: 'prod-iad', flags, interactive: true });
    await expect(error).rejects.toMatchObject({ code: 'MISSING_FLAG', exitCode: 2, details: { missing } });
    await expect(error).rejects.toMatchObject({ message: expect.stringContaining(missing.join(' and ')) });
    await expect(error).rejects.toMatchObject({ message: expect.not.stringContaining(SECRET) });
  });

  it('an empty --profile is a MISSING_FLAG', async () => {
    await expect(
      selectEnvironmentCredentials({ envName: 'e', flags: { profile: ' ' } }),
    ).rejects.toMatchObject({
      code: 'MISSING_FLAG',
      exitCode: 2,
    });
  });

  it('takes a key pair (and a token) from flags without asking anything', async () => {
    const prompter = createScriptedPrompter([]);
    const longTerm = await selectEnvironmentCredentials({
      envName: 'prod-iad',
      flags: { accessKeyId: KEY, secretAccessKey: SECRET },
      prompter,
      interactive: true,
    });
    expect(longTerm.choice).toEqual({ kind: 'temporary', via: 'flags' });
    expect(await longTerm.provider()).toMatchObject({ accessKeyId: KEY, secretAccessKey: SECRET });
    const temporary = await selectEnvironmentCredentials({
      envName: 'prod-iad',
      flags: { accessKeyId: TEMP_KEY, secretAccessKey: SECRET, sessionToken: TOKEN },
    });
    expect(await temporary.provider()).toMatchObject({ accessKeyId: TEMP_KEY, sessionToken: TOKEN });
    expect(prompter.calls).toEqual([]);
  });

  it('rejects malformed keys from flags with a usage error naming the flag, never the secret', async () => {
    const error = selectEnvironmentCredentials({
      envName: 'e',
      flags: { accessKeyId: TEMP_KEY, secretAccessKey: SECRET },
    });
    await expect(error).rejects.toMatchObject({ exitCode: 2, details: { name: '--aws-session-token' } });
    await expect(error).rejects.toSatisfy(leaksNone(SECRET));
  });

  it('--profile picks that profile and resolves it without asking', async () => {
    const h = await home(profiles);
    const prompter = createScriptedPrompter([]);
    const selection = await selectEnvironmentCredentials({
      envName: 'e',
      flags: { profile: 'prod' },
      prompter,
      env: h.env,
    });
    expect(selection.choice).toEqual({ kind: 'profile', profile: 'prod' });
    expect(selection.profile).toMatchObject({ name: 'prod', kind: 'static', region: 'us-east-1' });
    expect(await selection.provider()).toMatchObject({ accessKeyId: KEY, secretAccessKey: SECRET });
    expect(prompter.calls).toEqual([]);
  });

  it('an unknown --profile is PROFILE_NOT_FOUND naming both files and close matches', async () => {
    const h = await home(profiles);
    const error = selectEnvironmentCredentials({ envName: 'e', flags: { profile: 'prd' }, env: h.env });
    // Paths as every message shows them, and the near name before the others.
    await expect(error).rejects.toMatchObject({
      code: 'PROFILE_NOT_FOUND',
      message: expect.stringContaining('(--profile) was not found in ~/.aws/config or ~/.aws/credentials'),
      hint: expect.stringMatching(
        /^Did you mean "prod"\? Other profiles: .+\. Or create it: aws configure --profile prd$/,
      ),
    });
  });

  it('PROFILE_NOT_FOUND points at a section written the way the standard ignores', async () => {
    const h = await home('[staging]\nregion = us-east-1\n', '[ok]\n[profile prod2]\naws_access_key_id = A\n');
    await expect(
      selectEnvironmentCredentials({ envName: 'e', flags: { profile: 'staging' }, env: h.env }),
    ).rejects.toMatchObject({
      hint: expect.stringContaining('~/.aws/config:1: section [staging] is ignored'),
    });
    await expect(
      selectEnvironmentCredentials({ envName: 'e', flags: { profile: 'prod2' }, env: h.env }),
    ).rejects.toMatchObject({
      hint: expect.stringContaining('~/.aws/credentials:2: [profile prod2] in the credentials file'),
    });
  });

  it('an incomplete --profile fails at once naming file, line and reason', async () => {
    const h = await home(profiles);
    const error = selectEnvironmentCredentials({ envName: 'e', flags: { profile: 'half' }, env: h.env });
    await expect(error).rejects.toMatchObject({
      code: 'PROFILE_INCOMPLETE',
      message: expect.stringContaining('~/.aws/config:5'),
    });
    await expect(error).rejects.toMatchObject({
      message: expect.stringContaining('aws_access_key_id without aws_secret_access_key'),
    });
  });
});

describe('without flags and without a terminal', () => {
  it.each([
    ['interactive: false', { interactive: false }, true],
    ['no prompter', { interactive: true }, false],
    ['CI set (interactivity decided from env)', { env: { CI: 'true' }, stdin: { isTTY: true } }, true],
    ['stdin not a TTY', { env: {}, stdin: { isTTY: false } }, true],
  ] as const)('fails at once with NOT_INTERACTIVE naming the flags (%s)', async (_, extra, withPrompter) => {
    const prompter = createScriptedPrompter([]);
    const started = Date.now();
    const error = selectEnvironmentCredentials({
      envName: 'prod-iad',
      ...(withPrompter ? { prompter } : {}),
      ...extra,
    });
    await expect(error).rejects.toMatchObject({ code: 'NOT_INTERACTIVE', exitCode: 2 });
    // Nothing waits for input that cannot come; the bound only guards a hang.
    expect(Date.now() - started).toBeLessThan(10_000);
    for (const flag of [
      '--profile',
      '--aws-access-key-id',
      '--aws-secret-access-key',
      '--credentials-stdin',
    ]) {
      await expect(error).rejects.toMatchObject({ hint: expect.stringContaining(flag) });
    }
    expect(prompter.calls).toEqual([]);
  });
});

describe('asking', () => {
  it('offers temporary credentials first, then every profile in list-profiles order, with help', async () => {
    const h = await home(profiles, `[zed]\naws_access_key_id = ${KEY}\naws_secret_access_key = ${SECRET}\n`);
    const prompter = createScriptedPrompter([
      { expect: 'select', message: QUESTION, choose: '[profile zed]' },
    ]);
    const selection = await selectEnvironmentCredentials({
      envName: 'prod-iad',
      prompter,
      interactive: true,
      env: h.env,
    });
    expect(prompter.calls[0]).toMatchObject({
      choices: ['Enter temporary credentials', '[profile prod]', '[profile half]', '[profile zed]'],
      filter: false,
    });
    expect(prompter.calls[0]!.help).toContain('used only to create or delete prod-iad');
    expect(selection.choice).toEqual({ kind: 'profile', profile: 'zed' });
    expect(await selection.provider()).toMatchObject({ accessKeyId: KEY });
  });

  it('asks for filtering with 10 or more profiles', async () => {
    const many = Array.from(
      { length: 10 },
      (_, i) => `[profile p${i}]\ncredential_process = /bin/false\n`,
    ).join('');
    const h = await home(many);
    const prompter = createScriptedPrompter([{ choose: '[profile p7]' }]);
    const selection = await selectEnvironmentCredentials({
      envName: 'e',
      prompter,
      interactive: true,
      env: h.env,
    });
    expect(prompter.calls[0]).toMatchObject({ filter: true });
    expect(prompter.calls[0]!.choices).toHaveLength(11);
    expect(selection.profile).toMatchObject({ name: 'p7', kind: 'process' });
  });

  it('with no profiles says how to add one and offers temporary credentials', async () => {
    const h = await home();
    const prompter = createScriptedPrompter([
      { expect: 'select', choose: 'Enter temporary credentials' },
      { expect: 'input', answer: TEMP_KEY },
      { expect: 'secret', answer: SECRET },
      { expect: 'secret', answer: TOKEN },
    ]);
    const selection = await selectEnvironmentCredentials({
      envName: 'prod-iad',
      prompter,
      interactive: true,
      env: h.env,
    });
    expect(prompter.calls[0]!.choices).toEqual(['Enter temporary credentials']);
    expect(prompter.calls[0]!.help).toContain('aws configure --profile NAME');
    expect(prompter.calls[0]!.help).toContain('~/.aws/config');
    expect(selection.choice).toEqual({ kind: 'temporary', via: 'prompt' });
    expect(await selection.provider()).toMatchObject({
      accessKeyId: TEMP_KEY,
      secretAccessKey: SECRET,
      sessionToken: TOKEN,
    });
    expect(prompter.remaining()).toBe(0);
  });

  it('passes a cancelled prompt through as PROMPT_CANCELLED', async () => {
    const h = await home(profiles);
    const prompter = createScriptedPrompter([{ cancel: true }]);
    await expect(
      selectEnvironmentCredentials({ envName: 'e', prompter, interactive: true, env: h.env }),
    ).rejects.toMatchObject({
      code: 'PROMPT_CANCELLED',
      exitCode: 130,
    });
  });
});

describe('the application credentials are never used for an environment', () => {
  it('ignores AWS_PROFILE and the env key pair when resolving the chosen profile', async () => {
    const h = await home(profiles);
    const env = {
      ...h.env,
      AWS_PROFILE: 'half',
      AWS_ACCESS_KEY_ID: 'AKIAAPPLICATIONKEY00',
      AWS_SECRET_ACCESS_KEY: 'applicationsecretapplicationsecret0000000',
    };
    const selection = await selectEnvironmentCredentials({ envName: 'e', flags: { profile: 'prod' }, env });
    const credentials = await selection.provider();
    expect(credentials.accessKeyId).toBe(KEY);
    expect(JSON.stringify(credentials)).not.toContain('APPLICATION');
  });
});
