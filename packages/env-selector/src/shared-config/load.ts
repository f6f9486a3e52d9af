import { CredkitError } from '@credkit/temp-creds/errors';
import { displayPath } from '../profile-provider/types.js';
import { resolveConfigLocations } from './locations.js';
import { buildSharedConfig } from './merge.js';
import { parseConfigFile } from './parse.js';
import { FILE_PERMISSIONS_TOO_OPEN, permissionDiagnostic } from './permissions.js';
import { MAX_CONFIG_BYTES, readConfigText } from './read.js';
import type { ConfigFileKind, ParsedConfigFile, SharedConfig } from './types.js';

export interface LoadSharedConfigOptions {
  /** Environment record (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, HOME...). Default: process.env. */
  env?: Record<string, string | undefined>;
  /** Explicit paths win over the environment. */
  configFile?: string;
  credentialsFile?: string;
  /** Home used when no variable names one. Default: os.homedir(). */
  homedir?: string;
  platform?: string;
  /**
   * Build only these profiles (see `parseConfigFile`): both files are still checked in full, with
   * the same errors and permission warning, but other profiles are absent from `profiles`, and so
   * are the diagnostics about them. For resolving one profile fast.
   */
  materialize?: ReadonlySet<string>;
}

/**
 * Reads and merges both shared files once. The result is meant to be passed on (for example to
 * `fromProfile({ sharedConfig })`) so one run never reads or parses a file twice.
 *
 * A missing file counts as empty. A file that cannot be read (permissions, a directory) or does
 * not parse is a `CredkitError` naming it.
 */
export async function loadSharedConfig(options: LoadSharedConfigOptions = {}): Promise<SharedConfig> {
  const locations = resolveConfigLocations({
    env: options.env ?? process.env,
    ...(options.homedir === undefined ? {} : { homedir: options.homedir }),
    ...(options.platform === undefined ? {} : { platform: options.platform }),
  });
  const configPath = options.configFile ?? locations.configFile;
  const credentialsPath = options.credentialsFile ?? locations.credentialsFile;
  const env = options.env ?? process.env;
  const [config, credentials] = await Promise.all([
    readConfigFile(configPath, 'config', options.materialize, displayPath(configPath, env)),
    readConfigFile(credentialsPath, 'credentials', options.materialize, displayPath(credentialsPath, env)),
  ]);
  if (credentials !== undefined && configPath === credentialsPath) {
    // One file named by both variables: its permission warning is about the file, so it is said once.
    credentials.diagnostics = credentials.diagnostics.filter((d) => d.code !== FILE_PERMISSIONS_TOO_OPEN);
  }
  return buildSharedConfig({
    ...(config === undefined ? {} : { config }),
    ...(credentials === undefined ? {} : { credentials }),
    configFile: { path: configPath, exists: config !== undefined },
    credentialsFile: { path: credentialsPath, exists: credentials !== undefined },
  });
}

/**
 * The files a caller already loaded (`sharedConfig`), else both files read now. Every entry point
 * that takes a `sharedConfig` option goes through here, so none reads the files a second time.
 */
export function reuseOrLoadSharedConfig(
  options: LoadSharedConfigOptions & { sharedConfig?: SharedConfig | undefined },
): Promise<SharedConfig> {
  return options.sharedConfig === undefined
    ? loadSharedConfig(options)
    : Promise.resolve(options.sharedConfig);
}

/** Reads and parses one file; undefined when it does not exist. */
export async function readConfigFile(
  path: string,
  kind: ConfigFileKind,
  materialize?: ReadonlySet<string>,
  /** How messages show the path (`~/.aws/credentials`). */
  shownPath: string = path,
): Promise<ParsedConfigFile | undefined> {
  let text: string;
  let mode: number;
  try {
    // One open for both: the mode checked is the mode of the file that was read.
    ({ text, mode } = await readConfigText(path));
  } catch (error: unknown) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    const what = kind === 'config' ? 'AWS config file' : 'AWS credentials file';
    const variable = kind === 'config' ? 'AWS_CONFIG_FILE' : 'AWS_SHARED_CREDENTIALS_FILE';
    const why =
      code === 'EISDIR'
        ? 'it is a directory'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : code === 'EFBIG'
            ? `it is larger than ${MAX_CONFIG_BYTES / 1024 / 1024} MiB`
            : code === 'ETIMEDOUT'
              ? 'it is a pipe that stopped sending data'
              : `error ${typeof code === 'string' ? code : 'reading it'}`;
    throw new CredkitError('CONFIG_FILE_UNREADABLE', `Cannot read the ${what} ${path}: ${why}`, {
      hint:
        code === 'EISDIR'
          ? `Point ${variable} at a file, or remove the directory.`
          : code === 'EFBIG' || code === 'ETIMEDOUT'
            ? `Point ${variable} at the shared ${kind} file (a regular file).`
            : `Make ${path} readable by this user (for example chmod 600), or point ${variable} elsewhere.`,
      details: { file: path, ...(typeof code === 'string' ? { errno: code } : {}) },
    });
  }
  const parsed = parseConfigFile(text, { kind, path, ...(materialize && { materialize }) });
  const tooOpen = permissionDiagnostic(parsed, mode, process.platform, shownPath);
  if (tooOpen !== undefined) parsed.diagnostics.push(tooOpen);
  return parsed;
}
