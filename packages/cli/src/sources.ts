/**
 * Where `export` and `exec` take credentials from: the application chain (no flag), one profile
 * (`--profile`), or an environment recorded with a profile (`--env`). This module is itself loaded
 * lazily; its static imports are tree-shaken to what `--profile` needs (a static-keys profile loads
 * no AWS SDK module), the store and the app chain are imported only on their paths.
 */
import { assertNotResolvingLoop, resolveProfile } from '@credkit/env-selector';
import { loadSharedConfig, type SharedConfig, standsAlone } from '@credkit/env-selector/shared-config';
import { CredkitError } from '@credkit/temp-creds/errors';
import type { CommandContext } from './context.js';
import { stringFlag } from './context.js';
import type { ExportableCredentials } from './formats.js';
import { createOutput } from './output.js';
import { mfaCodeProvider } from './session.js';

export interface SourceCredentials {
  credentials: ExportableCredentials;
  description: string;
  /** The profile resolved (--profile, or the profile of --env); absent for the app chain. */
  profile?: string;
  /** The profile's mfa_serial, for `--session`. */
  mfaSerial?: string;
}

interface Identity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
  expiration?: Date | undefined;
}

function exportable(c: Identity, region: string | undefined): ExportableCredentials {
  return {
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}),
    ...(c.expiration ? { expiration: c.expiration } : {}),
    ...(region ? { region } : {}),
  };
}

async function resolveProfileSource(
  ctx: CommandContext,
  profile: string,
  regionOverride?: string,
): Promise<SourceCredentials> {
  // Before reading any file: a credential_process that calls credkit for its own profile.
  assertNotResolvingLoop(profile, ctx.env);
  const sharedConfig = await loadFor(profile, ctx.env);
  // The app chain reports this itself (onWarning); a profile read here must too, once, on stderr.
  const tooOpen = sharedConfig.diagnostics.filter((d) => d.code === 'FILE_PERMISSIONS_TOO_OPEN');
  if (tooOpen.length > 0) {
    const out = createOutput(ctx, ctx.flags.json === true);
    for (const d of tooOpen) out.warn(d.message);
  }
  const credentials = await resolveProfile({
    profile,
    env: ctx.env,
    sharedConfig,
    mfaCodeProvider: mfaCodeProvider(ctx, profile),
    // Role and SSO sessions are kept between runs (CREDKIT_SESSION_CACHE: aws, credkit or off).
    sessionCache: true,
    onWarning: (message) => createOutput(ctx, ctx.flags.json === true).warn(message),
  });
  const profileRegion = sharedConfig.profiles.get(profile)?.properties.get('region')?.value || undefined;
  const region = regionOverride ?? profileRegion ?? ctx.env.AWS_REGION ?? ctx.env.AWS_DEFAULT_REGION;
  const mfaSerial = sharedConfig.profiles.get(profile)?.properties.get('mfa_serial')?.value.trim();
  return {
    credentials: exportable(credentials, region),
    description: credentials.source?.description ?? `profile "${profile}"`,
    profile,
    ...(mfaSerial && { mfaSerial }),
  };
}

/**
 * The shared config for resolving one profile. Both files are always checked in full (same errors,
 * same permission warning), but first with only this profile built: with 10 000 profiles, building
 * the other 9 999 was most of `credkit export`'s time. A profile that reaches beyond its own section
 * (a role chain, SSO, a process...) or is missing (its error lists the known profiles) takes the
 * full load, exactly as before.
 */
async function loadFor(profile: string, env: CommandContext['env']): Promise<SharedConfig> {
  const lazy = await loadSharedConfig({ env, materialize: new Set([profile]) });
  const section = lazy.profiles.get(profile);
  if (section !== undefined && standsAlone(section)) return lazy;
  return loadSharedConfig({ env });
}

async function resolveEnvSource(ctx: CommandContext, envName: string): Promise<SourceCredentials> {
  const { openStore, resolveAppName, validateEnvName } = await import('./store/index.js');
  const name = validateEnvName(envName);
  const app = resolveAppName(stringFlag(ctx.flags, 'app'), ctx.env, ctx.cwd);
  const record = await openStore(ctx.env).readApp(app);
  const { findEnvironment } = await import('./commands/env-show.js');
  const environment = findEnvironment(record, app, name);
  const profile = /^profile (.+)$/.exec(environment.credentialSource)?.[1];
  if (profile === undefined) {
    throw new CredkitError(
      'ENV_HAS_NO_PROFILE',
      `Environment "${name}" was created with temporary credentials; credkit keeps no secret, so it has none to give.`,
      {
        hint: 'Use --profile NAME with a profile for that account, or paste fresh temporary credentials into your shell.',
        details: { app, name },
      },
    );
  }
  return resolveProfileSource(ctx, profile, environment.region);
}

async function resolveAppSource(ctx: CommandContext): Promise<SourceCredentials> {
  const { resolveApplication } = await import('./app.js');
  const app = await resolveApplication(ctx);
  return { credentials: exportable(app.credentials, app.region), description: app.description };
}

function resolveSource(ctx: CommandContext): Promise<SourceCredentials> {
  const profile = stringFlag(ctx.flags, 'profile');
  if (profile !== undefined) return resolveProfileSource(ctx, profile);
  const envName = stringFlag(ctx.flags, 'env');
  if (envName !== undefined) return resolveEnvSource(ctx, envName);
  return resolveAppSource(ctx);
}

/** The credentials of the chosen source; with `--session`, a cached GetSessionToken session of them. */
export async function resolveSourceCredentials(ctx: CommandContext): Promise<SourceCredentials> {
  const source = await resolveSource(ctx);
  if (ctx.flags.session !== true) return source;
  const { withSessionToken } = await import('./session-token.js');
  return withSessionToken(ctx, source);
}
