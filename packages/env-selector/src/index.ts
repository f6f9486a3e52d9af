export * from './profile-provider/index.js';
export { classifyProfile, type ProfileClassification } from './profiles/kind.js';
export {
  describeProfiles,
  type ListedProfile,
  type ListedProperty,
  type ListProfilesOptions,
  listProfiles,
  type ProfileListing,
} from './profiles/list.js';
export { displayValue, isSecretProperty } from './profiles/mask.js';
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
export { isValidRegionName, KNOWN_REGIONS } from './select/regions.js';
export {
  type EnvironmentCredentialsChoice,
  type EnvironmentCredentialsSelection,
  type SelectEnvironmentCredentialsOptions,
  selectEnvironmentCredentials,
} from './select/select.js';
export {
  buildSharedConfig,
  type ConfigFileInfo,
  type ConfigProperty,
  type ConfigSection,
  type Diagnostic,
  type LoadSharedConfigOptions,
  loadSharedConfig,
  parseConfigFile,
  resolveConfigLocations,
  type SharedConfig,
  type SourceLocation,
} from './shared-config/index.js';
