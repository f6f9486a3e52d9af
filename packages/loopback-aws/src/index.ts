export type { ContainerCredentialsOptions } from './container.js';
export type { FaultHandle, FaultKind, FaultOptions, FaultSpec, LoopbackService } from './faults.js';
export {
  type AwsHome,
  type AwsHomeOptions,
  createAwsHome,
  dedent,
  type SsoCacheEntry,
  tempAwsHomes,
} from './home.js';
export type { InstanceRoleOptions } from './imds.js';
export { leaksNone } from './leaks.js';
export type { AccessKeys, MfaDevice, Partition, SessionCredentials, WebIdentityTrust } from './principals.js';
export { addSampleCast } from './sample.js';
export {
  type LoopbackAws,
  type LoopbackAwsOptions,
  type LoopbackEnv,
  type LoopbackRequest,
  startLoopbackAws,
} from './server.js';
export type { SsoAccess, SsoRefreshGrant } from './sso.js';
