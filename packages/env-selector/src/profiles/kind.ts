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
  /** Shared and frozen when empty (the usual case): do not push into it. */
  diagnostics: readonly Diagnostic[];
}

const CREDENTIAL_SOURCES = new Set(['Environment', 'Ec2InstanceMetadata', 'EcsContainer']);
const NO_DIAGNOSTICS: readonly Diagnostic[] = Object.freeze([]);

type At = { file: string; line: number };

/** A set, non-empty property (an empty value counts as unset, as in the SDKs). */
function setting(section: ConfigSection, key: string): ConfigProperty | undefined {
  const property = section.properties.get(key);
  return property === undefined || property.value === '' ? undefined : property;
}

function diagnostic(
  code: string,
  at: At,
  severity: Diagnostic['severity'],
  profile: string,
  message: string,
): Diagnostic {
  return { code, severity, file: at.file, line: at.line, profile, message };
}

/**
 * Which way a profile gets credentials, in the precedence the SDKs use: a role first (through
 * source_profile, credential_source or a web identity token), then credential_process, SSO, and
 * finally a static key pair. Only the profile itself is judged; a source profile's own kind is not.
 * Runs once per listed profile, so it allocates nothing on the common paths (10 000 profiles).
 */
export function classifyProfile(section: ConfigSection, shared: SharedConfig): ProfileClassification {
  const name = section.name;
  let found: Diagnostic[] | undefined;
  const region = setting(section, 'region');
  if (region !== undefined && !isValidRegionName(region.value)) {
    found = [
      diagnostic(
        'INVALID_REGION_VALUE',
        region,
        'warning',
        name,
        `region of profile "${name}" is not a valid region name`,
      ),
    ];
  }
  const result = kindOf(section, shared, name);
  if (result.diagnostics.length > 0) found = [...(found ?? []), ...result.diagnostics];
  return found === undefined ? result : { ...result, diagnostics: found };
}

function done(kind: ProfileKind, diagnostics?: Diagnostic[]): ProfileClassification {
  return { kind, diagnostics: diagnostics ?? NO_DIAGNOSTICS };
}

function incomplete(name: string, reason: string, at: At): ProfileClassification {
  const message = `profile "${name}" cannot give credentials: ${reason}`;
  return {
    kind: 'incomplete',
    reason,
    diagnostics: [diagnostic('PROFILE_INCOMPLETE', at, 'warning', name, message)],
  };
}

function kindOf(section: ConfigSection, shared: SharedConfig, name: string): ProfileClassification {
  const where: At = section.definedIn[0] ?? { file: shared.configFile.path, line: 0 };
  const keyId = setting(section, 'aws_access_key_id');
  const secret = setting(section, 'aws_secret_access_key');
  const roleArn = setting(section, 'role_arn');
  if (roleArn !== undefined) return roleKind(section, shared, name, roleArn, keyId);
  if (setting(section, 'credential_process') !== undefined) return done('process');

  const ssoSession = setting(section, 'sso_session');
  const startUrl = setting(section, 'sso_start_url');
  if (ssoSession !== undefined) {
    if (!shared.ssoSessions.has(ssoSession.value)) {
      return incomplete(
        name,
        `sso_session "${ssoSession.value}" has no [sso-session ${ssoSession.value}] section`,
        ssoSession,
      );
    }
    return ssoAccount(section, name, where);
  }
  if (startUrl !== undefined) {
    if (setting(section, 'sso_region') === undefined)
      return incomplete(name, 'sso_start_url without sso_region', startUrl);
    return ssoAccount(section, name, where);
  }

  if (keyId !== undefined && secret !== undefined) {
    const token = setting(section, 'aws_session_token') ?? setting(section, 'aws_security_token');
    return done(token === undefined ? 'static' : 'session');
  }
  if (keyId !== undefined) return incomplete(name, 'aws_access_key_id without aws_secret_access_key', keyId);
  if (secret !== undefined)
    return incomplete(name, 'aws_secret_access_key without aws_access_key_id', secret);
  const tokenFile = setting(section, 'web_identity_token_file');
  if (tokenFile !== undefined) return incomplete(name, 'web_identity_token_file without role_arn', tokenFile);
  const token = setting(section, 'aws_session_token');
  if (token !== undefined) return incomplete(name, 'aws_session_token without a key pair', token);
  return { kind: 'incomplete', reason: 'no credential settings', diagnostics: NO_DIAGNOSTICS };
}

function ssoAccount(section: ConfigSection, name: string, where: At): ProfileClassification {
  const missing = ['sso_account_id', 'sso_role_name'].filter((key) => setting(section, key) === undefined);
  return missing.length > 0
    ? incomplete(name, `SSO profile without ${missing.join(' and ')}`, where)
    : done('sso');
}

function roleKind(
  section: ConfigSection,
  shared: SharedConfig,
  name: string,
  roleArn: ConfigProperty,
  keyId: ConfigProperty | undefined,
): ProfileClassification {
  const found: Diagnostic[] = [];
  const sourceProfile = setting(section, 'source_profile');
  const credentialSource = setting(section, 'credential_source');
  if (
    keyId !== undefined ||
    setting(section, 'credential_process') !== undefined ||
    setting(section, 'sso_session') !== undefined
  ) {
    found.push(
      diagnostic(
        'SETTINGS_SHADOWED',
        roleArn,
        'info',
        name,
        `profile "${name}" assumes a role; its other credential settings only serve as a source profile for others`,
      ),
    );
  }
  if (sourceProfile !== undefined) {
    if (credentialSource !== undefined) {
      found.push(
        diagnostic(
          'ROLE_SOURCE_CONFLICT',
          credentialSource,
          'error',
          name,
          `profile "${name}" sets both source_profile and credential_source; keep one (the AWS CLI refuses both)`,
        ),
      );
    }
    if (!shared.profiles.has(sourceProfile.value)) {
      found.push(
        diagnostic(
          'SOURCE_PROFILE_MISSING',
          sourceProfile,
          'error',
          name,
          `source_profile "${sourceProfile.value}" of profile "${name}" is not defined in either file`,
        ),
      );
    }
    return done('assume-role', found);
  }
  if (credentialSource !== undefined) {
    if (!CREDENTIAL_SOURCES.has(credentialSource.value)) {
      found.push(
        diagnostic(
          'UNKNOWN_CREDENTIAL_SOURCE',
          credentialSource,
          'error',
          name,
          `credential_source of profile "${name}" must be Environment, Ec2InstanceMetadata or EcsContainer`,
        ),
      );
    }
    return done('credential-source', found);
  }
  if (setting(section, 'web_identity_token_file') !== undefined) return done('web-identity', found);
  const result = incomplete(
    name,
    'role_arn without source_profile, credential_source or web_identity_token_file',
    roleArn,
  );
  return { ...result, diagnostics: [...found, ...result.diagnostics] };
}
