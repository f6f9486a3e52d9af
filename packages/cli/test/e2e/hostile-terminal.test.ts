import { appendFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jsonError, spawnCli } from './canary.js';
import { createWorld, type World } from './helpers.js';
import { KEY, spawnPty } from './pty.js';

// Issue 7, terminal: Ctrl-C at the credentials, region, key ID, secret and delete prompts is in
// interactive.test.ts; EOF, Escape and a 1 MB paste at the prompt seam in temp-creds'
// terminal.test.ts. This file adds the session token and MFA prompts, Ctrl-D on a real terminal,
// CI=true on a real terminal, and input that is not a terminal at all.
const QUESTION = 'Which credentials would you like to use to create prod-iad?';
const MFA_SERIAL = 'arn:aws:iam::111111111111:mfa/hostile';

let world: World;
beforeEach(async () => {
  world = await createWorld();
  const user = world.aws.addUser({
    accountId: '111111111111',
    userName: 'mfa-user',
    mfa: { serial: MFA_SERIAL, code: '123456' },
  });
  const role = world.aws.addRole({
    accountId: '222222222222',
    roleName: 'needs-mfa',
    trust: [user.arn],
    requireMfa: true,
  });
  await appendFile(
    world.home.configFile,
    `\n[profile mfa]\nregion = us-east-1\nrole_arn = ${role.roleArn}\nsource_profile = mfa-base\nmfa_serial = ${MFA_SERIAL}\n`,
  );
  await appendFile(
    world.home.credentialsFile,
    `\n[mfa-base]\naws_access_key_id = ${user.accessKeyId}\naws_secret_access_key = ${user.secretAccessKey}\n`,
  );
});
afterEach(async () => {
  await world.close();
});

async function nothingRecorded(): Promise<void> {
  await expect(readdir(join(world.credkitHome, 'apps'))).rejects.toThrow();
}

function expectTerminalRestored(screen: string, raw: string): void {
  const stty = screen.slice(screen.indexOf('credkit-exit='));
  expect(stty).toMatch(/(^|\s)icanon(\s|$)/m);
  expect(stty).toMatch(/(^|\s)echo(\s|$)/m);
  const hide = raw.lastIndexOf('\u001b[?25l');
  if (hide !== -1) expect(raw.lastIndexOf('\u001b[?25h')).toBeGreaterThan(hide);
}

/** The `{"error":{...}}` line a --json run printed on the terminal. */
function screenError(screen: string): { code?: string } | undefined {
  const line = screen.split(/\r?\n/).find((l) => l.startsWith('{"error"'));
  return line === undefined ? undefined : (JSON.parse(line) as { error: { code?: string } }).error;
}

async function toTemporaryPrompts(term: ReturnType<typeof spawnPty>, upTo: 'secret' | 'token') {
  await term.waitFor(QUESTION);
  term.write(KEY.enter); // "Enter temporary credentials" is the first choice
  await term.waitFor(/access key id/i);
  await term.type('ASIAIOSFODNN7EXAMPLE');
  term.write(KEY.enter);
  await term.waitFor(/secret access key/i);
  if (upTo === 'secret') return;
  await term.type('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
  term.write(KEY.enter);
  await term.waitFor(/session token/i);
}

describe('Ctrl-C at the remaining prompts: exit 130, terminal restored, nothing written', () => {
  it('at the session token', async () => {
    const term = spawnPty(['env', 'init', '--name', 'prod-iad', '--region', 'us-east-1'], world.env, {
      shellSuffix: 'stty -a',
    });
    await toTemporaryPrompts(term, 'token');
    await term.type('partial-token');
    term.write(KEY.ctrlC);
    await term.exit();
    const screen = term.text();
    expect(screen).toContain('credkit-exit=130');
    expect(term.raw()).not.toContain('partial-token');
    expect(term.raw()).not.toContain('wJalrXUtnFEMI');
    expect(screen).not.toMatch(/\n\s+at /);
    expectTerminalRestored(screen, term.raw());
    await nothingRecorded();
  });

  it('at the MFA code of an assume-role profile (export prints nothing)', async () => {
    const term = spawnPty(['export', '--profile', 'mfa'], world.env, { shellSuffix: 'stty -a' });
    await term.waitFor(`MFA code for ${MFA_SERIAL}`);
    await term.type('12');
    term.write(KEY.ctrlC);
    await term.exit();
    const screen = term.text();
    expect(screen).toContain('credkit-exit=130');
    expect(screen).not.toContain('AccessKeyId');
    expectTerminalRestored(screen, term.raw());
    // No role session was asked for: cancelling stopped before STS.
    expect(world.aws.requests.filter((r) => r.action === 'AssumeRole')).toEqual([]);
  });
});

describe('end of input and no terminal', () => {
  it('Ctrl-D at the access key prompt cancels (PROMPT_CANCELLED, exit 130), restores the terminal, records nothing', async () => {
    const term = spawnPty(
      ['env', 'init', '--name', 'prod-iad', '--region', 'us-east-1', '--json'],
      world.env,
      {
        shellSuffix: 'stty -a',
      },
    );
    await term.waitFor(QUESTION);
    term.write(KEY.enter);
    await term.waitFor(/access key id/i);
    term.write('\u0004');
    await term.exit();
    const screen = term.text();
    expect(screenError(screen)?.code).toBe('PROMPT_CANCELLED');
    expect(screen).toContain('credkit-exit=130');
    expectTerminalRestored(screen, term.raw());
    await nothingRecorded();
  });

  it('CI=true on a real terminal: no question is drawn, NOT_INTERACTIVE (exit 2), nothing recorded', async () => {
    const term = spawnPty(
      ['env', 'init', '--name', 'prod-iad', '--json'],
      { ...world.env, CI: 'true' },
      {
        shellSuffix: 'true',
      },
    );
    await term.exit();
    const screen = term.text();
    expect(screenError(screen)?.code).toBe('NOT_INTERACTIVE');
    expect(screen).toContain('credkit-exit=2');
    expect(screen).not.toContain(QUESTION);
    await nothingRecorded();
  });

  it.each([
    ['CI=true on a terminal', { CI: 'true' }, true],
    ['no terminal', {}, false],
  ])(
    '%s: an MFA profile fails with MFA_CODE_REQUIRED (exit 2) instead of waiting',
    async (_, extra, onPty) => {
      const env = { ...world.env, AWS_PROFILE: 'mfa', ...extra };
      let error: { code?: string } | undefined;
      let code: number | null;
      if (onPty) {
        const term = spawnPty(['app', 'whoami', '--json'], env, { shellSuffix: 'true' });
        await term.exit();
        error = screenError(term.text());
        code = Number(/credkit-exit=(\d+)/.exec(term.text())?.[1]);
      } else {
        const r = await spawnCli(['app', 'whoami', '--json'], { env });
        error = jsonError(r.stderr);
        code = r.code;
      }
      expect(error?.code).toBe('MFA_CODE_REQUIRED');
      expect(code).toBe(2);
    },
  );

  it.each([
    ['empty stdin', ''],
    ['stdin that ends mid-document', '{"Version": 1, "AccessKeyId": "ASIA'],
  ])('--credentials-stdin with %s fails with a coded error and records nothing', async (_, stdin) => {
    const r = await spawnCli(
      ['env', 'init', '--name', 'prod-iad', '--credentials-stdin', '--region', 'us-east-1', '--json'],
      {
        env: world.env,
        stdin,
      },
    );
    expect(r.code).toBe(1);
    expect(jsonError(r.stderr)?.code).toBe('INVALID_CREDENTIALS_JSON');
    expect(r.stdout).toBe('');
    await nothingRecorded();
  });
});
