export * from './profile-provider/index.js';
export { isValidRegionName } from './profile-provider/region.js';
export {
  type ListedProfile,
  type ListedProperty,
  type ListProfilesOptions,
  listProfiles,
  type ProfileListing,
} from './profiles/list.js';
export {
  ENV_CREDENTIAL_FLAGS,
  type EnvironmentCredentialFlags,
  type FlagChoice,
  interpretCredentialFlags,
} from './select/flags.js';
export {
  type EnvironmentRegion,
  type ResolveEnvironmentRegionOptions,
  resolveEnvironmentRegion,
} from './select/region.js';
export { KNOWN_REGIONS } from './select/regions.js';
export {
  type EnvironmentCredentialsChoice,
  type EnvironmentCredentialsSelection,
  type SelectEnvironmentCredentialsOptions,
  selectEnvironmentCredentials,
} from './select/select.js';
// The parser and loader themselves are the `./shared-config` subpath; their types are part of this API.
export type {
  ConfigFileInfo,
  ConfigProperty,
  ConfigSection,
  Diagnostic,
  LoadSharedConfigOptions,
  SharedConfig,
  SourceLocation,
} from './shared-config/index.js';
