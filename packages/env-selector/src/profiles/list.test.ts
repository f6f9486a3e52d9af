import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tempAwsHomes } from '@credkit/loopback-aws';
import { afterEach, describe, expect, it } from 'vitest';
import { listProfiles } from './list.js';

const tempHome = tempAwsHomes(afterEach, { verbatim: true, fileMode: 0o644 });

/** A temporary home with ~/.aws/config and ~/.aws/credentials (undefined = file not written). */
async function home(config?: string, credentials?: string) {
  const { dir, configFile, credentialsFile } = await tempHome({
    ...(config === undefined ? {} : { config }),
    ...(credentials === undefined ? {} : { credentials }),
  });
  return { dir, configFile, credentialsFile, env: { HOME: dir } };
}

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describe('listProfiles over real files', () => {
  it('lists config profiles in file order, then credentials-only ones, each once with where it is defined', async () => {
    const h = await home(
      '[profile b]\nregion = eu-west-3\n[default]\nregion = us-east-1\n[sso-session corp]\nsso_region = us-east-1\n[profile a]\noutput = json\n',
      `[a]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = ${SECRET}\n[z]\naws_access_key_id = AKIAZ\naws_secret_access_key = ${SECRET}\naws_session_token = TOKENTOKEN1234\n`,
    );
    const listing = await listProfiles({ env: h.env });
    expect(listing.profiles.map((p) => p.name)).toEqual(['b', 'default', 'a', 'z']);
    const a = listing.profiles.find((p) => p.name === 'a')!;
    expect(a.definedIn).toEqual([
      { file: h.configFile, line: 7 },
      { file: h.credentialsFile, line: 1 },
    ]);
    expect(a.kind).toBe('static');
    expect(a.properties).toEqual([
      { name: 'output', value: 'json', masked: false, file: h.configFile, line: 8 },
      { name: 'aws_access_key_id', value: 'AKIAEXAMPLE', masked: false, file: h.credentialsFile, line: 2 },
      {
        name: 'aws_secret_access_key',
        value: '****************EKEY',
        masked: true,
        file: h.credentialsFile,
        line: 3,
      },
    ]);
    const z = listing.profiles.find((p) => p.name === 'z')!;
    expect(z.kind).toBe('session');
    expect(z.properties.find((p) => p.name === 'aws_session_token')!.value).toBe('****************1234');
    expect(listing.profiles.find((p) => p.name === 'b')).toMatchObject({
      kind: 'incomplete',
      incompleteReason: 'no credential settings',
      region: 'eu-west-3',
    });
    expect(JSON.stringify(listing.profiles)).not.toContain(SECRET);
    expect(listing.configFile).toEqual({ path: h.configFile, exists: true });
  });

  it('reads AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE from the env record', async () => {
    const h = await home();
    const config = join(h.dir, 'elsewhere-config');
    await writeFile(config, '[profile only-here]\n');
    const listing = await listProfiles({ env: { HOME: h.dir, AWS_CONFIG_FILE: config } });
    expect(listing.profiles.map((p) => p.name)).toEqual(['only-here']);
    expect(listing.credentialsFile).toEqual({ path: h.credentialsFile, exists: false });
  });

  it('treats a missing file as empty (either one, or both)', async () => {
    const onlyCredentials = await home(undefined, '[c]\naws_access_key_id = A\n');
    expect((await listProfiles({ env: onlyCredentials.env })).profiles.map((p) => p.name)).toEqual(['c']);
    const onlyConfig = await home('[profile k]\n');
    const listing = await listProfiles({ env: onlyConfig.env });
    expect(listing.profiles.map((p) => p.name)).toEqual(['k']);
    expect(listing.credentialsFile.exists).toBe(false);
    expect((await listProfiles({ env: (await home()).env })).profiles).toEqual([]);
  });

  it('lists nothing for empty files', async () => {
    const h = await home('', '');
    const listing = await listProfiles({ env: h.env });
    expect(listing.profiles).toEqual([]);
    expect(listing.configFile.exists).toBe(true);
    expect(listing.diagnostics).toEqual([]);
  });

  it('fails with CONFIG_FILE_UNREADABLE naming the file when it is a directory', async () => {
    const h = await home(undefined, '');
    await mkdir(h.configFile);
    await expect(listProfiles({ env: h.env })).rejects.toMatchObject({
      code: 'CONFIG_FILE_UNREADABLE',
      message: `Cannot read the AWS config file ${h.configFile}: it is a directory`,
      details: { file: h.configFile, errno: 'EISDIR' },
    });
  });

  // Root reads any file whatever its mode, so this case needs an ordinary user (CI runs as root).
  it.skipIf(process.getuid?.() === 0)(
    'fails with CONFIG_FILE_UNREADABLE when permission is denied',
    async () => {
      const h = await home('[profile a]\n', '[b]\n');
      await chmod(h.credentialsFile, 0o000);
      await expect(listProfiles({ env: h.env })).rejects.toMatchObject({
        code: 'CONFIG_FILE_UNREADABLE',
        details: { file: h.credentialsFile, errno: 'EACCES' },
      });
    },
  );

  it('fails with CONFIG_PARSE_ERROR naming file and line on a broken file', async () => {
    const h = await home('[profile a]\nregion = us-east-1\n[profile b\n');
    await expect(listProfiles({ env: h.env })).rejects.toMatchObject({
      code: 'CONFIG_PARSE_ERROR',
      details: { file: h.configFile, line: 3 },
    });
  });

  it('merges duplicate sections and says the AWS CLI refuses them', async () => {
    const h = await home('[profile d]\nregion = us-east-1\n[profile d]\nregion = eu-west-1\n');
    const [d] = (await listProfiles({ env: h.env })).profiles;
    expect(d!.region).toBe('eu-west-1');
    expect(d!.definedIn.map((l) => l.line)).toEqual([1, 3]);
    expect(d!.diagnostics.map((x) => [x.code, x.line])).toEqual([['DUPLICATE_SECTION', 3]]);
  });

  it('prefers [profile default] over [default] in the config file', async () => {
    const h = await home(
      '[default]\nregion = us-west-1\n[profile x]\n[profile default]\nregion = us-east-2\n',
    );
    const listing = await listProfiles({ env: h.env });
    expect(listing.profiles.map((p) => p.name)).toEqual(['default', 'x']);
    const profile = listing.profiles[0]!;
    expect(profile.region).toBe('us-east-2');
    expect(profile.definedIn).toEqual([{ file: h.configFile, line: 4 }]);
    expect(profile.diagnostics.map((x) => [x.code, x.line])).toEqual([['DEFAULT_SHADOWED', 1]]);
  });

  it('does not list sso-session or services sections, and checks sso profiles against them', async () => {
    const h = await home(
      '[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n[services local]\nsts =\n  endpoint_url = http://127.0.0.1\n' +
        '[profile dev]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = Dev\n' +
        '[profile lost]\nsso_session = gone\nsso_account_id = 1\nsso_role_name = R\n',
    );
    const listing = await listProfiles({ env: h.env });
    expect(listing.profiles.map((p) => [p.name, p.kind])).toEqual([
      ['dev', 'sso'],
      ['lost', 'incomplete'],
    ]);
    expect(listing.profiles[1]!.incompleteReason).toBe(
      'sso_session "gone" has no [sso-session gone] section',
    );
    expect(listing.profiles[1]!.diagnostics[0]).toMatchObject({ code: 'PROFILE_INCOMPLETE', line: 12 });
    expect(listing.sharedConfig.ssoSessions.has('corp')).toBe(true);
    expect(listing.sharedConfig.services.get('local')!.properties.get('sts')!.subProperties!.size).toBe(1);
  });

  it('keeps the diagnostics of an sso-session off a profile of the same name', async () => {
    const h = await home(
      '[profile corp]\nregion = us-east-1\n[sso-session corp]\nsso_region = us-east-1\n[sso-session corp]\n',
    );
    const listing = await listProfiles({ env: h.env });
    expect(listing.profiles[0]!.diagnostics).toEqual([]);
    expect(listing.diagnostics).toEqual([
      expect.objectContaining({
        code: 'DUPLICATE_SECTION',
        line: 5,
        message: expect.stringContaining('[sso-session corp]'),
      }),
    ]);
    expect(listing.diagnostics[0]!.profile).toBeUndefined();
  });

  it('ignores [profile x] in the credentials file, with a diagnostic naming the line', async () => {
    const h = await home(undefined, '[ok]\naws_access_key_id = A\n[profile bad]\naws_access_key_id = B\n');
    const listing = await listProfiles({ env: h.env });
    expect(listing.profiles.map((p) => p.name)).toEqual(['ok']);
    expect(listing.diagnostics.find((d) => d.code === 'CREDENTIALS_SECTION_IGNORED')).toMatchObject({
      file: h.credentialsFile,
      line: 3,
    });
  });

  it('reuses a loaded sharedConfig without reading any file', async () => {
    const h = await home('[profile one]\n');
    const first = await listProfiles({ env: h.env });
    await rm(h.configFile);
    const second = await listProfiles({ sharedConfig: first.sharedConfig });
    expect(second.profiles.map((p) => p.name)).toEqual(['one']);
  });
});

const AWS_CLI = '/usr/bin/aws';
const run = promisify(execFile);

describe('order matches the AWS CLI v2', () => {
  // CI installs the AWS CLI v2 (.ci/run); only a developer machine without it skips this one test.
  it.skipIf(!existsSync(AWS_CLI))(
    `aws configure list-profiles gives the same order (needs the AWS CLI v2 at ${AWS_CLI})`,
    async () => {
      const h = await home(
        '[profile zeta]\nregion = us-east-1\n[default]\nregion = eu-west-1\n[sso-session s]\nsso_region = us-east-1\n[profile alpha]\n[profile mid.dle]\n[profile shared]\n',
        '[cred-only-2]\naws_access_key_id = A\n[shared]\naws_access_key_id = B\n[default]\naws_access_key_id = C\n[cred-only-1]\naws_access_key_id = D\n',
      );
      const { stdout } = await run(AWS_CLI, ['configure', 'list-profiles'], {
        env: {
          PATH: process.env.PATH,
          HOME: h.dir,
          AWS_CONFIG_FILE: h.configFile,
          AWS_SHARED_CREDENTIALS_FILE: h.credentialsFile,
        },
      });
      const listing = await listProfiles({ env: h.env });
      expect(listing.profiles.map((p) => p.name)).toEqual(stdout.trim().split('\n'));
    },
  );

  it.skipIf(!existsSync(AWS_CLI))(
    'the AWS CLI v2 refuses what DUPLICATE_SECTION and DUPLICATE_PROPERTY report',
    async () => {
      for (const [config, code] of [
        ['[profile a]\nregion = us-east-1\n[profile a]\noutput = json\n', 'DUPLICATE_SECTION'],
        ['[profile a]\nregion = us-east-1\nregion = eu-west-1\n', 'DUPLICATE_PROPERTY'],
      ] as const) {
        const h = await home(config, '');
        const cli = run(AWS_CLI, ['configure', 'list-profiles'], {
          env: {
            PATH: process.env.PATH,
            HOME: h.dir,
            AWS_CONFIG_FILE: h.configFile,
            AWS_SHARED_CREDENTIALS_FILE: h.credentialsFile,
          },
        });
        await expect(cli).rejects.toMatchObject({
          stderr: expect.stringContaining('Unable to parse config file'),
        });
        const listing = await listProfiles({ env: h.env });
        expect(listing.profiles.map((p) => p.name)).toEqual(['a']);
        expect(listing.diagnostics.map((d) => d.code)).toEqual([code]);
      }
    },
  );
});
