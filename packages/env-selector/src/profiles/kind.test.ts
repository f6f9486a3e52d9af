import { describe, expect, it } from 'vitest';
import { buildSharedConfig } from '../shared-config/merge.js';
import { parseConfigFile } from '../shared-config/parse.js';
import { describeProfiles } from './list.js';
import { isSecretProperty } from './mask.js';

function listing(config: string) {
  return describeProfiles(
    buildSharedConfig({ config: parseConfigFile(config, { kind: 'config', path: 'cfg' }) }),
  );
}

const kinds: [string, string, string | undefined][] = [
  ['aws_access_key_id = A\naws_secret_access_key = S', 'static', undefined],
  ['aws_access_key_id = A\naws_secret_access_key = S\naws_session_token = T', 'session', undefined],
  ['role_arn = arn:aws:iam::1:role/r\nsource_profile = base', 'assume-role', undefined],
  [
    'role_arn = arn:aws:iam::1:role/r\ncredential_source = Ec2InstanceMetadata',
    'credential-source',
    undefined,
  ],
  ['role_arn = arn:aws:iam::1:role/r\nweb_identity_token_file = /t', 'web-identity', undefined],
  ['credential_process = /bin/creds', 'process', undefined],
  ['sso_session = s\nsso_account_id = 1\nsso_role_name = R', 'sso', undefined],
  [
    'sso_start_url = https://x\nsso_region = us-east-1\nsso_account_id = 1\nsso_role_name = R',
    'sso',
    undefined,
  ],
  ['role_arn = arn:aws:iam::1:role/r', 'incomplete', 'role_arn without source_profile or credential_source'],
  ['aws_access_key_id = A', 'incomplete', 'aws_access_key_id without aws_secret_access_key'],
  ['aws_secret_access_key = S', 'incomplete', 'aws_secret_access_key without aws_access_key_id'],
  ['sso_session = s\nsso_account_id = 1', 'incomplete', 'SSO profile without sso_role_name'],
  [
    'sso_start_url = https://x\nsso_account_id = 1\nsso_role_name = R',
    'incomplete',
    'SSO profile without sso_region',
  ],
  ['web_identity_token_file = /t', 'incomplete', 'web_identity_token_file without role_arn'],
  ['region = us-east-1\noutput = json', 'incomplete', 'no credential settings'],
  ['aws_access_key_id =\naws_secret_access_key =', 'incomplete', 'no credential settings'],
];

describe('profile kinds', () => {
  it.each(kinds)('%j -> %s', (body, kind, reason) => {
    const text = `[profile base]\naws_access_key_id = A\naws_secret_access_key = S\n[sso-session s]\nsso_region = us-east-1\nsso_start_url = https://x\n[profile p]\n${body}\n`;
    const profile = listing(text).profiles.find((p) => p.name === 'p')!;
    expect(profile.kind).toBe(kind);
    expect(profile.incompleteReason).toBe(reason);
  });

  it('reports a missing source_profile, both sources, a bad credential_source and a bad region', () => {
    const { profiles } = listing(
      '[profile a]\nrole_arn = r\nsource_profile = nowhere\n[profile b]\nrole_arn = r\nsource_profile = a\ncredential_source = Environment\n' +
        '[profile c]\nrole_arn = r\ncredential_source = Laptop\n[profile d]\nregion = moon-base-1x\n',
    );
    const codes = profiles.map((p) => p.diagnostics.map((d) => `${d.code}@${d.line}`));
    expect(codes).toEqual([
      ['SOURCE_PROFILE_MISSING@3'],
      ['CONFLICTING_SOURCE@6'],
      ['UNSUPPORTED_CREDENTIAL_SOURCE@10'],
      ['INVALID_REGION_VALUE@12'],
    ]);
    expect(profiles[0]!.diagnostics[0]!.message).toContain(
      'Profile "a" has source_profile = nowhere (cfg:3), but no profile "nowhere" exists',
    );
  });

  it('masks secrets and tokens but not references to them', () => {
    expect(
      [
        'aws_secret_access_key',
        'aws_session_token',
        'aws_security_token',
        'my_client_secret',
        'db_password',
      ].every(isSecretProperty),
    ).toBe(true);
    expect(
      [
        'aws_access_key_id',
        'web_identity_token_file',
        'sso_start_url',
        'region',
        'role_arn',
        'sso_session',
      ].some(isSecretProperty),
    ).toBe(false);
    const [profile] = listing(
      '[profile p]\naws_session_token = abcdefgh1234\nshort_token = ab\ns3 =\n  client_secret = zzzzzz9876\n',
    ).profiles;
    expect(profile!.properties.map((p) => p.value)).toEqual(['****************1234', '****************', '']);
    expect(profile!.properties[2]!.subProperties).toEqual([
      { name: 'client_secret', value: '****************9876', masked: true, line: 5 },
    ]);
  });
});
