/**
 * Issue 16's flow of env init / env delete on a real terminal: everything the flags say is checked
 * before any prompt and any STS call; a wrong answer is asked again (three tries) with the reason
 * above the prompt; temporary keys are verified before the region question.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNTS, createWorld, credentialProcessJson, runCli, type World } from './helpers.js';
import { KEY, type PtySession, spawnPty } from './pty.js';

let world: World;
beforeEach(async () => {
  world = await createWorld({
    // Ten profiles or more: the question filters as you type, so the tests pick by name.
    config: [
      '[profile broken-process]\nregion = us-east-1\ncredential_process = /bin/false\n',
      '[profile extra-1]\nregion = us-east-2\n',
      '[profile extra-2]\nregion = us-east-2\n',
    ].join('\n'),
    credentials: '\n[extra-1]\naws_access_key_id = AKIAEXTRA1EXTRA1EXTR\naws_secret_access_key = x\n',
  });
});
afterEach(async () => {
  await world.close();
});

const QUESTION = 'Which credentials would you like to use to create prod-iad?';
const REGION_QUESTION = 'Which region should prod-iad be created in?';
const ACCESS_KEY = "What's your AWS Access Key ID?";

const stsCalls = () => world.aws.requests.filter((r) => r.service === 'sts').length;

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

/** Waits for `needle` in what the terminal received after `mark` (prompts are drawn again and again). */
async function waitAfter(term: PtySession, needle: string, mark: number, timeoutMs = 30_000): Promise<void> {
  const started = Date.now();
  while (!term.text().slice(mark).includes(needle)) {
    if (Date.now() - started > timeoutMs) {
      throw new Error(`Timed out waiting for ${needle}. Screen so far:\n${term.text()}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  await new Promise((r) => setTimeout(r, 100));
}

/** Types the three answers at the key prompts (the access key prompt is open). */
async function enterKeys(
  term: PtySession,
  keys: { accessKeyId?: string; secretAccessKey?: string; sessionToken?: string },
): Promise<void> {
  let mark = term.text().length;
  await term.type(keys.accessKeyId ?? '');
  term.write(KEY.enter);
  await waitAfter(term, 'Secret Access Key?', mark);
  mark = term.text().length;
  await term.type(keys.secretAccessKey ?? '');
  term.write(KEY.enter);
  await waitAfter(term, 'Session Token?', mark);
  await term.type(keys.sessionToken ?? '');
  term.write(KEY.enter);
}

describe('env init: flags are checked before any prompt and any STS call', () => {
  const cases: [string, string[], RegExp, number][] = [
    ['--region mars-1', ['--region', 'mars-1'], /--region "mars-1" is not a valid region name/, 2],
    [
      '--credentials-stdin on a terminal',
      ['--credentials-stdin', '--region', 'us-east-1'],
      /--credentials-stdin reads credentials from a pipe, but stdin is a terminal/,
      2,
    ],
    ['--profile nosuch', ['--profile', 'nosuch'], /Profile "nosuch" \(--profile\) was not found/, 1],
    [
      '--mfa-code abc',
      ['--profile', 'prod-iad', '--mfa-code', 'abc'],
      /--mfa-code must be the 6-digit code/,
      2,
    ],
  ];
  it.each(cases)('%s', async (_, args, message, code) => {
    const term = spawnPty(['env', 'init', '--name', 'prod-iad', ...args], world.env);
    expect(await term.exit()).toBe(code);
    const screen = term.text();
    expect(screen).toMatch(message);
    expect(screen).not.toContain(QUESTION);
    expect(screen).not.toContain('?');
    expect(stsCalls()).toBe(0);
    await expect(world.store()).rejects.toThrow();
  });

  it('an environment name that already exists is refused before the question (env init --name arrow1)', async () => {
    const first = await runCli(['env', 'init', '--name', 'arrow1', '--profile', 'prod-iad'], {
      env: world.env,
    });
    expect(first.code).toBe(0);
    const before = stsCalls();
    const term = spawnPty(['env', 'init', '--name', 'arrow1'], world.env);
    expect(await term.exit()).toBe(1);
    const screen = term.text();
    expect(screen).toContain(
      'Environment "arrow1" of app "shop" is already recorded with account 222222222222 and region us-east-1 (credentials: profile prod-iad); nothing was asked or changed.',
    );
    expect(screen).toContain('credkit env delete --name arrow1 --app shop');
    expect(screen).not.toContain('Which credentials');
    expect(stsCalls()).toBe(before);
  });

  it('with the SSM store the taken name is found after the application is verified, before any question', async () => {
    const args = ['env', 'init', '--name', 'arrow1', '--store', 'ssm'];
    expect((await runCli([...args, '--profile', 'prod-iad'], { env: world.env })).code).toBe(0);
    const before = world.aws.requests.length;
    const term = spawnPty(args, world.env);
    expect(await term.exit()).toBe(1);
    expect(term.text()).toContain('is already recorded with account 222222222222 and region us-east-1');
    expect(term.text()).not.toContain('Which credentials');
    // The application's own check (a root user is refused before any SSM call), and nothing else on STS.
    const sts = world.aws.requests.slice(before).filter((r) => r.service === 'sts');
    expect(sts.map((r) => [r.action, r.accessKeyId])).toEqual([
      ['GetCallerIdentity', world.users.app.accessKeyId],
    ]);
  });

  it('a repeat with flags is still the no-op it was (STS decides it is the same environment)', async () => {
    const args = ['env', 'init', '--name', 'arrow1', '--profile', 'prod-iad'];
    expect((await runCli(args, { env: world.env })).code).toBe(0);
    const again = await runCli(args, { env: world.env });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Already recorded');
  });
});

describe('env init: a wrong answer is asked again, with the reason above the prompt', () => {
  it('temporary keys STS rejects, then the right ones; STS is asked before the region question', async () => {
    const keys = world.aws.issueSession(world.users.test, { expiresInSeconds: 3600 });
    const term = spawnPty(['env', 'init', '--name', 'prod-iad'], world.env);
    await term.waitFor(QUESTION);
    await term.type('Enter temp');
    term.write(KEY.enter);
    await term.waitFor(ACCESS_KEY);
    // Checked as typed: one character short is refused at this prompt, nothing is sent.
    await term.type(keys.accessKeyId.slice(0, 19));
    term.write(KEY.enter);
    await term.waitFor('19 characters long (1 too few)');
    expect(term.text()).not.toContain('Secret Access Key');
    for (let i = 0; i < 19; i++) term.write('\u007f');
    // A well-formed key STS does not know.
    const mark = term.text().length;
    await enterKeys(term, { ...keys, accessKeyId: 'ASIAZZZZZZZZZZZZZZZZ' });
    await waitAfter(term, 'Try again (2 of 3), or press Ctrl-C to cancel.', mark);
    expect(term.text()).toMatch(/✖ Could not verify .*InvalidClientTokenId/);
    expect(term.text()).not.toContain(REGION_QUESTION);
    await waitAfter(term, 'Access Key ID? (press enter to keep', mark);
    await enterKeys(term, keys);
    await term.waitFor(REGION_QUESTION);
    await term.type('eu-west-1');
    await term.waitFor('eu-west-1');
    term.write(KEY.enter);
    expect(await term.exit()).toBe(0);
    const screen = term.text();
    expect(screen.indexOf('Try again (2 of 3)')).toBeLessThan(screen.indexOf(REGION_QUESTION));
    expect(count(screen, ACCESS_KEY)).toBeGreaterThanOrEqual(2);
    expect(term.raw()).not.toContain(keys.secretAccessKey);
    expect(term.raw()).not.toContain(keys.sessionToken);
    expect(await world.store()).toMatchObject({
      environments: [
        { name: 'prod-iad', account: ACCOUNTS.test, region: 'eu-west-1', credentialSource: 'temporary' },
      ],
    });
  });

  it('three rejected tries end the command with the last reason (exit 1), nothing recorded', async () => {
    const keys = world.aws.issueSession(world.users.test, { expiresInSeconds: 3600 });
    const wrong = { ...keys, accessKeyId: 'ASIAZZZZZZZZZZZZZZZZ' };
    const term = spawnPty(['env', 'init', '--name', 'prod-iad', '--region', 'eu-west-1'], world.env);
    await term.waitFor(QUESTION);
    await term.type('Enter temp');
    term.write(KEY.enter);
    await term.waitFor(ACCESS_KEY);
    let mark = term.text().length;
    await enterKeys(term, wrong);
    await waitAfter(term, 'Try again (2 of 3)', mark);
    await waitAfter(term, 'Access Key ID? (press enter to keep', mark);
    // Enter keeps the previous answers (shown masked): the same rejected keys again.
    mark = term.text().length;
    await enterKeys(term, {});
    await waitAfter(term, 'Try again (3 of 3)', mark);
    await waitAfter(term, 'Access Key ID? (press enter to keep', mark);
    await enterKeys(term, {});
    expect(await term.exit()).toBe(1);
    const screen = term.text();
    expect(screen).toMatch(/error: Could not verify .*InvalidClientTokenId/);
    expect(count(screen, 'Try again')).toBe(2);
    expect(term.raw()).not.toContain(keys.secretAccessKey);
    expect(world.aws.requests.filter((r) => r.accessKeyId === wrong.accessKeyId)).toHaveLength(3);
    await expect(world.store()).rejects.toThrow();
  });

  it('a picked profile that fails when resolved brings the question back; Ctrl-D there cancels (exit 130)', async () => {
    const term = spawnPty(['env', 'init', '--name', 'prod-iad'], world.env);
    await term.waitFor(QUESTION);
    await term.type('broken-process');
    await term.waitFor('[profile broken-process]');
    term.write(KEY.enter);
    await waitAfter(term, 'Try again (2 of 3), or press Ctrl-C to cancel.', 0);
    expect(term.text()).toMatch(/✖ .*broken-process/);
    await waitAfter(term, QUESTION, term.text().indexOf('Try again (2 of 3)'));
    await term.type('prod-iad');
    await term.waitFor('[profile prod-iad]');
    term.write(KEY.enter);
    expect(await term.exit()).toBe(0);
    expect(await world.store()).toMatchObject({
      environments: [{ name: 'prod-iad', account: ACCOUNTS.prod, credentialSource: 'profile prod-iad' }],
    });

    const other = spawnPty(['env', 'init', '--name', 'other'], world.env);
    await other.waitFor('Which credentials would you like to use to create other?');
    await other.type('broken-process');
    await other.waitFor('[profile broken-process]');
    other.write(KEY.enter);
    await other.waitFor('Try again (2 of 3)');
    await waitAfter(other, 'Which credentials would you like', other.text().indexOf('Try again (2 of 3)'));
    other.write('\u0004');
    expect(await other.exit()).toBe(130);
    expect(other.text()).toMatch(/Cancelled at .*\(Ctrl-D\)/);
  });
});

describe('env delete of an environment created with temporary credentials', () => {
  it('says which account and region the credentials are for before asking for them', async () => {
    const keys = world.aws.issueSession(world.users.test, { expiresInSeconds: 3600 });
    const init = await runCli(
      ['env', 'init', '--name', 'tmp', '--credentials-stdin', '--region', 'eu-west-1'],
      {
        env: world.env,
        stdin: credentialProcessJson({ ...keys, expiration: undefined }),
      },
    );
    expect(init.code).toBe(0);
    const term = spawnPty(['env', 'delete', '--name', 'tmp'], world.env);
    await term.waitFor(ACCESS_KEY);
    const screen = term.text();
    const said = screen.indexOf(
      'Environment tmp of app shop was created with temporary credentials. Enter temporary credentials for account 333333333333 (region eu-west-1) to delete it.',
    );
    expect(said).toBeGreaterThanOrEqual(0);
    expect(said).toBeLessThan(screen.indexOf(ACCESS_KEY));
    // Keys of another account are refused and asked again, naming the recorded account.
    const prod = world.aws.issueSession(world.users.prodIad, { expiresInSeconds: 3600 });
    const mark = term.text().length;
    await enterKeys(term, prod);
    await waitAfter(term, 'Try again (2 of 3)', mark);
    expect(term.text()).toContain('is recorded in account 333333333333');
    await waitAfter(term, 'Access Key ID? (press enter to keep', mark);
    await enterKeys(term, keys);
    await term.waitFor(/Delete environment tmp/);
    await term.type('y');
    term.write(KEY.enter);
    expect(await term.exit()).toBe(0);
    expect(((await world.store()) as { environments: unknown[] }).environments).toEqual([]);
  });
});
