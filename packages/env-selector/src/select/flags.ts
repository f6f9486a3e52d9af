import { CredkitError } from '@credkit/temp-creds/errors';

/** The CLI's flag names, so library errors and `credkit --help` always agree. */
export const ENV_CREDENTIAL_FLAGS = {
  profile: '--profile',
  accessKeyId: '--aws-access-key-id',
  secretAccessKey: '--aws-secret-access-key',
  sessionToken: '--aws-session-token',
  credentialsStdin: '--credentials-stdin',
  region: '--region',
} as const;

export interface EnvironmentCredentialFlags {
  profile?: string | undefined;
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
  sessionToken?: string | undefined;
}

export type FlagChoice =
  | { kind: 'none' }
  | { kind: 'profile'; profile: string }
  | { kind: 'keys'; accessKeyId: string; secretAccessKey: string; sessionToken?: string };

const KEY_FLAGS = ['accessKeyId', 'secretAccessKey', 'sessionToken'] as const;

/**
 * Turns the flags into one choice or a usage error: a profile and a key flag conflict, and a key
 * flag without its partner is never silently ignored. Error messages hold flag names only.
 */
export function interpretCredentialFlags(flags: EnvironmentCredentialFlags = {}): FlagChoice {
  const givenKeys = KEY_FLAGS.filter((key) => flags[key] !== undefined);
  if (flags.profile !== undefined) {
    if (givenKeys.length > 0) {
      const names = givenKeys.map((key) => ENV_CREDENTIAL_FLAGS[key]);
      throw new CredkitError(
        'FLAG_CONFLICT',
        `${ENV_CREDENTIAL_FLAGS.profile} cannot be combined with ${names.join(', ')}: choose a profile or keys, not both.`,
        {
          exitCode: 2,
          hint: `Pass either ${ENV_CREDENTIAL_FLAGS.profile} NAME, or ${ENV_CREDENTIAL_FLAGS.accessKeyId} and ${ENV_CREDENTIAL_FLAGS.secretAccessKey} (plus ${ENV_CREDENTIAL_FLAGS.sessionToken} for temporary keys).`,
          details: { flags: [ENV_CREDENTIAL_FLAGS.profile, ...names] },
        },
      );
    }
    if (flags.profile.trim() === '') {
      throw new CredkitError('MISSING_FLAG', `${ENV_CREDENTIAL_FLAGS.profile} needs a profile name.`, {
        exitCode: 2,
        hint: 'Run `credkit profiles` to see the profiles you can use.',
        details: { flag: ENV_CREDENTIAL_FLAGS.profile },
      });
    }
    return { kind: 'profile', profile: flags.profile };
  }
  if (givenKeys.length === 0) return { kind: 'none' };
  const missing = (['accessKeyId', 'secretAccessKey'] as const).filter((key) => blank(flags[key]));
  if (missing.length > 0) {
    const names = missing.map((key) => ENV_CREDENTIAL_FLAGS[key]);
    const given = givenKeys.filter((key) => !blank(flags[key])).map((key) => ENV_CREDENTIAL_FLAGS[key]);
    throw new CredkitError(
      'MISSING_FLAG',
      `${names.join(' and ')} ${names.length > 1 ? 'are' : 'is'} missing${given.length > 0 ? ` (${given.join(' and ')} was given)` : ''}: keys need both ${ENV_CREDENTIAL_FLAGS.accessKeyId} and ${ENV_CREDENTIAL_FLAGS.secretAccessKey}.`,
      {
        exitCode: 2,
        hint: `Add ${names.join(' and ')}, or use ${ENV_CREDENTIAL_FLAGS.profile} NAME instead.`,
        details: { missing: names },
      },
    );
  }
  return {
    kind: 'keys',
    accessKeyId: flags.accessKeyId!,
    secretAccessKey: flags.secretAccessKey!,
    ...(blank(flags.sessionToken) ? {} : { sessionToken: flags.sessionToken! }),
  };
}

function blank(value: string | undefined): boolean {
  return value === undefined || value.trim() === '';
}
