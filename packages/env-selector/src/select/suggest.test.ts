import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveProfile } from '../profile-provider/from-profile.js';
import { planProfile } from '../profile-provider/plan.js';
import { listProfiles } from '../profiles/list.js';
import { loadSharedConfig } from '../shared-config/load.js';
import { nearSetting } from '../shared-config/settings.js';
import { describeNameSuggestions, suggestNames } from './suggest.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function home(config: string, credentials = '', mode = 0o600) {
  const dir = await mkdtemp(join(tmpdir(), 'credkit-suggest-'));
  dirs.push(dir);
  await mkdir(join(dir, '.aws'));
  await writeFile(join(dir, '.aws', 'config'), config, { mode });
  await writeFile(join(dir, '.aws', 'credentials'), credentials, { mode });
  await chmod(join(dir, '.aws', 'credentials'), mode);
  return { dir, env: { HOME: dir } as Record<string, string | undefined> };
}

async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    return e as { code: string; message: string; hint?: string };
  }
  throw new Error('expected a failure');
}

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const many = Array.from({ length: 30 }, (_, i) => `team-${String(i).padStart(2, '0')}`);

describe('unknown names: the nearest first, then at most ten others', () => {
  it('puts the near names first, then ten others in listed order, and counts the rest', () => {
    const names = [...many, 'deploy', 'deplyo2'];
    expect(suggestNames('deplyo', names)).toEqual({
      similar: ['deplyo2', 'deploy'],
      others: many.slice(0, 10),
      more: 20,
    });
    expect(describeNameSuggestions('deplyo', names)).toBe(
      `Did you mean "deplyo2" or "deploy"? Other profiles: ${many.slice(0, 10).join(', ')} and 20 more.`,
    );
    expect(describeNameSuggestions('zzz', ['a', 'b'])).toBe('Known profiles: a, b.');
  });

  it('an unknown profile says "create" once and ends each sentence with one period', async () => {
    const config = [...many, 'prod'].map((n) => `[profile ${n}]\nregion = us-east-1\n`).join('');
    const { env } = await home(config);
    const e = await failure(resolveProfile({ profile: 'prd', env }));
    expect(e.code).toBe('PROFILE_NOT_FOUND');
    expect(e.message).toBe('Profile "prd" was not found in ~/.aws/config or ~/.aws/credentials.');
    expect(e.hint).toBe(
      `Did you mean "prod"? Other profiles: ${many.slice(0, 10).join(', ')} and 20 more. Or create it: aws configure --profile prd`,
    );
    expect(e.hint!.match(/create/gi)).toHaveLength(1);
    expect(e.hint).not.toMatch(/\.\.|,\s*\.\.\./);
  });
});

describe('near-miss setting names', () => {
  it('maps a typo to the setting it meant, and leaves known and unrelated names alone', () => {
    expect(nearSetting('aws_acess_key_id')).toBe('aws_access_key_id');
    expect(nearSetting('aws_secret_acces_key')).toBe('aws_secret_access_key');
    expect(nearSetting('regin')).toBe('region');
    expect(nearSetting('source-profile')).toBe('source_profile');
    expect(nearSetting('region')).toBeUndefined();
    expect(nearSetting('my_tool_setting')).toBeUndefined();
  });

  it('profiles: the typo row names the key it meant; resolution says so in its hint', async () => {
    const { env } = await home(
      `[profile typo]\naws_acess_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = ${SECRET}\n`,
    );
    const listing = await listProfiles({ env });
    const typo = listing.profiles[0]!;
    expect(typo.kind).toBe('incomplete');
    expect(typo.diagnostics).toContainEqual(
      expect.objectContaining({
        code: 'UNKNOWN_SETTING',
        line: 2,
        message: 'aws_acess_key_id is not a setting the AWS CLI reads; did you mean aws_access_key_id?',
      }),
    );
    const e = await failure(resolveProfile({ profile: 'typo', env }));
    expect(e.code).toBe('PROFILE_INCOMPLETE');
    expect(e.hint).toBe(
      'Line 2 sets aws_acess_key_id: did you mean aws_access_key_id? Rename it in profile "typo".',
    );
  });

  it('profiles lists a source_profile cycle on every profile in it, paths as ~/…', async () => {
    const { env } = await home(
      '[profile a]\nrole_arn = arn:aws:iam::111111111111:role/a\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::111111111111:role/b\nsource_profile = a\n',
    );
    const listing = await listProfiles({ env });
    for (const p of listing.profiles) {
      const cycle = p.diagnostics.find((d) => d.code === 'SOURCE_PROFILE_CYCLE');
      expect(cycle?.message).toMatch(/forms a cycle .* \(~\/\.aws\/config:\d\)\.$/);
    }
  });
});

describe('the file a source names', () => {
  it('is the file of the keys, also when the profile has a section in the config file', async () => {
    const { dir, env } = await home(
      '[profile deploy]\nregion = us-east-1\n',
      `[deploy]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = ${SECRET}\n`,
    );
    const config = await loadSharedConfig({ env });
    expect(planProfile(config, 'deploy', env).file).toBe(join(dir, '.aws', 'credentials'));
    const creds = await resolveProfile({ profile: 'deploy', env, sharedConfig: config });
    expect(creds.source).toMatchObject({
      file: join(dir, '.aws', 'credentials'),
      description: 'profile "deploy" (static keys) from ~/.aws/credentials',
    });
  });
});

describe('permission warnings', () => {
  it('one file named by both variables gives one warning, its path shown as ~/…', async () => {
    const { dir } = await home(
      '',
      `[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = ${SECRET}\n`,
      0o640,
    );
    const file = join(dir, '.aws', 'credentials');
    const config = await loadSharedConfig({
      env: { HOME: dir, AWS_CONFIG_FILE: file, AWS_SHARED_CREDENTIALS_FILE: file },
    });
    const warnings = config.diagnostics.filter((d) => d.code === 'FILE_PERMISSIONS_TOO_OPEN');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.file).toBe(file);
    expect(warnings[0]!.message).toBe(
      '~/.aws/credentials holds secrets (aws_secret_access_key at line 3) but can be read by its group (mode 0640); make it private: chmod 600 ~/.aws/credentials',
    );
  });
});
