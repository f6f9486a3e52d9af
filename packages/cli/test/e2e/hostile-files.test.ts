import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { jsonError } from './canary.js';
import { CLI, createWorld, type World } from './helpers.js';

// Issue 12, finding 3: every file credkit reads besides the config files is a regular file of
// bounded size, checked on the open descriptor before a byte is read. A FIFO, a device or a huge
// file ends with a coded error naming the file and the setting, using under 5 s of CPU and under
// 100 MB of memory, and within 15 s of wall time. All three bounds only guard a hang or a runaway
// read (before: 8 GB in 40 s, or no end): a run takes 0.1-0.5 s and 40-55 MB on an idle machine;
// the wall bound is wider because a 2-core machine shared with other test runs can be 10x slower.
const CPU_BOUND_MS = 5_000;
const WALL_BOUND_MS = 15_000;
const MEMORY_BOUND_MB = 100;

let scratch: string;
let preload: string;
let world: World;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'credkit-hostile-files-'));
  preload = join(scratch, 'max-rss.cjs');
  // The child's peak resident memory, from inside it (no wait4 rusage in child_process).
  await writeFile(
    preload,
    `process.on('exit', () => { const u = process.resourceUsage(); require('node:fs').writeFileSync(process.env.CREDKIT_TEST_RSS_FILE, JSON.stringify([u.maxRSS, u.userCPUTime + u.systemCPUTime])); });\n`,
  );
  execFileSync('mkfifo', [join(scratch, 'fifo')]);
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});
beforeEach(async () => {
  world = await createWorld();
});
afterEach(async () => {
  await world.close();
});

interface Measured {
  exit: number | null;
  code: string | undefined;
  message: string;
  ms: number;
  cpuMs: number;
  mb: number;
}

async function measure(args: string[], env: Record<string, string>): Promise<Measured> {
  const rssFile = join(scratch, `rss-${Date.now()}-${Math.random()}`);
  const started = Date.now();
  const child = spawn(process.execPath, ['-r', preload, CLI, ...args, '--json'], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env, CREDKIT_TEST_RSS_FILE: rssFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  child.stdout.resume();
  // Far past the bound: a hang is reported as a failure, not as a test timeout.
  const killer = setTimeout(() => child.kill('SIGKILL'), 2 * WALL_BOUND_MS);
  const exit = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(killer);
  const ms = Date.now() - started;
  const [kb, cpuMicros] = JSON.parse(await readFile(rssFile, 'utf8').catch(() => '[NaN, NaN]')) as number[];
  const error = jsonError(stderr);
  return {
    exit,
    code: error?.code,
    message: error?.message ?? stderr,
    ms,
    cpuMs: Math.round(cpuMicros! / 1000),
    mb: kb! / 1024,
  };
}

function expectBounded(m: Measured, code: string, mentions: string[]): void {
  console.log(`${code}: ${m.ms} ms wall, ${m.cpuMs} ms CPU, ${m.mb.toFixed(0)} MB peak`);
  expect({ exit: m.exit, code: m.code }).toEqual({ exit: 1, code });
  for (const text of mentions) expect(m.message).toContain(text);
  expect(m.cpuMs).toBeLessThan(CPU_BOUND_MS);
  expect(m.ms).toBeLessThan(WALL_BOUND_MS);
  expect(m.mb).toBeLessThan(MEMORY_BOUND_MB);
}

const fifo = () => join(scratch, 'fifo');
const ROLE = 'arn:aws:iam::111111111111:role/web';

describe('token files that are not small regular files', () => {
  // The app chain with no profile and no config files, so it reaches the web identity and
  // container links.
  const appEnv = () => {
    const { AWS_PROFILE: _, ...env } = world.env;
    return {
      ...env,
      AWS_CONFIG_FILE: join(scratch, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(scratch, 'no-credentials'),
    };
  };

  it.each([
    ['/dev/zero', 'character device'],
    ['fifo', 'named pipe (FIFO)'],
  ])('AWS_WEB_IDENTITY_TOKEN_FILE=%s', async (target, what) => {
    const file = target === 'fifo' ? fifo() : target;
    const m = await measure(['app', 'whoami'], {
      ...appEnv(),
      AWS_ROLE_ARN: ROLE,
      AWS_WEB_IDENTITY_TOKEN_FILE: file,
    });
    expectBounded(m, 'WEB_IDENTITY_TOKEN_UNREADABLE', [file, 'AWS_WEB_IDENTITY_TOKEN_FILE', what]);
  });

  it.each([
    ['/dev/zero', 'character device'],
    ['fifo', 'named pipe (FIFO)'],
    ['huge', 'larger than 64 KiB'],
  ])('web_identity_token_file = %s in a profile', async (target, what) => {
    let file = target === 'fifo' ? fifo() : target;
    if (target === 'huge') {
      file = join(scratch, 'huge-token');
      await writeFile(file, '');
      execFileSync('truncate', ['-s', '600M', file]);
    }
    await writeFile(
      world.home.configFile,
      `${await readFile(world.home.configFile, 'utf8')}\n[profile wi]\nregion = us-east-1\nrole_arn = ${ROLE}\nweb_identity_token_file = ${file}\n`,
    );
    const m = await measure(['env', 'init', '--name', 'wi', '--profile', 'wi'], world.env);
    expectBounded(m, 'WEB_IDENTITY_TOKEN_UNREADABLE', [file, 'config', what]);
  });

  it.each([
    ['/dev/zero', 'character device'],
    ['fifo', 'named pipe (FIFO)'],
  ])('AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=%s', async (target, what) => {
    const file = target === 'fifo' ? fifo() : target;
    const m = await measure(['app', 'whoami'], {
      ...appEnv(),
      AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:9/creds',
      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: file,
    });
    expectBounded(m, 'CONTAINER_TOKEN_UNREADABLE', [file, 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', what]);
  });
});

describe('an SSO token cache that is not a regular file', () => {
  it.each([
    ['fifo', 'named pipe (FIFO)'],
    ['/dev/zero', 'character device'],
  ])('%s', async (target, what) => {
    await writeFile(
      world.home.configFile,
      `${await readFile(world.home.configFile, 'utf8')}\n[profile sso]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = dev\nregion = us-east-1\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n`,
    );
    const cache = join(world.home.ssoCacheDir, `${createHash('sha1').update('corp').digest('hex')}.json`);
    await mkdir(world.home.ssoCacheDir, { recursive: true });
    if (target === 'fifo') execFileSync('mkfifo', [cache]);
    else await symlink(target, cache);
    const m = await measure(['env', 'init', '--name', 'sso', '--profile', 'sso'], world.env);
    expectBounded(m, 'SSO_CACHE_UNREADABLE', ['sso/cache', what]);
  });
});

describe('store records and locks that are not small regular files', () => {
  const apps = () => join(world.credkitHome, 'apps');
  const record = () => join(apps(), 'shop.json');
  const init = ['env', 'init', '--name', 'prod-iad', '--profile', 'prod-iad'];

  it('a FIFO record: env ls and env init fail at once', async () => {
    await mkdir(apps(), { recursive: true });
    execFileSync('mkfifo', [record()]);
    expectBounded(await measure(['env', 'ls'], world.env), 'STORE_NOT_A_FILE', [record(), 'FIFO']);
    expectBounded(await measure(init, world.env), 'STORE_NOT_A_FILE', [record(), 'FIFO']);
  });

  it('a 600 MB record is refused by its size, not read', async () => {
    await mkdir(apps(), { recursive: true });
    await writeFile(record(), '');
    execFileSync('truncate', ['-s', '600M', record()]);
    expectBounded(await measure(['env', 'ls'], world.env), 'STORE_TOO_LARGE', [record(), '8 MiB']);
  });

  it.each([
    ['a FIFO', 'named pipe (FIFO)'],
    ['a link to /dev/zero', 'symbolic link'],
  ])('a lock that is %s: env init fails at once, naming it', async (kind, what) => {
    await mkdir(apps(), { recursive: true });
    if (kind === 'a FIFO') execFileSync('mkfifo', [`${record()}.lock`]);
    else await symlink('/dev/zero', `${record()}.lock`);
    const m = await measure(init, world.env);
    expectBounded(m, 'STORE_LOCK_UNREADABLE', [`${record()}.lock`, what]);
    expect(m.message).not.toContain('RangeError');
    expect((await readdir(apps())).sort()).toEqual(['shop.json.lock']);
  });
});
