/**
 * Before `export --env` or `exec --env` hands out credentials: do they still belong to the account
 * the environment was recorded in? A profile edited to hold another account's keys must not reach a
 * deployment. One GetCallerIdentity, cached for the credentials' lifetime (identity-cache.ts);
 * `--no-verify` skips it for offline use. The mismatch error is the one `env delete` raises.
 */
import { isCredkitError } from '@credkit/temp-creds/errors';
import type { CommandContext } from './context.js';
import { booleanFlag } from './context.js';
import { accountMismatch } from './flows.js';
import type { ExportableCredentials } from './formats.js';
import { identityCacheKey, readCachedIdentity, writeCachedIdentity } from './identity-cache.js';
import type { Output } from './output.js';
import { resolveStoreDir } from './paths.js';

export interface RecordedEnvironment {
  app: string;
  name: string;
  account: string;
  region: string;
  credentialSource: string;
}

export async function checkEnvironmentAccount(
  ctx: CommandContext,
  recorded: RecordedEnvironment,
  profile: string,
  credentials: ExportableCredentials,
  out: Output,
): Promise<void> {
  if (booleanFlag(ctx.flags, 'no-verify')) return;
  const now = new Date((ctx.now ?? Date.now)());
  const dir = resolveStoreDir(ctx.env);
  const key = identityCacheKey(credentials.accessKeyId, profile);
  let identity = await readCachedIdentity(dir, key, now);
  if (identity === undefined) {
    const fresh = await askSts(ctx, credentials, recorded.region);
    await writeCachedIdentity(dir, key, fresh, credentials.expiration, now);
    identity = { ...fresh, until: '' };
  }
  if (identity.account !== recorded.account) {
    throw accountMismatch(recorded, `profile "${profile}"`, identity.account, 'Nothing was handed out.');
  }
  if (identity.root) warnRootKeys(out, identity.account);
}

/** The account behind the keys, and whether they are the root user's (refused by verify, kept here). */
async function askSts(
  ctx: CommandContext,
  credentials: ExportableCredentials,
  region: string,
): Promise<{ account: string; root: boolean }> {
  const { verifyIdentity } = await import('./app.js');
  try {
    const identity = await verifyIdentity(ctx, credentials, region);
    return { account: identity.account, root: false };
  } catch (error) {
    const account = isCredkitError(error, 'ROOT_CREDENTIALS') ? error.details.account : undefined;
    if (typeof account === 'string') return { account, root: true };
    throw error;
  }
}

/** Whether a profile's keys are known (from an earlier check) to be root keys; no network. */
export async function knownRootKeys(
  ctx: CommandContext,
  profile: string,
  credentials: ExportableCredentials,
): Promise<string | undefined> {
  const now = new Date((ctx.now ?? Date.now)());
  const entry = await readCachedIdentity(
    resolveStoreDir(ctx.env),
    identityCacheKey(credentials.accessKeyId, profile),
    now,
  );
  return entry?.root ? entry.account : undefined;
}

export function warnRootKeys(out: Output, account: string): void {
  out.warn(
    `These are the root user's keys of AWS account ${account}: whatever runs with them can do anything in the account, including closing it.`,
    'Create an IAM user or role with the permissions needed and use its credentials; consider deleting the root access key.',
  );
}
