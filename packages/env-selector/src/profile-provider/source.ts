import { nearSetting } from '../shared-config/settings.js';
import type { ConfigProperty, ConfigSection, SharedConfig, SourceLocation } from '../shared-config/types.js';

/** How a profile gets credentials: the one answer that listing, explanation and resolution share. */
export type ProfileKind =
  | 'static'
  | 'session'
  | 'assume-role'
  | 'credential-source'
  | 'process'
  | 'sso'
  | 'web-identity'
  | 'incomplete';

/** Why a profile gives no credentials; becomes a CredkitError (plan) or a diagnostic (listing). */
export interface SourceProblem {
  code: 'PROFILE_INCOMPLETE' | 'PROFILE_UNSUPPORTED';
  /** Short, without the profile name: `aws_access_key_id without aws_secret_access_key`. */
  reason: string;
  at: SourceLocation;
  hint: string;
}

/** A credential setting present in the profile that its chosen source leaves unused. */
export interface ShadowedSetting {
  property: ConfigProperty;
  /** Why, e.g. `role_arn (~/.aws/config:3) comes first`: said by the caller with its own paths. */
  by: ConfigProperty;
}

export interface SourceChoice {
  kind: ProfileKind;
  /** The setting that decided the kind (role_arn, web_identity_token_file, sso_*, the key id, credential_process). */
  setting?: ConfigProperty;
  /** For static and session: key, secret and token, all from the one file section that holds the key. */
  keys?: { id: ConfigProperty; secret: ConfigProperty; token?: ConfigProperty };
  /** Set exactly when kind is `incomplete`. */
  problem?: SourceProblem;
  /** Shared and frozen when empty (the usual case). */
  shadowed: readonly ShadowedSetting[];
}

const NONE: readonly ShadowedSetting[] = Object.freeze([]);
const SSO_HINTS = ['sso_session', 'sso_start_url'];
const ORDER = ['assume-role', 'web-identity', 'sso', 'keys-credentials', 'process', 'keys-config'] as const;
const PAIRED = ['aws_session_token', 'aws_security_token', 'aws_secret_access_key'];

/** A set, non-empty property (an empty value counts as unset). */
export function setting(
  properties: ReadonlyMap<string, ConfigProperty>,
  key: string,
): ConfigProperty | undefined {
  const p = properties.get(key);
  // The parser already trims values, so no trim here (this runs several times per listed profile).
  return p === undefined || p.value === '' ? undefined : p;
}

/** botocore's `_has_static_credentials`: either half of a key pair, in either file. */
export function hasStaticKeys(section: ConfigSection): boolean {
  return (
    setting(section.properties, 'aws_access_key_id') !== undefined ||
    setting(section.properties, 'aws_secret_access_key') !== undefined ||
    (section.configFileProperties !== undefined &&
      (setting(section.configFileProperties, 'aws_access_key_id') !== undefined ||
        setting(section.configFileProperties, 'aws_secret_access_key') !== undefined))
  );
}

/** botocore's `_has_assume_role_config_vars`: role_arn, unless a web identity token file claims it. */
export function assumesRole(section: ConfigSection): boolean {
  return (
    setting(section.properties, 'role_arn') !== undefined &&
    setting(section.properties, 'web_identity_token_file') === undefined
  );
}

/**
 * The AWS CLI v2's precedence for one profile (botocore's AssumeRoleProvider, then the
 * ProfileProviderBuilder's order): role_arn with source_profile or credential_source, then
 * web_identity_token_file, SSO (sso_account_id or sso_role_name), keys in the credentials file,
 * credential_process, keys in the config file. A key, its secret and its session token come from
 * the section of the one file that holds the key. `asSource` is for a profile reached through
 * source_profile that holds keys: its role_arn is then not followed (botocore resolves it with the
 * profile providers alone).
 */
export function chooseSource(section: ConfigSection, shared: SharedConfig, asSource = false): SourceChoice {
  const props = section.properties;
  const credentialsPath = shared.credentialsFile.path;
  const configView = section.configFileProperties ?? props;
  const roleArn = setting(props, 'role_arn');
  const tokenFile = setting(props, 'web_identity_token_file');
  const process = setting(props, 'credential_process');
  const ssoTrigger = setting(props, 'sso_account_id') ?? setting(props, 'sso_role_name');
  const credId = setting(props, 'aws_access_key_id');
  const fileId = credId !== undefined && credId.file === credentialsPath ? credId : undefined;
  const cfgIdRaw = setting(configView, 'aws_access_key_id');
  const cfgId = cfgIdRaw !== undefined && cfgIdRaw.file !== credentialsPath ? cfgIdRaw : undefined;

  // Candidates in precedence order (ORDER); the first that applies wins, the others present are
  // shadowed. One small array per call: this runs once per listed profile.
  const slots = [
    !asSource && roleArn !== undefined && tokenFile === undefined ? roleArn : undefined,
    tokenFile,
    ssoTrigger,
    fileId,
    process,
    cfgId,
  ];
  let index = 0;
  while (index < slots.length && slots[index] === undefined) index++;
  if (index === slots.length)
    return { kind: 'incomplete', problem: nothing(section, shared, configView), shadowed: NONE };
  const which = ORDER[index]!;
  const decided = slots[index]!;
  let shadowed: ShadowedSetting[] | undefined;
  const shadow = (property: ConfigProperty) => {
    if (shadowed === undefined) shadowed = [];
    shadowed.push({ property, by: decided });
  };
  for (let i = index + 1; i < slots.length; i++) {
    const p = slots[i];
    if (p !== undefined) shadow(p);
  }
  // A session token (or half a pair) of the other file is never paired with the chosen keys.
  if (which === 'keys-credentials' || which === 'keys-config') {
    const fromCredentials = which === 'keys-credentials';
    for (const name of PAIRED) {
      const other = fromCredentials
        ? section.configFileProperties && setting(section.configFileProperties, name)
        : setting(props, name);
      if (other !== undefined && (other.file === credentialsPath) !== fromCredentials) shadow(other);
    }
  }
  const base = { setting: decided, shadowed: shadowed ?? NONE };
  switch (which) {
    case 'assume-role': {
      if (!setting(props, 'source_profile') && !setting(props, 'credential_source'))
        return incomplete(
          base,
          'role_arn without source_profile or credential_source',
          decided,
          `Add "source_profile = <profile with credentials>" (or "credential_source = Environment|Ec2InstanceMetadata|EcsContainer") to profile "${section.name}".`,
        );
      return { ...base, kind: setting(props, 'source_profile') ? 'assume-role' : 'credential-source' };
    }
    case 'web-identity':
      if (roleArn === undefined)
        return incomplete(
          base,
          'web_identity_token_file without role_arn',
          decided,
          `Add "role_arn = arn:aws:iam::<account>:role/<name>" to profile "${section.name}".`,
        );
      return { ...base, kind: 'web-identity' };
    case 'sso':
      return ssoChoice(section, shared, base);
    case 'process':
      return { kind: 'process', setting: base.setting, shadowed: base.shadowed };
    default:
      return keysChoice(section, which === 'keys-credentials' ? props : configView, decided, base);
  }
}

function keysChoice(
  section: ConfigSection,
  view: ReadonlyMap<string, ConfigProperty>,
  id: ConfigProperty,
  base: { setting: ConfigProperty; shadowed: readonly ShadowedSetting[] },
): SourceChoice {
  const secret = inFile(setting(view, 'aws_secret_access_key'), id.file);
  if (secret === undefined) {
    const typo = [...view.values()].find(
      (p) => p.file === id.file && nearSetting(p.name) === 'aws_secret_access_key',
    );
    return incomplete(
      base,
      'aws_access_key_id without aws_secret_access_key',
      id,
      typo
        ? `Line ${typo.line} sets ${typo.name}: did you mean aws_secret_access_key? Rename it in profile "${section.name}".`
        : `Add aws_secret_access_key next to aws_access_key_id in profile "${section.name}" (aws configure --profile ${section.name}).`,
    );
  }
  // botocore looks for aws_security_token before aws_session_token.
  const token =
    inFile(setting(view, 'aws_security_token'), id.file) ??
    inFile(setting(view, 'aws_session_token'), id.file);
  // Built without spreads: this runs once per listed profile (100 000 in the fuzz test).
  const keys: { id: ConfigProperty; secret: ConfigProperty; token?: ConfigProperty } = { id, secret };
  if (token !== undefined) keys.token = token;
  return {
    kind: token === undefined ? 'static' : 'session',
    setting: base.setting,
    shadowed: base.shadowed,
    keys,
  };
}

function inFile(p: ConfigProperty | undefined, file: string): ConfigProperty | undefined {
  return p !== undefined && p.file === file ? p : undefined;
}

function ssoChoice(
  section: ConfigSection,
  shared: SharedConfig,
  base: { setting: ConfigProperty; shadowed: readonly ShadowedSetting[] },
): SourceChoice {
  const props = section.properties;
  const hint = `Run "aws configure sso --profile ${section.name}" to complete it.`;
  const session = setting(props, 'sso_session');
  let values: ReadonlyMap<string, ConfigProperty> = props;
  if (session !== undefined) {
    const sessionSection = shared.ssoSessions.get(session.value.trim());
    if (sessionSection === undefined)
      return incomplete(
        base,
        `sso_session "${session.value.trim()}" has no [sso-session ${session.value.trim()}] section`,
        session,
        `Run "aws configure sso-session" to create it, or fix sso_session in profile "${section.name}".`,
      );
    values = new Map([...props, ...sessionSection.properties]);
  }
  const missing = ['sso_start_url', 'sso_region', 'sso_account_id', 'sso_role_name'].filter(
    (k) => setting(values, k) === undefined,
  );
  if (missing.length > 0)
    return incomplete(base, `SSO profile without ${missing.join(' and ')}`, base.setting, hint);
  return { ...base, kind: 'sso' };
}

function incomplete(
  base: { setting: ConfigProperty; shadowed: readonly ShadowedSetting[] },
  reason: string,
  at: SourceLocation,
  hint: string,
): SourceChoice {
  return { ...base, kind: 'incomplete', problem: { code: 'PROFILE_INCOMPLETE', reason, at, hint } };
}

/** No source applies: name the stray setting the user probably meant as one, if there is one. */
function nothing(
  section: ConfigSection,
  shared: SharedConfig,
  configView: ReadonlyMap<string, ConfigProperty>,
): SourceProblem {
  const at: SourceLocation = section.definedIn[0] ?? { file: shared.configFile.path, line: 0 };
  const hint = `Configure it with "aws configure --profile ${section.name}" (keys) or "aws configure sso --profile ${section.name}".`;
  const props = section.properties;
  const secret = setting(props, 'aws_secret_access_key') ?? setting(configView, 'aws_secret_access_key');
  if (secret !== undefined) {
    // The usual cause is a misspelt key name, which the standard silently ignores.
    const typo = [...props.values()].find((p) => nearSetting(p.name) === 'aws_access_key_id');
    return {
      code: 'PROFILE_INCOMPLETE',
      reason: 'aws_secret_access_key without aws_access_key_id',
      at: secret,
      hint: typo
        ? `Line ${typo.line} sets ${typo.name}: did you mean aws_access_key_id? Rename it in profile "${section.name}".`
        : `Add aws_access_key_id next to aws_secret_access_key in profile "${section.name}".`,
    };
  }
  const sso = SSO_HINTS.map((k) => setting(props, k)).find(Boolean);
  if (sso !== undefined)
    return {
      code: 'PROFILE_INCOMPLETE',
      reason: `${sso.name} without sso_account_id and sso_role_name`,
      at: sso,
      hint: `Run "aws configure sso --profile ${section.name}" to complete it.`,
    };
  const token = setting(props, 'aws_session_token') ?? setting(props, 'aws_security_token');
  if (token !== undefined)
    return {
      code: 'PROFILE_INCOMPLETE',
      reason: `${token.name} without a key pair`,
      at: token,
      hint: `Add aws_access_key_id and aws_secret_access_key to profile "${section.name}".`,
    };
  return { code: 'PROFILE_UNSUPPORTED', reason: 'no credential settings', at, hint };
}
