import { type ProfilePlan, planProfile } from '../profile-provider/plan.js';
import type { SharedConfig } from '../shared-config/types.js';
import { accountOf } from './cached.js';
import { roleSessionKey, sessionTokenKey, ssoSessionKey } from './keys.js';
import { DEFAULT_SESSION_TOKEN_SECONDS } from './session-token.js';
import { listSessionKeys, readSession, removeSession, type SessionCache } from './store.js';

type Env = Record<string, string | undefined>;

/** One cached session a profile would use. Never holds a secret. */
export interface SessionListing {
  profile: string;
  kind: 'assume-role' | 'sso' | 'session-token';
  /** Role ARN (assume-role), role name (SSO), or the long-term key's ID, shortened (session token). */
  role: string;
  account?: string;
  expiration: Date;
  /** False once within the refresh window: the next use asks STS again. */
  usable: boolean;
  writtenBy: 'credkit' | 'aws-cli';
  file: string;
}

interface Candidate {
  profile: string;
  kind: SessionListing['kind'];
  key: string;
  role: string;
  account?: string;
}

/** The cache entry each profile's resolution would read (broken profiles have none). */
function candidates(config: SharedConfig, env: Env): Candidate[] {
  const out: Candidate[] = [];
  for (const profile of config.profiles.keys()) {
    let plan: ProfilePlan;
    try {
      plan = planProfile(config, profile, env);
    } catch {
      continue;
    }
    const hop = plan.hops[plan.hops.length - 1];
    const account = hop ? accountOf(hop.roleArn) : undefined;
    if (hop) {
      out.push({
        profile,
        kind: 'assume-role',
        key: roleSessionKey(hop),
        role: hop.roleArn,
        ...(account && { account }),
      });
    } else if (plan.base.kind === 'sso') {
      out.push({
        profile,
        kind: 'sso',
        key: ssoSessionKey(plan.base),
        role: plan.base.roleName,
        account: plan.base.accountId,
      });
    } else if (plan.base.kind === 'static' && !plan.base.sessionToken) {
      const mfaSerial = config.profiles.get(profile)?.properties.get('mfa_serial')?.value.trim();
      out.push({
        profile,
        kind: 'session-token',
        key: sessionTokenKey({
          accessKeyId: plan.base.accessKeyId,
          durationSeconds: DEFAULT_SESSION_TOKEN_SECONDS,
          ...(mfaSerial && { mfaSerial }),
        }),
        // An identifier, not a secret, but listings show no more of a key than needed to tell keys apart.
        role: `${plan.base.accessKeyId.slice(0, 4)}…${plan.base.accessKeyId.slice(-4)}`,
        ...(plan.base.accountId && { account: plan.base.accountId }),
      });
    }
  }
  return out;
}

/** Cached sessions that the profiles of `config` would use, expired ones included (marked unusable). */
export async function listSessions(
  config: SharedConfig,
  env: Env,
  cache: SessionCache,
): Promise<SessionListing[]> {
  const present = new Set(await listSessionKeys(cache));
  const out: SessionListing[] = [];
  for (const c of candidates(config, env)) {
    if (!present.has(c.key)) continue;
    const entry = await readSession(cache, c.key, { ignoreExpiry: true });
    if (!entry) continue;
    const usable = (await readSession(cache, c.key)) !== undefined;
    out.push({
      profile: c.profile,
      kind: c.kind,
      role: c.role,
      ...(c.account && { account: c.account }),
      expiration: entry.expiration,
      usable,
      writtenBy: entry.writtenBy,
      file: `${cache.dir}/${c.key}.json`,
    });
  }
  return out;
}

/**
 * Removes the sessions of one profile, or of every profile. In credkit's private cache, clearing
 * everything also removes entries no profile names any more; in the shared AWS CLI cache only the
 * entries of configured profiles are touched (the rest may belong to the AWS CLI's other uses).
 */
export async function clearSessions(
  config: SharedConfig,
  env: Env,
  cache: SessionCache,
  profile?: string,
): Promise<number> {
  const keys = new Set(
    candidates(config, env)
      .filter((c) => profile === undefined || c.profile === profile)
      .map((c) => c.key),
  );
  if (profile === undefined && cache.mode === 'credkit')
    for (const k of await listSessionKeys(cache)) keys.add(k);
  let removed = 0;
  for (const key of keys) if (await removeSession(cache, key)) removed++;
  return removed;
}
