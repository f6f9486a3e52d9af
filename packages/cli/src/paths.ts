import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/**
 * The store directory: `CREDKIT_HOME`, else `$XDG_CONFIG_HOME/credkit`, else `~/.config/credkit`
 * (HOME from the env record). Here rather than in store/ so the identity cache can find it without
 * loading the store.
 */
export function resolveStoreDir(env: Record<string, string | undefined>): string {
  if (env.CREDKIT_HOME) return env.CREDKIT_HOME;
  if (env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME)) return join(env.XDG_CONFIG_HOME, 'credkit');
  return join(env.HOME || homedir(), '.config', 'credkit');
}

/**
 * Paths under the home shown as `~/…` in a human message, the way the libraries show the shared
 * config files, so one message never names the same file two ways (some errors, e.g. a parse
 * error or the store's, are built where the home is not known).
 */
export function homeRelative(text: string, env: Record<string, string | undefined>): string {
  const home = env.HOME?.replace(/\/+$/, '');
  if (!home || !text.includes(`${home}/`)) return text;
  return text.replaceAll(`${home}/`, '~/');
}
