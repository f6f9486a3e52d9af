/**
 * Issue 16, "hints and messages that are wrong today": each message a user meets on a common
 * mistake, end to end through the bundled CLI.
 */
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNTS, createWorld, runCli, type World } from './helpers.js';

const CI_ROLE = `arn:aws:iam::${ACCOUNTS.app}:role/ci`;
// Twelve more profiles, so "at most ten others" has something to cut.
const TEAM = Array.from({ length: 12 }, (_, i) => `team-${String(i).padStart(2, '0')}`);
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

let world: World;
let notFound: Server;
let notFoundUrl: string;
beforeAll(async () => {
  world = await createWorld({
    config: [
      `\n[profile ci-env]\nrole_arn = ${CI_ROLE}\ncredential_source = Environment\nregion = us-east-1\n`,
      '[profile loop-a]\nrole_arn = arn:aws:iam::111111111111:role/a\nsource_profile = loop-b\n',
      '[profile loop-b]\nrole_arn = arn:aws:iam::111111111111:role/b\nsource_profile = loop-a\n',
      `[profile typo]\naws_acess_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = ${SECRET}\n`,
      ...TEAM.map((t) => `[profile ${t}]\nregion = us-east-1\n`),
    ].join('\n'),
  });
  world.aws.addRole({ accountId: ACCOUNTS.app, roleName: 'ci', trust: [world.users.app.arn] });
  // What a wrong endpoint URL reaches: a web server with no STS behind it.
  notFound = createServer((_, res) => {
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end('<html><body>Not Found</body></html>');
  });
  await new Promise<void>((resolve) => notFound.listen(0, '127.0.0.1', resolve));
  notFoundUrl = `http://127.0.0.1:${(notFound.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => notFound?.close(resolve));
  await world?.close();
});

const lines = (text: string) => text.split('\n').filter(Boolean);

describe('an unknown profile', () => {
  it('AWS_PROFILE=nosuch: "create" once, no "....", the hint one line', async () => {
    const r = await runCli(['app', 'whoami'], { env: { ...world.env, AWS_PROFILE: 'nosuch' } });
    expect(r.code).toBe(1);
    const hint = lines(r.stderr).find((l) => l.startsWith('hint: '))!;
    expect(hint.match(/create/gi)).toHaveLength(1);
    expect(hint).not.toContain('..');
    expect(hint).toMatch(
      /^hint: Fix AWS_PROFILE or unset it\. Known profiles: .+ and \d+ more\. Or create it: aws configure --profile nosuch$/,
    );
  });

  it('env init, export and exec: the near name first, then at most ten others, paths as ~/…', async () => {
    const runs = [
      ['env', 'init', '--name', 'x', '--profile', 'prod-iadd', '--region', 'us-east-1'],
      ['export', '--profile', 'prod-iadd'],
      ['exec', '--profile', 'prod-iadd', '--', 'true'],
    ];
    for (const args of runs) {
      const r = await runCli(args, { env: world.env });
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(
        /^error: Profile "prod-iadd".* was not found in ~\/\.aws\/config or ~\/\.aws\/credentials\.$/m,
      );
      const hint = lines(r.stderr).find((l) => l.startsWith('hint: '))!;
      expect(hint).toMatch(/^hint: Did you mean "prod-iad"( or "[^"]+")*\? Other profiles: /);
      const others = /Other profiles: (.*?)( and (\d+) more)?\. Or create/.exec(hint)!;
      expect(others[1]!.split(', ').length).toBeLessThanOrEqual(10);
      expect(Number(others[3])).toBeGreaterThan(0);
      expect(r.stderr).not.toContain(world.home.dir);
    }
  });
});

it('AWS_PROFILE naming a credential_source = Environment profile uses the env keys without calling them ignored', async () => {
  const env = {
    ...world.env,
    AWS_PROFILE: 'ci-env',
    AWS_ACCESS_KEY_ID: world.users.app.accessKeyId,
    AWS_SECRET_ACCESS_KEY: world.users.app.secretAccessKey,
  };
  const r = await runCli(['app', 'whoami', '--json'], { env });
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout).arn).toContain(':assumed-role/ci/');
  expect(r.stderr).not.toMatch(/ignoring/i);
  // A profile that does not read them still gets the warning.
  const other = await runCli(['app', 'whoami'], { env: { ...env, AWS_PROFILE: 'my-app' } });
  expect(other.stderr).toContain('ignoring the AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY variables');
});

it('profiles: a source_profile cycle on both rows, the typo with the key it meant, its problem once', async () => {
  const r = await runCli(['profiles'], { env: world.env });
  expect(r.code).toBe(0);
  const out = lines(r.stdout);
  const rowsOf = (name: string) => {
    const start = out.findIndex((l) => l.startsWith(`${name} `));
    const end = out.findIndex((l, i) => i > start && !l.startsWith('    '));
    return out.slice(start + 1, end === -1 ? undefined : end);
  };
  for (const name of ['loop-a', 'loop-b']) {
    expect(rowsOf(name).join('\n')).toMatch(
      /✖ Profile ".*" cannot be resolved: source_profile forms a cycle .* \(~\/\.aws\/config:\d+\)\.$/,
    );
  }
  const typo = rowsOf('typo');
  expect(typo.join('\n')).toContain(
    'aws_acess_key_id is not a setting the AWS CLI reads; did you mean aws_access_key_id?',
  );
  expect(typo.filter((l) => l.includes('aws_secret_access_key without aws_access_key_id'))).toHaveLength(1);
  expect(r.stdout).not.toContain(world.home.dir);
});

it('app whoami --json: "file" is the file its "description" names', async () => {
  const r = await runCli(['app', 'whoami', '--json'], { env: world.env });
  const { source } = JSON.parse(r.stdout);
  expect(source.description).toContain('from ~/.aws/credentials');
  expect(source.file).toBe(join(world.home.dir, '.aws', 'credentials'));
});

it('partial key flags: the hint names --aws-session-token', async () => {
  const session = world.aws.issueSession(world.users.prodIad, { expiresInSeconds: 3600 });
  const r = await runCli(
    [
      'env',
      'init',
      '--name',
      'x',
      '--region',
      'us-east-1',
      '--aws-access-key-id',
      session.accessKeyId,
      '--aws-secret-access-key',
      session.secretAccessKey,
    ],
    { env: world.env },
  );
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/^hint: Add --aws-session-token with the session token/m);
  expect(r.stderr).not.toContain(session.secretAccessKey);
});

describe('export piped into env init --credentials-stdin', () => {
  for (const format of ['process', 'json', 'env', 'env-no-export', 'dotenv', 'powershell', 'fish']) {
    it(`reads --format ${format}`, async () => {
      const exported = await runCli(['export', '--profile', 'prod-iad', '--format', format], {
        env: world.env,
      });
      expect(exported.code).toBe(0);
      const name = `piped-${format}`;
      const r = await runCli(
        ['env', 'init', '--name', name, '--credentials-stdin', '--region', 'us-east-1', '--json'],
        {
          env: world.env,
          stdin: exported.stdout,
        },
      );
      expect(r.stderr).not.toContain('error');
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ environment: { name, account: ACCOUNTS.prod } });
    });
  }
});

it('the exit-code table lists a declined env delete (exit 1, tested on a terminal in interactive.test.ts)', async () => {
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
  const row = readme.split('\n').find((l) => /^\| 1 +\|/.test(l));
  expect(row).toMatch(/env delete.*declined/);
});

describe('app explain and STS errors in CLI terms', () => {
  it('no library option in the rows, and the hint says what a CLI user can change', async () => {
    const r = await runCli(['app', 'explain'], { env: { ...world.env, AWS_PROFILE: '' } });
    expect(r.stdout).not.toMatch(/profile option|clientConfig/);
    expect(r.stdout).toMatch(/^ {2}1\. +AWS_PROFILE +skipped/m);
  });

  it('an HTTP 404 from the STS endpoint says the URL serves no STS and names the settings', async () => {
    const r = await runCli(['app', 'whoami'], { env: { ...world.env, AWS_ENDPOINT_URL_STS: notFoundUrl } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'the STS endpoint answered HTTP 404 (Not Found), so no STS API is served at that URL',
    );
    expect(r.stderr).toMatch(
      /^hint: Check the endpoint URL \(AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, or endpoint_url/m,
    );
    expect(r.stderr).not.toMatch(/named above|clientConfig/);
  });
});

describe('the files read', () => {
  it('a wrong AWS_CONFIG_FILE: says which files were read and that they do not exist (exit 0)', async () => {
    const missing = join(world.home.dir, 'nope', 'config');
    const r = await runCli(['profiles'], {
      env: { ...world.env, AWS_CONFIG_FILE: missing, AWS_SHARED_CREDENTIALS_FILE: `${missing}-credentials` },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('No named profiles found.\n');
    expect(r.stderr).toContain('warning: AWS_CONFIG_FILE names ~/nope/config, which does not exist');
    expect(r.stderr).toContain(
      'Read ~/nope/config (does not exist) and ~/nope/config-credentials (does not exist).',
    );
  });

  it('an error built without the home (a parse error) still shows the path as ~/…', async () => {
    const file = join(world.home.dir, 'broken-config');
    await writeFile(file, 'region = us-east-1\n[profile a]\n');
    for (const json of [false, true]) {
      const r = await runCli(['profiles', ...(json ? ['--json'] : [])], {
        env: { ...world.env, AWS_CONFIG_FILE: file },
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('~/broken-config:1: Expected a section definition');
      expect(r.stderr).not.toContain(world.home.dir);
    }
  });

  it('one group-readable file as both files: one permission warning, on its own line', async () => {
    const file = join(world.home.dir, 'shared-file');
    const keys = `aws_access_key_id = ${world.users.app.accessKeyId}\naws_secret_access_key = ${world.users.app.secretAccessKey}\n`;
    await writeFile(file, `[default]\nregion = us-east-1\n${keys}`);
    await chmod(file, 0o640);
    const env = { ...world.env, AWS_PROFILE: '', AWS_CONFIG_FILE: file, AWS_SHARED_CREDENTIALS_FILE: file };
    for (const args of [['profiles'], ['app', 'whoami'], ['export', '--profile', 'default']]) {
      const r = await runCli(args, { env });
      const warnings = lines(r.stderr).filter((l) => l.includes('holds secrets'));
      expect(warnings, args.join(' ')).toEqual([
        'warning: ~/shared-file holds secrets (aws_secret_access_key at line 4) but can be read by its group (mode 0640); make it private: chmod 600 ~/shared-file',
      ]);
    }
  });
});
