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
