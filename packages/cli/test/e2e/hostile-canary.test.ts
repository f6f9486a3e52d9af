import { createHash } from 'node:crypto';
import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CANARY_ACCESS_KEY_ID,
  CANARY_SECRET,
  CANARY_TOKEN,
  expectNoLeak,
  filesUnder,
  jsonError,
  type Run,
  spawnCli,
} from './canary.js';
import { createWorld, credentialProcessJson, type World } from './helpers.js';

// Issue 7, secret canary across every command: on success and failure paths the canary secrets
// (fixed values, plus every secret the loopback issued) never appear on stdout, stderr, in a
// warning or in any file credkit writes, except on stdout of `export` and in the environment of the
// command `exec` runs, where they are meant to be. The exec'd child also checks that no secret is
// on its own command line or on credkit's (what `ps` shows).
let world: World;
let scripts: string;
let secrets: string[];
let live: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
const pascal = (c: { accessKeyId: string; secretAccessKey: string; sessionToken: string }) => ({
  AccessKeyId: c.accessKeyId,
  SecretAccessKey: c.secretAccessKey,
  SessionToken: c.sessionToken,
});
const sha = (v: string) => createHash('sha256').update(v).digest('hex');

beforeAll(async () => {
  world = await createWorld();
  live = world.aws.issueSession(world.users.test, { expiresInSeconds: 3600 });
  const expired = world.aws.issueSession(world.users.test, { expiresInSeconds: -60 });
  secrets = [
    CANARY_SECRET,
    CANARY_TOKEN,
    live.secretAccessKey,
    live.sessionToken,
    expired.secretAccessKey,
    expired.sessionToken,
    ...Object.values(world.users).map((u) => u.secretAccessKey),
    world.root.secretAccessKey,
  ];
  // Outside HOME: these scripts hold canaries on purpose and are not credkit's files.
  scripts = await mkdtemp(join(tmpdir(), 'credkit-canary-scripts-'));
  const script = async (name: string, body: string) => {
    const file = join(scripts, `${name}.mjs`);
    await writeFile(file, body);
    return `${JSON.stringify(process.execPath)} ${file}`;
  };
  const doc = (c: Parameters<typeof credentialProcessJson>[0]) =>
    credentialProcessJson({ ...c, expiration: undefined });
  const procFail = await script(
    'fail',
    `process.stdout.write(${JSON.stringify(doc({ accessKeyId: CANARY_ACCESS_KEY_ID, secretAccessKey: CANARY_SECRET }))}); console.error('login needed'); process.exit(1);`,
  );
  const procBad = await script(
    'bad',
    `process.stdout.write('{"Version": 1, "SecretAccessKey": "${CANARY_SECRET}", ');`,
  );
  const procV2 = await script(
    'v2',
    `process.stdout.write(${JSON.stringify(JSON.stringify({ Version: 2, AccessKeyId: CANARY_ACCESS_KEY_ID, SecretAccessKey: CANARY_SECRET }))});`,
  );
  const procGood = await script('good', `process.stdout.write(${JSON.stringify(doc(live))});`);
  await appendFile(
    world.home.configFile,
    [
      '',
      '[profile live]\nregion = eu-west-1',
      `[profile proc-fail]\ncredential_process = ${procFail}`,
      `[profile proc-bad]\ncredential_process = ${procBad}`,
      `[profile proc-v2]\ncredential_process = ${procV2}`,
      `[profile proc-good]\nregion = eu-west-1\ncredential_process = ${procGood}`,
      '[profile role-canary]\nrole_arn = arn:aws:iam::222222222222:role/none\nsource_profile = canary',
      '',
    ].join('\n'),
  );
  const keys = (c: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
    `aws_access_key_id = ${c.accessKeyId}\naws_secret_access_key = ${c.secretAccessKey}\n${c.sessionToken ? `aws_session_token = ${c.sessionToken}\n` : ''}`;
  await appendFile(
    world.home.credentialsFile,
    [
      '',
      `[live]\n${keys(live)}`,
      `[expired]\n${keys(expired)}`,
      `[canary]\n${keys({ accessKeyId: 'AKIACANARYACCESSKEY1', secretAccessKey: CANARY_SECRET })}`,
      `[canary-session]\n${keys({ accessKeyId: CANARY_ACCESS_KEY_ID, secretAccessKey: CANARY_SECRET, sessionToken: CANARY_TOKEN })}`,
      `[partial]\naws_secret_access_key = ${CANARY_SECRET}\n`,
    ].join('\n'),
  );
});
afterAll(async () => {
  await world.close();
  await rm(scripts, { recursive: true, force: true });
});

const canaryJson = JSON.stringify({
  Version: 1,
  AccessKeyId: CANARY_ACCESS_KEY_ID,
  SecretAccessKey: CANARY_SECRET,
  SessionToken: CANARY_TOKEN,
});

/** Replaced by the live session's credential_process JSON when the case runs. */
const LIVE_JSON = '<live session JSON>';

type Case = [
  name: string,
  args: string[],
  extra: Record<string, string>,
  stdin: string,
  code: number,
  error?: string,
];

/** Commands that never print a secret, whatever happens. `error` is the exact code of a --json failure. */
const CASES: Case[] = [
  ['app whoami (session profile)', ['app', 'whoami'], { AWS_PROFILE: 'live' }, '', 0],
  ['app whoami --json', ['app', 'whoami', '--json'], { AWS_PROFILE: 'live' }, '', 0],
  [
    'app explain --json (credential_process)',
    ['app', 'explain', '--json'],
    { AWS_PROFILE: 'proc-good' },
    '',
    0,
  ],
  ['app explain', ['app', 'explain'], { AWS_PROFILE: 'live' }, '', 0],
  ['profiles', ['profiles'], {}, '', 0],
  ['profiles --json', ['profiles', '--json'], {}, '', 0],
  ['--help', ['--help'], {}, '', 0],
  ['env init --help', ['env', 'init', '--help'], {}, '', 0],
  [
    'app whoami, unknown keys',
    ['app', 'whoami', '--json'],
    { AWS_PROFILE: 'canary' },
    '',
    1,
    'INVALID_CREDENTIALS',
  ],
  [
    'app whoami, expired session',
    ['app', 'whoami', '--json'],
    { AWS_PROFILE: 'expired' },
    '',
    1,
    'CREDENTIALS_EXPIRED',
  ],
  [
    'app whoami, partial key pair',
    ['app', 'whoami', '--json'],
    { AWS_PROFILE: 'partial' },
    '',
    1,
    'PROFILE_INCOMPLETE',
  ],
  [
    'app whoami, process fails',
    ['app', 'whoami', '--json'],
    { AWS_PROFILE: 'proc-fail' },
    '',
    1,
    'CREDENTIAL_PROCESS_FAILED',
  ],
  [
    'app whoami, process prints bad JSON',
    ['app', 'whoami', '--json'],
    { AWS_PROFILE: 'proc-bad' },
    '',
    1,
    'CREDENTIAL_PROCESS_INVALID_JSON',
  ],
  [
    'app whoami, process Version 2',
    ['app', 'whoami', '--json'],
    { AWS_PROFILE: 'proc-v2' },
    '',
    1,
    'CREDENTIAL_PROCESS_UNSUPPORTED_VERSION',
  ],
  [
    'app whoami, role from unknown keys',
    ['app', 'whoami', '--json'],
    { AWS_PROFILE: 'role-canary' },
    '',
    1,
    'INVALID_CREDENTIALS',
  ],
  [
    'app whoami, env key pair (warned about)',
    ['app', 'whoami', '--json'],
    {
      AWS_PROFILE: '',
      AWS_ACCESS_KEY_ID: CANARY_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: CANARY_SECRET,
      AWS_SESSION_TOKEN: CANARY_TOKEN,
    },
    '',
    1,
    'INVALID_CREDENTIALS',
  ],
  ['app explain, broken process', ['app', 'explain', '--json'], { AWS_PROFILE: 'proc-bad' }, '', 1],
  ['env init --profile (session)', ['env', 'init', '--name', 'e1', '--profile', 'live'], {}, '', 0],
  [
    'env init --credentials-stdin',
    ['env', 'init', '--name', 'e2', '--credentials-stdin', '--region', 'eu-west-1'],
    {},
    LIVE_JSON,
    0,
  ],
  [
    'env init, unknown session keys',
    ['env', 'init', '--name', 'e3', '--profile', 'canary-session', '--region', 'us-east-1', '--json'],
    {},
    '',
    1,
    'INVALID_CREDENTIALS',
  ],
  [
    'env init, canary keys in flags',
    [
      'env',
      'init',
      '--name',
      'e4',
      '--aws-access-key-id',
      CANARY_ACCESS_KEY_ID,
      '--aws-secret-access-key',
      CANARY_SECRET,
      '--aws-session-token',
      CANARY_TOKEN,
      '--region',
      'us-east-1',
      '--json',
    ],
    {},
    '',
    1,
    'INVALID_CREDENTIALS',
  ],
  [
    'env init, secret with an ANSI escape in flags',
    [
      'env',
      'init',
      '--name',
      'e5',
      '--aws-access-key-id',
      CANARY_ACCESS_KEY_ID,
      '--aws-secret-access-key',
      `${CANARY_SECRET}\u001b[31m`,
      '--aws-session-token',
      CANARY_TOKEN,
      '--region',
      'us-east-1',
      '--json',
    ],
    {},
    '',
    2,
    'INVALID_SECRET_ACCESS_KEY',
  ],
  [
    'env init, canary JSON on stdin',
    ['env', 'init', '--name', 'e6', '--credentials-stdin', '--region', 'us-east-1', '--json'],
    {},
    canaryJson,
    1,
    'INVALID_CREDENTIALS',
  ],
  [
    'env init, ASIA without a token on stdin',
    ['env', 'init', '--name', 'e7', '--credentials-stdin', '--region', 'us-east-1', '--json'],
    {},
    JSON.stringify({ Version: 1, AccessKeyId: CANARY_ACCESS_KEY_ID, SecretAccessKey: CANARY_SECRET }),
    1,
    'SESSION_TOKEN_REQUIRED',
  ],
  [
    'env init, 1 MB paste on stdin',
    ['env', 'init', '--name', 'e8', '--credentials-stdin', '--region', 'us-east-1', '--json'],
    {},
    CANARY_SECRET.repeat(26_000),
    1,
    'INPUT_TOO_LARGE',
  ],
  ['env ls', ['env', 'ls'], {}, '', 0],
  ['env ls --json', ['env', 'ls', '--json'], {}, '', 0],
  ['env show', ['env', 'show', '--name', 'e1', '--json'], {}, '', 0],
  [
    'env delete, another account',
    ['env', 'delete', '--name', 'e1', '--profile', 'prod-iad', '--yes', '--json'],
    {},
    '',
    1,
    'ENV_ACCOUNT_MISMATCH',
  ],
  [
    'env delete, unknown keys',
    ['env', 'delete', '--name', 'e1', '--profile', 'canary', '--yes', '--json'],
    {},
    '',
    1,
    'INVALID_CREDENTIALS',
  ],
  ['export, process fails', ['export', '--profile', 'proc-fail'], {}, '', 1],
  ['export, partial key pair', ['export', '--profile', 'partial'], {}, '', 1],
  ['export, bad flag', ['export', '--profile', 'live', '--format', 'yaml'], {}, '', 2],
  ['exec, unknown flag', ['exec', '--bogus', '--', 'true'], {}, '', 2],
  ['exec, command not found', ['exec', '--profile', 'live', '--', 'no-such-command-credkit'], {}, '', 127],
];

describe('secret canary: no secret on stdout or stderr of any command, success or failure', () => {
  const runs: [string, Run][] = [];

  it.each(CASES)('%s', async (name, args, extra, stdin, code, error) => {
    const input = stdin === LIVE_JSON ? JSON.stringify({ Version: 1, ...pascal(live) }) : stdin;
    const r = await spawnCli(args, { env: { ...world.env, ...extra }, stdin: input });
    runs.push([name, r]);
    if (error !== undefined) expect(jsonError(r.stderr)?.code, r.stderr).toBe(error);
    expect(r.code, r.stderr).toBe(code);
    expectNoLeak(`stdout of ${name}`, r.stdout, secrets);
    expectNoLeak(`stderr of ${name}`, r.stderr, secrets);
    // Untrusted input is never sent raw to the terminal.
    expect(r.stderr).not.toContain('\u001b[31m');
  });

  it('export prints the secrets in every format, and only on stdout', async () => {
    for (const format of ['process', 'env', 'env-no-export', 'dotenv', 'json', 'powershell', 'fish']) {
      const r = await spawnCli(['export', '--profile', 'live', '--format', format], { env: world.env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(live.secretAccessKey);
      expect(r.stdout).toContain(live.sessionToken);
      expectNoLeak(`stderr of export --format ${format}`, r.stderr, secrets);
    }
  });

  it('exec puts the secrets in the child environment only: not on its command line, not on credkit’s', async () => {
    const child = `
      const { createHash } = require('node:crypto');
      const { readFileSync } = require('node:fs');
      const sha = (v) => createHash('sha256').update(v ?? '').digest('hex');
      const argv = (pid) => readFileSync('/proc/' + pid + '/cmdline', 'latin1');
      const s = process.env.AWS_SECRET_ACCESS_KEY, t = process.env.AWS_SESSION_TOKEN;
      const seen = (text) => text.includes(s) || text.includes(t);
      console.log(JSON.stringify({ secret: sha(s), token: sha(t), own: seen(argv('self')), parent: seen(argv(process.ppid)) }));`;
    const r = await spawnCli(['exec', '--profile', 'live', '--', process.execPath, '-e', child], {
      env: world.env,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      secret: sha(live.secretAccessKey),
      token: sha(live.sessionToken),
      own: false,
      parent: false,
    });
    expectNoLeak('stdout of exec', r.stdout, secrets);
    expectNoLeak('stderr of exec', r.stderr, secrets);
  });

  it('a corrupt metadata file that holds a pasted secret is reported (STORE_CORRUPT) without quoting it', async () => {
    const file = join(world.credkitHome, 'apps', 'pasted.json');
    await mkdir(join(world.credkitHome, 'apps'), { recursive: true });
    await writeFile(file, `${CANARY_SECRET} oops`, { mode: 0o600 });
    const r = await spawnCli(['env', 'ls', '--app', 'pasted', '--json'], { env: world.env });
    expect(jsonError(r.stderr)?.code).toBe('STORE_CORRUPT');
    expectNoLeak('stderr of env ls on a corrupt store', r.stderr, secrets);
    await rm(file);
  });

  it('no file credkit wrote holds a secret (the metadata store, anything under HOME)', async () => {
    // Runs after the commands above (vitest runs a file's tests in order).
    expect(runs.length).toBe(CASES.length);
    const written = new Map([
      ...(await filesUnder(world.credkitHome)),
      ...(await filesUnder(world.home.dir, [world.home.configFile, world.home.credentialsFile])),
    ]);
    expect([...written.keys()].some((f) => f.endsWith('shop.json'))).toBe(true);
    for (const [file, text] of written) expectNoLeak(file, text, secrets);
  });
});
