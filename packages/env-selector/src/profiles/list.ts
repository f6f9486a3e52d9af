import { looksLikeSecret, maskSecret } from '@credkit/temp-creds/errors';
import { type LoadSharedConfigOptions, reuseOrLoadSharedConfig } from '../shared-config/load.js';
import type { ConfigFileInfo, Diagnostic, SharedConfig, SourceLocation } from '../shared-config/types.js';
import { classifyProfile, type ProfileKind } from './kind.js';
import { displayValue, isSecretProperty } from './mask.js';

export interface ListedProperty {
  name: string;
  /** Masked (16 `*` then the last 4 characters) when `masked` is true. */
  value: string;
  masked: boolean;
  file: string;
  line: number;
  subProperties?: { name: string; value: string; masked: boolean; line: number }[];
}

export interface ListedProfile {
  name: string;
  kind: ProfileKind;
  /** Why an `incomplete` profile cannot give credentials. */
  incompleteReason?: string;
  region: string | null;
  /** Every header defining it: config file first, then credentials file. */
  definedIn: SourceLocation[];
  properties: ListedProperty[];
  /** Shared and frozen when empty: treat as read-only. */
  diagnostics: readonly Diagnostic[];
}

export interface ProfileListing {
  /** In `aws configure list-profiles` order: config file order, then credentials-only profiles. */
  profiles: ListedProfile[];
  configFile: ConfigFileInfo;
  credentialsFile: ConfigFileInfo;
  /** Every diagnostic, including those not tied to one profile; profile ones are also on the profile. */
  diagnostics: Diagnostic[];
  /**
   * The parsed files, for reuse (e.g. `fromProfile({ sharedConfig })`) without reading them again.
   * Non-enumerable: they hold unmasked secrets, so logging or serialising a listing never shows them.
   */
  readonly sharedConfig: SharedConfig;
}

export interface ListProfilesOptions extends LoadSharedConfigOptions {
  /** Already loaded files; when given nothing is read. */
  sharedConfig?: SharedConfig;
}

const NO_DIAGNOSTICS: readonly Diagnostic[] = Object.freeze([]);

/** Reads both shared files (or takes `sharedConfig`) and describes every named profile once. */
export async function listProfiles(options: ListProfilesOptions = {}): Promise<ProfileListing> {
  return describeProfiles(await reuseOrLoadSharedConfig(options), options.env ?? process.env);
}

/** `env` only shortens paths inside messages to `~/…`, as every other message shows them. */
export function describeProfiles(
  shared: SharedConfig,
  env?: Record<string, string | undefined>,
): ProfileListing {
  const byProfile = new Map<string, Diagnostic[]>();
  const diagnostics = [...shared.diagnostics];
  const attach = (diagnostic: Diagnostic) => {
    if (diagnostic.profile === undefined || !shared.profiles.has(diagnostic.profile)) return;
    const list = byProfile.get(diagnostic.profile);
    if (list === undefined) byProfile.set(diagnostic.profile, [diagnostic]);
    else list.push(diagnostic);
  };
  for (const diagnostic of shared.diagnostics) attach(diagnostic);

  const profiles: ListedProfile[] = [];
  for (const section of shared.profiles.values()) {
    const classification = classifyProfile(section, shared, env);
    for (const diagnostic of classification.diagnostics) {
      diagnostics.push(diagnostic);
      attach(diagnostic);
    }
    const properties: ListedProperty[] = [];
    for (const property of section.properties.values()) {
      // Any secret-shaped value is masked, whatever its property: a secret pasted into
      // aws_access_key_id (the fields swapped) must not be listed whole.
      const masked =
        property.value !== '' && (isSecretProperty(property.name) || looksLikeSecret(property.value));
      const listed: ListedProperty = {
        name: property.name,
        value: masked ? maskSecret(property.value) : property.value,
        masked,
        file: property.file,
        line: property.line,
      };
      if (property.subProperties !== undefined) {
        listed.subProperties = [...property.subProperties].map(([name, sub]) => ({
          name,
          ...displayValue(name, sub.value),
          line: sub.line,
        }));
      }
      properties.push(listed);
    }
    const region = section.properties.get('region')?.value;
    profiles.push({
      name: section.name,
      kind: classification.kind,
      ...(classification.reason === undefined ? {} : { incompleteReason: classification.reason }),
      region:
        region === undefined || region === '' ? null : looksLikeSecret(region) ? maskSecret(region) : region,
      definedIn: section.definedIn,
      properties,
      diagnostics: byProfile.get(section.name) ?? NO_DIAGNOSTICS,
    });
  }
  const listing = {
    profiles,
    configFile: shared.configFile,
    credentialsFile: shared.credentialsFile,
    diagnostics,
  } as ProfileListing;
  // The parsed files hold the raw secrets: keep them out of JSON.stringify and console.log.
  Object.defineProperty(listing, 'sharedConfig', { value: shared, enumerable: false });
  return listing;
}
