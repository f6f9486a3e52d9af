import { chmod, chown, lstat, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { jsonError, portableCli, spawnCli } from './canary.js';
import { ACCOUNTS, createWorld, type World } from './helpers.js';

// Issue 7, metadata store: nothing lost, nothing half-written, an unreadable store reported and
// never replaced. Corrupt JSON, a directory or a symlink at the record path and two concurrent
// writers are covered in src/store/file-store.test.ts and test/e2e/env.test.ts.
//
// Permission cases: CI runs as root, whom chmod does not stop, so there the CLI runs as the
// unprivileged user `nobody` (uid 65534) with files owned by root; as a normal user chmod does it.
const IS_ROOT = process.getuid?.() === 0;
const NOBODY = 65_534;

let world: World;
let cli: string;
let cleanupCli: () => Promise<void>;
beforeAll(async () => {
  ({ cli, cleanup: cleanupCli } = await portableCli());
});
afterAll(async () => {
  await cleanupCli();
});
beforeEach(async () => {
  world = await createWorld();
});
afterEach(async () => {
  // Give everything back to us so the temp dirs can be removed.
  if (IS_ROOT) await chownTree(world.credkitHome, 0, 0).catch(() => undefined);
  await chmodTree(world.credkitHome).catch(() => undefined);
  await world.close();
});

async function chownTree(dir: string, uid: number, gid: number): Promise<void> {
  await chown(dir, uid, gid);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await chownTree(path, uid, gid);
    else await chown(path, uid, gid);
  }
}

async function chmodTree(dir: string): Promise<void> {
  await chmod(dir, 0o700);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) await chmodTree(join(dir, entry.name));
  }
}

/** Runs the CLI as the user the permissions apply to: `nobody` when we are root, else ourselves. */
function asUnprivileged(args: string[]) {
  return spawnCli([...args, '--json'], {
    cli,
    env: world.env,
    ...(IS_ROOT ? { uid: NOBODY, gid: NOBODY } : {}),
  });
}

const recordFile = () => join(world.credkitHome, 'apps', 'shop.json');

async function recordOne(): Promise<{ text: string; ino: number }> {
  const r = await spawnCli(['env', 'init', '--name', 'prod-iad', '--profile', 'prod-iad'], {
    env: world.env,
  });
  expect(r.stdout).toContain('Recorded');
  expect(r.code).toBe(0);
  if (IS_ROOT) await chownTree(world.home.dir, NOBODY, NOBODY); // nobody may read the AWS files
  return { text: await readFile(recordFile(), 'utf8'), ino: (await stat(recordFile())).ino };
}

describe('metadata store without permissions', () => {
  it('no write permission: env init fails with STORE_NOT_WRITABLE and the record is intact', async () => {
    const before = await recordOne();
    // Readable by the unprivileged user, writable by no one but the owner (root, or us under 0555).
    await chmod(world.credkitHome, 0o755);
    await chmod(join(world.credkitHome, 'apps'), IS_ROOT ? 0o755 : 0o555);
    await chmod(recordFile(), IS_ROOT ? 0o644 : 0o444);
    const r = await asUnprivileged(['env', 'init', '--name', 'prod-pdx', '--profile', 'prod-pdx']);
    expect(jsonError(r.stderr)?.code, r.stderr).toBe('STORE_NOT_WRITABLE');
    expect(r.code).toBe(1);
    expect(jsonError(r.stderr)?.message).toContain(join(world.credkitHome, 'apps'));
    expect(await readFile(recordFile(), 'utf8')).toBe(before.text);
    expect(await readdir(join(world.credkitHome, 'apps'))).toEqual(['shop.json']);
    // Reading still works for that user.
    const ls = await asUnprivileged(['env', 'ls']);
    expect(ls.code).toBe(0);
    expect(JSON.parse(ls.stdout).environments).toMatchObject([{ name: 'prod-iad' }]);
  });

  it('an unreadable record is reported (STORE_UNREADABLE) and never replaced, even where it could be', async () => {
    const before = await recordOne();
    // The directory is writable (a rename over the record would succeed); the record is not readable.
    await chmod(world.credkitHome, 0o777);
    await chmod(join(world.credkitHome, 'apps'), 0o777);
    await chmod(recordFile(), IS_ROOT ? 0o600 : 0o000);
    for (const args of [
      ['env', 'ls'],
      ['env', 'show', '--name', 'prod-iad'],
      ['env', 'init', '--name', 'prod-pdx', '--profile', 'prod-pdx'],
      ['env', 'delete', '--name', 'prod-iad', '--profile', 'prod-iad', '--yes'],
    ]) {
      const r = await asUnprivileged(args);
      expect(jsonError(r.stderr)?.code, args.join(' ')).toBe('STORE_UNREADABLE');
      expect(r.code).toBe(1);
      expect(jsonError(r.stderr)?.message).toContain(recordFile());
    }
    await chmod(recordFile(), 0o600);
    expect(await readFile(recordFile(), 'utf8')).toBe(before.text);
    expect((await stat(recordFile())).ino).toBe(before.ino);
    expect(await readdir(join(world.credkitHome, 'apps'))).toEqual(['shop.json']);
  });
});

describe('concurrent writers', () => {
  it('ten env init processes at once: all ten recorded, one valid 0600 file, no temp or lock left', async () => {
    const names = Array.from({ length: 10 }, (_, i) => `w${i}`);
    const runs = await Promise.all(
      names.map((name) =>
        spawnCli(['env', 'init', '--name', name, '--profile', 'prod-iad'], {
          env: world.env,
          timeoutMs: 60_000,
        }),
      ),
    );
    expect(
      runs.map((r) => [r.code, r.stderr.includes('error')]),
      runs[0]?.stderr,
    ).toEqual(names.map(() => [0, false]));
    const record = JSON.parse(await readFile(recordFile(), 'utf8')) as {
      account: string;
      environments: { name: string; account: string }[];
    };
    expect(record.account).toBe(ACCOUNTS.app);
    expect(record.environments.map((e) => e.name).sort()).toEqual(names);
    expect(await readdir(join(world.credkitHome, 'apps'))).toEqual(['shop.json']);
    expect((await lstat(recordFile())).mode & 0o777).toBe(0o600);
    expect((await stat(join(world.credkitHome, 'apps'))).mode & 0o777).toBe(0o700);
  });
});
