import { homedir as osHomedir } from 'node:os';
import { posix, win32 } from 'node:path';

export interface ResolveConfigLocationsOptions {
  env: Record<string, string | undefined>;
  /** The platform's own idea of home (`os.homedir()` by default), used when no variable says. */
  homedir?: string;
  /** `windows`/`win32` use USERPROFILE and HOMEDRIVE+HOMEPATH and `\` paths. Default: this process's. */
  platform?: string;
}

export interface ConfigLocations {
  configFile: string;
  credentialsFile: string;
  home: string;
}

/**
 * Where the two shared files are, as the cross-SDK location tests define it: AWS_CONFIG_FILE and
 * AWS_SHARED_CREDENTIALS_FILE win; otherwise `.aws/config` and `.aws/credentials` under the home,
 * which is HOME, then (Windows only) USERPROFILE, then HOMEDRIVE+HOMEPATH, then the platform's home.
 */
export function resolveConfigLocations(options: ResolveConfigLocationsOptions): ConfigLocations {
  const { env } = options;
  const windows = isWindows(options.platform ?? process.platform);
  const path = windows ? win32 : posix;
  const home = resolveHome(env, windows, options.homedir);
  return {
    home,
    configFile: expandHome(set(env.AWS_CONFIG_FILE) ?? path.join(home, '.aws', 'config'), home, windows),
    credentialsFile: expandHome(
      set(env.AWS_SHARED_CREDENTIALS_FILE) ?? path.join(home, '.aws', 'credentials'),
      home,
      windows,
    ),
  };
}

function resolveHome(env: Record<string, string | undefined>, windows: boolean, homedir?: string): string {
  const home = set(env.HOME);
  if (home !== undefined) return home;
  if (windows) {
    const profile = set(env.USERPROFILE);
    if (profile !== undefined) return profile;
    const homePath = set(env.HOMEPATH);
    if (homePath !== undefined) return `${env.HOMEDRIVE ?? ''}${homePath}`;
  }
  return homedir ?? osHomedir();
}

/** `~/x` (and `~\x` on Windows) means the home directory; `~user/x` is left alone. */
function expandHome(file: string, home: string, windows: boolean): string {
  if (file === '~') return home;
  const second = file.charAt(1);
  if (file.startsWith('~') && (second === '/' || (windows && second === '\\'))) {
    return (windows ? win32 : posix).join(home, file.slice(2));
  }
  return file;
}

function set(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function isWindows(platform: string): boolean {
  return platform === 'win32' || platform === 'windows';
}
