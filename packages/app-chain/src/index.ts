export { type CredentialSourceInfo, ProfileErrorCode, type ResolvedCredentials } from '@credkit/env-selector';
export { assertNotResolvingLoop, quietSdkNodeVersionWarning } from '@credkit/env-selector/providers';
export {
  type AppChainExplanation,
  type AppChainProvider,
  explainAppChain,
  fromAppChain,
} from './app-chain.js';
export { DEFAULT_REFRESH_WINDOW_MS } from './cache.js';
export { DEFAULT_TIMEOUT_MS, type LinkName, type LinkReport } from './chain.js';
export { AppChainErrorCode } from './codes.js';
export type { AppChainOptions, AppChainWarning } from './options.js';
export { type AppRegion, type AppRegionOptions, resolveAppRegion } from './region.js';
export { isRootIdentity } from './root.js';
export { type AppIdentity, ROOT_ARN, type VerifyOptions, verifyAppIdentity } from './verify.js';
