export { cachedRoleSession, withRoleSessionCache, withSsoSessionCache } from './cached.js';
export {
  type RoleSessionArgs,
  roleSessionKey,
  type SessionTokenArgs,
  type SsoSessionArgs,
  sessionTokenKey,
  ssoSessionKey,
} from './keys.js';
export { clearSessions, listSessions, type SessionListing } from './list.js';
export { pythonJsonDumps } from './python-json.js';
export {
  DEFAULT_SESSION_TOKEN_SECONDS,
  resolveSessionToken,
  type SessionTokenRequest,
} from './session-token.js';
export {
  awsCliTimestamp,
  type CachedSession,
  parseExpiration,
  readSession,
  resolveSessionCache,
  SESSION_CACHE_ENV,
  SESSION_REFRESH_WINDOW_MS,
  type SessionCache,
  type SessionCacheMode,
  type SessionCacheSetting,
  writeSession,
} from './store.js';
