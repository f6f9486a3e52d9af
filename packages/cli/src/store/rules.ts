/**
 * The rules both stores apply, in one place: when two records of one environment are the same,
 * and the errors for a name taken or an app pinned to another account.
 */
import { CredkitError } from '@credkit/temp-creds/errors';
import { recordedProfile } from './records.js';
import type { EnvironmentRecord } from './types.js';

/** A repeat of a create is the same environment when it reaches the same account and region. */
export function sameEnvironment(a: EnvironmentRecord, b: EnvironmentRecord): boolean {
  return a.account === b.account && a.region === b.region;
}

export function envExists(
  app: string,
  existing: EnvironmentRecord,
  wanted: EnvironmentRecord,
  where: string,
): CredkitError {
  return new CredkitError(
    'ENV_EXISTS',
    `Environment "${existing.name}" of app "${app}" is already recorded with account ${existing.account} and region ${existing.region}; this run resolved account ${wanted.account} and region ${wanted.region}.`,
    {
      hint: `Choose another --name, or delete it first: credkit env delete --name ${existing.name} --app ${app}. Metadata: ${where}`,
      details: { app, name: existing.name, account: existing.account, region: existing.region },
    },
  );
}

/**
 * The name is taken, found before anything was asked or called: the run would have to ask for
 * credentials (or a region) to learn what the record already says, or its region differs already.
 */
export function envAlreadyRecorded(
  app: string,
  existing: EnvironmentRecord,
  where: string,
  region: { value: string; from: string } | undefined,
): CredkitError {
  const recorded = `with account ${existing.account} and region ${existing.region} (credentials: ${existing.credentialSource})`;
  const why =
    region === undefined
      ? 'nothing was asked or changed'
      : `${region.from} is ${region.value}, so this run cannot be a repeat of it`;
  const profile = recordedProfile(existing.credentialSource);
  const repeat =
    profile === undefined
      ? ''
      : ` To confirm the record as it is, run: credkit env init --name ${existing.name} --app ${app} --profile ${profile} --region ${existing.region}.`;
  return new CredkitError(
    'ENV_EXISTS',
    `Environment "${existing.name}" of app "${app}" is already recorded ${recorded}; ${why}.`,
    {
      hint: `Choose another --name, or delete it first: credkit env delete --name ${existing.name} --app ${app}.${repeat} Metadata: ${where}`,
      details: { app, name: existing.name, account: existing.account, region: existing.region },
    },
  );
}

export function appAccountMismatch(
  app: string,
  pinned: string,
  actual: string,
  source: string,
  where: string,
): CredkitError {
  return new CredkitError(
    'APP_ACCOUNT_MISMATCH',
    `App "${app}" belongs to account ${pinned}, but the application credentials (${source}) are for account ${actual}.`,
    {
      hint: `Use application credentials of account ${pinned} (for example AWS_PROFILE=<profile of ${pinned}>), or pass --app for another app. Metadata: ${where}`,
      details: { app, pinnedAccount: pinned, account: actual, source },
    },
  );
}

/** Why a stored environment record cannot be used, or undefined when it can. */
export function environmentProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const env = value as Record<string, unknown>;
  const ok =
    typeof env.name === 'string' &&
    typeof env.account === 'string' &&
    typeof env.region === 'string' &&
    typeof env.credentialSource === 'string';
  return ok ? undefined : 'it lacks name, account, region or credentialSource';
}
