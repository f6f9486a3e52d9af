import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import {
  fromTemporaryCredentials,
  parseTemporaryCredentials,
  promptTemporaryCredentials,
} from '@credkit/temp-creds';
import { type Clock, CredkitError } from '@credkit/temp-creds/errors';
import { isInteractive, type Prompter } from '@credkit/temp-creds/prompter';
import { type FromProfileOptions, fromProfile } from '../profile-provider/from-profile.js';
import { notFound } from '../profile-provider/plan.js';
import { displayPath } from '../profile-provider/types.js';
import { describeProfiles, type ListedProfile, type ProfileListing } from '../profiles/list.js';
import { reuseOrLoadSharedConfig } from '../shared-config/load.js';
import { ENV_CREDENTIAL_FLAGS, type EnvironmentCredentialFlags, interpretCredentialFlags } from './flags.js';

type Env = Record<string, string | undefined>;

/** The file locations and, for a chosen profile, what `fromProfile` gets. */
type ProfileSettings = Pick<
  FromProfileOptions,
  | 'configFile'
  | 'credentialsFile'
  | 'homedir'
  | 'sharedConfig'
  | 'mfaCodeProvider'
  | 'clientConfig'
  | 'processTimeoutMs'
>;

export interface SelectEnvironmentCredentialsOptions extends ProfileSettings {
  /** The environment being created, e.g. `prod-iad` (shown in the question). */
  envName: string;
  flags?: EnvironmentCredentialFlags;
  /** The prompt seam; without one nothing is asked. */
  prompter?: Prompter;
  /** Whether a person can answer. Default: `isInteractive({ stdin, env })`. */
  interactive?: boolean;
  /** Decides `interactive` when it is not given. Default: process.stdin. */
  stdin?: { isTTY?: boolean | undefined };
  /** Locates the shared files. Default: process.env. Its AWS_PROFILE and key pair are never used. */
  env?: Env;
  /** Clock for expiry checks of temporary credentials (tests). */
  now?: Clock;
}

export type EnvironmentCredentialsChoice =
  | { kind: 'profile'; profile: string }
  | { kind: 'temporary'; via: 'flags' | 'prompt' };

export interface EnvironmentCredentialsSelection {
  choice: EnvironmentCredentialsChoice;
  /** Resolves the chosen credentials only (never the default chain). */
  provider: AwsCredentialIdentityProvider;
  /** The chosen profile as listed (kind, region, where it is defined). */
  profile?: ListedProfile;
}

// The application's credentials live here; an environment must never pick them up by accident.
const APPLICATION_ENV = [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
];

const TEMPORARY = 'Enter temporary credentials';

/**
 * Decides which credentials create (or delete) one environment: from flags, else by asking, else a
 * NOT_INTERACTIVE error naming the flags. The default provider chain is never consulted.
 */
export async function selectEnvironmentCredentials(
  options: SelectEnvironmentCredentialsOptions,
): Promise<EnvironmentCredentialsSelection> {
  const env = options.env ?? process.env;
  const fromFlags = interpretCredentialFlags(options.flags);

  if (fromFlags.kind === 'keys') {
    // temp-creds validates each field and names the flag at fault, never echoing a secret.
    const { kind: _, ...keys } = fromFlags;
    const credentials = parseTemporaryCredentials(keys, {
      source: 'flags',
      ...(options.now ? { now: options.now } : {}),
    });
    return { choice: { kind: 'temporary', via: 'flags' }, provider: fromTemporaryCredentials(credentials) };
  }
  if (fromFlags.kind === 'profile') {
    const listing = describeProfiles(await reuseOrLoadSharedConfig({ ...options, env }), env);
    return useProfile(findProfile(listing, fromFlags.profile, env), listing, options, env);
  }

  const interactive = options.interactive ?? isInteractive({ stdin: options.stdin ?? process.stdin, env });
  if (!interactive || options.prompter === undefined) {
    const f = ENV_CREDENTIAL_FLAGS;
    throw new CredkitError(
      'NOT_INTERACTIVE',
      `No credentials were given for ${options.envName} and no one can be asked (no terminal, or CI is set).`,
      {
        exitCode: 2,
        hint: `Pass ${f.profile} NAME, or ${f.accessKeyId} with ${f.secretAccessKey} (and ${f.sessionToken}), or ${f.credentialsStdin} to read temporary credentials from standard input.`,
        details: { flags: [f.profile, f.accessKeyId, f.secretAccessKey, f.sessionToken, f.credentialsStdin] },
      },
    );
  }

  const listing = describeProfiles(await reuseOrLoadSharedConfig({ ...options, env }), env);
  const picked = await options.prompter.select<ListedProfile | null>({
    message: `Which credentials would you like to use to create ${options.envName}?`,
    help: helpText(options.envName, listing, env),
    filter: listing.profiles.length >= 10,
    choices: [
      {
        name: TEMPORARY,
        value: null,
        description: 'Paste or type an access key pair and session token; nothing is saved to disk',
      },
      ...listing.profiles.map((profile) => ({
        name: `[profile ${profile.name}]`,
        value: profile,
        description: describeChoice(profile),
      })),
    ],
  });
  if (picked === null) {
    const credentials = await promptTemporaryCredentials({
      prompter: options.prompter,
      ...(options.now ? { now: options.now } : {}),
    });
    return { choice: { kind: 'temporary', via: 'prompt' }, provider: fromTemporaryCredentials(credentials) };
  }
  return useProfile(picked, listing, options, env);
}

function findProfile(listing: ProfileListing, name: string, env: Env): ListedProfile {
  const found = listing.profiles.find((p) => p.name === name);
  if (found !== undefined) return found;
  // The same words as resolving an unknown profile anywhere else (export, exec, the app chain).
  const missing = notFound(listing.sharedConfig, name, env);
  // A section that would have been this profile, written the way the standard ignores.
  const misspelt = listing.diagnostics.find(
    (d) =>
      d.profile === name && (d.code === 'CONFIG_SECTION_IGNORED' || d.code === 'CREDENTIALS_SECTION_IGNORED'),
  );
  throw new CredkitError(
    'PROFILE_NOT_FOUND',
    missing.message.replace(`Profile "${name}"`, `Profile "${name}" (${ENV_CREDENTIAL_FLAGS.profile})`),
    {
      exitCode: 1,
      hint: misspelt
        ? `${displayPath(misspelt.file, env)}:${misspelt.line}: ${misspelt.message}.`
        : (missing.hint ?? ''),
      details: missing.details ?? {},
    },
  );
}

function useProfile(
  profile: ListedProfile,
  listing: ProfileListing,
  options: SelectEnvironmentCredentialsOptions,
  env: Env,
): EnvironmentCredentialsSelection {
  if (profile.kind === 'incomplete') {
    const at = profile.definedIn[0];
    throw new CredkitError(
      'PROFILE_INCOMPLETE',
      `Profile "${profile.name}"${at ? ` (${displayPath(at.file, env)}:${at.line})` : ''} cannot give credentials: ${profile.incompleteReason}.`,
      {
        hint: 'Complete the profile (keys, role_arn with a source, credential_process or SSO settings) or choose another one.',
        details: { profile: profile.name, ...(at ? { file: at.file, line: at.line } : {}) },
      },
    );
  }
  const provider = fromProfile({
    profile: profile.name,
    env: environmentEnv(env, profile),
    sharedConfig: listing.sharedConfig,
    ...(options.mfaCodeProvider === undefined ? {} : { mfaCodeProvider: options.mfaCodeProvider }),
    ...(options.clientConfig === undefined ? {} : { clientConfig: options.clientConfig }),
    ...(options.processTimeoutMs === undefined ? {} : { processTimeoutMs: options.processTimeoutMs }),
  });
  return { choice: { kind: 'profile', profile: profile.name }, provider, profile };
}

/**
 * The env record the chosen profile resolves with: the application's profile and key pair removed,
 * except that `credential_source = Environment` is the profile itself asking for the key pair.
 */
function environmentEnv(env: Env, profile: ListedProfile): Env {
  const copy: Env = { ...env };
  const source = profile.properties.find((p) => p.name === 'credential_source')?.value;
  const keep = profile.kind === 'credential-source' && source === 'Environment';
  for (const name of APPLICATION_ENV) {
    if (keep && name !== 'AWS_PROFILE' && name !== 'AWS_DEFAULT_PROFILE') continue;
    delete copy[name];
  }
  return copy;
}

function describeChoice(profile: ListedProfile): string {
  if (profile.kind === 'incomplete') return `incomplete: ${profile.incompleteReason}`;
  return profile.region === null ? profile.kind : `${profile.kind}, ${profile.region}`;
}

function helpText(envName: string, listing: ProfileListing, env: Env): string {
  const config = displayPath(listing.configFile.path, env);
  const purpose = `These credentials are used only to create or delete ${envName} in its own account and region; your application keeps its default credentials, so temporary credentials are fine here.`;
  if (listing.profiles.length > 0) return purpose;
  return `${purpose} No named profiles were found in ${config} or ${displayPath(listing.credentialsFile.path, env)}. To add one, run "aws configure --profile NAME" (or "aws configure sso"), or add a [profile NAME] section to ${config}. For now you can enter temporary credentials.`;
}
