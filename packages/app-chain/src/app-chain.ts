import type { AwsIdentityProperties } from '@aws-sdk/types';
import type { CredentialSourceInfo, Diagnostic, ResolvedCredentials } from '@credkit/env-selector';
import { classifyProfile } from '@credkit/env-selector/providers';
import { reuseOrLoadSharedConfig } from '@credkit/env-selector/shared-config';
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
  /**
   * What the profile plan notes about the profiles the chain used or stopped at: shadowed settings
   * (file:line), incomplete settings, and lines the AWS SDK for JavaScript reads differently
   * (`SDK_JS_*`), which never stop credkit but matter to applications built on that SDK.
   */
  notes: Diagnostic[];
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
    notes: await notesFor(options, run.credentials?.source, run.error),
  };
  if (run.credentials)
    Object.defineProperty(explanation, 'credentials', { value: run.credentials, enumerable: false });
  return explanation;
}

/** The plan's notes on the profiles of the resolved chain, or on the profile that failed. */
async function notesFor(
  options: AppChainOptions,
  source: CredentialSourceInfo | undefined,
  error: CredkitError | undefined,
): Promise<Diagnostic[]> {
  const failed = (error?.details as { profile?: unknown } | undefined)?.profile;
  const profiles =
    source?.chain ?? (source?.profile ? [source.profile] : typeof failed === 'string' ? [failed] : []);
  if (profiles.length === 0) return [];
  let shared: Awaited<ReturnType<typeof reuseOrLoadSharedConfig>>;
  try {
    shared = await reuseOrLoadSharedConfig({
      env: options.env ?? process.env,
      ...(options.sharedConfig && { sharedConfig: options.sharedConfig }),
      ...(options.configFile !== undefined && { configFile: options.configFile }),
      ...(options.credentialsFile !== undefined && { credentialsFile: options.credentialsFile }),
    });
  } catch {
    return []; // the chain already reported why the files cannot be read
  }
  const notes: Diagnostic[] = [];
  for (const name of new Set(profiles)) {
    const section = shared.profiles.get(name);
    if (section === undefined) continue;
    notes.push(...shared.diagnostics.filter((d) => d.profile === name && d.code.startsWith('SDK_JS_')));
    notes.push(...classifyProfile(section, shared, options.env ?? process.env).diagnostics);
  }
  return notes;
}
