import type { ResolvedCredentials } from '@credkit/env-selector';
import type { Clock } from '@credkit/temp-creds/errors';
import type { AppChainWarning } from './options.js';

/** Credentials are refreshed this long before their expiration (the SDK's own window is 5 minutes too). */
export const DEFAULT_REFRESH_WINDOW_MS = 5 * 60_000;

export interface CacheOptions {
  refreshWindowMs?: number;
  now?: Clock;
  warn: (w: AppChainWarning) => void;
}

/**
 * A provider that shares one in-flight resolution between concurrent callers, reuses credentials
 * until `refreshWindowMs` before they expire, re-resolves on `forceRefresh`, and keeps still-valid
 * credentials when a refresh fails (with a warning) instead of failing the caller.
 */
export function cached(resolve: () => Promise<ResolvedCredentials>, options: CacheOptions) {
  const now = options.now ?? Date.now;
  const window = options.refreshWindowMs ?? DEFAULT_REFRESH_WINDOW_MS;
  let current: ResolvedCredentials | undefined;
  let inflight: Promise<ResolvedCredentials> | undefined;

  const fresh = (c: ResolvedCredentials) => !c.expiration || c.expiration.getTime() - now() > window;
  const stillValid = (c: ResolvedCredentials) => !c.expiration || c.expiration.getTime() > now();

  const start = (): Promise<ResolvedCredentials> => {
    const previous = current;
    const run = resolve().then(
      (c) => {
        current = c;
        return c;
      },
      (error: unknown) => {
        if (previous && stillValid(previous)) {
          const code = (error as { code?: string })?.code ?? 'ERROR';
          options.warn({
            code: 'REFRESH_FAILED',
            message: `Refreshing application credentials failed (${code}); still using the current ones${previous.expiration ? ` until ${previous.expiration.toISOString()}` : ''}.`,
          });
          return previous;
        }
        throw error;
      },
    );
    const shared = run.finally(() => {
      if (inflight === shared) inflight = undefined;
    });
    inflight = shared;
    return shared;
  };

  return (props: { forceRefresh?: boolean } | undefined = {}): Promise<ResolvedCredentials> => {
    if (props.forceRefresh) return start();
    if (current && fresh(current)) return Promise.resolve(current);
    return inflight ?? start();
  };
}
