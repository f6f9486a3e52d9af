import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromIni } from '@aws-sdk/credential-provider-ini';
import { tempAwsHomes } from '@credkit/loopback-aws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveProfile } from './from-profile.js';

// The AWS SDK for JavaScript's fromIni as an oracle: credkit reads profiles as the AWS CLI v2 does
// (checked by test/differential/), and each case where fromIni reads them differently is written
// down here. A row whose `sdk` flips means the SDK changed: update the row and the README.
const tempHome = tempAwsHomes(afterEach, { awsDir: '', verbatim: true, fileMode: 0o644 });
let dir: string;
let json: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'credkit-oracle-'));
  json = join(dir, 'process.json');
  await writeFile(
    json,
    JSON.stringify({
      Version: 1,
      AccessKeyId: 'ASIAPROCESS',
      SecretAccessKey: 'process-secret',
      SessionToken: 'process-token',
    }),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const KEYS = (id: string) => `aws_access_key_id = ${id}\naws_secret_access_key = secret-${id}\n`;

const CASES: { name: string; config: string; credentials: string; sdk: 'same' | 'differs'; why?: string }[] =
  [
    {
      name: 'static keys in the credentials file',
      config: '',
      credentials: `[p]\n${KEYS('AKIAC')}`,
      sdk: 'same',
    },
    {
      name: 'credential_process alone',
      config: '[profile p]\ncredential_process = /bin/cat PROCESS\n',
      credentials: '',
      sdk: 'same',
    },
    {
      name: 'credential_process in config, keys in credentials',
      config: '[profile p]\ncredential_process = /bin/cat PROCESS\n',
      credentials: `[p]\n${KEYS('AKIAC')}`,
      sdk: 'same',
    },
    {
      name: 'credential_process and keys, both in config',
      config: `[profile p]\ncredential_process = /bin/cat PROCESS\n${KEYS('AKIACONFIG')}`,
      credentials: '',
      sdk: 'differs',
      why: 'fromIni takes static keys before credential_process; the AWS CLI takes config-file keys last',
    },
    {
      name: 'a session in config, a key pair in credentials',
      config: `[profile p]\n${KEYS('ASIACONFIG')}aws_session_token = config-token\n`,
      credentials: `[p]\n${KEYS('AKIAC')}`,
      sdk: 'differs',
      why: 'fromIni merges the two sections and pairs the credentials-file key with the config-file token',
    },
    {
      name: 'aws_security_token',
      config: '',
      credentials: `[p]\n${KEYS('ASIAC')}aws_security_token = legacy-token\n`,
      sdk: 'differs',
      why: 'fromIni does not read aws_security_token, which botocore reads before aws_session_token',
    },
  ];

async function outcome(
  fn: () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>,
) {
  try {
    const c = await fn();
    return {
      accessKeyId: c.accessKeyId,
      secretAccessKey: c.secretAccessKey,
      sessionToken: c.sessionToken ?? null,
    };
  } catch {
    return 'error';
  }
}

describe('fromIni as an oracle, with its differences from the AWS CLI written down', () => {
  it.each(CASES)('$name: the SDK reads it the $sdk way', async ({ config, credentials, sdk }) => {
    const home = await tempHome({ config: config.replace('PROCESS', json), credentials });
    const { configFile, credentialsFile } = home;
    const env = { ...home.env, PATH: process.env.PATH };
    const mine = await outcome(() => resolveProfile({ profile: 'p', env }));
    const theirs = await outcome(() =>
      fromIni({ profile: 'p', filepath: credentialsFile, configFilepath: configFile, ignoreCache: true })(),
    );
    expect(mine).not.toBe('error');
    if (sdk === 'same') expect(theirs).toEqual(mine);
    else expect(theirs).not.toEqual(mine);
  });
});
