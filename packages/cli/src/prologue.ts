/**
 * How the commands about an application's metadata begin (`env init|ls|show|delete`, `store copy`):
 * --json and the output it selects, the application name and, for the commands that take --name,
 * the environment name. Both names are checked here, before any file is read or AWS is called.
 */
import { booleanFlag, type CommandContext, stringFlag } from './context.js';
import { createOutput, type Output } from './output.js';
import { resolveAppName, validateEnvName } from './store/index.js';

export interface AppCommandStart {
  json: boolean;
  out: Output;
  /** `--app`, else CREDKIT_APP, else the current directory's name. */
  app: string;
}

export function startAppCommand(ctx: CommandContext): AppCommandStart {
  const json = booleanFlag(ctx.flags, 'json');
  const out = createOutput(ctx, json);
  return { json, out, app: resolveAppName(stringFlag(ctx.flags, 'app'), ctx.env, ctx.cwd) };
}

/** For the commands with a required --name (the parser has checked it is there). */
export function startEnvCommand(ctx: CommandContext): AppCommandStart & { name: string } {
  const name = validateEnvName(stringFlag(ctx.flags, 'name') ?? '');
  return { ...startAppCommand(ctx), name };
}
