/**
 * MFA codes (issue 16): a code STS rejects says so and what to do (not the trust policy); a code
 * that is not six digits is refused before any call; on a terminal a rejected code is asked again.
 */
import { appendFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNTS, createWorld, runCli, type World } from './helpers.js';
import { KEY, spawnPty } from './pty.js';

const SERIAL = 'arn:aws:iam::111111111111:mfa/ops';
const CODE = '123456';

let world: World;
let env: Record<string, string>;
beforeEach(async () => {
  world = await createWorld();
  const ops = world.aws.addUser({
    accountId: ACCOUNTS.app,
    userName: 'ops',
    mfa: { serial: SERIAL, code: CODE },
  });
  const role = world.aws.addRole({
    accountId: ACCOUNTS.prod,
    roleName: 'admin',
    trust: [ops.arn],
    requireMfa: true,
  });
  await appendFile(
    world.home.configFile,
    `\n[profile ops]\nregion = us-east-1\n\n[profile admin]\nregion = us-east-1\nrole_arn = ${role.roleArn}\nsource_profile = ops\nmfa_serial = ${SERIAL}\n`,
  );
  await appendFile(
    world.home.credentialsFile,
    `\n[ops]\naws_access_key_id = ${ops.accessKeyId}\naws_secret_access_key = ${ops.secretAccessKey}\n`,
  );
  // No session cached between cases: each one must reach STS.
  env = { ...world.env, CREDKIT_SESSION_CACHE: 'off' };
});
afterEach(async () => {
  await world.close();
});

const stsCalls = () => world.aws.requests.filter((r) => r.service === 'sts').length;

describe('app whoami --mfa-code', () => {
  it('a code STS rejects: says the code was rejected and to wait for the next one', async () => {
    const r = await runCli(['app', 'whoami', '--mfa-code', '000000'], {
      env: { ...env, AWS_PROFILE: 'admin' },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`STS rejected the MFA code for ${SERIAL}`);
    expect(r.stderr).toMatch(/hint: The code was mistyped, already used or expired: wait for the next code/);
    expect(r.stderr).not.toMatch(/trust policy/);
    expect(r.stderr).not.toContain('000000');
    const json = await runCli(['app', 'whoami', '--mfa-code', '000000', '--json'], {
      env: { ...env, AWS_PROFILE: 'admin' },
    });
    expect(JSON.parse(json.stderr).error.code).toBe('MFA_CODE_REJECTED');
  });

  it.each([['abc'], ['12345'], ['1234567'], ['12 456']])(
    '%s is refused before any call (exit 2)',
    async (code) => {
      const r = await runCli(['app', 'whoami', '--mfa-code', code, '--json'], {
        env: { ...env, AWS_PROFILE: 'admin' },
      });
      expect(r.code).toBe(2);
      const error = JSON.parse(r.stderr).error;
      expect(error.code).toBe('INVALID_MFA_CODE');
      expect(error.message).toContain('--mfa-code must be the 6-digit code your MFA device shows');
      expect(error.message).not.toContain(code);
      expect(stsCalls()).toBe(0);
    },
  );

  it('the right code still works', async () => {
    const r = await runCli(['app', 'whoami', '--mfa-code', CODE], { env: { ...env, AWS_PROFILE: 'admin' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('app whoami on a terminal with an MFA-protected application profile', () => {
  it('a wrong code is asked again (three tries in all); the third wrong one ends with MFA_CODE_REJECTED', async () => {
    const term = spawnPty(['app', 'whoami'], { ...env, AWS_PROFILE: 'admin' });
    for (const attempt of [1, 2, 3]) {
      await term.waitFor(attempt === 1 ? `MFA code for ${SERIAL}:` : `Try again (${attempt} of 3)`);
      await new Promise((r) => setTimeout(r, 200));
      await term.type('000000');
      term.write(KEY.enter);
    }
    expect(await term.exit()).toBe(1);
    expect(term.text()).toContain('error: STS rejected the MFA code');
    expect(world.aws.requests.filter((r) => r.action === 'AssumeRole').map((r) => r.status)).toEqual([
      403, 403, 403,
    ]);
  });
});

describe('env init on a terminal with an MFA-protected profile', () => {
  it('a wrong code is asked again with the reason above the prompt; the right one records', async () => {
    const term = spawnPty(['env', 'init', '--name', 'prod-iad', '--profile', 'admin'], env);
    await term.waitFor(`MFA code for ${SERIAL}:`);
    await term.type('000000');
    term.write(KEY.enter);
    await term.waitFor('Try again (2 of 3), or press Ctrl-C to cancel.');
    const screen = term.text();
    expect(screen).toContain(`✖ STS rejected the MFA code for ${SERIAL}`);
    expect(screen).toContain('wait for the next code from your MFA device');
    await new Promise((r) => setTimeout(r, 300));
    const again = term.text().slice(screen.indexOf('Try again (2 of 3)'));
    expect(again).toContain(`MFA code for ${SERIAL}:`);
    await term.type(CODE);
    term.write(KEY.enter);
    expect(await term.exit()).toBe(0);
    expect(await world.store()).toMatchObject({
      environments: [{ name: 'prod-iad', account: ACCOUNTS.prod, credentialSource: 'profile admin' }],
    });
    const assumed = world.aws.requests.filter((r) => r.action === 'AssumeRole');
    expect(assumed.map((r) => r.status)).toEqual([403, 200]);
  });

  it('with --mfa-code the rejected code is not asked again (it would fail the same way)', async () => {
    const term = spawnPty(
      ['env', 'init', '--name', 'prod-iad', '--profile', 'admin', '--mfa-code', '000000'],
      env,
    );
    expect(await term.exit()).toBe(1);
    expect(term.text()).toContain('STS rejected the MFA code');
    expect(term.text()).not.toContain('Try again');
  });
});
