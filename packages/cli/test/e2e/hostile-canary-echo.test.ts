import { appendFile, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CANARY_SECRET, CANARY_TOKEN, expectNoLeak, filesUnder, jsonError, spawnCli } from './canary.js';
import { ACCOUNTS, createWorld, type World } from './helpers.js';

// Issue 13: the paths the first canary missed. An STS that echoes everything it received (the
// session token header among it) into its error message; secrets pasted into the wrong field; a
// credential_process that traces its secrets to stderr; plain HTTP to a remote host; the --env
// account check and its cache; and every command again under every debug variable.
let world: World;
let scripts: string;
let secrets: string[];
let live: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

beforeAll(async () => {
  world = await createWorld();
  live = world.aws.issueSession(world.users.test, { expiresInSeconds: 3600 });
  secrets = [
    CANARY_SECRET,
    CANARY_TOKEN,
    live.secretAccessKey,
    live.sessionToken,
    ...Object.values(world.users).map((u) => u.secretAccessKey),
    world.root.secretAccessKey,
  ];
  scripts = await mkdtemp(join(tmpdir(), 'credkit-canary-scripts-'));
  // What `set -x` in a failing shell script prints: each assignment and command, secrets and all.
  const setx = join(scripts, 'setx.mjs');
  const doc = JSON.stringify({
    Version: 1,
    AccessKeyId: live.accessKeyId,
    SecretAccessKey: live.secretAccessKey,
    SessionToken: live.sessionToken,
  });
  await writeFile(
    setx,
    `process.stdout.write(${JSON.stringify(doc)});
     process.stderr.write(${JSON.stringify(`+ SECRET=${live.secretAccessKey}\n+ TOKEN=${live.sessionToken}\n+ printf '{"SecretAccessKey":"${live.secretAccessKey}"}'\n+ false\n`)});
     process.exit(1);`,
  );
  const roleArn = world.aws.addRole({
    accountId: ACCOUNTS.test,
    roleName: 'deploy',
    trust: [world.users.test.arn],
  }).roleArn;
  await appendFile(
    world.home.configFile,
    [
      '',
      `[profile setx]\ncredential_process = ${JSON.stringify(process.execPath)} ${setx}`,
      `[profile role-sess]\nrole_arn = ${roleArn}\nsource_profile = sess\nregion = us-east-1`,
      '[profile swapped]\nregion = us-east-1',
      `[profile bob]\nregion = us-east-1`,
      '',
    ].join('\n'),
  );
  const keys = (id: string, secret: string, token?: string) =>
    `aws_access_key_id = ${id}\naws_secret_access_key = ${secret}\n${token ? `aws_session_token = ${token}\n` : ''}`;
  await appendFile(
    world.home.credentialsFile,
    [
      '',
      `[sess]\n${keys(live.accessKeyId, live.secretAccessKey, live.sessionToken)}`,
      // The two fields swapped: the secret sits where the key ID belongs.
      `[swapped]\n${keys(CANARY_SECRET, 'AKIACANARYACCESSKEY1')}`,
      `[bob]\n${keys(world.users.test.accessKeyId, world.users.test.secretAccessKey)}`,
      '',
    ].join('\n'),
  );
});
afterEach(() => world.aws.clearFaults());
afterAll(async () => {
  await world.close();
  await rm(scripts, { recursive: true, force: true });
});

function clean(name: string, r: { stdout: string; stderr: string }, stdoutToo = true): void {
  if (stdoutToo) expectNoLeak(`stdout of ${name}`, r.stdout, secrets);
  expectNoLeak(`stderr of ${name}`, r.stderr, secrets);
  expect(RAW_CONTROL.test(r.stderr), `raw control character on stderr of ${name}`).toBe(false);
}

describe('an STS endpoint that echoes its input', () => {
  it('app whoami of a session profile keeps the error code, not the echoed token', async () => {
    world.aws.fault('sts', { echo: true });
    const r = await spawnCli(['app', 'whoami'], { env: { ...world.env, AWS_PROFILE: 'sess' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ValidationError');
    clean('whoami against an echoing STS', r);
    expect(r.stderr).not.toContain(live.sessionToken.slice(0, 10));
  });

  it('export of a role profile sourcing a session: no token, no OSC sequence', async () => {
    world.aws.fault('sts', { echo: true });
    for (const format of ['process', 'env']) {
      const r = await spawnCli(['export', '--profile', 'role-sess', '--format', format], { env: world.env });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('ValidationError');
      clean('export against an echoing STS', r);
      expect(r.stderr).not.toContain('\u001b]0;');
    }
  });

  it('env init with the session on stdin', async () => {
    world.aws.fault('sts', { echo: true });
    const stdin = JSON.stringify({
      Version: 1,
      AccessKeyId: live.accessKeyId,
      SecretAccessKey: live.secretAccessKey,
      SessionToken: live.sessionToken,
    });
    const r = await spawnCli(
      ['env', 'init', '--name', 'echoed', '--credentials-stdin', '--region', 'us-east-1'],
      { env: world.env, stdin },
    );
    expect(r.code).toBe(1);
    clean('env init against an echoing STS', r);
  });
});

describe('secret-shaped values in the wrong field are described, never quoted', () => {
  it('env init --aws-access-key-id <secret>', async () => {
    const r = await spawnCli(
      [
        'env',
        'init',
        '--name',
        'sw',
        '--aws-access-key-id',
        CANARY_SECRET,
        '--aws-secret-access-key',
        CANARY_SECRET,
        '--region',
        'us-east-1',
      ],
      { env: world.env },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('looks like a secret access key, not a key ID');
    clean('env init with swapped flags', r);
  });

  it('stdin JSON with the fields swapped', async () => {
    const stdin = JSON.stringify({
      Version: 1,
      AccessKeyId: CANARY_SECRET,
      SecretAccessKey: 'AKIACANARYACCESSKEY1',
    });
    const r = await spawnCli(
      ['env', 'init', '--name', 'sw', '--credentials-stdin', '--region', 'us-east-1', '--json'],
      { env: world.env, stdin },
    );
    expect(jsonError(r.stderr)?.code).toBe('INVALID_ACCESS_KEY_ID');
    clean('env init with swapped JSON', r);
  });

  it('profiles and profiles --json mask a secret in aws_access_key_id', async () => {
    for (const args of [['profiles'], ['profiles', '--json']]) {
      const r = await spawnCli(args, { env: world.env });
      expect(r.code).toBe(0);
      clean(args.join(' '), r);
    }
    const r = await spawnCli(['profiles', '--json'], { env: world.env });
    const swapped = (
      JSON.parse(r.stdout) as { name: string; properties: { name: string; masked: boolean }[] }[]
    ).find((p) => p.name === 'swapped');
    expect(swapped?.properties.find((p) => p.name === 'aws_access_key_id')?.masked).toBe(true);
  });

  it('app whoami of the swapped profile', async () => {
    const r = await spawnCli(['app', 'whoami'], { env: { ...world.env, AWS_PROFILE: 'swapped' } });
    expect(r.code).toBe(1);
    clean('whoami of a swapped profile', r);
  });
});

describe('credential_process stderr', () => {
  it('a failing set -x script: stderr shown with the credential values and secret shapes masked', async () => {
    const r = await spawnCli(['export', '--profile', 'setx'], { env: world.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('+ false');
    expect(r.stderr).toContain('****************');
    clean('export of a set -x credential_process', r);
  });
});

describe('plain HTTP to a host that is not loopback', () => {
  // 0.0.0.0 is not loopback by name, so it is refused before any connection; were the check
  // missing, the request would stay on this machine (port 9 is closed) and fail with another code.
  const remote = 'http://0.0.0.0:9';
  it.each([
    ['AWS_ENDPOINT_URL_STS', ['app', 'whoami'], { AWS_PROFILE: 'sess', AWS_ENDPOINT_URL_STS: remote }],
    [
      'AWS_ENDPOINT_URL',
      ['export', '--profile', 'role-sess'],
      { AWS_ENDPOINT_URL_STS: '', AWS_ENDPOINT_URL: remote },
    ],
    [
      'AWS_ENDPOINT_URL_STS',
      ['env', 'init', '--name', 'x', '--profile', 'sess', '--region', 'us-east-1'],
      { AWS_ENDPOINT_URL_STS: remote },
    ],
  ])('%s is refused, naming the setting', async (setting, args, extra) => {
    const env: Record<string, string> = { ...world.env, ...extra };
    if (extra.AWS_ENDPOINT_URL_STS === '') delete env.AWS_ENDPOINT_URL_STS;
    const r = await spawnCli(args, { env });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`${setting} points at http://0.0.0.0:9`);
    expect(r.stderr).toContain('CREDKIT_ALLOW_INSECURE_ENDPOINTS=1');
    clean(`${setting} over plain HTTP`, r);
  });
});

describe('--env checks the recorded account before handing out credentials', () => {
  it('records bob, hands out its keys after one cached check, refuses when bob holds another account', async () => {
    const init = await spawnCli(
      ['env', 'init', '--name', 'bobenv', '--profile', 'bob', '--region', 'us-east-1'],
      { env: world.env },
    );
    expect(init.code, init.stderr).toBe(0);
    const calls = () => world.aws.requests.filter((q) => q.action === 'GetCallerIdentity').length;
    const before = calls();
    for (let i = 0; i < 2; i++) {
      const r = await spawnCli(['export', '--env', 'bobenv', '--format', 'env'], { env: world.env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(world.users.test.secretAccessKey);
      clean('export --env', r, false);
    }
    expect(calls() - before).toBe(1);
    const cache = join(world.credkitHome, 'identity-cache.json');
    expect((await stat(cache)).mode & 0o777).toBe(0o600);
    expectNoLeak('identity cache', (await filesUnder(world.credkitHome)).get(cache) ?? '', [
      ...secrets,
      world.users.test.accessKeyId,
    ]);

    // bob now holds the prod account's keys.
    await appendFile(world.home.credentialsFile, '');
    const text = (await import('node:fs/promises')).readFile(world.home.credentialsFile, 'utf8');
    await writeFile(
      world.home.credentialsFile,
      (await text).replace(
        `[bob]\naws_access_key_id = ${world.users.test.accessKeyId}\naws_secret_access_key = ${world.users.test.secretAccessKey}`,
        `[bob]\naws_access_key_id = ${world.users.prodIad.accessKeyId}\naws_secret_access_key = ${world.users.prodIad.secretAccessKey}`,
      ),
    );
    for (const args of [
      ['exec', '--env', 'bobenv', '--', 'true'],
      ['export', '--env', 'bobenv'],
    ]) {
      const r = await spawnCli(args, { env: world.env });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(`recorded in account ${ACCOUNTS.test}, but the credentials given`);
      expect(r.stdout).toBe('');
      clean(args.join(' '), r);
    }
    // Offline: the check is skipped on request.
    const offline = await spawnCli(['export', '--env', 'bobenv', '--no-verify'], {
      env: { ...world.env, AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9' },
    });
    expect(offline.code, offline.stderr).toBe(0);
  });
});

describe('root keys handed out by export and exec', () => {
  it('warn once the keys are known to be root keys, never silently', async () => {
    // env init refuses root; an environment recorded before that rule, or by hand, still exists.
    await mkdir(join(world.credkitHome, 'apps'), { recursive: true, mode: 0o700 });
    const record = {
      version: 1,
      app: 'rooted',
      environments: [
        {
          name: 'prod',
          account: ACCOUNTS.other,
          region: 'us-east-1',
          credentialSource: 'profile root',
          createdAt: '2026-01-01T00:00:00Z',
        },
      ],
    };
    await writeFile(join(world.credkitHome, 'apps', 'rooted.json'), JSON.stringify(record), { mode: 0o600 });
    for (const args of [
      ['export', '--env', 'prod', '--app', 'rooted'],
      ['exec', '--env', 'prod', '--app', 'rooted', '--', 'true'],
      // No check on --profile: the earlier answer is known from the cache.
      ['export', '--profile', 'root'],
    ]) {
      const r = await spawnCli(args, { env: world.env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`root user's keys of AWS account ${ACCOUNTS.other}`);
      clean(args.join(' '), r, false);
    }
  });
});

describe('every command under every debug variable', () => {
  const DEBUG_ENVS: Record<string, string>[] = [
    { CREDKIT_DEBUG: '1' },
    // Everything Node can trace except child_process, which prints a spawned child's environment
    // (SECURITY.md: what credkit cannot prevent).
    { NODE_DEBUG: 'http,https,net,tls,fs,stream,module,timer,worker,esm,http2,dns' },
    { DEBUG: '*' },
  ];
  const COMMANDS: [string[], Record<string, string>, boolean][] = [
    [['app', 'whoami'], { AWS_PROFILE: 'sess' }, true],
    [['app', 'explain'], { AWS_PROFILE: 'sess' }, true],
    [['app', 'whoami'], { AWS_PROFILE: 'setx' }, true],
    [['profiles'], {}, true],
    [['profiles', '--json'], {}, true],
    [['env', 'init', '--name', 'dbg', '--profile', 'sess', '--region', 'us-east-1'], {}, true],
    [['env', 'ls'], {}, true],
    [['env', 'show', '--name', 'dbg'], {}, true],
    [['export', '--profile', 'role-sess'], {}, false],
    [['export', '--env', 'dbg'], {}, false],
    [['exec', '--profile', 'sess', '--', 'true'], {}, true],
    // What Tab runs: names only, whatever the files hold.
    [['__complete', 'zsh', '--', 'export', ''], {}, true],
    [['__complete', 'bash', '--', 'env', 'show', ''], {}, true],
    [['env', 'delete', '--name', 'dbg', '--profile', 'sess', '--yes'], {}, true],
    // The SSM store signs its requests with the application's session token (NODE_DEBUG=http).
    [
      ['env', 'init', '--name', 'dbg-ssm', '--profile', 'sess', '--region', 'us-east-1', '--store', 'ssm'],
      { AWS_PROFILE: 'sess', AWS_REGION: 'us-east-1' },
      true,
    ],
    [['env', 'ls', '--store', 'ssm'], { AWS_PROFILE: 'sess', AWS_REGION: 'us-east-1' }, true],
  ];
  it.each(DEBUG_ENVS)('%o', async (debug) => {
    for (const [args, extra, stdoutToo] of COMMANDS) {
      const r = await spawnCli(args, { env: { ...world.env, ...extra, ...debug } });
      clean(`${args.join(' ')} with ${JSON.stringify(debug)}`, r, stdoutToo);
      if (args.includes('ssm')) expect(r.code, r.stderr).toBe(0);
    }
    // And the echoing STS on top. Without the session cache: the role session the runs above cached
    // would be served without an STS call, and the echo would never be reached.
    world.aws.fault('sts', { echo: true });
    for (const [args, extra] of [
      [['app', 'whoami'], { AWS_PROFILE: 'sess' }],
      [['export', '--profile', 'role-sess'], {}],
    ] as const) {
      const env = { ...world.env, ...extra, ...debug, CREDKIT_SESSION_CACHE: 'off' };
      const r = await spawnCli([...args], { env });
      expect(r.code).toBe(1);
      clean(`${args.join(' ')} against an echoing STS with ${JSON.stringify(debug)}`, r);
    }
  });
});
