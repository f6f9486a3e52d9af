/**
 * How the commands about an application's metadata begin (`env init|ls|show|delete`, `store copy`):
 * --json and the output it selects, the application name and, for the commands that take --name,
 * the environment name. Both names are checked here, before any file is read or AWS is called.
 */
import { booleanFlag, type CommandContext, stringFlag } from './context.js';
import { createOutput, type Output } from './output.js';
import { resolveAppName, validateEnvName } from './store/index.js';

export interface CommandStart {
  json: boolean;
  out: Output;
}

export interface AppCommandStart extends CommandStart {
  /** `--app`, else CREDKIT_APP, else the current directory's name. */
  app: string;
}

export function startCommand(ctx: CommandContext): CommandStart {
  const json = booleanFlag(ctx.flags, 'json');
  return { json, out: createOutput(ctx, json) };
}

/** The application the command is about: `--app`, else CREDKIT_APP, else the directory's name. */
export function commandApp(ctx: CommandContext): string {
  return resolveAppName(stringFlag(ctx.flags, 'app'), ctx.env, ctx.cwd);
}

export function startAppCommand(ctx: CommandContext): AppCommandStart {
  return { ...startCommand(ctx), app: commandApp(ctx) };
}

/** For the commands with a required --name (the parser has checked it is there). */
export function startEnvCommand(ctx: CommandContext): AppCommandStart & { name: string } {
  const name = validateEnvName(stringFlag(ctx.flags, 'name') ?? '');
  return { ...startAppCommand(ctx), name };
}
