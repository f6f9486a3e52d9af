import { isValidRegionName, profileRegion, selectProfile } from '@credkit/env-selector';
import { displayPath } from '@credkit/env-selector/providers';
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
 * profile (the `profile` option, else AWS_PROFILE, else AWS_DEFAULT_PROFILE, else `default`). Variables win over the file, as
 * in the AWS CLI and SDKs, so a one-off `AWS_REGION=... credkit ...` works without editing files.
 */
export async function resolveAppRegion(options: AppRegionOptions = {}): Promise<AppRegion> {
  const env = options.env ?? process.env;
  // The profile the chain reads: the option, else AWS_PROFILE, else AWS_DEFAULT_PROFILE, else default.
  const profile = selectProfile(env, options.profile).name;
  const fromVariable = profileRegion(env, EMPTY, profile);
  if (fromVariable) return { region: check(fromVariable.region, fromVariable.from), from: fromVariable.from };
  const config = await reuseOrLoadSharedConfig({ ...options, env });
  const found = profileRegion(env, config, profile);
  if (found?.file !== undefined && found.line !== undefined) {
    return {
      region: check(
        found.region,
        `region in profile "${profile}" (${displayPath(found.file, env)}:${found.line})`,
      ),
      from: 'profile',
      profile,
      file: found.file,
      line: found.line,
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

/** No files: the variables are checked before anything is read. */
const EMPTY: SharedConfig = {
  configFile: { path: '', exists: false },
  credentialsFile: { path: '', exists: false },
  profiles: new Map(),
  ssoSessions: new Map(),
  services: new Map(),
  diagnostics: [],
};

function check(region: string, where: string): string {
  // Same rule as environment regions, so `credkit` never accepts a region in one place and not the other.
  if (isValidRegionName(region)) return region;
  throw new CredkitError(C.REGION_INVALID, `${where} is "${region}", which is not a region name.`, {
    hint: 'Use a region code such as us-east-1 or eu-west-3.',
    details: { region },
  });
}
