import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { escapeControlCharacters } from '@credkit/temp-creds/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCli } from './canary.js';
import { createWorld, type World } from './helpers.js';

// Issue 13, the injection corpus: every printing path × a set of escape sequences finds no raw
// control byte in what credkit prints (stdout or stderr), and --json output stays valid JSON.
// Output is piped, so credkit prints no color of its own: any ESC at all would be the input's.
// (The colored path is covered by terminal.test.ts: hostile text stays escaped, marks become SGR.)
const CORPUS: [string, string][] = [
  ['clear screen', '\u001b[2J'],
  ['red', '\u001b[31m'],
  ['bell', '\u0007'],
  ['C1 CSI', '\u009b1m'],
  ['backspace', '\b'],
  ['OSC title', '\u001b]0;title\u0007'],
  ['DEL', '\u007f'],
  ['lone surrogate', '\ud800'],
];
// A lone surrogate cannot travel through a UTF-8 file, argv or env (it arrives as U+FFFD); it
// reaches credkit through JSON (the store, stdin) and remote answers, and is tested there.
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

let world: World;
beforeAll(async () => {
  world = await createWorld();
  const sections = CORPUS.map(([, seq], i) =>
    [
      `[profile reg${i}]\nregion = eu${seq}west`,
      `[profile src${i}]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = none${seq}`,
      `[profile sso${i}]\nsso_session = s${seq}\nsso_account_id = 123456789012\nsso_role_name = r`,
      `[profile arn${i}]\nrole_arn = arn${seq}\nsource_profile = test`,
      // A section header cannot hold "]", ";" or "#" (the OSC sequence has two): that would break
      // the whole file rather than give the invalid-name warning under test.
      `[profile bad${seq.replace(/[\];#]/g, '')}name]\nregion = us-east-1`,
      `[profile proc${i}]\ncredential_process = ${JSON.stringify(process.execPath)} -e "process.stderr.write('boom ${seq.replace(/\\/g, '\\\\')}'); process.exit(3)"`,
    ].join('\n'),
  );
  await appendFile(world.home.configFile, `\n${sections.join('\n')}\n`);
  await mkdir(join(world.credkitHome, 'apps'), { recursive: true, mode: 0o700 });
  for (const [i, [, seq]] of CORPUS.entries()) {
    const hostile = (what: string) => `${what}${seq}`;
    const record = {
      version: 1,
      app: `h${i}`,
      account: hostile('111'),
      environments: [
        {
          name: 'e',
          account: hostile('222'),
          region: hostile('eu-west-1'),
          credentialSource: hostile('profile p'),
          arn: hostile('arn:aws:iam::222:user/x'),
          createdAt: hostile('2026'),
        },
        { name: hostile('n'), account: '1', region: 'r', credentialSource: 'temporary', createdAt: '2026' },
      ],
    };
    // JSON.stringify writes the lone surrogate as \ud800: it comes back from JSON.parse as one.
    await writeFile(join(world.credkitHome, 'apps', `h${i}.json`), JSON.stringify(record), { mode: 0o600 });
  }
});
afterAll(() => world.close());

function expectSafe(
  what: string,
  r: { stdout: string; stderr: string },
  json: boolean,
  viaJson = false,
): void {
  expect(RAW.test(r.stdout), `raw control character on stdout of ${what}: ${JSON.stringify(r.stdout)}`).toBe(
    false,
  );
  expect(RAW.test(r.stderr), `raw control character on stderr of ${what}: ${JSON.stringify(r.stderr)}`).toBe(
    false,
  );
  // A lone surrogate written raw would come out of the pipe as U+FFFD. (Through argv, env or a
  // file it already arrives as U+FFFD, so only values read from JSON are checked.)
  if (viaJson) expect(`${r.stdout}${r.stderr}`.includes('\ufffd'), `U+FFFD in output of ${what}`).toBe(false);
  if (json && r.stdout.trim() !== '') expect(() => JSON.parse(r.stdout)).not.toThrow();
}

describe.each(CORPUS.map(([name, seq], i) => [name, seq, i] as const))('%s', (_name, seq, i) => {
  // The last field: the hostile value is shown (escaped) in the output, which proves the run reached
  // the path under test rather than failing earlier.
  const paths: [string, string[], Record<string, string>, boolean, boolean][] = [
    ['profiles (region, invalid section name)', ['profiles'], {}, false, true],
    ['profiles --json', ['profiles', '--json'], {}, true, false],
    ['export: source_profile value', ['export', '--profile', `src${i}`], {}, false, true],
    ['export: sso_session value', ['export', '--profile', `sso${i}`], {}, false, true],
    ['export: role_arn value', ['export', '--profile', `arn${i}`], {}, false, true],
    ['export: region value', ['export', '--profile', `reg${i}`], {}, false, false],
    ['export: credential_process stderr', ['export', '--profile', `proc${i}`], {}, false, true],
    ['app whoami: source_profile value', ['app', 'whoami'], { AWS_PROFILE: `src${i}` }, false, true],
    [
      'app whoami --json: role_arn value',
      ['app', 'whoami', '--json'],
      { AWS_PROFILE: `arn${i}` },
      true,
      false,
    ],
    ['app explain: region value', ['app', 'explain'], { AWS_PROFILE: `reg${i}` }, false, false],
    ['env ls: store fields', ['env', 'ls', '--app', `h${i}`], {}, false, true],
    ['env ls --json: store fields', ['env', 'ls', '--app', `h${i}`, '--json'], {}, true, false],
    ['env show: store fields', ['env', 'show', '--app', `h${i}`, '--name', 'e'], {}, false, true],
    [
      'env show --json: store fields',
      ['env', 'show', '--app', `h${i}`, '--name', 'e', '--json'],
      {},
      true,
      false,
    ],
    ['--app', ['env', 'ls', '--app', `a${seq}`], {}, false, true],
    ['--app --json', ['env', 'ls', '--app', `a${seq}`, '--json'], {}, true, false],
    ['--name', ['env', 'show', '--name', `n${seq}`], {}, false, true],
    ['--format', ['export', '--profile', 'test', '--format', `f${seq}`], {}, false, true],
    ['unknown flag', ['profiles', `--x${seq}`], {}, false, true],
    ['unknown command', [`c${seq}`], {}, false, true],
    ['CREDKIT_APP', ['env', 'ls'], { CREDKIT_APP: `a${seq}` }, false, true],
    ['AWS_PROFILE', ['app', 'whoami'], { AWS_PROFILE: `p${seq}` }, false, true],
  ];
  it.each(paths)('%s', async (what, args, extra, json, shows) => {
    const r = await spawnCli(args, { env: { ...world.env, ...extra } });
    expectSafe(what, r, json, what.includes('store fields'));
    // Through argv, env and files a lone surrogate arrives as U+FFFD, which is shown as it is.
    const arrived = seq === '\ud800' && !what.includes('store fields') ? '\ufffd' : seq;
    if (shows) expect(`${r.stdout}${r.stderr}`).toContain(escapeControlCharacters(arrived));
  });
});

describe('remote messages', () => {
  // The XML carrying the message cannot hold a lone surrogate raw; the rest are sent raw.
  it.each(CORPUS.filter(([name]) => name !== 'lone surrogate'))(
    'an STS error message holding %s',
    async (_name, seq) => {
      world.aws.fault('sts', { echo: true, echoSuffix: `x${seq}y` });
      try {
        for (const args of [
          ['app', 'whoami'],
          ['app', 'whoami', '--json'],
          ['export', '--profile', 'arn0'],
        ]) {
          const r = await spawnCli(args, { env: { ...world.env, AWS_PROFILE: 'test' } });
          expect(r.code).toBe(1);
          expect(r.stderr).toContain('ValidationError');
          expectSafe(`${args.join(' ')} against an echoing STS`, r, false);
        }
      } finally {
        world.aws.clearFaults();
      }
    },
  );
});
