import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNTS, createWorld, credentialProcessJson, runCli, type World } from './helpers.js';
import { KEY, spawnPty } from './pty.js';

let world: World;
beforeEach(async () => {
  world = await createWorld();
});
afterEach(async () => {
  await world.close();
});

const QUESTION = 'Which credentials would you like to use to create prod-iad?';
// The whole question: a shorter pattern (/region/i) also matches the status line naming the
// profile "noregion", printed before the prompt, so keys went to a terminal not yet in raw mode.
const REGION_QUESTION = 'Which region should prod-iad be created in?';

async function nothingRecorded(): Promise<void> {
  await expect(readdir(join(world.credkitHome, 'apps'))).rejects.toThrow();
}

/** The terminal after credkit exited: canonical mode and echo back on, cursor visible. */
function expectTerminalRestored(screen: string, raw: string): void {
  const stty = screen.slice(screen.indexOf('credkit-exit='));
  expect(stty).toMatch(/(^|\s)icanon(\s|$)/m);
  expect(stty).toMatch(/(^|\s)echo(\s|$)/m);
  const hide = raw.lastIndexOf('\u001b[?25l');
  if (hide !== -1) expect(raw.lastIndexOf('\u001b[?25h')).toBeGreaterThan(hide);
}

describe('env init on a terminal', () => {
  it('arrow keys and enter pick [profile prod-iad]; the region comes from the profile', async () => {
    const term = spawnPty(['env', 'init', '--name', 'prod-iad'], world.env);
    await term.waitFor(QUESTION);
    expect(term.text()).toContain('Enter temporary credentials');
    expect(term.text()).toContain('[profile prod-iad]');
    // Choices: Enter temporary credentials, default (no credentials: shown, skipped), my-app, prod-iad, ...
    expect(term.text()).toMatch(/\[profile default\] +✗/);
    term.write(KEY.down);
    await new Promise((r) => setTimeout(r, 50));
    term.write(KEY.down);
    await new Promise((r) => setTimeout(r, 50));
    term.write(KEY.enter);
    expect(await term.exit()).toBe(0);
    expect(term.text()).toContain(
      'Recorded: environment prod-iad of app shop, account 222222222222, region us-east-1',
    );
    expect(await world.store()).toMatchObject({
      environments: [{ name: 'prod-iad', account: ACCOUNTS.prod, credentialSource: 'profile prod-iad' }],
    });
  });

  it('typing filters a long profile list', async () => {
    await world.close();
    const many = Array.from({ length: 12 }, (_, i) => `[profile extra-${i}]\nregion = us-east-2\n`).join(
      '\n',
    );
    world = await createWorld({ config: many });
    const term = spawnPty(['env', 'init', '--name', 'prod-iad'], world.env);
    await term.waitFor(QUESTION);
    // prod-pdx is on the first screen already: wait for a screen drawn after the filter was typed
    // (the footer offers to clear it), so Enter cannot meet the unfiltered list.
    const typed = term.mark();
    await term.type('prod-pd');
    await term.waitForAfter(typed, /\[profile prod-pdx\][\s\S]*esc clear filter/);
    term.write(KEY.enter);
    expect(await term.exit()).toBe(0);
    expect(await world.store()).toMatchObject({
      environments: [{ name: 'prod-iad', region: 'us-west-2', credentialSource: 'profile prod-pdx' }],
    });
  });

  it('a profile without region asks for the region', async () => {
    const term = spawnPty(['env', 'init', '--name', 'prod-iad', '--profile', 'noregion'], world.env);
    await term.waitFor(REGION_QUESTION);
    await term.type('eu-north-1');
    await term.waitFor('eu-north-1');
    term.write(KEY.enter);
    expect(await term.exit()).toBe(0);
    expect(await world.store()).toMatchObject({ environments: [{ region: 'eu-north-1' }] });
  });

  it('temporary credentials: the typed secret never appears on the screen', async () => {
    const keys = world.aws.issueSession(world.users.test, { expiresInSeconds: 3600 });
    const term = spawnPty(['env', 'init', '--name', 'prod-iad', '--region', 'eu-west-1'], world.env);
    await term.waitFor(QUESTION);
    term.write(KEY.enter); // "Enter temporary credentials" is first
    await term.waitFor(/access key id/i);
    await term.type(keys.accessKeyId);
    term.write(KEY.enter);
    await term.waitFor(/secret access key/i);
    await term.type(keys.secretAccessKey);
    term.write(KEY.enter);
    await term.waitFor(/session token/i);
    await term.type(keys.sessionToken);
    term.write(KEY.enter);
    expect(await term.exit()).toBe(0);
    expect(term.raw()).not.toContain(keys.secretAccessKey);
    expect(term.raw()).not.toContain(keys.sessionToken);
    expect(term.raw()).not.toContain(keys.secretAccessKey.slice(0, 12));
    expect(await world.store()).toMatchObject({
      environments: [{ name: 'prod-iad', account: ACCOUNTS.test, credentialSource: 'temporary' }],
    });
  });
});

describe('Ctrl-C at each prompt exits 130, restores the terminal and records nothing', () => {
  const cases: [string, string[], (term: ReturnType<typeof spawnPty>) => Promise<void>][] = [
    ['the credentials question', ['--name', 'prod-iad'], (t) => t.waitFor(QUESTION)],
    [
      'the region question',
      ['--name', 'prod-iad', '--profile', 'noregion'],
      (t) => t.waitFor(REGION_QUESTION),
    ],
    [
      'the access key id',
      ['--name', 'prod-iad', '--region', 'us-east-1'],
      async (t) => {
        await t.waitFor(QUESTION);
        t.write(KEY.enter);
        await t.waitFor(/access key id/i);
      },
    ],
    [
      'the secret access key',
      ['--name', 'prod-iad', '--region', 'us-east-1'],
      async (t) => {
        await t.waitFor(QUESTION);
        t.write(KEY.enter);
        await t.waitFor(/access key id/i);
        await t.type('AKIAIOSFODNN7EXAMPLE');
        t.write(KEY.enter);
        await t.waitFor(/secret access key/i);
        await t.type('partial-secret');
      },
    ],
  ];
  it.each(cases)('at %s', async (_, args, reach) => {
    const term = spawnPty(['env', 'init', ...args], world.env, { shellSuffix: 'stty -a' });
    await reach(term);
    term.write(KEY.ctrlC);
    await term.exit();
    const screen = term.text();
    expect(screen).toContain('credkit-exit=130');
    expect(screen).not.toContain('partial-secret');
    expect(screen).not.toMatch(/\n\s+at /);
    expectTerminalRestored(screen, term.raw());
    await nothingRecorded();
  });

  it('at the delete confirmation (nothing deleted)', async () => {
    const init = spawnPty(['env', 'init', '--name', 'prod-iad', '--profile', 'prod-iad'], world.env);
    expect(await init.exit()).toBe(0);
    const term = spawnPty(['env', 'delete', '--name', 'prod-iad'], world.env, { shellSuffix: 'stty -a' });
    await term.waitFor(/Delete environment prod-iad/);
    term.write(KEY.ctrlC);
    await term.exit();
    expect(term.text()).toContain('credkit-exit=130');
    expectTerminalRestored(term.text(), term.raw());
    expect(((await world.store()) as { environments: unknown[] }).environments).toHaveLength(1);
  });
});

describe('env delete on a terminal', () => {
  it('asks for confirmation and deletes on yes', async () => {
    const init = spawnPty(['env', 'init', '--name', 'prod-iad', '--profile', 'prod-iad'], world.env);
    expect(await init.exit()).toBe(0);
    const term = spawnPty(['env', 'delete', '--name', 'prod-iad'], world.env);
    await term.waitFor(/Delete environment prod-iad of app shop \(account 222222222222, us-east-1\)/);
    await term.type('y');
    term.write(KEY.enter);
    expect(await term.exit()).toBe(0);
    expect(term.text()).toContain('Deleted environment prod-iad');
    expect(((await world.store()) as { environments: unknown[] }).environments).toEqual([]);
  });

  it('deletes nothing when the answer is no', async () => {
    const init = spawnPty(['env', 'init', '--name', 'prod-iad', '--profile', 'prod-iad'], world.env);
    expect(await init.exit()).toBe(0);
    const term = spawnPty(['env', 'delete', '--name', 'prod-iad'], world.env);
    await term.waitFor(/Delete environment prod-iad/);
    await term.type('n');
    term.write(KEY.enter);
    expect(await term.exit()).toBe(1);
    expect(term.text()).toContain('Nothing deleted.');
    expect(((await world.store()) as { environments: unknown[] }).environments).toHaveLength(1);
  });
});

describe('exec on a terminal', () => {
  it('Ctrl-C reaches the command once; credkit waits for it and exits with its code', async () => {
    const script =
      'process.on("SIGINT", () => { console.log("got SIGINT"); process.exit(3); }); console.log("ready"); setInterval(() => {}, 1000);';
    const term = spawnPty(['exec', '--profile', 'test', '--', process.execPath, '-e', script], world.env);
    await term.waitFor('ready');
    term.write(KEY.ctrlC);
    expect(await term.exit()).toBe(3);
    expect(term.text().match(/got SIGINT/g)).toHaveLength(1);
  });
});

describe('env delete of an environment created with temporary credentials', () => {
  it('asks for the temporary credentials again (masked), then for confirmation', async () => {
    const keys = world.aws.issueSession(world.users.test, { expiresInSeconds: 3600 });
    const stdin = credentialProcessJson({ ...keys, expiration: undefined });
    const init = await runCli(
      ['env', 'init', '--name', 'tmp', '--credentials-stdin', '--region', 'eu-west-1'],
      {
        env: world.env,
        stdin,
      },
    );
    expect(init.code).toBe(0);
    const term = spawnPty(['env', 'delete', '--name', 'tmp'], world.env);
    await term.waitFor(/access key id/i);
    await term.type(keys.accessKeyId);
    term.write(KEY.enter);
    await term.waitFor(/secret access key/i);
    await term.type(keys.secretAccessKey);
    term.write(KEY.enter);
    await term.waitFor(/session token/i);
    await term.type(keys.sessionToken);
    term.write(KEY.enter);
    await term.waitFor(/Delete environment tmp/);
    await term.type('y');
    term.write(KEY.enter);
    expect(await term.exit()).toBe(0);
    expect(term.raw()).not.toContain(keys.secretAccessKey);
    expect(term.raw()).not.toContain(keys.sessionToken);
    expect(((await world.store()) as { environments: unknown[] }).environments).toEqual([]);
  });
});
