/**
 * The retry rules of env init, in process through the CLI entry with the scripted prompter (the
 * prompt seam) and the loopback STS: what is asked again, how often, and what is never asked again.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AwsHome, createAwsHome, type LoopbackAws, startLoopbackAws } from '@credkit/loopback-aws';
import { createScriptedPrompter, type ScriptStep } from '@credkit/temp-creds/prompter';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runInProcess } from '../test/in-process.js';
import { MAX_ATTEMPTS } from './retry.js';

let aws: LoopbackAws;
let home: AwsHome;
let store: string;
let env: Record<string, string>;
let session: { accessKeyId: string; secretAccessKey: string; sessionToken: string };

beforeEach(async () => {
  aws = await startLoopbackAws();
  const app = aws.addUser({ accountId: '111111111111', userName: 'app' });
  const test = aws.addUser({ accountId: '333333333333', userName: 'test' });
  session = aws.issueSession(test, { expiresInSeconds: 3600 });
  home = await createAwsHome({
    config:
      '[profile my-app]\nregion = us-east-1\n\n[profile failing]\nregion = us-east-1\ncredential_process = /bin/false\n',
    credentials: `[my-app]\naws_access_key_id = ${app.accessKeyId}\naws_secret_access_key = ${app.secretAccessKey}\n`,
  });
  store = await mkdtemp(join(tmpdir(), 'credkit-env-choice-'));
  env = {
    ...home.env,
    ...(aws.env as unknown as Record<string, string>),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PROFILE: 'my-app',
    CREDKIT_APP: 'shop',
    CREDKIT_HOME: store,
  };
});
afterEach(async () => {
  await aws.close();
  await home.cleanup();
  await rm(store, { recursive: true, force: true });
});

async function run(args: string[], steps: ScriptStep[]) {
  const prompter = createScriptedPrompter(steps);
  const { code, stderr } = await runInProcess(args, { env, cwd: store, prompter });
  return { code, stderr, calls: prompter.calls };
}

const keys = (k: { accessKeyId: string; secretAccessKey: string; sessionToken: string }): ScriptStep[] => [
  { expect: 'input', answer: k.accessKeyId },
  { expect: 'secret', answer: k.secretAccessKey },
  { expect: 'secret', answer: k.sessionToken },
];
const wrongKey = () => ({ ...session, accessKeyId: 'ASIAZZZZZZZZZZZZZZZZ' });
const temporary: ScriptStep = { expect: 'select', choose: 'Enter temporary credentials' };
const callerIdentityCalls = (accessKeyId: string) =>
  aws.requests.filter((r) => r.action === 'GetCallerIdentity' && r.accessKeyId === accessKeyId).length;

describe('env init asks again on a terminal', () => {
  it('rejected keys: the key prompts come back (previous values offered), the reason above them', async () => {
    const r = await run(
      ['env', 'init', '--name', 'test', '--region', 'eu-west-1'],
      [temporary, ...keys(wrongKey()), ...keys(session)],
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /✖ Could not verify .*InvalidClientTokenId\)\.\n {2}.*\n {2}Try again \(2 of 3\)/,
    );
    // The question is not shown again: only the keys, with the previous ones kept on enter.
    expect(r.calls.filter((c) => c.kind === 'select')).toHaveLength(1);
    const again = r.calls.filter((c) => c.kind === 'input')[1];
    expect(again?.help).toMatch(/^press enter to keep \*+ZZZZ$/);
    expect(callerIdentityCalls(session.accessKeyId)).toBe(1);
  });

  it(`stops after ${MAX_ATTEMPTS} tries with the last reason`, async () => {
    const wrong = wrongKey();
    const r = await run(
      ['env', 'init', '--name', 'test', '--region', 'eu-west-1'],
      [temporary, ...keys(wrong), ...keys(wrong), ...keys(wrong)],
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Try again (3 of 3)');
    expect(r.stderr).not.toContain('(4 of 3)');
    expect(r.stderr).toMatch(/error: Could not verify .*InvalidClientTokenId/);
    expect(callerIdentityCalls(wrong.accessKeyId)).toBe(MAX_ATTEMPTS);
  });

  it('a picked profile that fails brings the question back; cancelling there ends with 130', async () => {
    const r = await run(
      ['env', 'init', '--name', 'test'],
      [
        { expect: 'select', choose: '[profile failing]' },
        { expect: 'select', cancel: true },
      ],
    );
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/✖ .*failing/);
    expect(r.calls.filter((c) => c.kind === 'select')).toHaveLength(2);
  });

  it('input that ends by itself (a pipe) is PROMPT_EOF, exit 1, and ends the command at once', async () => {
    const r = await run(['env', 'init', '--name', 'test'], [{ expect: 'select', eof: true }]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: Input ended before "Which credentials would you like/m);
    expect(r.stderr).not.toContain('Try again');
  });

  it('what came from flags is never asked again: --profile that fails, keys STS rejects', async () => {
    const failing = await run(['env', 'init', '--name', 'test', '--profile', 'failing'], []);
    expect(failing.code).toBe(1);
    expect(failing.stderr).not.toContain('Try again');
    const wrong = wrongKey();
    const flags = await run(
      [
        'env',
        'init',
        '--name',
        'test',
        '--region',
        'eu-west-1',
        '--aws-access-key-id',
        wrong.accessKeyId,
        '--aws-secret-access-key',
        wrong.secretAccessKey,
        '--aws-session-token',
        wrong.sessionToken,
      ],
      [],
    );
    expect(flags.code).toBe(1);
    expect(flags.stderr).not.toContain('Try again');
    expect(callerIdentityCalls(wrong.accessKeyId)).toBe(1);
  });
});
