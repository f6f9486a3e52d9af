import { displayPath, isValidRegionName } from '@credkit/env-selector';
import { reuseOrLoadSharedConfig, type SharedConfig } from '@credkit/env-selector/shared-config';
import { CredkitError } from '@credkit/temp-creds/errors';
import { AppChainErrorCode as C } from './codes.js';

export interface AppRegionOptions {
  profile?: string;
  env?: Record<string, string | undefined>;
  configFile?: string;
  credentialsFile?: string;
  sharedConfig?: SharedConfig;
}

export interface AppRegion {
  region: string;
  /** Where it came from: `AWS_REGION`, `AWS_DEFAULT_REGION` or `profile`. */
  from: 'AWS_REGION' | 'AWS_DEFAULT_REGION' | 'profile';
  profile?: string;
  file?: string;
  line?: number;
}

/**
 * The application's region: AWS_REGION, then AWS_DEFAULT_REGION, then `region` of the selected
 * profile (the `profile` option, else AWS_PROFILE, else `default`). Variables win over the file, as
 * in the AWS CLI and SDKs, so a one-off `AWS_REGION=... credkit ...` works without editing files.
 */
export async function resolveAppRegion(options: AppRegionOptions = {}): Promise<AppRegion> {
  const env = options.env ?? process.env;
  for (const name of ['AWS_REGION', 'AWS_DEFAULT_REGION'] as const) {
    const value = env[name]?.trim();
    if (value) return { region: check(value, name), from: name };
  }
  const profile = options.profile?.trim() || env.AWS_PROFILE?.trim() || 'default';
  const config = await reuseOrLoadSharedConfig({ ...options, env });
  const prop = config.profiles.get(profile)?.properties.get('region');
  if (prop && prop.value.trim() !== '') {
    return {
      region: check(
        prop.value.trim(),
        `region in profile "${profile}" (${displayPath(prop.file, env)}:${prop.line})`,
      ),
      from: 'profile',
      profile,
      file: prop.file,
      line: prop.line,
    };
  }
  const file = displayPath(config.configFile.path, env);
  const header = profile === 'default' ? '[default]' : `[profile ${profile}]`;
  throw new CredkitError(
    C.REGION_MISSING,
    `No region for the application: AWS_REGION and AWS_DEFAULT_REGION are not set and profile "${profile}" has no region.`,
    {
      hint: `Add "region = us-east-1" (your region) under ${header} in ${file}, or export AWS_REGION=us-east-1.`,
      details: { profile, configFile: config.configFile.path },
    },
  );
}

function check(region: string, where: string): string {
  // Same rule as environment regions, so `credkit` never accepts a region in one place and not the other.
  if (isValidRegionName(region)) return region;
  throw new CredkitError(C.REGION_INVALID, `${where} is "${region}", which is not a region name.`, {
    hint: 'Use a region code such as us-east-1 or eu-west-3.',
    details: { region },
  });
}
