/**
 * `credkit export --profile P` on a 10 000-profile config builds only P when P stands alone (the
 * start-up fast path), and must still print P's keys merged across both files, warn about the
 * file's permissions from a secret in a profile it did not build, and resolve a role chain through
 * the full load.
 */
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNTS, createWorld, runCli, type World } from './helpers.js';

const COUNT = 10_000;
const key = (i: number) => `AKIA${String(i).padStart(16, '0')}`;
const secret = (i: number) => `large${String(i).padStart(35, '0')}`;

let world: World;
let roleArn: string;
beforeAll(async () => {
  const parts: string[] = [];
  for (let i = 0; i < COUNT; i++) {
    parts.push(
      `[profile p${i}]\nregion = eu-west-${(i % 3) + 1}\naws_access_key_id = ${key(i)}\naws_secret_access_key = ${secret(i)}\n`,
    );
  }
  parts.push('[profile chained]\nregion = us-west-2\nrole_arn = ROLE\nsource_profile = prod-iad\n');
  world = await createWorld({
    config: parts.join(''),
    // p9999 is also in the credentials file, whose section holds the key pair and token the export
    // uses (the AWS CLI takes all three from that one section), as a full load does.
    credentials: `[p9999]\naws_access_key_id = ${key(9999)}\naws_secret_access_key = ${secret(9999)}\naws_session_token = large-session-token\n`,
  });
  ({ roleArn } = world.aws.addRole({ accountId: ACCOUNTS.prod, roleName: 'deploy', trust: ['*'] }));
  const config = await readFile(world.home.configFile, 'utf8');
  await writeFile(world.home.configFile, config.replace('role_arn = ROLE', `role_arn = ${roleArn}`));
  await chmod(world.home.configFile, 0o644);
}, 300_000);
afterAll(async () => {
  await world.close();
});

/** Line of the first secret in the config file: a profile the fast path leaves unbuilt. */
async function firstSecretLine(): Promise<number> {
  const text = await readFile(world.home.configFile, 'utf8');
  return text.slice(0, text.indexOf('aws_secret_access_key')).split('\n').length;
}

describe('credkit export --profile on 10 000 profiles', () => {
  it('prints the last profile, merged with the credentials file', async () => {
    const r = await runCli(['export', '--profile', 'p9999', '--format', 'json'], { env: world.env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      accessKeyId: key(9999),
      secretAccessKey: secret(9999),
      sessionToken: 'large-session-token',
      region: 'eu-west-1',
    });
    // The warning comes from p0's secret, in a section the fast path did not build.
    expect(r.stderr).toContain(
      `holds secrets (aws_secret_access_key at line ${await firstSecretLine()}) but can be read by every user on this machine (mode 0644)`,
    );
  });

  it('resolves a role chain through the full load', async () => {
    const r = await runCli(['export', '--profile', 'chained', '--format', 'json'], { env: world.env });
    expect(r.stderr).toContain('holds secrets');
    // The SDK's STS client ran in this process: its Node 20 notice must not show.
    expect(r.stderr).not.toMatch(/NodeVersionSupportWarning|AWS SDK for JavaScript/);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.accessKeyId).toMatch(/^ASIA/);
    expect(out.region).toBe('us-west-2');
    const assumed = world.aws.requests.filter((q) => q.action === 'AssumeRole');
    expect(assumed.at(-1)).toMatchObject({ accessKeyId: world.users.prodIad.accessKeyId });
  });

  it('names an unknown profile with the known ones (full load)', async () => {
    const r = await runCli(['export', '--profile', 'p10000'], { env: world.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Profile "p10000" was not found');
    // The near names first (p1000, p1001...), then at most ten others and a count of the rest.
    expect(r.stderr).toMatch(
      /Did you mean "p\d+"(?: or "p\d+")*\? Other profiles: default, my-app, prod-iad.* and \d+ more\./,
    );
  });
});
