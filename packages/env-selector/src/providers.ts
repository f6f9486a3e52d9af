/**
 * `@credkit/env-selector/providers`: the building blocks that @credkit/app-chain and the CLI reuse
 * (credential sources outside profiles, STS settings, the plan's source choice, loop guard, output
 * helpers). Not part of the documented root API: they may change with those siblings.
 */

export {
  containerConfigured,
  containerEndpoint,
  DEFAULT_CONTAINER_TIMEOUT_MS,
  resolveContainerCredentials,
} from './profile-provider/container.js';
export { Deadline } from './profile-provider/deadline.js';
export { resolveWebIdentityTokenFile } from './profile-provider/lazy.js';
export { PROCESS_KILL_GRACE_MS, PROCESS_STDOUT_LIMIT } from './profile-provider/limits.js';
export {
  assertNotResolvingLoop,
  markResolving,
  RESOLVING_ENV,
  resolvingProfiles,
} from './profile-provider/loop.js';
export { notFound as profileNotFound, planProfile } from './profile-provider/plan.js';
export { profileStsEndpoint } from './profile-provider/region.js';
export {
  DEFAULT_IMDS_TIMEOUT_MS,
  envKeyPair,
  imdsDisabled,
  imdsEndpoint,
  imdsV1Disabled,
  metadataTimeoutMs,
  type ProfileTimeoutSetting,
  profileMetadataSettings,
  resolveImdsCredentials,
  usedImdsV1,
} from './profile-provider/remote.js';
export {
  NETWORK_ERROR_CODES,
  THROTTLING_ERRORS,
  TRANSIENT_ERRORS,
  TRANSIENT_STATUS,
} from './profile-provider/retry-classes.js';
export { quietSdkNodeVersionWarning } from './profile-provider/sdk-warning.js';
export {
  chooseSource,
  type ShadowedSetting,
  type SourceChoice,
  type SourceProblem,
} from './profile-provider/source.js';
export { createStsClient, mapStsError, stsClientSettings } from './profile-provider/sts.js';
export {
  ALLOW_INSECURE_ENDPOINTS_ENV,
  assertSecureEndpoint,
  INSECURE_ENDPOINT,
  isTrustedPlainHttpHost,
} from './profile-provider/transport.js';
export { displayPath, withSdkFeature, withSource } from './profile-provider/types.js';
export { classifyProfile, type ProfileClassification } from './profiles/kind.js';
export { displayValue, isSecretProperty } from './profiles/mask.js';
export { editDistance } from './select/suggest.js';
