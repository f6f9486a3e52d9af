import { tempAwsHomes } from '@credkit/loopback-aws';
import { afterEach, describe, expect, it } from 'vitest';
import { listProfiles } from '../../src/profiles/list.js';
import { AWS_CLI_V2, run } from './aws-cli.js';
import { KNOWN_DIFFERENCES } from './known-differences.js';

// Each known difference from the AWS CLI v2, reproduced against the real binary: if the AWS CLI or
// credkit changes, this fails and the list is corrected.
const tempHome = tempAwsHomes(afterEach, { awsDir: '', verbatim: true, fileMode: 0o644 });

describe('known differences from the AWS CLI v2', () => {
  it('lists every one with a reason', () => {
    expect(KNOWN_DIFFERENCES.map((k) => k.id)).toEqual(['duplicate-section']);
    for (const k of KNOWN_DIFFERENCES) expect(k.why.length).toBeGreaterThan(40);
  });

  it('duplicate-section: the AWS CLI refuses the file, credkit merges and says so', async () => {
    const home = await tempHome({
      config: '[profile a]\nregion = us-east-1\n',
      credentials:
        '[a]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = s\n[a]\nregion = us-west-2\n',
    });
    const env = { ...home.env, PATH: process.env.PATH };
    const cli = await run(AWS_CLI_V2, ['configure', 'list-profiles'], env);
    expect(cli.rc).not.toBe(0);
    expect(cli.err).toContain('Unable to parse config file');
    const listing = await listProfiles({ env });
    expect(listing.profiles.map((p) => [p.name, p.kind])).toEqual([['a', 'static']]);
    expect(listing.diagnostics.map((d) => d.code)).toContain('DUPLICATE_SECTION');
  }, 60_000);
});
