import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../../test/in-process.js';
import { FileMetadataStore } from '../store/index.js';
import { joinBashWords } from './complete.js';
import { COMMANDS } from './index.js';

let dir: string;
let env: Record<string, string>;
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzSECRETzz';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'credkit-complete-'));
  await writeFile(
    join(dir, 'config'),
    '[default]\nregion = us-east-1\n[profile deploy]\nregion = eu-west-1\n[profile dev]\nsource_profile = deploy\nrole_arn = arn:aws:iam::111122223333:role/dev\n',
    { mode: 0o600 },
  );
  await writeFile(
    join(dir, 'credentials'),
    `[deploy]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = ${SECRET}\n[ci-only]\naws_access_key_id = AKIAIOSFODNN7EXAMPLF\naws_secret_access_key = ${SECRET}\n`,
    { mode: 0o600 },
  );
  env = {
    HOME: dir,
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    CREDKIT_HOME: join(dir, 'credkit'),
  };
  const store = new FileMetadataStore(join(dir, 'credkit'));
  const pin = { account: '111122223333', arn: 'arn:aws:iam::111122223333:user/app', source: 'test' };
  for (const [app, name] of [
    ['web', 'prod-pdx'],
    ['web', 'prod-iad'],
    ['other', 'staging'],
  ] as const) {
    await store.createEnvironment(
      app,
      {
        name,
        account: pin.account,
        region: 'us-east-1',
        credentialSource: 'profile deploy',
        createdAt: '2026-01-01T00:00:00.000Z',
      },
      pin,
    );
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** `credkit __complete SHELL -- WORDS` in process, from the directory of app `web`. */
async function completions(words: string[], shell = 'bash', cwd = '/srv/web') {
  const {
    code,
    stdout: out,
    stderr: err,
  } = await runInProcess(['__complete', shell, '--', ...words], {
    env,
    cwd,
  });
  expect(code).toBe(0);
  expect(err).toBe('');
  return out.split('\n').filter((line) => line !== '');
}

describe('credkit __complete', () => {
  it('offers the commands of the table, without the hidden ones', async () => {
    const top = await completions(['']);
    const expected = new Set(COMMANDS.filter((c) => !c.hidden).map((c) => c.name.split(' ')[0]));
    expect(new Set(top)).toEqual(new Set([...expected, 'help']));
    expect(top).not.toContain('__complete');
    expect(await completions(['e'])).toEqual(['env', 'export', 'exec']);
    expect(await completions(['env', ''])).toEqual(['init', 'ls', 'show', 'delete']);
    expect(await completions(['sessions', 'r'])).toEqual(['refresh']);
    expect(await completions(['help', 'env', 's'])).toEqual(['show']);
  });

  it('offers the flags a command has, minus those already given', async () => {
    const flags = await completions(['export', '--profile', 'deploy', '--']);
    expect(flags).toEqual(
      Object.keys(COMMANDS.find((c) => c.name === 'export')!.flags)
        .filter((f) => f !== 'profile')
        .map((f) => `--${f}`)
        .concat('--help'),
    );
    expect(await completions(['exec', '--ne'])).toEqual(['--nested']);
    expect(await completions(['export', 'deploy', '--'])).not.toContain('--profile');
  });

  it('offers profile names from both files, and never a secret', async () => {
    const names = await completions(['export', '']);
    expect(names).toEqual(['default', 'deploy', 'dev', 'ci-only']);
    expect(await completions(['exec', 'dep'])).toEqual(['deploy']);
    expect(await completions(['env', 'init', 'prod', '--profile', ''])).toContain('ci-only');
    expect(await completions(['sessions', 'refresh', ''])).toContain('dev');
    const everything = (await completions(['export', ''], 'zsh')).join('\n');
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain('AKIA');
  });

  it('offers environment names of the app: directory name, --app or CREDKIT_APP', async () => {
    expect(await completions(['env', 'show', ''])).toEqual(['prod-iad', 'prod-pdx']);
    expect(await completions(['env', 'delete', 'prod-i'])).toEqual(['prod-iad']);
    expect(await completions(['export', '--env', ''])).toEqual(['prod-iad', 'prod-pdx']);
    expect(await completions(['env', 'show', '--app', 'other', ''])).toEqual(['staging']);
    expect(await completions(['env', 'show', ''], 'bash', '/srv/nothing-here')).toEqual([]);
  });

  it('offers the export formats and stores from the flag choices, also after --flag=', async () => {
    expect(await completions(['export', 'deploy', '--format', 'env'])).toEqual(['env', 'env-no-export']);
    expect(await completions(['export', '-f', 'p'])).toEqual(['process', 'powershell']);
    // bash splits `--format=j` at `=`: the candidates replace only the value.
    expect(await completions(['export', '--format', '=', 'j'])).toEqual(['json']);
    // fish and zsh match the candidates themselves (fish also by substring): all are given.
    expect(await completions(['export', '--format=j'], 'fish')).toContain('--format=json\tFORMAT');
    expect(await completions(['env', 'ls', '--store', ''])).toEqual(['file', 'ssm']);
    expect(await completions(['completion', ''])).toEqual(['bash', 'zsh', 'fish']);
  });

  it("hands exec's command back to the shell", async () => {
    expect(await completions(['exec', 'deploy', '--', ''])).toEqual([':command']);
    expect(await completions(['exec', 'deploy', '--', 'ls', ''])).toEqual([':file']);
    expect(await completions(['exec', '--profile', 'deploy', 'ls', ''])).toEqual([':file']);
    expect(await completions(['exec', '--profile', 'deploy', ''])).toEqual([':command']);
  });

  it('describes candidates for zsh and fish', async () => {
    const lines = await completions(['env', ''], 'zsh');
    expect(lines[0]).toBe(`init\t${COMMANDS.find((c) => c.name === 'env init')!.summary}`);
    expect(await completions(['export', 'dep'], 'fish')).toContain('deploy\tprofile');
  });

  it('offers nothing, quietly, for a broken config or a free-text flag', async () => {
    const saved = env.AWS_CONFIG_FILE;
    env.AWS_CONFIG_FILE = join(dir, 'no-such-dir', 'config');
    try {
      expect(await completions(['export', 'ci'])).toEqual(['ci-only']);
    } finally {
      env.AWS_CONFIG_FILE = saved!;
    }
    expect(await completions(['app', 'whoami', '--mfa-code', ''])).toEqual([]);
    expect(await completions(['profiles', 'x'])).toEqual([]);
  });
});

describe('joinBashWords', () => {
  it('puts `--flag = value` back together', () => {
    expect(joinBashWords(['export', '--format', '=', 'js'])).toEqual(['export', '--format=js']);
    expect(joinBashWords(['export', '--format', '='])).toEqual(['export', '--format=']);
    expect(joinBashWords(['exec', '--', 'env', 'A', '=', 'b'])).toEqual(['exec', '--', 'env', 'A', '=', 'b']);
  });
});
