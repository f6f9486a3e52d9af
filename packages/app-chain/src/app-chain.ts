import type { AwsIdentityProperties } from '@aws-sdk/types';
import type { CredentialSourceInfo, ResolvedCredentials } from '@credkit/env-selector';
import type { CredkitError } from '@credkit/temp-creds/errors';
import { cached } from './cache.js';
import { type LinkReport, runChain } from './chain.js';
import { type AppChainOptions, type AppChainWarning, warner } from './options.js';

/** Assignable to `AwsCredentialIdentityProvider`; resolves to credentials carrying `source`. */
export type AppChainProvider = (
  props?: AwsIdentityProperties & { forceRefresh?: boolean },
) => Promise<ResolvedCredentials>;

/**
 * The application's credentials: an explicit `profile`, then AWS_PROFILE, then the env key pair,
 * then the [default] profile, then web identity, container and instance metadata. Drop-in for
 * `fromNodeProviderChain()` as the `credentials` of any AWS SDK v3 client.
 */
export function fromAppChain(options: AppChainOptions = {}): AppChainProvider {
  const warn = warner(options);
  const resolve = async () => {
    const run = await runChain(options, warn);
    if (run.error) throw run.error;
    return run.credentials!;
  };
  return cached(resolve, {
    warn,
    ...(options.refreshWindowMs !== undefined && { refreshWindowMs: options.refreshWindowMs }),
    ...(options.now && { now: options.now }),
  });
}

export interface AppChainExplanation {
  /** True when a link produced credentials. */
  resolved: boolean;
  source?: CredentialSourceInfo;
  /** Every link in order: resolved (with its source), skipped (with the reason) or failed (with the error). */
  links: LinkReport[];
  error?: CredkitError;
  warnings: AppChainWarning[];
  /** The credentials themselves; non-enumerable so printing the explanation never shows them. */
  readonly credentials?: ResolvedCredentials;
}

/** Resolves once, never throws for resolution failures, and returns the trail for `credkit app explain`. */
export async function explainAppChain(options: AppChainOptions = {}): Promise<AppChainExplanation> {
  const warnings: AppChainWarning[] = [];
  const forward = options.onWarning;
  const warn = warner({
    onWarning: (w) => {
      warnings.push(w);
      forward?.(w);
    },
  });
  const run = await runChain(options, warn);
  const explanation: AppChainExplanation = {
    resolved: run.credentials !== undefined,
    ...(run.credentials?.source && { source: run.credentials.source }),
    links: run.links,
    ...(run.error && { error: run.error }),
    warnings,
  };
  if (run.credentials)
    Object.defineProperty(explanation, 'credentials', { value: run.credentials, enumerable: false });
  return explanation;
}
