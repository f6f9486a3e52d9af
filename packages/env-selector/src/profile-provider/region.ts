import type { SharedConfig } from '../shared-config/types.js';

type Env = Record<string, string | undefined>;

export interface SelectedProfile {
  name: string;
  /** What named it: the caller's option, a variable, or nothing (the implicit `default`). */
  from: 'option' | 'AWS_PROFILE' | 'AWS_DEFAULT_PROFILE' | 'default';
}

const set = (v: string | undefined) => (v !== undefined && v.trim() !== '' ? v.trim() : undefined);

/** The profile the AWS CLI would use: an explicit one, then AWS_PROFILE, then AWS_DEFAULT_PROFILE, then `default`. */
export function selectProfile(env: Env, option?: string): SelectedProfile {
  const named = set(option);
  if (named) return { name: named, from: 'option' };
  const fromProfile = set(env.AWS_PROFILE);
  if (fromProfile) return { name: fromProfile, from: 'AWS_PROFILE' };
  const fromDefault = set(env.AWS_DEFAULT_PROFILE);
  if (fromDefault) return { name: fromDefault, from: 'AWS_DEFAULT_PROFILE' };
  return { name: 'default', from: 'default' };
}

export interface ProfileRegion {
  region: string;
  from: 'AWS_REGION' | 'AWS_DEFAULT_REGION' | 'profile';
  profile?: string;
  file?: string;
  line?: number;
}

/**
 * The one region precedence for credentials read from a profile: AWS_REGION, AWS_DEFAULT_REGION,
 * then the profile's `region` (the AWS CLI's and SDKs' order). The application chain and
 * `export`/`exec --profile` both use it; undefined when none is set. Not validated here.
 */
export function profileRegion(env: Env, config: SharedConfig, profile: string): ProfileRegion | undefined {
  for (const name of ['AWS_REGION', 'AWS_DEFAULT_REGION'] as const) {
    const value = set(env[name]);
    if (value) return { region: value, from: name };
  }
  const prop = config.profiles.get(profile)?.properties.get('region');
  const value = set(prop?.value);
  if (prop === undefined || value === undefined) return undefined;
  return { region: value, from: 'profile', profile, file: prop.file, line: prop.line };
}

/**
 * The STS endpoint a profile configures: `endpoint_url` under `sts` in its `[services NAME]`
 * section, else its own `endpoint_url`. AWS_ENDPOINT_URL_STS and AWS_ENDPOINT_URL still win
 * (stsClientSettings checks them first), as in the SDKs' endpoint precedence.
 */
export function profileStsEndpoint(config: SharedConfig, profile: string): string | undefined {
  const section = config.profiles.get(profile);
  if (section === undefined) return undefined;
  const services = set(section.properties.get('services')?.value);
  const sts = services ? config.services.get(services)?.properties.get('sts') : undefined;
  return (
    set(sts?.subProperties?.get('endpoint_url')?.value) ?? set(section.properties.get('endpoint_url')?.value)
  );
}

// Partition shapes of the SDK's partition data (aws, aws-cn, aws-us-gov, iso*, eusc); anchored,
// no nested quantifiers, and the length is capped first, so it cannot backtrack.
const REGION_NAME = /^(?:[a-z]{2}(?:-gov|-iso[a-z]?)?|eusc-[a-z]{2})-[a-z]+-\d{1,2}$/;

/** True for a well-formed AWS region name such as `eu-west-3` or `us-gov-west-1`. */
export function isValidRegionName(name: string): boolean {
  return name.length <= 32 && REGION_NAME.test(name);
}
