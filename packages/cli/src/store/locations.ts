import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** `CREDKIT_HOME`, else `$XDG_CONFIG_HOME/credkit`, else `~/.config/credkit` (HOME from the env record). */
export function resolveStoreDir(env: Record<string, string | undefined>): string {
  if (env.CREDKIT_HOME) return env.CREDKIT_HOME;
  if (env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME)) return join(env.XDG_CONFIG_HOME, 'credkit');
  return join(env.HOME || homedir(), '.config', 'credkit');
}
