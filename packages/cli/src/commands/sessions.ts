import { resolveProfile } from '@credkit/env-selector';
import { displayPath, profileNotFound } from '@credkit/env-selector/providers';
import {
  clearSessions,
  listSessions,
  resolveSessionCache,
  SESSION_CACHE_ENV,
  type SessionCache,
  type SessionListing,
} from '@credkit/env-selector/session-cache';
import { loadSharedConfig, type SharedConfig } from '@credkit/env-selector/shared-config';
import { CredkitError } from '@credkit/temp-creds/errors';
import type { CommandContext } from '../context.js';
import { booleanFlag, stringFlag } from '../context.js';
import { createOutput, formatExpiry, type Output, table } from '../output.js';
import { mfaCodeProvider } from '../session.js';

const TOOL = { credkit: 'credkit', 'aws-cli': 'AWS CLI' } as const;

interface Setup {
  out: Output;
  json: boolean;
  now: Date;
  cache: SessionCache | undefined;
  config: SharedConfig;
}

async function setup(ctx: CommandContext): Promise<Setup> {
  const json = booleanFlag(ctx.flags, 'json');
  const out = createOutput(ctx, json);
  const now = new Date((ctx.now ?? Date.now)());
  const cache = resolveSessionCache(true, { env: ctx.env, now: () => now.getTime() });
  const config = await loadSharedConfig({ env: ctx.env });
  return { out, json, now, cache, config };
}

function offNote(out: Output): void {
  out.note(`Session caching is off (${SESSION_CACHE_ENV}=off): credkit keeps no sessions.`);
}

/** A listing as JSON or a table; never a secret (the listing holds none). */
function printSessions(s: Setup, sessions: SessionListing[], ctx: CommandContext): void {
  if (s.json) {
    s.out.json(sessions.map((x) => ({ ...x, expiration: x.expiration.toISOString() })));
    return;
  }
  if (sessions.length === 0) {
    s.out.line('No cached sessions for the configured profiles.');
    return;
  }
  const rows = [
    ['PROFILE', 'KIND', 'ROLE', 'ACCOUNT', 'EXPIRES', 'FROM'].map((h) => s.out.style.dim(h)),
    ...sessions.map((x) => [
      x.profile,
      x.kind,
      x.role,
      x.account ?? '-',
      x.usable ? formatExpiry(x.expiration, s.now) : `${x.expiration.toISOString()} (renewed on next use)`,
      TOOL[x.writtenBy],
    ]),
  ];
  for (const line of table(rows, '  ')) s.out.line(line.trimEnd());
  if (s.cache) s.out.note(`Cache: ${displayPath(s.cache.dir, ctx.env)}`);
}

/** `credkit sessions`: the cached sessions the configured profiles would use. */
export async function sessionsCommand(ctx: CommandContext): Promise<number> {
  const s = await setup(ctx);
  if (!s.cache) {
    offNote(s.out);
    printSessions(s, [], ctx);
    return 0;
  }
  printSessions(s, await listSessions(s.config, ctx.env, s.cache), ctx);
  return 0;
}

function requireProfile(config: SharedConfig, profile: string, env: CommandContext['env']): void {
  // The one unknown-profile message: near names first, then at most ten others.
  if (!config.profiles.has(profile)) throw profileNotFound(config, profile, env);
}

/** `credkit sessions clear [--profile P]`. */
export async function sessionsClearCommand(ctx: CommandContext): Promise<number> {
  const s = await setup(ctx);
  const profile = stringFlag(ctx.flags, 'profile');
  if (profile !== undefined) requireProfile(s.config, profile, ctx.env);
  const removed = s.cache ? await clearSessions(s.config, ctx.env, s.cache, profile) : 0;
  if (!s.cache) offNote(s.out);
  if (s.json) s.out.json({ removed });
  else
    s.out.line(
      `Removed ${removed} cached session${removed === 1 ? '' : 's'}${profile ? ` of profile "${profile}"` : ''}.`,
    );
  return 0;
}

/**
 * `credkit sessions refresh --profile P`: drops the profile's session and starts a new one (the MFA
 * prompt happens here, on the terminal), then shows it without secrets.
 */
export async function sessionsRefreshCommand(ctx: CommandContext): Promise<number> {
  const s = await setup(ctx);
  const profile = stringFlag(ctx.flags, 'profile')!;
  requireProfile(s.config, profile, ctx.env);
  if (!s.cache) {
    throw new CredkitError(
      'SESSION_CACHE_OFF',
      `There is no session to refresh: ${SESSION_CACHE_ENV} is off.`,
      {
        hint: `Unset ${SESSION_CACHE_ENV} (or set it to aws or credkit) to keep sessions between runs.`,
      },
    );
  }
  await clearSessions(s.config, ctx.env, s.cache, profile);
  const credentials = await resolveProfile({
    profile,
    env: ctx.env,
    sharedConfig: s.config,
    mfaCodeProvider: mfaCodeProvider(ctx, profile),
    sessionCache: true,
    onWarning: (message) => s.out.warn(message),
  });
  if (credentials.accessKeyId.startsWith('AKIA') && !credentials.sessionToken) {
    // Long-term keys: the session to refresh is the one `--session` uses.
    const { withSessionToken } = await import('../session-token.js');
    const mfaSerial = s.config.profiles.get(profile)?.properties.get('mfa_serial')?.value.trim();
    await withSessionToken(ctx, {
      credentials,
      description: `profile "${profile}"`,
      profile,
      ...(mfaSerial && { mfaSerial }),
    });
  }
  const sessions = (await listSessions(s.config, ctx.env, s.cache)).filter((x) => x.profile === profile);
  if (sessions.length === 0 && !s.json) {
    s.out.line(
      `Profile "${profile}" resolved, but it has no session to cache (${credentials.source?.description ?? 'no role or SSO'}).`,
    );
    return 0;
  }
  printSessions(s, sessions, ctx);
  return 0;
}
