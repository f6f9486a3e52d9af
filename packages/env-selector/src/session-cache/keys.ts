import type * as Crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { pythonJsonDumps } from './python-json.js';

/** What a role profile passes to AssumeRole, as botocore's `AssumeRoleProvider` collects it. */
export interface RoleSessionArgs {
  roleArn: string;
  /** Only when the profile sets role_session_name: a generated name must not change the key. */
  sessionName?: string;
  externalId?: string;
  mfaSerial?: string;
  durationSeconds?: number;
}

/** What an SSO profile passes to GetRoleCredentials (botocore's `SSOCredentialFetcher`). */
export interface SsoSessionArgs {
  accountId: string;
  roleName: string;
  /** The sso_session name; legacy profiles (no sso-session section) are keyed by their start URL. */
  session?: string;
  startUrl: string;
}

/** credkit's GetSessionToken sessions; the AWS CLI has none, so the key follows its scheme. */
export interface SessionTokenArgs {
  accessKeyId: string;
  mfaSerial?: string;
  durationSeconds: number;
}

/** botocore's `_make_file_safe`: a sha1 hex digest is already safe; kept for the exact rule. */
function fileSafe(name: string): string {
  return name.replace(/[:/\\]/g, '_');
}

// node:crypto is loaded on the first key, not with this module: the profile plan imports it, and
// loading node:crypto (node:stream comes with it) is about a tenth of `credkit export`'s start-up
// for static keys, which hash nothing.
let crypto: typeof Crypto | undefined;
const sha1 = (text: string) => {
  crypto ??= createRequire(import.meta.url)('node:crypto') as typeof Crypto;
  return crypto.createHash('sha1').update(text, 'utf8').digest('hex');
};

/**
 * `BaseAssumeRoleCredentialFetcher._create_cache_key`: sha1 of Python's `json.dumps(kwargs,
 * sort_keys=True)` (default separators) over RoleArn and the optional arguments the profile sets.
 */
export function roleSessionKey(args: RoleSessionArgs): string {
  return fileSafe(
    sha1(
      pythonJsonDumps({
        RoleArn: args.roleArn,
        RoleSessionName: args.sessionName,
        ExternalId: args.externalId,
        SerialNumber: args.mfaSerial,
        DurationSeconds: args.durationSeconds,
      }),
    ),
  );
}

/** `SSOCredentialFetcher._create_cache_key`: compact separators, sessionName or startUrl. */
export function ssoSessionKey(args: SsoSessionArgs): string {
  return fileSafe(
    sha1(
      pythonJsonDumps(
        {
          roleName: args.roleName,
          accountId: args.accountId,
          ...(args.session ? { sessionName: args.session } : { startUrl: args.startUrl }),
        },
        { compact: true },
      ),
    ),
  );
}

/**
 * GetSessionToken sessions: the assume-role scheme over the call's arguments, with the source key's
 * ID (a rotated key must not reuse the old key's session) and `Action` so no role key can match.
 */
export function sessionTokenKey(args: SessionTokenArgs): string {
  return fileSafe(
    sha1(
      pythonJsonDumps({
        Action: 'GetSessionToken',
        AccessKeyId: args.accessKeyId,
        SerialNumber: args.mfaSerial,
        DurationSeconds: args.durationSeconds,
      }),
    ),
  );
}
