import { CredkitError } from '@credkit/temp-creds/errors';
import { ProfileErrorCode as C } from './codes.js';

/**
 * Set in the environment of every credential_process credkit starts: the profiles being resolved.
 * A `credential_process = credkit export --profile p` inside profile p would otherwise recurse until
 * the machine runs out of processes.
 */
export const RESOLVING_ENV = 'CREDKIT_RESOLVING';

/** Profiles already being resolved by a credkit further up the process tree. */
export function resolvingProfiles(env: Record<string, string | undefined>): string[] {
  const raw = env[RESOLVING_ENV];
  if (!raw) return [];
  return raw
    .split(',')
    .filter((s) => s !== '')
    .map((s) => decodeURIComponent(s));
}

/** The child environment for a credential_process: the caller's env plus these profiles in the marker. */
export function markResolving(
  env: Record<string, string | undefined>,
  profiles: string[],
): Record<string, string> {
  const all = [...resolvingProfiles(env)];
  for (const p of profiles) if (!all.includes(p)) all.push(p);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  out[RESOLVING_ENV] = all.map((p) => encodeURIComponent(p)).join(',');
  return out;
}

/**
 * Throws CREDENTIAL_PROCESS_LOOP when `profile` is already being resolved up the process tree. The CLI
 * calls this at start-up; `fromProfile` calls it too, so library users are protected as well.
 */
export function assertNotResolvingLoop(profile: string, env: Record<string, string | undefined>): void {
  const chain = resolvingProfiles(env);
  if (!chain.includes(profile)) return;
  throw new CredkitError(
    C.CREDENTIAL_PROCESS_LOOP,
    `Profile "${profile}" is already being resolved by the credential_process that started this command (${[...chain, profile].join(' -> ')}).`,
    {
      hint: `The credential_process of "${profile}" (or of a profile it sources) runs credkit for the same profile. Point it at a different profile or a different tool.`,
      details: { profile, chain },
    },
  );
}
