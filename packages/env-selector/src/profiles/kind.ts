import { isCredkitError } from '@credkit/temp-creds/errors';
import { planProfile } from '../profile-provider/plan.js';
import { isValidRegionName } from '../profile-provider/region.js';
import { chooseSource, type ProfileKind, type ShadowedSetting } from '../profile-provider/source.js';
import { nearSetting } from '../shared-config/settings.js';
import type { ConfigSection, Diagnostic, SharedConfig } from '../shared-config/types.js';

export type { ProfileKind };

export interface ProfileClassification {
  kind: ProfileKind;
  /** Why the profile cannot give credentials; set only when kind is `incomplete`. */
  reason?: string;
  /** Shared and frozen when empty (the usual case): do not push into it. */
  diagnostics: readonly Diagnostic[];
}

const NO_DIAGNOSTICS: readonly Diagnostic[] = Object.freeze([]);
const NO_ENV = Object.freeze({});

/**
 * A listed profile's kind and notes, read from the profile plan (chooseSource for the profile itself,
 * planProfile for a role chain), so `profiles` says exactly what `export` does. Runs once per listed
 * profile: the usual profile (keys or a process, nothing shadowed) allocates no diagnostics.
 */
export function classifyProfile(
  section: ConfigSection,
  shared: SharedConfig,
  /** For paths in messages (`~/.aws/config:3`); without it they are shown whole. */
  env: Record<string, string | undefined> = NO_ENV,
): ProfileClassification {
  const name = section.name;
  let found: Diagnostic[] | undefined;
  const add = (d: Diagnostic) => {
    if (found === undefined) found = [d];
    else found.push(d);
  };
  const region = section.properties.get('region');
  if (region !== undefined && region.value !== '' && !isValidRegionName(region.value)) {
    add({
      code: 'INVALID_REGION_VALUE',
      severity: 'warning',
      file: region.file,
      line: region.line,
      profile: name,
      message: `region of profile "${name}" is not a valid region name`,
    });
  }
  for (const property of section.properties.values()) {
    const meant = nearSetting(property.name);
    if (meant === undefined) continue;
    add({
      code: 'UNKNOWN_SETTING',
      severity: 'warning',
      file: property.file,
      line: property.line,
      profile: name,
      message: `${property.name} is not a setting the AWS CLI reads; did you mean ${meant}?`,
    });
  }
  const choice = chooseSource(section, shared);
  for (const s of choice.shadowed) add(shadowedNote(name, s, shared));
  if (choice.problem !== undefined) {
    if (choice.problem.code === 'PROFILE_INCOMPLETE') {
      add({
        code: 'PROFILE_INCOMPLETE',
        severity: 'warning',
        file: choice.problem.at.file,
        line: choice.problem.at.line,
        profile: name,
        message: `profile "${name}" cannot give credentials: ${choice.problem.reason}`,
      });
    }
    return { kind: 'incomplete', reason: choice.problem.reason, diagnostics: found ?? NO_DIAGNOSTICS };
  }
  if (choice.kind === 'assume-role' || choice.kind === 'credential-source') {
    // A chain can still be broken further down (missing source, cycle...): the plan says where.
    try {
      planProfile(shared, name, env);
    } catch (error) {
      if (!isCredkitError(error)) throw error;
      const details = (error.details ?? {}) as { file?: unknown; line?: unknown };
      add({
        code: error.code,
        severity: 'error',
        file: typeof details.file === 'string' ? details.file : (section.definedIn[0]?.file ?? ''),
        line: typeof details.line === 'number' ? details.line : (section.definedIn[0]?.line ?? 0),
        profile: name,
        message: error.message,
      });
    }
  }
  return { kind: choice.kind, diagnostics: found ?? NO_DIAGNOSTICS };
}

function shadowedNote(name: string, s: ShadowedSetting, shared: SharedConfig): Diagnostic {
  const { property, by } = s;
  const fileName = (file: string) =>
    file === shared.credentialsFile.path ? 'credentials file' : 'config file';
  const pairing = /^aws_(session|security)_token$|^aws_secret_access_key$/.test(property.name);
  const message = pairing
    ? `${property.name} of profile "${name}" in the ${fileName(property.file)} is not used: the key pair comes from the ${fileName(by.file)} (line ${by.line}), and the AWS CLI never pairs a key with a secret or token from the other file`
    : `${property.name} of profile "${name}" is not used: ${by.name} (${fileName(by.file)} line ${by.line}) comes first, as in the AWS CLI${property.name === 'aws_access_key_id' && by.name === 'role_arn' ? '; the keys serve only when this profile is a source_profile' : ''}`;
  return {
    code: 'SETTINGS_SHADOWED',
    severity: pairing ? 'warning' : 'info',
    file: property.file,
    line: property.line,
    profile: name,
    message,
  };
}
