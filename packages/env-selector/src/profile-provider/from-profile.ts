import type { AwsIdentityProperties } from '@aws-sdk/types';
import { type Clock, CredkitError } from '@credkit/temp-creds/errors';
import { cachedRoleSession, withRoleSessionCache, withSsoSessionCache } from '../session-cache/cached.js';
import { resolveSessionCache, type SessionCache, type SessionCacheSetting } from '../session-cache/store.js';
import { reuseOrLoadSharedConfig } from '../shared-config/index.js';
import type { SharedConfig } from '../shared-config/types.js';
import { ProfileErrorCode as C } from './codes.js';
import {
  containerConfigured,
  DEFAULT_CONTAINER_TIMEOUT_MS,
  resolveContainerCredentials,
} from './container.js';
import { Deadline } from './deadline.js';
import { DEFAULT_PROCESS_TIMEOUT_MS } from './limits.js';
import { assertNotResolvingLoop, markResolving } from './loop.js';
import { type BasePlan, type ProfilePlan, planProfile } from './plan.js';
import { profileStsEndpoint } from './region.js';
import {
  DEFAULT_IMDS_TIMEOUT_MS,
  envKeyPair,
  imdsDisabled,
  metadataTimeoutMs,
  profileMetadataSettings,
  resolveImdsCredentials,
} from './remote.js';
import { assumeRole } from './sts.js';
import { assertConfiguredEndpointsSecure } from './transport.js';
import {
  type CredentialSourceInfo,
  displayPath,
  type MfaCodeProvider,
  type ResolvedCredentials,
  type StsClientConfig,
  withSdkFeature,
  withSource,
} from './types.js';

type Env = Record<string, string | undefined>;

export interface FromProfileOptions {
  /** The profile to resolve. Exactly this one: nothing else in a chain is tried if it fails. */
  profile: string;
  /** Environment record. Default: `process.env`. */
  env?: Env;
  configFile?: string;
  credentialsFile?: string;
  homedir?: string;
  /**
   * Already-loaded files; when absent they are read on every resolution (so edits are picked up).
   */
  sharedConfig?: SharedConfig;
  /** Asked for the current code of `mfa_serial` when a role in the chain requires MFA. */
  mfaCodeProvider?: MfaCodeProvider;
  /** STS (and SSO) client settings: region and endpoint. Default: from the profile and env. */
  clientConfig?: StsClientConfig;
  /** Bound for one credential_process run. Default: env CREDKIT_PROCESS_TIMEOUT_MS, else 30 000. */
  processTimeoutMs?: number;
  /** Bound for the whole resolution, not counting time spent in `mfaCodeProvider`. Default: 60 000. */
  timeoutMs?: number;
  /** Clock for expiry checks (tests). Default: `Date.now`. */
  now?: Clock;
  /**
   * Keep role and SSO sessions between runs, in the AWS CLI's cache format and place: `true` follows
   * CREDKIT_SESSION_CACHE in `env` (`aws`: ~/.aws/cli/cache, the default; `credkit`: CREDKIT_HOME/
   * sessions; `off`), `{ dir }` names the directory. Default: no cache (nothing is written).
   */
  sessionCache?: SessionCacheSetting;
  /** Told about problems that do not stop resolution (a session that could not be cached). */
  onWarning?: (message: string) => void;
}

export const DEFAULT_RESOLUTION_TIMEOUT_MS = 60_000;

/**
 * A credential provider for exactly one named profile: static keys, session tokens, role_arn chains
 * (source_profile of any length, credential_source, MFA, external_id, role_session_name,
 * duration_seconds), credential_process, SSO (sso_session and legacy) and web_identity_token_file.
 * The profile is read once into a plan (planProfile: the AWS CLI's precedence and loop rules), so a
 * broken profile fails with its own coded error naming the profile, file and line, never with
 * "Could not load credentials". The plan is then executed by credkit alone: the root (keys, process,
 * SSO, web identity, credential_source) and each role hop, every call bounded and on the injected env.
 */
export function fromProfile(options: FromProfileOptions): ProfileProvider {
  return () => resolveProfile(options);
}

/** Assignable to the SDK's `AwsCredentialIdentityProvider`; each call resolves afresh (SDK clients cache). */
export type ProfileProvider = (
  props?: AwsIdentityProperties & { forceRefresh?: boolean },
) => Promise<ResolvedCredentials>;

export async function resolveProfile(options: FromProfileOptions): Promise<ResolvedCredentials> {
  const env = options.env ?? process.env;
  const now = options.now ?? Date.now;
  assertNotResolvingLoop(options.profile, env);
  const config = await reuseOrLoadSharedConfig({ ...options, env });
  const plan = planProfile(config, options.profile, env);
  // The profile's own STS endpoint (services / endpoint_url) below the variables and the option.
  const endpoint =
    env.AWS_ENDPOINT_URL_STS || env.AWS_ENDPOINT_URL
      ? undefined
      : profileStsEndpoint(config, options.profile);
  const clientConfig: StsClientConfig | undefined = endpoint
    ? { endpoint, ...options.clientConfig }
    : options.clientConfig;
  const source = describePlan(plan, env);
  if (plan.hops.length === 0 && plan.base.kind === 'static') {
    // The fast path: no SDK module is loaded for plain keys (start-up time of `credkit export`).
    return withSource(staticCredentials(plan.base), source);
  }
  // Before any STS or SSO call: the SDK clients may take a plain-HTTP endpoint from the config.
  // Checked before the cache too, so a profile fails the same way whether or not a session is cached.
  assertConfiguredEndpointsSecure(config, env);
  // Session cache, first hook: a cached session of the requested role ends resolution here, before
  // any source credentials, MFA prompt or SDK module.
  const cache = openSessionCache(options, env, now);
  const outermost = plan.hops[plan.hops.length - 1];
  if (cache && outermost) {
    const hit = await cachedRoleSession(cache, outermost);
    // Said in the source, so `app whoami` and `app explain` show why no STS call was made.
    if (hit) return withSource(hit, { ...source, description: `${source.description}, cached session` });
  }
  const needsMfa = plan.hops.find((h) => h.mfaSerial);
  if (needsMfa && !options.mfaCodeProvider) {
    throw new CredkitError(
      C.MFA_REQUIRED,
      `Profile "${needsMfa.profile}" (${needsMfa.location}) requires an MFA code (mfa_serial = ${needsMfa.mfaSerial}), but no way to ask for one was given.`,
      {
        hint: 'Run credkit in a terminal so it can prompt for the code, or pass mfaCodeProvider.',
        details: { profile: needsMfa.profile, mfaSerial: needsMfa.mfaSerial },
      },
    );
  }
  const deadline = new Deadline(
    options.timeoutMs ?? DEFAULT_RESOLUTION_TIMEOUT_MS,
    `profile "${options.profile}"`,
  );
  return deadline.run(async (signal) => {
    const rootOptions = { ...options, sharedConfig: config, ...(clientConfig && { clientConfig }) };
    // One executor for every plan, walked from the outermost hop inwards: a role session found in the
    // cache needs neither its source credentials nor an MFA code, so they are resolved only on a miss.
    const resolveHop = async (index: number): Promise<ResolvedCredentials> => {
      const hop = plan.hops[index];
      if (!hop) return resolveRoot(plan.base, plan, rootOptions, env, now, signal, cache);
      // Session cache, second hook: one AssumeRole call, keyed by the plan's hop (its own arguments,
      // not the generated session name, so the key is the AWS CLI's).
      return withRoleSessionCache(cache, hop, async () => {
        const creds = await resolveHop(index - 1);
        let mfaCode: string | undefined;
        if (hop.mfaSerial) {
          deadline.pause();
          try {
            mfaCode = await options.mfaCodeProvider!(hop.mfaSerial);
          } finally {
            deadline.resume();
          }
        }
        return assumeRole(
          creds,
          {
            ...hop,
            sessionName: hop.sessionName ?? `credkit-${now()}`,
            ...(mfaCode !== undefined && { mfaCode }),
          },
          env,
          clientConfig,
          signal,
        );
      });
    };
    return withSource(await resolveHop(plan.hops.length - 1), source);
  });
}

function staticCredentials(base: Extract<BasePlan, { kind: 'static' }>): ResolvedCredentials {
  return withSdkFeature(
    {
      accessKeyId: base.accessKeyId,
      secretAccessKey: base.secretAccessKey,
      ...(base.sessionToken && { sessionToken: base.sessionToken }),
      ...(base.accountId && { accountId: base.accountId }),
    },
    'CREDENTIALS_PROFILE',
    'n',
  );
}

async function resolveRoot(
  base: BasePlan,
  plan: ProfilePlan,
  options: FromProfileOptions,
  env: Env,
  now: Clock,
  signal: AbortSignal,
  cache: SessionCache | undefined,
): Promise<ResolvedCredentials> {
  switch (base.kind) {
    case 'static':
      return staticCredentials(base);
    case 'web-identity': {
      // The STS client and the SDK's token reader load only on this path.
      const { resolveWebIdentityTokenFile } = await import('./web-identity.js');
      const creds = await resolveWebIdentityTokenFile(
        { ...base, profile: base.profile },
        env,
        options.clientConfig,
        signal,
      );
      return withSdkFeature(creds, 'CREDENTIALS_PROFILE_STS_WEB_ID_TOKEN', 'q');
    }
    case 'process': {
      const fromEnv = Number(env.CREDKIT_PROCESS_TIMEOUT_MS);
      const timeoutMs = options.processTimeoutMs ?? (fromEnv > 0 ? fromEnv : DEFAULT_PROCESS_TIMEOUT_MS);
      // Imported here: node:child_process (and net, dgram) would cost every static-keys run ~4 ms.
      const { runCredentialProcess } = await import('./process.js');
      const creds = await runCredentialProcess({
        profile: base.profile,
        command: base.command,
        location: base.location,
        env: markResolving(env, plan.chain),
        timeoutMs,
        now,
        signal,
        ...(base.accountId && { accountId: base.accountId }),
      });
      return withSdkFeature(creds, 'CREDENTIALS_PROFILE_PROCESS', 'v');
    }
    case 'sso': {
      // SSO's token cache needs node:crypto and node:os; static-keys runs should not load them.
      const { resolveSso } = await import('./sso.js');
      // Session cache, SSO hook: GetRoleCredentials keyed by account, role and session/start URL; a
      // cached session needs no SSO token either.
      return withSsoSessionCache(cache, base, () =>
        resolveSso(base, {
          env,
          now,
          signal,
          ...(options.homedir !== undefined && { homedir: options.homedir }),
        }),
      );
    }
    case 'credential-source': {
      // The standard's IMDSv1 switch and the metadata timeout, read from the profile that names the source.
      const properties = options.sharedConfig?.profiles.get(base.profile)?.properties;
      return resolveCredentialSource(base, env, signal, profileMetadataSettings(base.profile, properties));
    }
  }
}

async function resolveCredentialSource(
  base: Extract<BasePlan, { kind: 'credential-source' }>,
  env: Env,
  signal: AbortSignal,
  settings: ReturnType<typeof profileMetadataSettings>,
) {
  const unavailable = (why: string, hint: string) =>
    new CredkitError(
      C.CREDENTIAL_SOURCE_UNAVAILABLE,
      `Profile "${base.profile}" has credential_source = ${base.source} (${base.location}), but ${why}.`,
      {
        hint,
        details: { profile: base.profile, credentialSource: base.source },
      },
    );
  if (base.source === 'Environment') {
    const creds = envKeyPair(env);
    if (!creds)
      throw unavailable(
        'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set',
        'Export both variables, or use source_profile.',
      );
    return creds;
  }
  if (base.source === 'EcsContainer') {
    if (!containerConfigured(env)) {
      throw unavailable(
        'AWS_CONTAINER_CREDENTIALS_FULL_URI/RELATIVE_URI is not set',
        'This only works inside ECS/EKS tasks with a task role.',
      );
    }
    const timeoutMs = metadataTimeoutMs(env, settings.timeout, DEFAULT_CONTAINER_TIMEOUT_MS);
    return resolveContainerCredentials(env, { signal, timeoutMs });
  }
  if (imdsDisabled(env))
    throw unavailable(
      'AWS_EC2_METADATA_DISABLED is true',
      'Unset AWS_EC2_METADATA_DISABLED on EC2, or use source_profile.',
    );
  return resolveImdsCredentials(env, {
    signal,
    profileV1Disabled: settings.v1Disabled,
    timeoutMs: metadataTimeoutMs(env, settings.timeout, DEFAULT_IMDS_TIMEOUT_MS),
  });
}

const METHOD_LABEL: Record<BasePlan['kind'], string> = {
  static: 'static keys',
  process: 'credential_process',
  sso: 'SSO',
  'web-identity': 'web identity token',
  'credential-source': 'credential_source',
};

export function describePlan(plan: ProfilePlan, env: Env): CredentialSourceInfo {
  const base = plan.base;
  // Without role hops the credentials come from the base's own setting, which may sit in the other
  // file (keys in ~/.aws/credentials, region in ~/.aws/config): name where they really are.
  const file = plan.hops.length === 0 ? base.location.replace(/:\d+$/, '') : displayPath(plan.file, env);
  const baseLabel =
    base.kind === 'credential-source'
      ? `credential_source ${base.source}`
      : base.kind === 'static' && base.sessionToken
        ? 'session token'
        : METHOD_LABEL[base.kind];
  let how: string;
  if (plan.hops.length === 0) how = baseLabel;
  else if (plan.chain.length > 1)
    how = `assume-role via ${plan.chain
      .slice(1)
      .map((p) => `"${p}"`)
      .join(' -> ')}, ${baseLabel}`;
  else how = `assume-role from ${baseLabel}`;
  const method: CredentialSourceInfo['method'] =
    plan.hops.length > 0
      ? 'assume-role'
      : base.kind === 'static'
        ? base.sessionToken
          ? 'session'
          : 'static'
        : base.kind === 'process'
          ? 'credential-process'
          : base.kind === 'sso'
            ? 'sso'
            : 'web-identity';
  return {
    kind: 'profile',
    method,
    profile: plan.profile,
    file: plan.file,
    ...(plan.chain.length > 1 && { chain: plan.chain }),
    description: `profile "${plan.profile}" (${how}) from ${file}`,
  };
}

/**
 * The session cache `options` ask for. Its modules are imported statically (node:fs, node:os and
 * node:crypto only): a dynamic import would start Node's ESM loader in the CLI's CommonJS fast
 * path, most of the time a cached session takes.
 */
function openSessionCache(options: FromProfileOptions, env: Env, now: Clock): SessionCache | undefined {
  if (!options.sessionCache) return undefined;
  return resolveSessionCache(options.sessionCache, {
    env,
    now,
    ...(options.homedir !== undefined && { homedir: options.homedir }),
    ...(options.onWarning && { onWarning: options.onWarning }),
  });
}
