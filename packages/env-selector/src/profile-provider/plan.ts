import { CredkitError } from '@credkit/temp-creds/errors';
import { describeNameSuggestions, suggestNames } from '../select/suggest.js';
import type { ConfigProperty, ConfigSection, SharedConfig } from '../shared-config/types.js';
import { ProfileErrorCode as C } from './codes.js';
import {
  assumesRole,
  chooseSource,
  hasStaticKeys,
  type ProfileKind,
  type SourceChoice,
  type SourceProblem,
  setting,
} from './source.js';
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
  /** The file of the setting that decides the requested profile's source (what its description names). */
  file: string;
  base: BasePlan;
  hops: HopPlan[];
  /** Requested profile first, then each source_profile followed. */
  chain: string[];
  /** What `profiles` lists for the requested profile. */
  kind: ProfileKind;
}

const prop = (s: ConfigSection, name: string): ConfigProperty | undefined => setting(s.properties, name);

type At = (p: { file: string; line: number }) => string;

/**
 * The one reading of a profile: which source it uses (chooseSource, the AWS CLI's precedence), then
 * each source_profile hop, checked the way botocore's AssumeRoleProvider checks them. A profile
 * reached through source_profile that holds keys (either half, in either file), or that does not
 * assume a role, is resolved by its own source: its role_arn is not followed. A profile may name
 * itself as source_profile only at the top of a chain and only with keys; any other revisit
 * (`A -> B -> A`, even when A holds keys) is a cycle. Every problem names the file and line.
 */
export function planProfile(config: SharedConfig, profile: string, env: Env): ProfilePlan {
  const at: At = (p) => `${displayPath(p.file, env)}:${p.line}`;
  const section = config.profiles.get(profile);
  if (!section) throw notFound(config, profile, env);
  const hops: HopPlan[] = [];
  const chain = [profile];
  let current = section;
  let name = profile;
  let choice = chooseSource(section, config);
  // The file holding the setting that decides the source (keys in the credentials file, role_arn in
  // the config file), which is the file a source description names; the first header otherwise.
  const file = choice.setting?.file ?? section.definedIn[0]?.file ?? config.configFile.path;
  while (choice.kind === 'assume-role' || choice.kind === 'credential-source') {
    const roleArn = choice.setting!;
    const sourceProfile = prop(current, 'source_profile');
    const credentialSource = prop(current, 'credential_source');
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
      return { profile, file, base, hops, chain, kind: kindOf(hops, base) };
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
    if (seen !== -1 && (next !== name || !hasStaticKeys(nextSection))) {
      const cycle = [...chain.slice(seen), next];
      throw new CredkitError(
        C.SOURCE_PROFILE_CYCLE,
        `Profile "${profile}" cannot be resolved: source_profile forms a cycle ${cycle.join(' -> ')} (${at(sourceProfile!)}).`,
        {
          hint:
            next === name
              ? `Profile "${name}" names itself as source_profile, which needs its own aws_access_key_id and aws_secret_access_key.`
              : `Break the cycle: a profile may be its own source only at the top of a chain. Give one of ${cycle
                  .slice(0, -1)
                  .map((p) => `"${p}"`)
                  .join(', ')} another source_profile with credentials (keys, credential_process or SSO).`,
          details: { profile, cycle, file: sourceProfile!.file, line: sourceProfile!.line },
        },
      );
    }
    chain.push(next);
    current = nextSection;
    name = next;
    const asSource = hasStaticKeys(nextSection) || !assumesRole(nextSection);
    choice = chooseSource(nextSection, config, asSource);
    if (asSource && choice.problem?.code === 'PROFILE_UNSUPPORTED') {
      throw new CredkitError(
        C.PROFILE_UNSUPPORTED,
        `Profile "${chain[chain.length - 2]}" has source_profile = ${next} (${at(sourceProfile!)}), but profile "${next}" (${nextSection.definedIn.map(at).join(', ')}) has no credentials.`,
        {
          hint: `Give profile "${next}" credentials (aws configure --profile ${next}), or point source_profile at a profile that has some.`,
          details: { profile: next, file: sourceProfile!.file, line: sourceProfile!.line },
        },
      );
    }
  }
  if (choice.problem) throw problemError(name, choice.problem, at, current);
  const base = baseOf(current, name, choice, at, config);
  return { profile, file, base, hops, chain, kind: kindOf(hops, base) };
}

/** The kind `profiles` lists: the top of the chain, so listing and resolution can never disagree. */
function kindOf(hops: HopPlan[], base: BasePlan): ProfileKind {
  if (hops.length > 0)
    return base.kind === 'credential-source' && hops.length === 1 ? 'credential-source' : 'assume-role';
  if (base.kind === 'static') return base.sessionToken ? 'session' : 'static';
  return base.kind === 'credential-source' ? 'credential-source' : base.kind;
}

function problemError(name: string, problem: SourceProblem, at: At, section: ConfigSection): CredkitError {
  const message =
    problem.code === 'PROFILE_UNSUPPORTED'
      ? `Profile "${name}" (${section.definedIn.map(at).join(', ')}) has no credentials: no aws_access_key_id, role_arn, credential_process, SSO settings or web_identity_token_file.`
      : `Profile "${name}" cannot give credentials: ${problem.reason} (${at(problem.at)}).`;
  return new CredkitError(problem.code, message, {
    hint: problem.hint,
    details: { profile: name, file: problem.at.file, line: problem.at.line },
  });
}

function hopOf(s: ConfigSection, name: string, roleArn: ConfigProperty, at: At): HopPlan {
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

/** The base credentials of a profile whose chosen source is not a role. */
function baseOf(
  s: ConfigSection,
  name: string,
  choice: SourceChoice,
  at: At,
  config: SharedConfig,
): BasePlan {
  const v = (k: string) => prop(s, k)?.value.trim();
  const location = at(choice.setting!);
  switch (choice.kind) {
    case 'static':
    case 'session': {
      const { id, secret, token } = choice.keys!;
      const accountId = v('aws_account_id');
      return {
        kind: 'static',
        profile: name,
        accessKeyId: id.value.trim(),
        secretAccessKey: secret.value.trim(),
        ...(token && { sessionToken: token.value.trim() }),
        ...(accountId && { accountId }),
        location,
      };
    }
    case 'web-identity': {
      const sessionName = v('role_session_name');
      return {
        kind: 'web-identity',
        profile: name,
        location,
        roleArn: v('role_arn')!,
        tokenFile: v('web_identity_token_file')!,
        ...(sessionName && { sessionName }),
      };
    }
    case 'process': {
      const accountId = v('aws_account_id');
      return {
        kind: 'process',
        profile: name,
        command: v('credential_process')!,
        location,
        ...(accountId && { accountId }),
      };
    }
    case 'sso': {
      const session = v('sso_session');
      const fromSession = (k: string) =>
        (session &&
          config.ssoSessions.get(session) &&
          prop(config.ssoSessions.get(session)!, k)?.value.trim()) ||
        v(k);
      return {
        kind: 'sso',
        profile: name,
        location,
        ...(session && { session }),
        startUrl: fromSession('sso_start_url')!,
        region: fromSession('sso_region')!,
        accountId: v('sso_account_id')!,
        roleName: v('sso_role_name')!,
      };
    }
    default:
      // chooseSource answers a role or a problem before this point.
      throw new CredkitError(C.PROFILE_UNSUPPORTED, `Profile "${name}" (${location}) has no credentials.`, {
        details: { profile: name },
      });
  }
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
        ? `${describeNameSuggestions(profile, known)} Or create it: aws configure --profile ${profile}`
        : `No profiles are configured. Create one: aws configure --profile ${profile}`,
      details: {
        profile,
        configFile: config.configFile.path,
        credentialsFile: config.credentialsFile.path,
        suggestions: suggestNames(profile, known).similar,
      },
    },
  );
}
