/**
 * Reading what the store recorded: one environment by name, and the credential source a record
 * names. A source is `profile NAME` or `temporary` (never a secret); its format lives here alone.
 */
import { CredkitError } from '@credkit/temp-creds/errors';
import type { EnvironmentRecord, MetadataStore } from './types.js';

const PROFILE_SOURCE = /^profile (.+)$/;

/** The credential source recorded for an environment created with a profile. */
export function profileSource(profile: string): string {
  return `profile ${profile}`;
}

/** `profile NAME` → NAME; `temporary` → undefined. */
export function recordedProfile(credentialSource: string): string | undefined {
  return PROFILE_SOURCE.exec(credentialSource)?.[1];
}

/** The recorded environment, or ENV_NOT_FOUND naming the ones that are recorded. */
export async function findEnvironment(
  store: MetadataStore,
  app: string,
  name: string,
): Promise<EnvironmentRecord> {
  const found = await store.getEnvironment(app, name);
  if (found === undefined) {
    const names = (await store.listEnvironments(app)).map((e) => e.name);
    throw new CredkitError('ENV_NOT_FOUND', `Environment "${name}" is not recorded for app "${app}".`, {
      hint:
        names.length === 0
          ? `App "${app}" has no environments yet in ${store.describe(app)}: run \`credkit env init --name ${name}\`.`
          : `Recorded environments: ${names.join(', ')}. Pass --app if it belongs to another app, --store if it is in another store.`,
      details: { app, name, store: store.kind },
    });
  }
  return found;
}
