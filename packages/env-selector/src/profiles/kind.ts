import { isValidRegionName } from '../select/regions.js';
import type { ConfigProperty, ConfigSection, Diagnostic, SharedConfig } from '../shared-config/types.js';

export type ProfileKind =
  | 'static'
  | 'session'
  | 'assume-role'
  | 'credential-source'
  | 'process'
  | 'sso'
  | 'web-identity'
  | 'incomplete';

export interface ProfileClassification {
  kind: ProfileKind;
  /** Why the profile cannot give credentials; set only when kind is `incomplete`. */
  reason?: string;
  diagnostics: Diagnostic[];
}

const CREDENTIAL_SOURCES = new Set(['Environment', 'Ec2InstanceMetadata', 'EcsContainer']);

/**
 * Which way a profile gets credentials, in the precedence the SDKs use: a role first (through
 * source_profile, credential_source or a web identity token), then credential_process, SSO, and
 * finally a static key pair. Only the profile itself is judged; a source profile's own kind is not.
 */
export function classifyProfile(section: ConfigSection, shared: SharedConfig): ProfileClassification {
  const name = section.name;
  const diagnostics: Diagnostic[] = [];
  const get = (key: string): ConfigProperty | undefined => {
    const property = section.properties.get(key);
    return property === undefined || property.value === '' ? undefined : property;
  };
  const where = section.definedIn[0] ?? { file: shared.configFile.path, line: 0 };
  const note = (
    code: string,
    at: { file: string; line: number },
    severity: Diagnostic['severity'],
    text: string,
  ) =>
    diagnostics.push({
      code,
      severity,
      file: at.file,
      line: at.line,
      profile: name,
      message: text,
    });
  const incomplete = (reason: string, at: { file: string; line: number } = where): ProfileClassification => {
    note('PROFILE_INCOMPLETE', at, 'warning', `profile "${name}" cannot give credentials: ${reason}`);
    return { kind: 'incomplete', reason, diagnostics };
  };

  const region = get('region');
  if (region !== undefined && !isValidRegionName(region.value)) {
    note('INVALID_REGION_VALUE', region, 'warning', `region of profile "${name}" is not a valid region name`);
  }

  const roleArn = get('role_arn');
  const sourceProfile = get('source_profile');
  const credentialSource = get('credential_source');
  const tokenFile = get('web_identity_token_file');
  const keyId = get('aws_access_key_id');
  const secret = get('aws_secret_access_key');

  if (roleArn !== undefined) {
    if (keyId !== undefined || get('credential_process') !== undefined || get('sso_session') !== undefined) {
      note(
        'SETTINGS_SHADOWED',
        roleArn,
        'info',
        `profile "${name}" assumes a role; its other credential settings only serve as a source profile for others`,
      );
    }
    if (sourceProfile !== undefined) {
      if (credentialSource !== undefined) {
        note(
          'ROLE_SOURCE_CONFLICT',
          credentialSource,
          'error',
          `profile "${name}" sets both source_profile and credential_source; keep one (the AWS CLI refuses both)`,
        );
      }
      if (!shared.profiles.has(sourceProfile.value)) {
        note(
          'SOURCE_PROFILE_MISSING',
          sourceProfile,
          'error',
          `source_profile "${sourceProfile.value}" of profile "${name}" is not defined in either file`,
        );
      }
      return { kind: 'assume-role', diagnostics };
    }
    if (credentialSource !== undefined) {
      if (!CREDENTIAL_SOURCES.has(credentialSource.value)) {
        note(
          'UNKNOWN_CREDENTIAL_SOURCE',
          credentialSource,
          'error',
          `credential_source of profile "${name}" must be Environment, Ec2InstanceMetadata or EcsContainer`,
        );
      }
      return { kind: 'credential-source', diagnostics };
    }
    if (tokenFile !== undefined) return { kind: 'web-identity', diagnostics };
    return incomplete(
      'role_arn without source_profile, credential_source or web_identity_token_file',
      roleArn,
    );
  }
  if (get('credential_process') !== undefined) return { kind: 'process', diagnostics };

  const ssoSession = get('sso_session');
  const startUrl = get('sso_start_url');
  if (ssoSession !== undefined || startUrl !== undefined) {
    const missing = ['sso_account_id', 'sso_role_name'].filter((key) => get(key) === undefined);
    if (ssoSession !== undefined && !shared.ssoSessions.has(ssoSession.value)) {
      return incomplete(
        `sso_session "${ssoSession.value}" has no [sso-session ${ssoSession.value}] section`,
        ssoSession,
      );
    }
    if (ssoSession === undefined && get('sso_region') === undefined) {
      return incomplete('sso_start_url without sso_region', startUrl);
    }
    if (missing.length > 0) return incomplete(`SSO profile without ${missing.join(' and ')}`);
    return { kind: 'sso', diagnostics };
  }

  if (keyId !== undefined && secret !== undefined) {
    const token = get('aws_session_token') ?? get('aws_security_token');
    return { kind: token === undefined ? 'static' : 'session', diagnostics };
  }
  if (keyId !== undefined) return incomplete('aws_access_key_id without aws_secret_access_key', keyId);
  if (secret !== undefined) return incomplete('aws_secret_access_key without aws_access_key_id', secret);
  if (tokenFile !== undefined) return incomplete('web_identity_token_file without role_arn', tokenFile);
  const token = get('aws_session_token');
  if (token !== undefined) return incomplete('aws_session_token without a key pair', token);
  return { kind: 'incomplete', reason: 'no credential settings', diagnostics };
}
