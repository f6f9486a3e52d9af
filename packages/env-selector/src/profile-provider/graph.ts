import { CredkitError } from '@credkit/temp-creds/errors';
import type { ConfigProperty, ConfigSection, SharedConfig } from '../shared-config/types.js';
import { ProfileErrorCode as C } from './codes.js';
import { displayPath } from './types.js';

export const CREDENTIAL_SOURCES = ['Environment', 'Ec2InstanceMetadata', 'EcsContainer'] as const;
export type CredentialSourceName = (typeof CREDENTIAL_SOURCES)[number];

type Env = Record<string, string | undefined>;

export type BasePlan =
  | {
      kind: 'static';
      profile: string;
      accessKeyId: string;
      secretAccessKey: string;
      sessionToken?: string;
      accountId?: string;
      location: string;
    }
  | {
      kind: 'process';
      profile: string;
      command: string;
      location: string;
      /** `aws_account_id` of the profile: the SDK's fallback when the output has no AccountId. */
      accountId?: string;
    }
  | {
      kind: 'sso';
      profile: string;
      location: string;
      session?: string;
      startUrl: string;
      region: string;
      accountId: string;
      roleName: string;
    }
  | {
      kind: 'web-identity';
      profile: string;
      location: string;
      roleArn: string;
      tokenFile: string;
      sessionName?: string;
    }
  | { kind: 'credential-source'; profile: string; location: string; source: CredentialSourceName };

export interface HopPlan {
  profile: string;
  location: string;
  roleArn: string;
  externalId?: string;
  sessionName?: string;
  durationSeconds?: number;
  mfaSerial?: string;
  region?: string;
}

/** How one profile resolves: base credentials, then role hops from the innermost to the requested one. */
export interface ProfilePlan {
  profile: string;
  file: string;
  base: BasePlan;
  hops: HopPlan[];
  /** Requested profile first, then each source_profile followed. */
  chain: string[];
}

const prop = (s: ConfigSection, name: string): ConfigProperty | undefined => {
  const p = s.properties.get(name);
  return p && p.value.trim() !== '' ? p : undefined;
};

/**
 * Checks the profile graph with the conformant parser's view (so every problem can name file and line)
 * and turns it into a plan. Follows the SDK's precedence: a profile reached as a source_profile that
 * holds static keys is used for its keys (its own role_arn is not followed), which is also what makes
 * the common `source_profile = self` pattern work.
 */
export function planProfile(config: SharedConfig, profile: string, env: Env): ProfilePlan {
  const at = (p: { file: string; line: number }) => `${displayPath(p.file, env)}:${p.line}`;
  const section = config.profiles.get(profile);
  if (!section) throw notFound(config, profile, env);
  const file = section.definedIn[0]?.file ?? config.configFile.path;
  const hops: HopPlan[] = [];
  const chain = [profile];
  let current = section;
  let name = profile;
  for (;;) {
    const roleArn = prop(current, 'role_arn');
    const sourceProfile = prop(current, 'source_profile');
    const credentialSource = prop(current, 'credential_source');
    const isSource = chain.length > 1;
    if (isSource && staticKeys(current, name, at))
      return { profile, file, base: staticKeys(current, name, at)!, hops, chain };
    if (roleArn && !(prop(current, 'web_identity_token_file') && !sourceProfile && !credentialSource)) {
      if (sourceProfile && credentialSource) {
        throw new CredkitError(
          C.CONFLICTING_SOURCE,
          `Profile "${name}" sets both source_profile (${at(sourceProfile)}) and credential_source (${at(credentialSource)}).`,
          {
            hint: `Keep exactly one of them in profile "${name}": source_profile to assume the role from another profile, credential_source for Environment, Ec2InstanceMetadata or EcsContainer.`,
            details: { profile: name, file: sourceProfile.file, line: sourceProfile.line },
          },
        );
      }
      if (!sourceProfile && !credentialSource) {
        throw new CredkitError(
          C.PROFILE_INCOMPLETE,
          `Profile "${name}" sets role_arn (${at(roleArn)}) but neither source_profile nor credential_source, so there are no credentials to assume the role with.`,
          {
            hint: `Add "source_profile = <profile with credentials>" (or "credential_source = Environment|Ec2InstanceMetadata|EcsContainer") to profile "${name}".`,
            details: { profile: name, file: roleArn.file, line: roleArn.line },
          },
        );
      }
      hops.unshift(hopOf(current, name, roleArn, at));
      if (credentialSource) {
        const source = credentialSource.value.trim();
        if (!(CREDENTIAL_SOURCES as readonly string[]).includes(source)) {
          throw new CredkitError(
            C.UNSUPPORTED_CREDENTIAL_SOURCE,
            `Profile "${name}" has credential_source = ${source} (${at(credentialSource)}), which is not supported.`,
            {
              hint: `Use one of ${CREDENTIAL_SOURCES.join(', ')} (case-sensitive), or use source_profile instead.`,
              details: {
                profile: name,
                file: credentialSource.file,
                line: credentialSource.line,
                value: source,
              },
            },
          );
        }
        const base: BasePlan = {
          kind: 'credential-source',
          profile: name,
          location: at(credentialSource),
          source: source as CredentialSourceName,
        };
        return { profile, file, base, hops, chain };
      }
      const next = sourceProfile!.value.trim();
      const nextSection = config.profiles.get(next);
      if (!nextSection) {
        throw new CredkitError(
          C.SOURCE_PROFILE_MISSING,
          `Profile "${name}" has source_profile = ${next} (${at(sourceProfile!)}), but no profile "${next}" exists in ${files(config, env)}.`,
          {
            hint: `Create profile "${next}" (aws configure --profile ${next}) or fix source_profile in profile "${name}".`,
            details: {
              profile: name,
              sourceProfile: next,
              file: sourceProfile!.file,
              line: sourceProfile!.line,
            },
          },
        );
      }
      const seen = chain.indexOf(next);
      // A visited profile with static keys ends the walk (see above), so only a key-less revisit is a cycle.
      if (seen !== -1 && !staticKeys(nextSection, next, at)) {
        const cycle = [...chain.slice(seen), next];
        throw new CredkitError(
          C.SOURCE_PROFILE_CYCLE,
          `Profile "${profile}" cannot be resolved: source_profile forms a cycle ${cycle.join(' -> ')} (${at(sourceProfile!)}).`,
          {
            hint: `Break the cycle: one profile in ${cycle
              .slice(0, -1)
              .map((p) => `"${p}"`)
              .join(
                ', ',
              )} needs its own credentials (keys, credential_process or SSO) instead of source_profile.`,
            details: { profile, cycle, file: sourceProfile!.file, line: sourceProfile!.line },
          },
        );
      }
      chain.push(next);
      current = nextSection;
      name = next;
      continue;
    }
    const base = baseOf(current, name, at, config, env);
    return { profile, file, base, hops, chain };
  }
}

function hopOf(
  s: ConfigSection,
  name: string,
  roleArn: ConfigProperty,
  at: (p: { file: string; line: number }) => string,
): HopPlan {
  const duration = prop(s, 'duration_seconds');
  let durationSeconds: number | undefined;
  if (duration) {
    durationSeconds = Number(duration.value.trim());
    if (!Number.isInteger(durationSeconds) || durationSeconds < 900 || durationSeconds > 43_200) {
      throw new CredkitError(
        C.PROFILE_INVALID_VALUE,
        `Profile "${name}" has duration_seconds = ${duration.value.trim()} (${at(duration)}); it must be a whole number of seconds from 900 to 43200.`,
        {
          hint: "Use e.g. duration_seconds = 3600, and no more than the role's maximum session duration.",
          details: { profile: name, file: duration.file, line: duration.line },
        },
      );
    }
  }
  const v = (k: string) => prop(s, k)?.value.trim();
  const externalId = v('external_id');
  const sessionName = v('role_session_name');
  const mfaSerial = v('mfa_serial');
  const region = v('region');
  return {
    profile: name,
    location: at(roleArn),
    roleArn: roleArn.value.trim(),
    ...(externalId && { externalId }),
    ...(sessionName && { sessionName }),
    ...(durationSeconds !== undefined && { durationSeconds }),
    ...(mfaSerial && { mfaSerial }),
    ...(region && { region }),
  };
}

function staticKeys(
  s: ConfigSection,
  name: string,
  at: (p: { file: string; line: number }) => string,
): BasePlan | undefined {
  const id = prop(s, 'aws_access_key_id');
  const secret = prop(s, 'aws_secret_access_key');
  if (!id && !secret) return undefined;
  if (!id || !secret) {
    const have = (id ?? secret)!;
    const missing = id ? 'aws_secret_access_key' : 'aws_access_key_id';
    throw new CredkitError(
      C.PROFILE_INCOMPLETE,
      `Profile "${name}" sets ${have.name} (${at(have)}) but no ${missing}.`,
      {
        hint: `Add ${missing} to profile "${name}" (aws configure --profile ${name}), or remove the partial key pair.`,
        details: { profile: name, missing, file: have.file, line: have.line },
      },
    );
  }
  const token = prop(s, 'aws_session_token')?.value.trim();
  const accountId = prop(s, 'aws_account_id')?.value.trim();
  return {
    kind: 'static',
    profile: name,
    accessKeyId: id.value.trim(),
    secretAccessKey: secret.value.trim(),
    ...(token && { sessionToken: token }),
    ...(accountId && { accountId }),
    location: at(id),
  };
}

function baseOf(
  s: ConfigSection,
  name: string,
  at: (p: { file: string; line: number }) => string,
  config: SharedConfig,
  env: Env,
): BasePlan {
  const keys = staticKeys(s, name, at);
  if (keys) return keys;
  const token = prop(s, 'aws_session_token');
  if (token) {
    throw new CredkitError(
      C.PROFILE_INCOMPLETE,
      `Profile "${name}" sets aws_session_token (${at(token)}) but no access key pair.`,
      {
        hint: `Add aws_access_key_id and aws_secret_access_key to profile "${name}".`,
        details: { profile: name, file: token.file, line: token.line },
      },
    );
  }
  const tokenFile = prop(s, 'web_identity_token_file');
  if (tokenFile) {
    const roleArn = prop(s, 'role_arn');
    if (!roleArn) {
      throw new CredkitError(
        C.PROFILE_INCOMPLETE,
        `Profile "${name}" sets web_identity_token_file (${at(tokenFile)}) but no role_arn.`,
        {
          hint: `Add "role_arn = arn:aws:iam::<account>:role/<name>" to profile "${name}".`,
          details: { profile: name, file: tokenFile.file, line: tokenFile.line },
        },
      );
    }
    const sessionName = prop(s, 'role_session_name')?.value.trim();
    return {
      kind: 'web-identity',
      profile: name,
      location: at(tokenFile),
      roleArn: roleArn.value.trim(),
      tokenFile: tokenFile.value.trim(),
      ...(sessionName && { sessionName }),
    };
  }
  const process = prop(s, 'credential_process');
  if (process) {
    const accountId = prop(s, 'aws_account_id')?.value.trim();
    return {
      kind: 'process',
      profile: name,
      command: process.value.trim(),
      location: at(process),
      ...(accountId && { accountId }),
    };
  }
  const sso = ssoOf(s, name, at, config, env);
  if (sso) return sso;
  const where = s.definedIn.map((d) => at(d)).join(', ');
  throw new CredkitError(
    C.PROFILE_UNSUPPORTED,
    `Profile "${name}" (${where}) has no credentials: no aws_access_key_id, role_arn, credential_process, sso_session/sso_start_url or web_identity_token_file.`,
    {
      hint: `Configure it with "aws configure --profile ${name}" (keys) or "aws configure sso --profile ${name}".`,
      details: { profile: name },
    },
  );
}

function ssoOf(
  s: ConfigSection,
  name: string,
  at: (p: { file: string; line: number }) => string,
  config: SharedConfig,
  env: Env,
): BasePlan | undefined {
  const session = prop(s, 'sso_session');
  const legacyKeys = ['sso_start_url', 'sso_region', 'sso_account_id', 'sso_role_name'];
  if (!session && !legacyKeys.some((k) => prop(s, k))) return undefined;
  let startUrl = prop(s, 'sso_start_url')?.value.trim();
  let region = prop(s, 'sso_region')?.value.trim();
  const location = at((session ?? legacyKeys.map((k) => prop(s, k)).find(Boolean))!);
  if (session) {
    const sessionName = session.value.trim();
    const sessionSection = config.ssoSessions.get(sessionName);
    if (!sessionSection) {
      throw new CredkitError(
        C.PROFILE_INCOMPLETE,
        `Profile "${name}" has sso_session = ${sessionName} (${at(session)}), but there is no [sso-session ${sessionName}] section in ${displayPath(config.configFile.path, env)}.`,
        {
          hint: `Run "aws configure sso-session" to create it, or fix sso_session in profile "${name}".`,
          details: { profile: name, ssoSession: sessionName, file: session.file, line: session.line },
        },
      );
    }
    startUrl = prop(sessionSection, 'sso_start_url')?.value.trim() ?? startUrl;
    region = prop(sessionSection, 'sso_region')?.value.trim() ?? region;
  }
  const values: Record<string, string | undefined> = {
    sso_start_url: startUrl,
    sso_region: region,
    sso_account_id: prop(s, 'sso_account_id')?.value.trim(),
    sso_role_name: prop(s, 'sso_role_name')?.value.trim(),
  };
  const missing = Object.keys(values).filter((k) => !values[k]);
  if (missing.length > 0) {
    throw new CredkitError(
      C.PROFILE_INCOMPLETE,
      `Profile "${name}" is an SSO profile (${location}) but has no ${missing.join(', ')}.`,
      {
        hint: `Run "aws configure sso --profile ${name}" to complete it.`,
        details: { profile: name, missing },
      },
    );
  }
  return {
    kind: 'sso',
    profile: name,
    location,
    ...(session && { session: session.value.trim() }),
    startUrl: startUrl!,
    region: region!,
    accountId: values.sso_account_id!,
    roleName: values.sso_role_name!,
  };
}

function files(config: SharedConfig, env: Env): string {
  return `${displayPath(config.configFile.path, env)} or ${displayPath(config.credentialsFile.path, env)}`;
}

export function notFound(config: SharedConfig, profile: string, env: Env): CredkitError {
  const known = [...config.profiles.keys()];
  return new CredkitError(
    C.PROFILE_NOT_FOUND,
    `Profile "${profile}" was not found in ${files(config, env)}.`,
    {
      hint: known.length
        ? `Known profiles: ${known.slice(0, 10).join(', ')}${known.length > 10 ? ', ...' : ''}. Or create it: aws configure --profile ${profile}`
        : `No profiles are configured. Create one: aws configure --profile ${profile}`,
      details: { profile, configFile: config.configFile.path, credentialsFile: config.credentialsFile.path },
    },
  );
}
