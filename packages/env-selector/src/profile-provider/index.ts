export { ProfileErrorCode } from './codes.js';
export {
  type FromProfileOptions,
  fromProfile,
  type ProfileProvider,
  resolveProfile,
} from './from-profile.js';
export { type BasePlan, type HopPlan, type ProfilePlan, planProfile } from './plan.js';
export { type ProfileRegion, profileRegion, type SelectedProfile, selectProfile } from './region.js';
export type { ProfileKind } from './source.js';
export type {
  CredentialSourceInfo,
  MfaCodeProvider,
  ResolvedCredentials,
  StsClientConfig,
} from './types.js';
