import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AwsHome, createAwsHome } from '@credkit/loopback-aws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS, GROUPS } from '../../src/commands/index.js';
import { CLI, createWorld, runCli, type World } from './helpers.js';
import { spawnPtyCommand, stripAnsi } from './pty.js';

// Every help page and `app explain` fit the width: $COLUMNS, else the terminal's, else 80 (also
// piped). Each page is also rendered very wide: the narrow renderings must hold the same text.

const PAGES: string[][] = [
  ['--help'],
  ...Object.keys(GROUPS).map((g) => [g, '--help']),
  ...COMMANDS.map((c) => [...c.name.split(' '), '--help']),
  ['help', 'env', 'init'],
];

/** Columns a line takes (the text is ASCII apart from what a test puts in on purpose). */
const columns = (line: string) => [...line].length;
const tooWide = (text: string, width: number) =>
  text
    .split('\n')
    .filter((line) => columns(line) > width)
    .map((line) => `${columns(line)}: ${line}`);
/** The text without its layout: what must survive any width. */
const content = (text: string) => text.replace(/ \\\n/g, ' ').replace(/\s+/g, '');

/** Runs `jobs` a few at a time: dozens of CLIs at once would only queue on 2 shared cores. */
async function inBatches<T>(jobs: (() => Promise<T>)[], size = 4): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < jobs.length; i += size) {
    results.push(...(await Promise.all(jobs.slice(i, i + size).map((job) => job()))));
  }
  return results;
}

/** credkit on a real terminal 70 columns wide; the screen's text, colors removed. */
async function onTerminal(args: string[], env: Record<string, string>): Promise<string> {
  // stty sets the terminal's size the way resizing a window does; then the shell becomes credkit.
  const term = spawnPtyCommand(
    '/bin/sh',
    ['-c', 'stty cols 70 rows 50; exec "$@"', 'sh', process.execPath, CLI, ...args],
    env,
  );
  try {
    await term.exit();
    return stripAnsi(term.raw()).replace(/\r\n/g, '\n');
  } finally {
    term.kill();
  }
}

describe('--help fits the width', () => {
  it('every help page: piped with no COLUMNS fits 80, COLUMNS=60 fits 60, and no text is lost', async () => {
    const render = (args: string[], env: Record<string, string>) => async () => {
      const r = await runCli(args, { env, timeoutMs: 60_000 });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stderr).toBe('');
      return r.stdout;
    };
    const wide = await inBatches(PAGES.map((args) => render(args, { COLUMNS: '1000' })));
    const piped = await inBatches(PAGES.map((args) => render(args, {})));
    const sixty = await inBatches(PAGES.map((args) => render(args, { COLUMNS: '60' })));
    PAGES.forEach((args, i) => {
      const name = args.join(' ');
      expect(tooWide(piped[i]!, 80), `${name} (piped)`).toEqual([]);
      expect(tooWide(sixty[i]!, 60), `${name} (COLUMNS=60)`).toEqual([]);
      expect(content(piped[i]!), name).toBe(content(wide[i]!));
      expect(content(sixty[i]!), name).toBe(content(wide[i]!));
    });
    // The 182-character usage line of issue 16, now aligned under the command.
    const envInit = piped[PAGES.findIndex((a) => a.join(' ') === 'env init --help')]!;
    expect(envInit).toMatch(
      /^Usage: credkit env init \[NAME \| --name NAME\] \[--app APP\]\n {24}\[--profile P \|/,
    );
    // A wrapped example still pastes into a shell: a line that goes on ends with a backslash.
    expect(envInit).toMatch(/aws configure export-credentials --profile ops \| [^\n]*\\\n {6}--/);
    // Flag descriptions hang under themselves.
    expect(envInit).toMatch(/--aws-secret-access-key KEY {2}Secret access key[^\n]*\n {35}\S/);
  });

  it('on a terminal: its width when COLUMNS is unset, COLUMNS when set', async () => {
    const seventy = await onTerminal(['env', 'init', '--help'], {});
    expect(tooWide(seventy, 70)).toEqual([]);
    expect(Math.max(...seventy.split('\n').map(columns))).toBeGreaterThan(60);
    const hundred = await onTerminal(['env', 'init', '--help'], { COLUMNS: '100' });
    expect(tooWide(hundred, 100)).toEqual([]);
    expect(Math.max(...hundred.split('\n').map(columns))).toBeGreaterThan(70);
  });

  it('--help and --version load nothing but the entry (start-up time)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'credkit-layout-probe-'));
    try {
      // Loaded CommonJS files and whether Node's ESM loader started (it does for any import()).
      const probe = join(dir, 'probe.cjs');
      await writeFile(
        probe,
        `const before = new Set(process.moduleLoadList);
process.on('exit', () => {
  const esm = process.moduleLoadList.filter((m) => !before.has(m) && m.includes('/esm/'));
  require('node:fs').writeSync(2, JSON.stringify({ files: Object.keys(require.cache), esm }));
});
require(${JSON.stringify(CLI)});
`,
      );
      for (const args of [['--help'], ['env', 'init', '--help'], ['--version']]) {
        const r = await runCli(args, { env: { COLUMNS: '60' }, cli: probe });
        expect(r.code, r.stderr).toBe(0);
        expect(JSON.parse(r.stderr), args.join(' ')).toEqual({ files: [probe, CLI], esm: [] });
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('--version', () => {
  it('names the CLI and the three libraries inside, with the versions of their package.json', async () => {
    const version = async (dir: string) =>
      (
        JSON.parse(await readFile(new URL(`../../../${dir}/package.json`, import.meta.url), 'utf8')) as {
          version: string;
        }
      ).version;
    const [cli, appChain, envSelector, tempCreds] = await Promise.all(
      ['cli', 'app-chain', 'env-selector', 'temp-creds'].map(version),
    );
    const r = await runCli(['--version'], { env: {} });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`credkit ${cli} (@credkit/cli)`);
    expect(lines.slice(1, 4).map((l) => l.trim().split(/\s+/))).toEqual([
      ['@credkit/app-chain', appChain],
      ['@credkit/env-selector', envSelector],
      ['@credkit/temp-creds', tempCreds],
    ]);
    expect(lines[4]?.trim().split(/\s+/)).toEqual([
      'node',
      process.version,
      `${process.platform}-${process.arch}`,
    ]);
    for (const flag of ['-v', '-V']) expect((await runCli([flag], { env: {} })).stdout).toBe(r.stdout);
    const json = await runCli(['--version', '--json'], { env: {} });
    expect(JSON.parse(json.stdout)).toEqual({
      name: '@credkit/cli',
      version: cli,
      libraries: {
        '@credkit/app-chain': appChain,
        '@credkit/env-selector': envSelector,
        '@credkit/temp-creds': tempCreds,
      },
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
    });
  });
});

describe('app explain fits the width', () => {
  let world: World;
  let home: AwsHome;
  const longDir = `deeply/nested/${'directory-with-a-long-name/'.repeat(3)}`;

  beforeAll(async () => {
    world = await createWorld({
      config: `\n[profile broken-process]\nregion = us-east-1\ncredential_process = /nonexistent/${longDir}credential-helper --profile broken-process --verbose\n`,
    });
    home = await createAwsHome({ config: '[profile other]\nregion = eu-west-1\n' });
  });
  afterAll(async () => {
    await world?.close();
    await home?.cleanup();
  });

  const situations = (): [string, Record<string, string>, number][] => [
    ['resolved from a named profile', { ...world.env, AWS_PROFILE: 'my-app' }, 0],
    ['a broken credential_process', { ...world.env, AWS_PROFILE: 'broken-process' }, 1],
    [
      'AWS_PROFILE naming no profile, config file at a long path',
      {
        ...home.env,
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_PROFILE: 'nosuch',
        AWS_CONFIG_FILE: join(home.dir, longDir, 'config'),
      },
      1,
    ],
    ['nothing configured at all', { ...home.env, AWS_EC2_METADATA_DISABLED: 'true' }, 1],
    [
      'a hostile AWS_PROFILE with escape sequences',
      {
        ...home.env,
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_PROFILE: `x\u001b[2J\u001b]0;pwned\u0007${'y'.repeat(60)}`,
      },
      1,
    ],
  ];

  it('every line fits 80 piped and 60 with COLUMNS=60, nothing lost, escapes never split', async () => {
    for (const [name, env, code] of situations()) {
      const [wide, piped, sixty] = await inBatches(
        ([{ COLUMNS: '1000' }, {}, { COLUMNS: '60' }] as Record<string, string>[]).map(
          (extra) => async () => {
            const r = await runCli(['app', 'explain'], { env: { ...env, ...extra } });
            expect(r.code, `${name}: ${r.stderr}`).toBe(code);
            // Piped: no color, and no raw control character from the hostile name.
            expect(r.stdout, name).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
            return r.stdout;
          },
        ),
      );
      expect(wide, name).toMatch(/^Application credential chain, in order:\n/);
      expect(tooWide(piped!, 80), `${name} (piped)`).toEqual([]);
      expect(tooWide(sixty!, 60), `${name} (COLUMNS=60)`).toEqual([]);
      expect(content(piped!), name).toBe(content(wide!));
      expect(content(sixty!), name).toBe(content(wide!));
      // An escaped control character is shown as one unit (`\x1b`, `\u001b`...), never cut by a break.
      for (const text of [piped!, sixty!]) expect(text, name).not.toMatch(/\\(x|u0*)?\n/);
    }
  });

  it('on a terminal 70 columns wide, in color: every line fits', async () => {
    const [, env] = situations()[2]!;
    const screen = await onTerminal(['app', 'explain'], env);
    expect(screen).toContain('Application credential chain, in order:');
    expect(screen).toContain('PROFILE_NOT_FOUND');
    expect(tooWide(screen, 70)).toEqual([]);
    expect(Math.max(...screen.split('\n').map(columns))).toBeGreaterThan(60);
  });

  it('a long path in a failure breaks after a slash, under the link it belongs to', async () => {
    const [, env] = situations()[2]!;
    const r = await runCli(['app', 'explain'], { env: { ...env, COLUMNS: '60' } });
    const lines = r.stdout.split('\n');
    // The first row is AWS_PROFILE: the library's profile option, which no command sets, is not shown.
    const failed = lines.findIndex((l) => /^ {2}1\. +AWS_PROFILE +failed$/.test(l));
    expect(failed, r.stdout).toBeGreaterThan(0);
    expect(lines[failed + 1]).toMatch(/^ {6}PROFILE_NOT_FOUND: /);
    const path = lines.slice(failed + 1).findIndex((l) => l.includes('~/deeply/'));
    expect(lines[failed + 1 + path], r.stdout).toMatch(/\/$/);
  });
});
