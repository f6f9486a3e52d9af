import { chmod } from 'node:fs/promises';
import { tempAwsHomes } from '@credkit/loopback-aws';
import { afterEach, describe, expect, it } from 'vitest';
import { listProfiles } from '../../src/index.js';
import { loadSharedConfig } from '../../src/shared-config/index.js';

// Issue 7, file hygiene: like ssh for a private key, a shared file holding a secret that others
// can read is reported once, with the fix; a config file without secrets may stay 0644.
const SECRET = 'PERMsecretAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const tempHome = tempAwsHomes(afterEach, { awsDir: '', verbatim: true });

async function files(config: string, credentials: string, modes: { config: number; credentials: number }) {
  const { dir, configFile, credentialsFile } = await tempHome({ config, credentials });
  await chmod(configFile, modes.config);
  await chmod(credentialsFile, modes.credentials);
  return { configFile, credentialsFile, env: { HOME: dir } };
}

const tooOpen = (d: { code: string }) => d.code === 'FILE_PERMISSIONS_TOO_OPEN';

describe.skipIf(process.platform === 'win32')('FILE_PERMISSIONS_TOO_OPEN', () => {
  it.each([
    [0o644, 'every user on this machine', '0644'],
    [0o640, 'its group', '0640'],
    [0o604, 'every user on this machine', '0604'],
  ])(
    'reports a credentials file with mode %s once, naming file, line, mode and the fix',
    async (mode, who, octal) => {
      const f = await files(
        '[profile dev]\nregion = us-east-1\n',
        `[dev]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = ${SECRET}\n`,
        { config: 0o644, credentials: mode },
      );
      const listing = await listProfiles(f);
      const found = listing.diagnostics.filter(tooOpen);
      expect(found).toEqual([
        {
          code: 'FILE_PERMISSIONS_TOO_OPEN',
          severity: 'warning',
          file: f.credentialsFile,
          line: 3,
          // The path as every message shows it: from the home (HOME is the temp dir here).
          message: `~/credentials holds secrets (aws_secret_access_key at line 3) but can be read by ${who} (mode ${octal}); make it private: chmod 600 ~/credentials`,
        },
      ]);
      // A file-level warning (no profile): the CLI prints it once, not once per profile.
      expect(listing.profiles.flatMap((p) => p.diagnostics).filter(tooOpen)).toEqual([]);
      expect(JSON.stringify(listing)).not.toContain(SECRET);
    },
  );

  it('says nothing for 0600, or for a readable file without secrets', async () => {
    const f = await files(
      '[profile dev]\nregion = us-east-1\nrole_arn = arn:aws:iam::111111111111:role/r\nsource_profile = k\n',
      `[k]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = ${SECRET}\n`,
      { config: 0o644, credentials: 0o600 },
    );
    expect((await loadSharedConfig(f)).diagnostics.filter(tooOpen)).toEqual([]);
  });

  it('reports a config file that holds a session token', async () => {
    const f = await files(
      `[profile s]\naws_access_key_id = ASIAIOSFODNN7EXAMPLE\naws_secret_access_key = ${SECRET}\naws_session_token = TOKEN${SECRET}\n`,
      '',
      { config: 0o664, credentials: 0o600 },
    );
    const found = (await loadSharedConfig(f)).diagnostics.filter(tooOpen);
    expect(found.map((d) => [d.file, d.line])).toEqual([[f.configFile, 3]]);
    expect(found[0]!.message).toContain('chmod 600 ~/config');
  });
});
