import { basename } from 'node:path';
import { CredkitError } from '@credkit/temp-creds/errors';

export { resolveStoreDir } from '../paths.js';
export { FileMetadataStore, parseRecord } from './file-store.js';
export { withLock } from './lock.js';
export { openStore, openStoreOf, storeKind } from './open.js';
export { findEnvironment, profileSource, recordedProfile } from './records.js';
export {
  APP_NAME,
  type AppListing,
  type AppMeta,
  type AppPin,
  type AppRecord,
  byName,
  compareNames,
  type EnvironmentRecord,
  emptyApp,
  type ListingProblem,
  type MetadataStore,
  SCHEMA_VERSION,
  STORE_KINDS,
  type StoreKind,
  type StoreListing,
} from './types.js';

import { APP_NAME } from './types.js';

type Env = Record<string, string | undefined>;

/** `--app`, else `CREDKIT_APP`, else the current directory's name (like a workspace). */
export function resolveAppName(flag: string | undefined, env: Env, cwd: string): string {
  const [value, origin] =
    flag !== undefined
      ? [flag, '--app']
      : env.CREDKIT_APP
        ? [env.CREDKIT_APP, 'CREDKIT_APP']
        : [basename(cwd), 'the current directory name'];
  if (!APP_NAME.test(value) || value.endsWith('.json')) {
    throw new CredkitError('INVALID_APP_NAME', `Invalid application name "${value}" (from ${origin}).`, {
      hint: 'Use letters, digits, ".", "_" and "-" (at most 63, starting with a letter or digit): pass --app NAME or set CREDKIT_APP.',
      exitCode: 2,
      details: { app: value },
    });
  }
  return value;
}

export function validateEnvName(name: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_-]{0,62}$/.test(name)) {
    throw new CredkitError('INVALID_ENV_NAME', `Invalid environment name "${name}".`, {
      hint: 'Start with a letter; use letters, digits, "_" and "-" (at most 63), e.g. --name prod-iad.',
      exitCode: 2,
      details: { name },
    });
  }
  return name;
}
