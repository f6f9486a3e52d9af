import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runInProcess } from '../test/in-process.js';
import { COMMANDS } from './commands/index.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

// The rules for combining credential flags live in @credkit/env-selector (interpretCredentialFlags);
// `env init` and `env delete` apply them first, through the CLI's own entry, before any file or AWS.
describe('credential flags of env init and env delete, checked once, before any other work', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'credkit-flags-'));
  });
  afterEach(() => {
    rmSync(home, { recursive: true, force: true });
  });

  async function run(argv: string[]) {
    const { code, stderr } = await runInProcess([...argv, '--json'], {
      // Nothing may be read or called: a store, a config file or STS here would show up as another error.
      env: {
        CREDKIT_HOME: join(home, 'store'),
        AWS_CONFIG_FILE: join(home, 'config'),
        AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
        AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9',
      },
      cwd: join(home, 'my-app'),
    });
    return { code, error: JSON.parse(stderr.trim().split('\n').at(-1)!).error, stderr };
  }

  const KEY = ['--aws-access-key-id', 'AKIAEXAMPLE'];
  const SECRET_FLAG = ['--aws-secret-access-key', SECRET];
  const TOKEN = ['--aws-session-token', SECRET];
  it.each([
    [
      'init: a profile and keys',
      ['init', '--profile', 'p', ...KEY, ...SECRET_FLAG],
      'FLAG_CONFLICT',
      /--profile cannot be combined with --aws-access-key-id, --aws-secret-access-key/,
    ],
    [
      'delete: a profile and a token',
      ['delete', '--profile', 'p', ...TOKEN],
      'FLAG_CONFLICT',
      /--profile cannot be combined with --aws-session-token/,
    ],
    ['init: a key ID alone', ['init', ...KEY], 'MISSING_FLAG', /--aws-secret-access-key is missing/],
    ['init: a secret alone', ['init', ...SECRET_FLAG], 'MISSING_FLAG', /--aws-access-key-id is missing/],
    [
      'delete: a token alone',
      ['delete', ...TOKEN],
      'MISSING_FLAG',
      /--aws-access-key-id and --aws-secret-access-key are missing/,
    ],
  ])('env %s → %s, exit 2', async (_label, argv, code, message) => {
    const [command, ...flags] = argv as string[];
    const result = await run(['env', command!, '--name', 'e', ...flags]);
    expect(result.code).toBe(2);
    expect(result.error.code).toBe(code);
    expect(result.error.message).toMatch(message);
    expect(result.error.hint).toBeTruthy();
    expect(result.stderr).not.toContain(SECRET);
    // No store was opened: the store directory was never created.
    expect(readdirSync(home)).toEqual([]);
  });

  it('--credentials-stdin with any other credential flag is refused by the parser (the CLI-only rule)', async () => {
    const result = await run([
      'env',
      'init',
      '--name',
      'e',
      '--aws-session-token',
      SECRET,
      '--credentials-stdin',
    ]);
    expect(result.code).toBe(2);
    expect(result.error).toMatchObject({
      code: 'FLAG_CONFLICT',
      hint: 'Use --aws-session-token or --credentials-stdin, not both.',
    });
    expect(result.stderr).not.toContain(SECRET);
  });

  it('the command table no longer encodes the profile/key rules itself', () => {
    for (const name of ['env init', 'env delete']) {
      const command = COMMANDS.find((c) => c.name === name)!;
      const keyFlags = ['aws-access-key-id', 'aws-secret-access-key', 'aws-session-token'];
      expect(keyFlags.map((flag) => command.flags[flag]?.requires)).toEqual([
        undefined,
        undefined,
        undefined,
      ]);
      expect(command.conflicts).toEqual([[['profile', ...keyFlags], ['credentials-stdin']]]);
    }
  });
});
