import { chmod } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCli } from './canary.js';
import { createWorld, type World } from './helpers.js';

// Issue 7, file hygiene: a credentials file holding secrets that others can read is reported once
// per command, on stderr, with the fix (FILE_PERMISSIONS_TOO_OPEN); never on stdout.
let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(async () => {
  await world.close();
});

const COMMANDS: [string, string[]][] = [
  ['profiles', ['profiles']],
  ['app whoami', ['app', 'whoami']],
  ['app explain', ['app', 'explain']],
  ['export --profile', ['export', '--profile', 'prod-iad']],
  ['exec --profile', ['exec', '--profile', 'test', '--', process.execPath, '-e', '0']],
  ['env init --profile', ['env', 'init', '--name', 'perm', '--profile', 'prod-iad']],
];

describe.skipIf(process.platform === 'win32')('FILE_PERMISSIONS_TOO_OPEN on the command line', () => {
  it.each(COMMANDS)('%s warns once, with the fix, when the credentials file is 0644', async (_, args) => {
    await chmod(world.home.credentialsFile, 0o644);
    const r = await spawnCli(args, { env: world.env });
    expect(r.code, r.stderr).toBe(0);
    // Shown from the home, as every path in a message is.
    const fix = `chmod 600 ${world.home.credentialsFile.replace(`${world.env.HOME}/`, '~/')}`;
    expect(r.stderr.split(fix).length - 1, r.stderr).toBe(1);
    expect(r.stderr).toMatch(
      /warning: .*holds secrets \(aws_secret_access_key at line \d+\) but can be read by every user on this machine \(mode 0644\)/,
    );
    expect(r.stdout).not.toContain('chmod 600');
  });

  it.each(COMMANDS)('%s says nothing about a 0600 file', async (_, args) => {
    await chmod(world.home.credentialsFile, 0o600);
    const r = await spawnCli(args, { env: { ...world.env, CREDKIT_APP: 'perm-quiet' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('chmod 600');
  });
});
