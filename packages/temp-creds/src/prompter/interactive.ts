export interface InteractivityOptions {
  stdin: { isTTY?: boolean | undefined };
  stdout?: { isTTY?: boolean | undefined };
  env: Record<string, string | undefined>;
}

/**
 * Whether a person can answer a prompt: stdin (and stdout, when given) is a terminal and the
 * process is not running under CI. Decided from injected streams and env, never assumed.
 */
export function isInteractive({ stdin, stdout, env }: InteractivityOptions): boolean {
  const ci = env.CI;
  if (ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false') return false;
  if (stdin.isTTY !== true) return false;
  return stdout === undefined || stdout.isTTY === true;
}
