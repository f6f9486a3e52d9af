import { CredkitError } from '@credkit/temp-creds/errors';
import type { Prompter } from '@credkit/temp-creds/prompter';
import { isValidRegionName } from '../profile-provider/region.js';
import type { ListedProfile } from '../profiles/list.js';
import { ENV_CREDENTIAL_FLAGS } from './flags.js';
import { KNOWN_REGIONS } from './regions.js';

export interface ResolveEnvironmentRegionOptions {
  /** Value of `--region`. */
  flagRegion?: string | undefined;
  /** The profile chosen for the environment, if one was. */
  profile?: ListedProfile | null | undefined;
  prompter?: Prompter | undefined;
  /** Whether a person can answer a prompt (see `isInteractive`). */
  interactive: boolean;
  /** Used in the prompt, e.g. `prod-iad`. */
  envName?: string;
}

export interface EnvironmentRegion {
  region: string;
  from: 'flag' | 'profile' | 'prompt';
}

const OTHER = '\u0000other';

/**
 * The environment's region: `--region`, else the chosen profile's `region`, else (interactive) a
 * prompt offering the known regions and accepting any well-formed name, else REGION_REQUIRED.
 * The application's region (AWS_REGION, [default]) is never used for an environment.
 */
export async function resolveEnvironmentRegion(
  options: ResolveEnvironmentRegionOptions,
): Promise<EnvironmentRegion> {
  const flag = options.flagRegion?.trim();
  if (flag !== undefined && flag !== '') {
    if (!isValidRegionName(flag)) {
      throw new CredkitError(
        'INVALID_REGION',
        `${ENV_CREDENTIAL_FLAGS.region} "${flag}" is not a valid region name.`,
        {
          exitCode: 2,
          hint: 'Region names look like us-east-1, eu-west-3 or us-gov-west-1.',
          details: { flag: ENV_CREDENTIAL_FLAGS.region },
        },
      );
    }
    return { region: flag, from: 'flag' };
  }
  const profile = options.profile;
  if (profile?.region != null) {
    if (!isValidRegionName(profile.region)) {
      const property = profile.properties.find((p) => p.name === 'region');
      const where = property === undefined ? '' : ` (${property.file}:${property.line})`;
      throw new CredkitError(
        'INVALID_REGION',
        `The region of profile "${profile.name}"${where} is not a valid region name.`,
        {
          hint: `Fix the region line of the profile, or pass ${ENV_CREDENTIAL_FLAGS.region}.`,
          details: {
            profile: profile.name,
            ...(property ? { file: property.file, line: property.line } : {}),
          },
        },
      );
    }
    return { region: profile.region, from: 'profile' };
  }
  if (!options.interactive || options.prompter === undefined) {
    const why = profile ? `profile "${profile.name}" sets no region` : 'no profile was chosen';
    throw new CredkitError(
      'REGION_REQUIRED',
      `The environment needs a region and ${why}; pass ${ENV_CREDENTIAL_FLAGS.region}.`,
      {
        exitCode: 2,
        hint: `Pass ${ENV_CREDENTIAL_FLAGS.region} REGION (for example ${ENV_CREDENTIAL_FLAGS.region} us-east-1)${profile ? `, or add region = ... to profile "${profile.name}"` : ''}.`,
        details: { flag: ENV_CREDENTIAL_FLAGS.region },
      },
    );
  }
  const target = options.envName === undefined ? 'the environment' : options.envName;
  const picked = await options.prompter.select<string>({
    message: `Which region should ${target} be created in?`,
    // The footer says that typing filters; names like "frank" match the city beside eu-central-1.
    help: 'The environment lives in this region; your application keeps its own.',
    filter: true,
    choices: [
      ...KNOWN_REGIONS.map((r) => ({ name: r.name, value: r.name, description: r.description })),
      { name: 'Another region...', value: OTHER, description: 'Type a region name that is not listed' },
    ],
  });
  if (picked !== OTHER) return { region: picked, from: 'prompt' };
  const typed = await options.prompter.input({
    message: 'Region name:',
    help: 'For example us-east-1 or eu-west-3.',
    validate: (value) =>
      isValidRegionName(value.trim()) ? true : 'Not a valid region name (like us-east-1).',
  });
  const region = typed.trim();
  // The prompter runs `validate`, but a scripted one may not: check again rather than trust it.
  if (!isValidRegionName(region)) {
    throw new CredkitError('INVALID_REGION', `"${region}" is not a valid region name.`, {
      exitCode: 2,
      hint: 'Region names look like us-east-1, eu-west-3 or us-gov-west-1.',
    });
  }
  return { region, from: 'prompt' };
}
