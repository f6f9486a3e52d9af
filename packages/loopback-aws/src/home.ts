import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SsoCacheEntry {
  /** Legacy profiles (sso_start_url in the profile): the cache file is sha1(startUrl). */
  startUrl?: string;
  /** sso-session profiles: the cache file is sha1(session name). */
  sessionName?: string;
  accessToken: string;
  /** When the cached token expires (default: one hour from now). */
  expiresAt?: Date | string;
  region?: string;
  /** Extra fields written verbatim (refreshToken, clientId, clientSecret, registrationExpiresAt...). */
  extra?: Record<string, string>;
}

export interface AwsHomeOptions {
  /** Contents of ~/.aws/config; common indentation is removed so template literals read naturally. */
  config?: string;
  /** Contents of ~/.aws/credentials (same dedent rule). Not written when undefined. */
  credentials?: string;
  ssoCache?: SsoCacheEntry[];
  /** Written to <home>/web-identity-token; its path is returned as webIdentityTokenFile. */
  webIdentityToken?: string;
  /**
   * Folder of the two files, relative to the home: `.aws` (default, where every SDK looks without
   * settings) or `''` for the home itself (then only AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE
   * lead there, and messages show `~/config`).
   */
  awsDir?: string;
  /** Write config and credentials exactly as given (no dedent, no final newline added). */
  verbatim?: boolean;
  /** Mode of config and credentials; default 0600, as `aws configure` writes them. */
  fileMode?: number;
}

export interface AwsHome {
  dir: string;
  configFile: string;
  credentialsFile: string;
  ssoCacheDir: string;
  webIdentityTokenFile?: string;
  /** HOME, AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE pointing into the temporary home. */
  env: { HOME: string; AWS_CONFIG_FILE: string; AWS_SHARED_CREDENTIALS_FILE: string };
  /** The path the SDK reads for a start URL or sso-session name. */
  ssoCacheFile(startUrlOrSessionName: string): string;
  cleanup(): Promise<void>;
}

/** Strips the indentation shared by all non-blank lines and a leading newline. */
export function dedent(text: string): string {
  const lines = text.replace(/^\r?\n/, '').split(/\r?\n/);
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)?.[0].length ?? 0);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  const body = lines.map((l) => l.slice(Math.min(cut, /^[ \t]*/.exec(l)?.[0].length ?? 0))).join('\n');
  return body.endsWith('\n') ? body : `${body.trimEnd()}\n`;
}

async function writeSecret(path: string, content: string, mode = 0o600): Promise<void> {
  await writeFile(path, content, { mode });
  // The umask can only remove bits, but an existing file keeps its mode; make the mode certain.
  await chmod(path, mode);
}

/** Creates a throwaway HOME with an AWS config, credentials, SSO token cache and web identity token. */
export async function createAwsHome(options: AwsHomeOptions = {}): Promise<AwsHome> {
  const dir = await mkdtemp(join(tmpdir(), 'credkit-aws-home-'));
  const awsDir = join(dir, options.awsDir ?? '.aws');
  const ssoCacheDir = join(dir, '.aws', 'sso', 'cache');
  await mkdir(awsDir, { recursive: true, mode: 0o700 });
  const configFile = join(awsDir, 'config');
  const credentialsFile = join(awsDir, 'credentials');
  const text = (t: string) => (options.verbatim ? t : dedent(t));
  if (options.config !== undefined) await writeSecret(configFile, text(options.config), options.fileMode);
  if (options.credentials !== undefined)
    await writeSecret(credentialsFile, text(options.credentials), options.fileMode);

  const ssoCacheFile = (id: string) =>
    join(ssoCacheDir, `${createHash('sha1').update(id).digest('hex')}.json`);
  if (options.ssoCache && options.ssoCache.length > 0) {
    await mkdir(ssoCacheDir, { recursive: true, mode: 0o700 });
    for (const entry of options.ssoCache) {
      const id = entry.sessionName ?? entry.startUrl;
      if (!id) throw new Error('createAwsHome: an ssoCache entry needs startUrl or sessionName');
      const expiresAt =
        entry.expiresAt instanceof Date
          ? entry.expiresAt.toISOString()
          : (entry.expiresAt ?? new Date(Date.now() + 3600 * 1000).toISOString());
      const body = {
        ...(entry.startUrl ? { startUrl: entry.startUrl } : {}),
        region: entry.region ?? 'us-east-1',
        accessToken: entry.accessToken,
        expiresAt,
        ...entry.extra,
      };
      await writeSecret(ssoCacheFile(id), `${JSON.stringify(body, null, 2)}\n`);
    }
  }

  let webIdentityTokenFile: string | undefined;
  if (options.webIdentityToken !== undefined) {
    webIdentityTokenFile = join(dir, 'web-identity-token');
    await writeSecret(webIdentityTokenFile, options.webIdentityToken);
  }

  return {
    dir,
    configFile,
    credentialsFile,
    ssoCacheDir,
    ...(webIdentityTokenFile ? { webIdentityTokenFile } : {}),
    env: { HOME: dir, AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: credentialsFile },
    ssoCacheFile,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * The temp AWS homes of one test file: `const home = tempAwsHomes(afterEach)`, then
 * `await home({ config, credentials })` in any test; every home made is removed after each test,
 * failed or not. `defaults` are merged under each call's options (e.g. `{ awsDir: '' }`).
 */
export function tempAwsHomes(
  afterEachHook: (cleanup: () => Promise<void>) => void,
  defaults: AwsHomeOptions = {},
): (options?: AwsHomeOptions) => Promise<AwsHome> {
  const made: AwsHome[] = [];
  afterEachHook(async () => {
    await Promise.all(made.splice(0).map((home) => home.cleanup()));
  });
  return async (options = {}) => {
    const home = await createAwsHome({ ...defaults, ...options });
    made.push(home);
    return home;
  };
}
