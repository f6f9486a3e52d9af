/**
 * Where `export` and `exec` take credentials from: the application chain (no flag), one profile
 * (`--profile`), or an environment recorded with a profile (`--env`). This module is itself loaded
 * lazily; its static imports are tree-shaken to what `--profile` needs (a static-keys profile loads
 * no AWS SDK module), the store and the app chain are imported only on their paths.
 */

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { profileRegion, resolveProfile } from '@credkit/env-selector';
import { assertNotResolvingLoop } from '@credkit/env-selector/providers';
import { loadSharedConfig, type SharedConfig, standsAlone } from '@credkit/env-selector/shared-config';
import { CredkitError } from '@credkit/temp-creds/errors';
import type { CommandContext } from './context.js';
import { stringFlag } from './context.js';
import type { ExportableCredentials, SourceCredentials } from './formats.js';
import { createOutput } from './output.js';
import { resolveStoreDir } from './paths.js';
import { mfaCodeProvider } from './session.js';

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
  /** Runs on the credentials before they are returned (the --env account check). */
  check?: (credentials: ExportableCredentials) => Promise<void>,
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
  // --env keeps the environment's recorded region; --profile reads it as the app chain does.
  const region = regionOverride ?? profileRegion(ctx.env, sharedConfig, profile)?.region;
  const mfaSerial = sharedConfig.profiles.get(profile)?.properties.get('mfa_serial')?.value.trim();
  const source: SourceCredentials = {
    credentials: exportable(credentials, region),
    description: credentials.source?.description ?? `profile "${profile}"`,
    profile,
    ...(mfaSerial && { mfaSerial }),
  };
  if (check) await check(source.credentials);
  else await warnIfKnownRoot(ctx, profile, source.credentials);
  return source;
}

/**
 * Keys an earlier check found to be the root user's are handed out with a warning. Only a cache
 * lookup (no network); the module is loaded only when a cache exists, keeping `export` fast.
 */
async function warnIfKnownRoot(
  ctx: CommandContext,
  profile: string,
  credentials: ExportableCredentials,
): Promise<void> {
  if (!existsSync(join(resolveStoreDir(ctx.env), 'identity-cache.json'))) return;
  const { knownRootKeys, warnRootKeys } = await import('./env-check.js');
  const account = await knownRootKeys(ctx, profile, credentials);
  if (account !== undefined) warnRootKeys(createOutput(ctx, ctx.flags.json === true), account);
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
  const { findEnvironment, openStore, recordedProfile, resolveAppName, validateEnvName } = await import(
    './store/index.js'
  );
  const name = validateEnvName(envName);
  const app = resolveAppName(stringFlag(ctx.flags, 'app'), ctx.env, ctx.cwd);
  const environment = await findEnvironment(await openStore(ctx), app, name);
  const profile = recordedProfile(environment.credentialSource);
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
  const { checkEnvironmentAccount } = await import('./env-check.js');
  const recorded = { ...environment, app };
  return resolveProfileSource(ctx, profile, environment.region, (credentials) =>
    checkEnvironmentAccount(ctx, recorded, profile, credentials, createOutput(ctx, ctx.flags.json === true)),
  );
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
