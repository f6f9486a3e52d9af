// Generates the benchmark's inputs in a temp dir: a small config like the sandbox's, a
// 10,000-profile config, and a credential_process profile whose spawns are counted.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

const key = (prefix, i) => `${prefix}${String(i).padStart(16, '0')}`.slice(0, 20);
const secret = (i) => `${'s'.repeat(30)}${String(i).padStart(10, '0')}`;

export function bigConfigText(count) {
  const parts = [];
  for (let i = 0; i < count; i++) {
    parts.push(
      `[profile p${i}]\nregion = us-east-1\naws_access_key_id = ${key('AKIA', i)}\naws_secret_access_key = ${secret(i)}\n`,
    );
  }
  return parts.join('');
}

export async function writeBenchInputs(dir, aws) {
  const home = path.join(dir, 'home');
  await mkdir(path.join(home, '.aws'), { recursive: true, mode: 0o700 });
  const user = aws.addUser({ accountId: '123456789012', userName: 'bench' });
  // The cached-role cases: the check run assumes it once and caches the session in
  // <home>/.aws/cli/cache; 12 hours keeps every timed run far from the refresh window.
  const cachedRole = aws.addRole({
    accountId: '123456789012',
    roleName: 'bench-cached',
    trust: [user.arn],
    maxSessionDuration: 43200,
  });
  const counterFile = path.join(dir, 'spawns.log');
  const clockFile = path.join(dir, 'clock');
  const processScript = path.join(dir, 'creds-process.mjs');
  // Counts its own spawns; its credentials expire 20 minutes after the clock in clockFile
  // (the in-process benchmark's injected clock), or never when there is no clock.
  await writeFile(
    processScript,
    `import { appendFileSync, existsSync, readFileSync } from 'node:fs';
appendFileSync(${JSON.stringify(counterFile)}, 'x\\n');
const out = { Version: 1, AccessKeyId: ${JSON.stringify(user.accessKeyId)}, SecretAccessKey: ${JSON.stringify(user.secretAccessKey)} };
if (existsSync(${JSON.stringify(clockFile)})) {
  out.SessionToken = 'bench-session-token';
  out.Expiration = new Date(Number(readFileSync(${JSON.stringify(clockFile)}, 'utf8')) + 20 * 60_000).toISOString();
}
process.stdout.write(JSON.stringify(out));
`,
  );
  const smallConfig = path.join(home, '.aws/config');
  const smallCredentials = path.join(home, '.aws/credentials');
  await writeFile(
    smallConfig,
    [
      '[default]\nregion = us-east-1\n',
      '[profile static]\nregion = us-east-1\n',
      '[profile whoami]\nregion = us-east-1\n',
      '[profile test]\nregion = eu-west-1\n',
      '[profile prod-iad]\nregion = us-east-1\nrole_arn = arn:aws:iam::123456789012:role/deploy\nsource_profile = default\n',
      '[profile prod-pdx]\nregion = us-west-2\nrole_arn = arn:aws:iam::123456789012:role/deploy\nsource_profile = default\n',
      `[profile cached-role]\nregion = us-east-1\nrole_arn = ${cachedRole.roleArn}\nsource_profile = whoami\nduration_seconds = 43200\n`,
      `[profile proc]\nregion = us-east-1\ncredential_process = "${process.execPath}" "${processScript}"\n`,
    ].join('\n'),
    { mode: 0o600 },
  );
  const staticKeys = `aws_access_key_id = ${key('AKIA', 42)}\naws_secret_access_key = ${secret(42)}\n`;
  const userKeys = `aws_access_key_id = ${user.accessKeyId}\naws_secret_access_key = ${user.secretAccessKey}\n`;
  await writeFile(
    smallCredentials,
    `[default]\n${staticKeys}\n[static]\n${staticKeys}\n[whoami]\n${userKeys}\n[test]\n${staticKeys}`,
    { mode: 0o600 },
  );
  const bigConfig = path.join(dir, 'config-10000');
  await writeFile(bigConfig, bigConfigText(10_000), { mode: 0o600 });
  const config1000 = path.join(dir, 'config-1000');
  await writeFile(config1000, bigConfigText(1_000), { mode: 0o600 });
  // The SSM store's bench app: 25 environments (three GetParametersByPath pages), recorded in a
  // file store that run.mjs copies into the loopback SSM with `credkit store copy`.
  const ssmApp = 'bench-app';
  const credkitHome = path.join(home, '.config/credkit');
  await mkdir(path.join(credkitHome, 'apps'), { recursive: true, mode: 0o700 });
  const environments = Array.from({ length: 25 }, (_, i) => ({
    name: `env-${String(i).padStart(2, '0')}`,
    account: '210987654321',
    region: 'us-east-1',
    credentialSource: `profile env-${i}`,
    createdAt: '2026-12-01T00:00:00.000Z',
  }));
  await writeFile(
    path.join(credkitHome, 'apps', `${ssmApp}.json`),
    JSON.stringify({ version: 1, app: ssmApp, account: '123456789012', environments }),
    { mode: 0o600 },
  );
  const emptyCredentials = path.join(dir, 'credentials-empty');
  await writeFile(emptyCredentials, '', { mode: 0o600 });
  return {
    home,
    smallConfig,
    smallCredentials,
    bigConfig,
    config1000,
    emptyCredentials,
    ssmApp,
    counterFile,
    clockFile,
    env: {
      HOME: home,
      AWS_CONFIG_FILE: smallConfig,
      AWS_SHARED_CREDENTIALS_FILE: smallCredentials,
      ...aws.env,
    },
  };
}
