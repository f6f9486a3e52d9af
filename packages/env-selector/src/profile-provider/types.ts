import type { AwsCredentialIdentity } from '@aws-sdk/types';

/** Where resolved credentials came from. Never holds a secret. */
export interface CredentialSourceInfo {
  kind: 'profile' | 'env' | 'web-identity' | 'container' | 'imds' | 'temporary';
  /** For `kind: 'profile'`: how the profile produced credentials. */
  method?: 'static' | 'session' | 'assume-role' | 'credential-process' | 'sso' | 'web-identity';
  /** The profile the caller asked for. */
  profile?: string;
  /** The file of the setting that decides how the profile gets credentials (keys, role_arn...). */
  file?: string;
  /** For assume-role chains: the profiles from the requested one down to the one holding the base credentials. */
  chain?: string[];
  /** Human readable, e.g. `profile "prod" (assume-role via "base") from ~/.aws/config`. */
  description: string;
}

/** Credentials as the SDK returns them (with `$source`), plus a non-enumerable credkit `source`. */
export type ResolvedCredentials = AwsCredentialIdentity & {
  $source?: Record<string, string>;
  readonly source?: CredentialSourceInfo;
};

/** STS/SSO client settings credkit passes through to the SDK clients it creates. */
export interface StsClientConfig {
  region?: string;
  endpoint?: string;
  maxAttempts?: number;
}

export type MfaCodeProvider = (mfaSerial: string) => Promise<string>;

/** Attaches `source` to credentials without making it enumerable (it never serializes by accident). */
export function withSource<T extends AwsCredentialIdentity>(
  credentials: T,
  source: CredentialSourceInfo,
): T & { readonly source: CredentialSourceInfo } {
  Object.defineProperty(credentials, 'source', { value: source, enumerable: false, configurable: true });
  return credentials as T & { readonly source: CredentialSourceInfo };
}

/** The SDK's `setCredentialFeature`, inlined so the static-profile path imports nothing from the SDK. */
export function withSdkFeature<T extends AwsCredentialIdentity>(
  credentials: T,
  feature: string,
  value: string,
): T {
  const c = credentials as T & { $source?: Record<string, string> };
  c.$source = { ...(c.$source ?? {}), [feature]: value };
  return c;
}

/** Shows `~` for the home directory so messages stay short and do not reveal the user name twice. */
export function displayPath(file: string, env: Record<string, string | undefined>): string {
  const home = env.HOME ?? env.USERPROFILE;
  if (home && (file === home || file.startsWith(`${home}/`))) return `~${file.slice(home.length)}`;
  return file;
}
