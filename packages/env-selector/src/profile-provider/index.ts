export { ProfileErrorCode } from './codes.js';
export { Deadline } from './deadline.js';
export {
  DEFAULT_RESOLUTION_TIMEOUT_MS,
  type FromProfileOptions,
  fromProfile,
  type ProfileProvider,
  resolveProfile,
} from './from-profile.js';
export { fromWebIdentityTokenFile } from './lazy.js';
export { DEFAULT_PROCESS_TIMEOUT_MS, PROCESS_KILL_GRACE_MS, PROCESS_STDOUT_LIMIT } from './limits.js';
export { assertNotResolvingLoop, markResolving, RESOLVING_ENV, resolvingProfiles } from './loop.js';
export { type BasePlan, type HopPlan, type ProfilePlan, planProfile } from './plan.js';
export {
  type ProfileRegion,
  profileRegion,
  profileStsEndpoint,
  type SelectedProfile,
  selectProfile,
} from './region.js';
export {
  containerConfigured,
  DEFAULT_CONTAINER_TIMEOUT_MS,
  DEFAULT_IMDS_TIMEOUT_MS,
  envKeyPair,
  fromContainer,
  fromImds,
  imdsDisabled,
  imdsEndpoint,
} from './remote.js';
export { quietSdkNodeVersionWarning } from './sdk-warning.js';
export { chooseSource, type ProfileKind, type SourceChoice } from './source.js';
export { createStsClient, mapStsError, stsClientSettings } from './sts.js';
export {
  type CredentialSourceInfo,
  displayPath,
  type MfaCodeProvider,
  type ResolvedCredentials,
  type StsClientConfig,
  withSdkFeature,
  withSource,
} from './types.js';
