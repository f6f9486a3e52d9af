/**
 * The command handlers in process, through the CLI's own entry (`runCli`): argv, injected env and
 * streams, and the scripted prompter at the prompt seam, against a temp HOME and the loopback STS.
 * What a script or CI sees (exit codes, stdout, stderr, what is recorded) without spawning a
 * process; the terminal itself (keys, echo, layout) stays with the pseudo-terminal tests in test/e2e.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createScriptedPrompter, type ScriptStep } from '@credkit/temp-creds/prompter';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNTS, createWorld, credentialProcessJson, type World } from '../test/e2e/helpers.js';
import { runInProcess } from '../test/in-process.js';

let world: World;
beforeEach(async () => {
  world = await createWorld();
});
afterEach(async () => {
  await world.close();
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** The scripted prompter, when the run had one: every question it was asked. */
  prompter?: ReturnType<typeof createScriptedPrompter>;
}

/** One `credkit ARGV` in this process; `script` answers prompts, `stdin` feeds --credentials-stdin. */
async function credkit(
  argv: string[],
  options: { script?: ScriptStep[]; stdin?: string; env?: Record<string, string> } = {},
): Promise<Run> {
  const prompter = options.script === undefined ? undefined : createScriptedPrompter(options.script);
  const { code, stdout, stderr } = await runInProcess(argv, {
    env: { ...(options.env ?? world.env) },
    cwd: world.home.dir,
    ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
    ...(prompter === undefined ? {} : { prompter }),
    now: () => Date.parse('2026-12-01T10:00:00Z'),
  });
  // Every script step must have been used: a prompt that was not asked is a failure too.
  if (prompter !== undefined) expect(prompter.remaining()).toBe(0);
  return { code, stdout, stderr, ...(prompter === undefined ? {} : { prompter }) };
}

const stsCalls = () => world.aws.requests.filter((q) => q.action === 'GetCallerIdentity').length;
const recorded = async () => JSON.parse(await readFile(join(world.credkitHome, 'apps', 'shop.json'), 'utf8'));
const init = (name: string, profile: string) =>
  credkit(['env', 'init', '--name', name, '--profile', profile]);

describe('env init in process', () => {
  it('with flags: exit 0, the record on stdout, notes on stderr, both identities checked', async () => {
    const r = await init('prod-iad', 'prod-iad');
    expect(r).toMatchObject({ code: 0 });
    expect(r.stdout).toBe(
      '✔ Recorded: environment prod-iad of app shop, account 222222222222, region us-east-1, credentials: profile prod-iad.\n',
    );
    expect(r.stderr).toContain('Application credentials: profile "my-app"');
    expect(r.stderr).toContain(`(account ${ACCOUNTS.app})`);
    expect(r.stderr).toContain(`Environment credentials: profile "prod-iad"`);
    expect(stsCalls()).toBe(2);
    expect(await recorded()).toMatchObject({
      account: ACCOUNTS.app,
      environments: [{ name: 'prod-iad', account: ACCOUNTS.prod, region: 'us-east-1' }],
    });
    expect(JSON.stringify(await recorded())).not.toContain(world.users.prodIad.secretAccessKey);
  });

  it('without flags and without a terminal: NOT_INTERACTIVE, exit 2, before any AWS call', async () => {
    const r = await credkit(['env', 'init', '--name', 'prod-iad']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: No credentials were given for prod-iad and there is no terminal/);
    expect(r.stderr).toContain('hint: Pass --profile NAME');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(stsCalls()).toBe(0);
  });

  it('--json: the result object on stdout alone, errors as JSON on stderr', async () => {
    const ok = await credkit(['env', 'init', '--name', 'pdx', '--profile', 'prod-pdx', '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({
      app: 'shop',
      store: 'file',
      created: true,
      environment: { name: 'pdx', account: ACCOUNTS.prod, region: 'us-west-2' },
    });
    const bad = await credkit(['env', 'init', '--name', 'x', '--profile', 'prod-iadd', '--json']);
    expect(bad.code).not.toBe(0);
    expect(bad.stdout).toBe('');
    expect(JSON.parse(bad.stderr.trim().split('\n').at(-1)!)).toMatchObject({
      error: { code: 'PROFILE_NOT_FOUND', hint: expect.stringContaining('prod-iad') },
    });
  });

  it('asks which credentials: a profile chosen by the script, its region used without asking', async () => {
    const r = await credkit(['env', 'init', '--name', 'prod-pdx'], {
      script: [{ expect: 'select', choose: '[profile prod-pdx]' }],
    });
    expect(r.code).toBe(0);
    const [question] = r.prompter!.calls;
    expect(question).toMatchObject({
      kind: 'select',
      message: 'Which credentials would you like to use to create prod-pdx?',
    });
    expect(question?.choices?.[0]).toBe('Enter temporary credentials');
    expect(question?.choices).toContain('[profile prod-iad]');
    expect(r.stdout).toContain('account 222222222222, region us-west-2, credentials: profile prod-pdx.');
  });

  it('asks for temporary credentials and a region; secrets never reach stdout or stderr', async () => {
    const keys = world.aws.issueSession(world.users.test, { expiresInSeconds: 3600 });
    const r = await credkit(['env', 'init', '--name', 'tmp'], {
      script: [
        { expect: 'select', choose: 'Enter temporary credentials' },
        { expect: 'input', message: "What's your AWS Access Key ID?", answer: keys.accessKeyId },
        { expect: 'secret', answer: keys.secretAccessKey },
        { expect: 'secret', answer: keys.sessionToken },
        { expect: 'select', message: 'Which region should tmp be created in?', answer: 'eu-west-3' },
      ],
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`account ${ACCOUNTS.test}, region eu-west-3, credentials: temporary.`);
    for (const secret of [keys.secretAccessKey, keys.sessionToken]) {
      expect(r.stdout + r.stderr).not.toContain(secret);
      expect(await readFile(join(world.credkitHome, 'apps', 'shop.json'), 'utf8')).not.toContain(secret);
    }
  });

  it('a cancelled prompt: exit 130, a plain message, nothing recorded', async () => {
    const r = await credkit(['env', 'init', '--name', 'x'], { script: [{ cancel: true }] });
    expect(r.code).toBe(130);
    expect(r.stderr).not.toContain('error:');
    expect(JSON.parse((await credkit(['env', 'ls', '--json'])).stdout).environments).toEqual([]);
  });

  it('--credentials-stdin reads credential_process JSON from the injected stdin', async () => {
    const keys = world.aws.issueSession(world.users.test, { expiresInSeconds: 3600 });
    const r = await credkit(['env', 'init', '--name', 'ci', '--credentials-stdin', '--region', 'eu-west-1'], {
      stdin: credentialProcessJson(keys),
    });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('warning');
    expect(r.stdout).toContain('credentials: temporary.');
  });
});

describe('env ls and env show in process', () => {
  it('env ls: an empty store says so; then a table on stdout, the store on stderr', async () => {
    const empty = await credkit(['env', 'ls']);
    expect(empty).toMatchObject({ code: 0, stdout: 'No environments recorded for app shop.\n' });
    expect(empty.stderr).toContain('Create one with: credkit env init --name NAME');
    await init('prod-iad', 'prod-iad');
    await init('test', 'test');
    const r = await credkit(['env', 'ls']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      `Environments of app shop (account ${ACCOUNTS.app}):`,
      expect.stringMatching(/^\s*NAME\s+ACCOUNT\s+REGION\s+CREDENTIALS$/),
      expect.stringMatching(/^\s*prod-iad\s+222222222222\s+us-east-1\s+profile prod-iad$/),
      expect.stringMatching(/^\s*test\s+333333333333\s+eu-west-1\s+profile test$/),
      '',
    ]);
    expect(r.stderr).toMatch(/^Store: file \(/);
    const json = JSON.parse((await credkit(['env', 'ls', '--json'])).stdout);
    expect(json).toMatchObject({ app: 'shop', store: 'file', account: ACCOUNTS.app });
    expect(json.environments.map((e: { name: string }) => e.name)).toEqual(['prod-iad', 'test']);
  });

  it('env show: one environment; an unknown one is ENV_NOT_FOUND naming the recorded ones', async () => {
    await init('prod-iad', 'prod-iad');
    const r = await credkit(['env', 'show', '--name', 'prod-iad']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Environment\s+prod-iad$/m);
    expect(r.stdout).toMatch(/^Account\s+222222222222$/m);
    expect(r.stdout).toMatch(/^Credentials\s+profile prod-iad$/m);
    expect(r.stdout).toMatch(/^Created\s+2026-12-01T10:00:00.000Z$/m);
    expect(JSON.parse((await credkit(['env', 'show', '--name', 'prod-iad', '--json'])).stdout)).toMatchObject(
      {
        app: 'shop',
        name: 'prod-iad',
        region: 'us-east-1',
      },
    );
    const missing = await credkit(['env', 'show', '--name', 'prod-pdx']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toContain('error: Environment "prod-pdx" is not recorded for app "shop".');
    expect(missing.stderr).toContain('hint: Recorded environments: prod-iad.');
  });
});

describe('env delete in process', () => {
  beforeEach(async () => {
    expect((await init('prod-iad', 'prod-iad')).code).toBe(0);
  });

  it('without --yes and without a terminal: CONFIRMATION_REQUIRED, exit 2, nothing deleted', async () => {
    const r = await credkit(['env', 'delete', '--name', 'prod-iad']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: Deleting environment "prod-iad" needs confirmation');
    expect(r.stderr).toContain('hint: Pass --yes');
    expect((await recorded()).environments).toHaveLength(1);
  });

  it('the script declines: exit 1, "Nothing deleted."; accepts: deleted with the recorded profile', async () => {
    const confirm = /^Delete environment prod-iad of app shop \(account 222222222222, us-east-1\)\?$/;
    const no = await credkit(['env', 'delete', '--name', 'prod-iad'], {
      script: [{ expect: 'confirm', message: confirm, answer: false }],
    });
    expect(no.code).toBe(1);
    expect(no.stderr).toContain('Nothing deleted.');
    expect((await recorded()).environments).toHaveLength(1);
    const yes = await credkit(['env', 'delete', '--name', 'prod-iad'], {
      script: [{ expect: 'confirm', message: confirm, answer: true }],
    });
    expect(yes.code).toBe(0);
    expect(yes.stdout).toBe('✔ Deleted environment prod-iad of app shop (account 222222222222).\n');
    expect((await recorded()).environments).toEqual([]);
  });

  it('--yes with credentials of another account: ENV_ACCOUNT_MISMATCH, nothing deleted', async () => {
    const r = await credkit(['env', 'delete', '--name', 'prod-iad', '--profile', 'test', '--yes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is recorded in account 222222222222');
    expect(r.stderr).toContain('Nothing was deleted.');
    expect((await recorded()).environments).toHaveLength(1);
  });
});

describe('export and profiles in process', () => {
  it('export prints the profile in the chosen format on stdout, the long-term warning on stderr', async () => {
    const u = world.users.prodIad;
    const r = await credkit(['export', '--profile', 'prod-iad', '--format', 'env']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`export AWS_ACCESS_KEY_ID=${u.accessKeyId}\n`);
    expect(r.stdout).toContain(`export AWS_SECRET_ACCESS_KEY=${u.secretAccessKey}\n`);
    expect(r.stderr).toContain('warning: Printing a long-term access key');
    expect(r.stderr).not.toContain(u.secretAccessKey);
    const process = JSON.parse((await credkit(['export', '--profile', 'prod-iad'])).stdout);
    expect(process).toMatchObject({ Version: 1, AccessKeyId: u.accessKeyId });
  });

  it('export of an unknown profile: PROFILE_NOT_FOUND with a suggestion, nothing on stdout', async () => {
    const r = await credkit(['export', '--profile', 'prod-iadd']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: .*prod-iadd/);
    expect(r.stderr).toMatch(/hint: .*prod-iad/);
  });

  it('profiles: every profile with kind and region; --json on stdout alone; no secret', async () => {
    const r = await credkit(['profiles']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^NAME\s+KIND\s+REGION\s+DEFINED IN$/);
    expect(r.stdout).toMatch(
      /^prod-pdx\s+static\s+us-west-2\s+~\/\.aws\/config:\d+, ~\/\.aws\/credentials:\d+$/m,
    );
    expect(r.stdout).toMatch(/^noregion\s+static\s+-\s+/m);
    const json = JSON.parse((await credkit(['profiles', '--json'])).stdout) as { name: string }[];
    expect(json.map((p) => p.name)).toEqual(
      expect.arrayContaining(['default', 'my-app', 'prod-iad', 'prod-pdx', 'test', 'root', 'noregion']),
    );
    for (const u of Object.values(world.users)) expect(r.stdout + r.stderr).not.toContain(u.secretAccessKey);
  });
});
