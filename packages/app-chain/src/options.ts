import type { MfaCodeProvider, StsClientConfig } from '@credkit/env-selector';
import type { SessionCacheSetting } from '@credkit/env-selector/session-cache';
import type { SharedConfig } from '@credkit/env-selector/shared-config';
import type { Clock } from '@credkit/temp-creds/errors';

export interface AppChainWarning {
  /**
   * Stable: `AWS_PROFILE_OVERRIDES_ENV_KEYS`, `ENV_CREDENTIALS`, `REFRESH_FAILED`,
   * `FILE_PERMISSIONS_TOO_OPEN`, `SESSION_NOT_CACHED`.
   */
  code: string;
  message: string;
}

export interface AppChainOptions {
  /** Use this named profile (first link of the chain). */
  profile?: string;
  /** Environment record. Default: `process.env`. */
  env?: Record<string, string | undefined>;
  configFile?: string;
  credentialsFile?: string;
  /** Already-loaded shared config (from `loadSharedConfig`); read per resolution when absent. */
  sharedConfig?: SharedConfig;
  /** What to do when credentials come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY. Default 'warn'. */
  envCredentials?: 'warn' | 'allow' | 'refuse';
  mfaCodeProvider?: MfaCodeProvider;
  /**
   * Keep role and SSO sessions of profile links between runs (see `fromProfile`'s `sessionCache`):
   * `true` follows CREDKIT_SESSION_CACHE (default: the AWS CLI's ~/.aws/cli/cache). Default: off.
   */
  sessionCache?: SessionCacheSetting;
  /** Called once per distinct warning. Default: print `credkit: warning: ...` to stderr once. */
  onWarning?: (warning: AppChainWarning) => void;
  /** STS client settings (region, endpoint, maxAttempts) for role assumption and verification. */
  clientConfig?: StsClientConfig;
  /** Bound for a whole resolution, excluding time in mfaCodeProvider. Default 60 000 ms. */
  timeoutMs?: number;
  /** Bound for one credential_process. Default: env CREDKIT_PROCESS_TIMEOUT_MS, else 30 000 ms. */
  processTimeoutMs?: number;
  /**
   * Bound for the instance-metadata probe (all requests together). Default: AWS_METADATA_SERVICE_TIMEOUT,
   * else the profile's metadata_service_timeout (seconds, as in the AWS CLI), else 1 000 ms.
   */
  imdsTimeoutMs?: number;
  /** Credentials are refreshed this long before they expire. Default 5 minutes. */
  refreshWindowMs?: number;
  /** Clock (tests). Default `Date.now`. */
  now?: Clock;
}

/** Prints each distinct warning once to stderr, unless the caller handles warnings. */
export function warner(options: AppChainOptions): (w: AppChainWarning) => void {
  const seen = new Set<string>();
  const sink =
    options.onWarning ?? ((w: AppChainWarning) => process.stderr.write(`credkit: warning: ${w.message}\n`));
  return (w) => {
    if (seen.has(w.message)) return;
    seen.add(w.message);
    sink(w);
  };
}
