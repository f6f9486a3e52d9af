/**
 * Where a bare word goes, shared by the parser and shell completion (which must agree on it). Imports
 * only types, so the completion handler can use it without loading the command table.
 */
import type { CommandSpec } from './context.js';

/** The flag of the positional and every flag that conflicts with it (another source of the same thing). */
export function sourceFlags(command: CommandSpec, flag: string): string[] {
  const group = (command.conflicts ?? []).find((sets) => sets.some((set) => set.includes(flag)));
  return group === undefined ? [flag] : group.flat();
}

/**
 * Whether a bare word is the command's positional. For `exec`, a word after --profile or --env is
 * the command to run (`credkit exec --profile p aws s3 ls`); before them, it names the profile.
 */
export function takesPositional(command: CommandSpec, given: (flag: string) => boolean): boolean {
  const spec = command.positional;
  if (spec === undefined) return false;
  if (!command.passthrough) return true;
  return !sourceFlags(command, spec.flag).some(given);
}
