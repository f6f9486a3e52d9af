import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromIni } from '@aws-sdk/credential-provider-ini';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSharedConfig } from './merge.js';
import { parseConfigFile } from './parse.js';

// Each SDK_JS_* diagnostic claims the AWS SDK for JavaScript reads a file differently. These cases
// check the claim against the real SDK (fromIni over real files): a diagnostic appears exactly when
// the SDK's credentials for profile "foo" differ from the standard's.
const keys = 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = secretsecret';
const cases: { name: string; config: string }[] = [
  { name: 'comment right after ]', config: `[profile foo]# note\n${keys}` },
  { name: 'whitespace inside the brackets', config: `[ profile foo ]\n${keys}` },
  { name: 'two spaces after profile', config: `[profile  foo]\n${keys}` },
  { name: 'quoted name', config: `[profile "foo"]\n${keys}` },
  {
    name: 'upper-case property names',
    config: '[profile foo]\nAWS_ACCESS_KEY_ID = AKIA1\nAWS_SECRET_ACCESS_KEY = s',
  },
  { name: 'continuation line', config: `[profile foo]\n${keys}\n  more` },
  { name: 'lone CR line ends', config: `[profile foo]\r${keys.replace('\n', '\r')}` },
  { name: 'CRLF line ends (same for both)', config: `[profile foo]\r\n${keys.replace('\n', '\r\n')}` },
  { name: 'spaced comment (same for both)', config: `[profile foo] # note\n${keys}` },
  { name: 'tab after profile (same for both)', config: `[profile\tfoo]\n${keys}` },
  { name: 'plain (same for both)', config: `[profile foo]\n${keys}` },
];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'credkit-sdk-view-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function sdkKeys(configFilepath: string): Promise<string | null> {
  try {
    const credentials = await fromIni({
      profile: 'foo',
      configFilepath,
      filepath: join(dir, 'no-credentials'),
      ignoreCache: true,
    })();
    return `${credentials.accessKeyId}/${credentials.secretAccessKey}`;
  } catch {
    return null;
  }
}

describe('SDK_JS_* diagnostics match what the AWS SDK for JavaScript really does', () => {
  it.each(cases.map((c, i) => [c.name, c, i] as const))('%s', async (_, testCase, index) => {
    const file = join(dir, `config-${index}`);
    await writeFile(file, testCase.config);
    const parsed = parseConfigFile(testCase.config, { kind: 'config', path: file });
    const profile = buildSharedConfig({ config: parsed }).profiles.get('foo');
    const standard =
      profile === undefined
        ? null
        : `${profile.properties.get('aws_access_key_id')?.value}/${profile.properties.get('aws_secret_access_key')?.value}`;
    const differs = (await sdkKeys(file)) !== standard;
    const flagged = parsed.diagnostics.some((d) => d.code.startsWith('SDK_JS_'));
    expect(flagged).toBe(differs);
  });
});
