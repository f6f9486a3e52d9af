import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { type FromIniInit, fromIni } from '@aws-sdk/credential-provider-ini';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { CredkitError, isCredkitError } from '@credkit/temp-creds/errors';
import { withRoleSessionCache } from '../session-cache/cached.js';
import type { SessionCache } from '../session-cache/store.js';
import type { Diagnostic, SharedConfig } from '../shared-config/types.js';
import { ProfileErrorCode as C } from './codes.js';
import type { Deadline } from './deadline.js';
import type { BasePlan, HopPlan, ProfilePlan } from './graph.js';
import { quietSdkNodeVersionWarning } from './sdk-warning.js';
import { assumeRole, stsClientSettings } from './sts.js';
import {
  displayPath,
  type MfaCodeProvider,
  type ResolvedCredentials,
  type StsClientConfig,
} from './types.js';
import { assertTokenFileReadable, assumeRoleWithWebIdentity } from './web-identity.js';

type Env = Record<string, string | undefined>;
type AssumeRoleParams = Parameters<NonNullable<FromIniInit['roleAssumer']>>[1];
type WebIdentityParams = Parameters<NonNullable<FromIniInit['roleAssumerWithWebIdentity']>>[0];
/** The chains the SDK resolves as well as credkit could: static keys, a session, or a web identity token. */
export type FromIniPlan = ProfilePlan & { base: Extract<BasePlan, { kind: 'static' | 'web-identity' }> };

export interface FromIniContext {
  config: SharedConfig;
  env: Env;
  clientConfig?: StsClientConfig;
  mfaCodeProvider?: MfaCodeProvider;
  /** Role sessions are read from and written to it (see session-cache/cached.ts). */
  sessionCache?: SessionCache;
  deadline: Deadline;
  signal: AbortSignal;
  now: () => number;
}

/** The SDK's `DurationSeconds` when the profile sets none (`resolveAssumeRoleCredentials`). */
const SDK_DEFAULT_DURATION = 3600;
/** Session names the SDK makes up when the profile sets none; credkit names its own sessions instead. */
const SDK_SESSION_NAME = /^aws-sdk-js-\d+$/;
const SDK_WEB_SESSION_NAME = /^aws-sdk-js-session-\d+$/;
/** Returned for the MFA prompts of outer hops once an inner hop failed; never reaches STS. */
const UNUSED_CODE = '000000';

/**
 * Resolves a role chain (or a web identity profile) with the SDK's `fromIni`: the SDK reads the files
 * with its own parser and walks source_profile, credkit makes every STS call (`roleAssumer`,
 * `roleAssumerWithWebIdentity`) so each one is bounded by the deadline, reaches the endpoint of the
 * injected env and fails with a code naming the role and profile. The plan was already checked with
 * the standard's parser; every call the SDK makes is compared with it (role, source keys, external_id,
 * mfa_serial, role_session_name, duration_seconds), so a file the two parsers read differently fails
 * with SDK_PROFILE_MISMATCH instead of assuming a role nobody configured.
 */
export async function resolveThroughFromIni(
  plan: FromIniPlan,
  ctx: FromIniContext,
): Promise<ResolvedCredentials> {
  const { env, signal } = ctx;
  const base = plan.base;
  if (base.kind === 'web-identity') await assertTokenFileReadable(webContext(base));
  await quietSdkNodeVersionWarning();
  let roleCalls = 0;
  let webCalls = 0;
  // The credentials credkit's last STS call returned: the SDK must pass them on unchanged.
  let last: ResolvedCredentials | undefined;
  // MFA prompts, one at a time (the SDK asks for every hop's code before assuming the inner role).
  let asking: Promise<unknown> = Promise.resolve();
  // The first failure: later prompts are pointless, and the SDK will not use their codes.
  let stopped: { error: unknown } | undefined;
  /**
   * While an outer hop waits for its MFA code, the SDK has not yet awaited the inner hop's promise:
   * rejecting it then would be an unhandled rejection, which ends a Node process. So a failing STS
   * call waits for the prompt in progress before it throws.
   */
  const afterPrompts = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      if (stopped) throw stopped.error;
      return await work();
    } catch (error) {
      stopped ??= { error };
      await asking;
      throw error;
    }
  };

  const roleAssumer = (source: AwsCredentialIdentity, params: AssumeRoleParams) =>
    afterPrompts(() => assumeStep(source, params));
  const assumeStep = async (source: AwsCredentialIdentity, params: AssumeRoleParams) => {
    const step = roleCalls++;
    const hop = plan.hops[step];
    if (!hop || hop.roleArn !== params.RoleArn)
      throw mismatch(plan, ctx, `at step ${step + 1} it assumes a role that the chain does not have there`);
    const expected = step === 0 && base.kind === 'static' ? base : last;
    if (!expected || !sameKeys(source, expected))
      throw mismatch(
        plan,
        ctx,
        `it reads other credentials from profile "${plan.chain[plan.chain.length - 1 - step]}", the source of profile "${hop.profile}"`,
      );
    const differs = differingSettings(hop, params);
    if (differs.length > 0)
      throw mismatch(plan, ctx, `it reads ${differs.join(', ')} of profile "${hop.profile}" differently`);
    // Session cache hook for chains the SDK walks: the SDK has already asked for the MFA code here,
    // so only the STS call is saved (resolveProfile checked the requested role's session first).
    last = await withRoleSessionCache(ctx.sessionCache, hop, () =>
      assumeRole(
        source,
        {
          ...hop,
          sessionName: hop.sessionName ?? `credkit-${ctx.now()}`,
          ...(params.DurationSeconds !== undefined && { durationSeconds: params.DurationSeconds }),
          ...(params.TokenCode !== undefined && { mfaCode: params.TokenCode }),
        },
        env,
        ctx.clientConfig,
        signal,
      ),
    );
    return last;
  };

  const roleAssumerWithWebIdentity = (params: WebIdentityParams) => afterPrompts(() => assumeWebStep(params));
  const assumeWebStep = async (params: WebIdentityParams) => {
    webCalls++;
    if (base.kind !== 'web-identity' || webCalls > 1 || params.RoleArn !== base.roleArn)
      throw mismatch(plan, ctx, 'it assumes a web identity role that the profile does not configure');
    const sessionOk = base.sessionName
      ? params.RoleSessionName === base.sessionName
      : SDK_WEB_SESSION_NAME.test(params.RoleSessionName);
    if (!sessionOk)
      throw mismatch(plan, ctx, `it reads role_session_name of profile "${base.profile}" differently`);
    // The SDK read the token from the path it parsed; it must be the file the standard names.
    const token = await readFile(base.tokenFile, 'ascii').catch(() => undefined);
    if (token !== params.WebIdentityToken)
      throw mismatch(plan, ctx, `it reads web_identity_token_file of profile "${base.profile}" differently`);
    last = await assumeRoleWithWebIdentity(
      { ...params, RoleSessionName: base.sessionName ?? `credkit-web-identity-${ctx.now()}` },
      webContext(base),
      env,
      ctx.clientConfig,
      signal,
    );
    return last;
  };

  const ask = ctx.mfaCodeProvider;
  const provider = fromIni({
    profile: plan.profile,
    filepath: ctx.config.credentialsFile.path,
    configFilepath: ctx.config.configFile.path,
    // Edits between two resolutions must be seen, as credkit's own reading sees them.
    ignoreCache: true,
    ...(ask && {
      // A person reading a phone is not part of the time budget.
      mfaCodeProvider: (serial: string) => {
        const code = asking.then(async () => {
          // An inner hop failed: this hop's role is never assumed (the SDK awaits the inner hop
          // first), so the user is not asked and the code is never sent.
          if (stopped) return UNUSED_CODE;
          ctx.deadline.pause();
          try {
            return await ask(serial);
          } catch (error) {
            stopped ??= { error };
            throw error;
          } finally {
            ctx.deadline.resume();
          }
        });
        asking = code.catch(() => undefined);
        return code;
      },
    }),
    roleAssumer,
    roleAssumerWithWebIdentity,
    // Unused while credkit assumes every role, but keeps any client the SDK makes on the injected env.
    clientConfig: stsClientSettings(env, ctx.clientConfig),
  });
  let resolved: AwsCredentialIdentity;
  try {
    resolved = await provider();
  } catch (error) {
    if (isCredkitError(error) || (stopped && error === stopped.error)) throw error;
    if (signal.aborted && isCredkitError(signal.reason)) throw signal.reason;
    throw mismatch(plan, ctx, sdkFailure(error));
  }
  const webExpected = base.kind === 'web-identity' ? 1 : 0;
  if (roleCalls !== plan.hops.length || webCalls !== webExpected || resolved !== last) {
    throw mismatch(
      plan,
      ctx,
      `it assumes ${roleCalls + webCalls} role(s) where the chain has ${plan.hops.length + webExpected}`,
    );
  }
  return resolved as ResolvedCredentials;
}

function webContext(base: Extract<BasePlan, { kind: 'web-identity' }>) {
  return { roleArn: base.roleArn, tokenFile: base.tokenFile, location: base.location, profile: base.profile };
}

function sameKeys(
  a: AwsCredentialIdentity,
  b: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
) {
  return (
    a.accessKeyId === b.accessKeyId &&
    a.secretAccessKey === b.secretAccessKey &&
    (a.sessionToken || undefined) === (b.sessionToken || undefined)
  );
}

/** Property names (never values: external_id is half a secret) the SDK read differently from the plan. */
function differingSettings(hop: HopPlan, params: AssumeRoleParams): string[] {
  const differs: string[] = [];
  if ((params.ExternalId || undefined) !== hop.externalId) differs.push('external_id');
  if ((params.SerialNumber || undefined) !== hop.mfaSerial) differs.push('mfa_serial');
  if (
    hop.sessionName
      ? params.RoleSessionName !== hop.sessionName
      : !SDK_SESSION_NAME.test(params.RoleSessionName)
  )
    differs.push('role_session_name');
  if (params.DurationSeconds !== (hop.durationSeconds ?? SDK_DEFAULT_DURATION))
    differs.push('duration_seconds');
  return differs;
}

/**
 * What the SDK's own error means, in credkit's words: its message is never shown, since it could echo
 * file content (the SDK quotes profile names and, in places, values).
 */
function sdkFailure(error: unknown): string {
  const message =
    typeof (error as { message?: unknown })?.message === 'string' ? (error as Error).message : '';
  if (message.startsWith('Could not resolve credentials using profile'))
    return 'it finds no usable credential settings in the profile or one of its source profiles';
  if (message.startsWith('Detected a cycle')) return 'it finds a source_profile cycle';
  if (message.includes('requires multi-factor authentication'))
    return 'it finds an mfa_serial that the standard does not see';
  const name = (error as { name?: unknown })?.name;
  return `it fails (${typeof name === 'string' && /^\w{1,64}$/.test(name) ? name : 'Error'})`;
}

/** Codes of diagnostics that mark lines the SDK reads differently from the standard. */
const SDK_READS_DIFFERENTLY = /^SDK_JS_/;

export function sdkDiagnosticsFor(config: SharedConfig, profiles: readonly string[]): Diagnostic[] {
  return config.diagnostics.filter(
    (d) => SDK_READS_DIFFERENTLY.test(d.code) && (d.profile === undefined || profiles.includes(d.profile)),
  );
}

function mismatch(plan: ProfilePlan, ctx: FromIniContext, reason: string): CredkitError {
  let what = reason;
  const { config, env } = ctx;
  const at = (p: { file: string; line: number }) => `${displayPath(p.file, env)}:${p.line}`;
  const where =
    config.profiles.get(plan.profile)?.definedIn.map(at).join(', ') ?? displayPath(plan.file, env);
  const files = `${displayPath(config.configFile.path, env)} and ${displayPath(config.credentialsFile.path, env)}`;
  const diagnostics = sdkDiagnosticsFor(config, plan.chain);
  // A sharedConfig built in memory is not what the SDK reads: say so rather than blame the file.
  const onDisk = existsSync(config.configFile.path) || existsSync(config.credentialsFile.path);
  if (!onDisk)
    what = `${what}; neither file exists on disk, so the sharedConfig passed in was not read from them`;
  const shown = diagnostics.slice(0, 5).map((d) => `${at(d)} ${d.code}: ${d.message}`);
  return new CredkitError(
    C.SDK_PROFILE_MISMATCH,
    `Profile "${plan.profile}" (${where}) resolves differently in the AWS SDK for JavaScript, which reads ${files} itself: ${what}. credkit stopped rather than use credentials nobody configured.`,
    {
      hint:
        shown.length > 0
          ? `Fix the lines the SDK reads differently from the standard: ${shown.join('; ')}${diagnostics.length > shown.length ? `; and ${diagnostics.length - shown.length} more (credkit profiles)` : ''}.`
          : `Write the profiles of the chain (${plan.chain.join(', ')}) as "aws configure" does: lower-case names, "[profile NAME]" headers with a space before any comment, no continuation lines. "credkit profiles" lists what each parser sees.`,
      details: {
        profile: plan.profile,
        chain: plan.chain,
        configFile: config.configFile.path,
        credentialsFile: config.credentialsFile.path,
        diagnostics: diagnostics.map((d) => ({ code: d.code, file: d.file, line: d.line })),
      },
    },
  );
}
