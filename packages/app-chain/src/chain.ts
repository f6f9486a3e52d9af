import {
  type CredentialSourceInfo,
  ProfileErrorCode,
  type ResolvedCredentials,
  resolveProfile,
} from '@credkit/env-selector';
import {
  chooseSource,
  containerConfigured,
  containerEndpoint,
  DEFAULT_CONTAINER_TIMEOUT_MS,
  DEFAULT_IMDS_TIMEOUT_MS,
  Deadline,
  displayPath,
  envKeyPair,
  INSECURE_ENDPOINT,
  imdsDisabled,
  imdsEndpoint,
  metadataTimeoutMs,
  planProfile,
  profileMetadataSettings,
  resolveContainerCredentials,
  resolveImdsCredentials,
  resolveWebIdentityTokenFile,
  usedImdsV1,
  withSdkFeature,
  withSource,
} from '@credkit/env-selector/providers';
import { loadSharedConfig, type SharedConfig } from '@credkit/env-selector/shared-config';
import { CredkitError, isCredkitError } from '@credkit/temp-creds/errors';
import { AppChainErrorCode as C } from './codes.js';
import type { AppChainOptions, AppChainWarning } from './options.js';

export const DEFAULT_TIMEOUT_MS = 60_000;

export type LinkName =
  | 'profile option'
  | 'AWS_PROFILE'
  | 'AWS_DEFAULT_PROFILE'
  | 'environment variables'
  | '[default] profile'
  | 'web identity (AWS_WEB_IDENTITY_TOKEN_FILE)'
  | 'container (AWS_CONTAINER_CREDENTIALS_*)'
  | 'instance metadata (IMDS)';

export type LinkReport =
  | { name: LinkName; status: 'resolved'; source: CredentialSourceInfo }
  | { name: LinkName; status: 'skipped'; reason: string }
  | { name: LinkName; status: 'failed'; error: CredkitError };

type Env = Record<string, string | undefined>;
type Outcome = { skip: string } | { credentials: ResolvedCredentials };
interface Ctx {
  options: AppChainOptions;
  env: Env;
  warn: (w: AppChainWarning) => void;
  config: () => Promise<SharedConfig>;
  signal: AbortSignal;
  deadline: Deadline;
}
interface Link {
  name: LinkName;
  run(ctx: Ctx): Promise<Outcome>;
}

const set = (v: string | undefined) => (v !== undefined && v.trim() !== '' ? v.trim() : undefined);

function profileOptions(ctx: Ctx, profile: string, config: SharedConfig) {
  const { options } = ctx;
  return {
    profile,
    env: ctx.env,
    sharedConfig: config,
    ...(options.mfaCodeProvider && {
      // The person typing an MFA code is not part of the time budget.
      mfaCodeProvider: async (serial: string) => {
        ctx.deadline.pause();
        try {
          return await options.mfaCodeProvider!(serial);
        } finally {
          ctx.deadline.resume();
        }
      },
    }),
    ...(options.clientConfig && { clientConfig: options.clientConfig }),
    ...(options.processTimeoutMs !== undefined && { processTimeoutMs: options.processTimeoutMs }),
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    ...(options.now && { now: options.now }),
    ...(options.sessionCache !== undefined && {
      sessionCache: options.sessionCache,
      onWarning: (message: string) => ctx.warn({ code: 'SESSION_NOT_CACHED', message }),
    }),
  };
}

/**
 * `ec2_metadata_v1_disabled` and `metadata_service_timeout` of the profile the SDK would read them
 * from (profile option, AWS_PROFILE, default).
 */
async function metadataSettings(ctx: Ctx): Promise<ReturnType<typeof profileMetadataSettings>> {
  const name = set(ctx.options.profile) ?? set(ctx.env.AWS_PROFILE) ?? 'default';
  try {
    return profileMetadataSettings(name, (await ctx.config()).profiles.get(name)?.properties);
  } catch {
    // Unreadable files were already reported by the profile links; the env variables still apply.
    return {};
  }
}

const LINKS: Link[] = [
  {
    name: 'profile option',
    async run(ctx) {
      const profile = set(ctx.options.profile);
      if (!profile) return { skip: 'no profile option given' };
      return { credentials: await resolveProfile(profileOptions(ctx, profile, await ctx.config())) };
    },
  },
  namedByVariable('AWS_PROFILE'),
  namedByVariable('AWS_DEFAULT_PROFILE'),
  {
    name: 'environment variables',
    async run(ctx) {
      const { env } = ctx;
      const id = set(env.AWS_ACCESS_KEY_ID);
      const secret = set(env.AWS_SECRET_ACCESS_KEY);
      if (!id && !secret) {
        if (set(env.AWS_SESSION_TOKEN))
          throw incompleteEnv(
            'AWS_SESSION_TOKEN is set but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not',
          );
        return { skip: 'AWS_ACCESS_KEY_ID is not set' };
      }
      if (!id || !secret) {
        throw incompleteEnv(
          `${id ? 'AWS_ACCESS_KEY_ID' : 'AWS_SECRET_ACCESS_KEY'} is set but ${id ? 'AWS_SECRET_ACCESS_KEY' : 'AWS_ACCESS_KEY_ID'} is not`,
        );
      }
      const mode = ctx.options.envCredentials ?? 'warn';
      if (mode === 'refuse') {
        throw new CredkitError(
          C.ENV_CREDENTIALS_REFUSED,
          'Application credentials came from the AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY environment variables, which this configuration refuses.',
          {
            hint: 'Use a named profile: aws configure --profile NAME, then export AWS_PROFILE=NAME (and unset AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN).',
            details: { variable: 'AWS_ACCESS_KEY_ID' },
          },
        );
      }
      if (mode === 'warn') {
        ctx.warn({
          code: 'ENV_CREDENTIALS',
          message:
            "Application credentials come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY. Environment variables are easily overridden or expire, and the application's metadata would then become unreachable. Use a named profile instead: aws configure --profile NAME, then export AWS_PROFILE=NAME.",
        });
      }
      const creds = envKeyPair(env)!;
      if (creds.expiration && creds.expiration.getTime() <= (ctx.options.now ?? Date.now)()) {
        throw new CredkitError(
          'CREDENTIALS_EXPIRED',
          `The environment credentials expired at ${creds.expiration.toISOString()} (AWS_CREDENTIAL_EXPIRATION).`,
          {
            hint: 'Export fresh credentials, or better, use a named profile: export AWS_PROFILE=NAME.',
            details: { variable: 'AWS_CREDENTIAL_EXPIRATION' },
          },
        );
      }
      const vars = [
        'AWS_ACCESS_KEY_ID',
        'AWS_SECRET_ACCESS_KEY',
        ...(creds.sessionToken ? ['AWS_SESSION_TOKEN'] : []),
      ];
      return {
        credentials: withSource(creds, {
          kind: 'env',
          description: `environment variables ${vars.join(', ')}`,
        }),
      };
    },
  },
  {
    name: '[default] profile',
    async run(ctx) {
      const config = await ctx.config();
      const section = config.profiles.get('default');
      if (section === undefined) {
        return {
          skip: `no [default] profile in ${displayPath(config.configFile.path, ctx.env)} or ${displayPath(config.credentialsFile.path, ctx.env)}`,
        };
      }
      // Nobody named [default]: when it holds no credential setting at all (often just a region, on
      // EC2, ECS or CodeBuild), every AWS SDK and the AWS CLI go on to web identity, container and
      // instance metadata. A named profile without credentials fails instead (see README).
      const choice = chooseSource(section, config);
      if (choice.problem !== undefined && choice.setting === undefined) {
        const where = section.definedIn.map((d) => `${displayPath(d.file, ctx.env)}:${d.line}`).join(', ');
        return { skip: `[default] (${where}) has no credentials: ${choice.problem.reason}` };
      }
      return { credentials: await resolveProfile(profileOptions(ctx, 'default', config)) };
    },
  },
  {
    name: 'web identity (AWS_WEB_IDENTITY_TOKEN_FILE)',
    async run(ctx) {
      const tokenFile = set(ctx.env.AWS_WEB_IDENTITY_TOKEN_FILE);
      const roleArn = set(ctx.env.AWS_ROLE_ARN);
      if (!tokenFile) return { skip: 'AWS_WEB_IDENTITY_TOKEN_FILE is not set' };
      if (!roleArn) throw incompleteEnv('AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not');
      const sessionName = set(ctx.env.AWS_ROLE_SESSION_NAME);
      const creds = await resolveWebIdentityTokenFile(
        { roleArn, tokenFile, ...(sessionName && { sessionName }), location: 'AWS_WEB_IDENTITY_TOKEN_FILE' },
        ctx.env,
        ctx.options.clientConfig,
        ctx.signal,
      );
      withSdkFeature(creds, 'CREDENTIALS_ENV_VARS_STS_WEB_ID_TOKEN', 'h');
      return {
        credentials: withSource(creds, {
          kind: 'web-identity',
          description: `web identity token ${displayPath(tokenFile, ctx.env)} for role ${roleArn} (AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN)`,
        }),
      };
    },
  },
  {
    name: 'container (AWS_CONTAINER_CREDENTIALS_*)',
    async run(ctx) {
      if (!containerConfigured(ctx.env))
        return {
          skip: 'AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_CREDENTIALS_RELATIVE_URI are not set',
        };
      const { url } = containerEndpoint(ctx.env);
      const { timeout } = await metadataSettings(ctx);
      const timeoutMs = metadataTimeoutMs(ctx.env, timeout, DEFAULT_CONTAINER_TIMEOUT_MS);
      const creds = await resolveContainerCredentials(ctx.env, { signal: ctx.signal, timeoutMs });
      return {
        credentials: withSource(creds, {
          kind: 'container',
          description: `container credentials endpoint ${url}`,
        }),
      };
    },
  },
  {
    name: 'instance metadata (IMDS)',
    async run(ctx) {
      if (imdsDisabled(ctx.env)) return { skip: 'AWS_EC2_METADATA_DISABLED is true' };
      const settings = await metadataSettings(ctx);
      // A wrong setting fails this link as itself, before the probe.
      const timeoutMs =
        ctx.options.imdsTimeoutMs ?? metadataTimeoutMs(ctx.env, settings.timeout, DEFAULT_IMDS_TIMEOUT_MS);
      try {
        const creds = await resolveImdsCredentials(ctx.env, {
          timeoutMs,
          signal: ctx.signal,
          profileV1Disabled: settings.v1Disabled,
        });
        withSdkFeature(creds, 'CREDENTIALS_IMDS', '0');
        const v1 = usedImdsV1(creds)
          ? ' through IMDSv1 (the token request was refused; set AWS_EC2_METADATA_V1_DISABLED=true to forbid it)'
          : '';
        return {
          credentials: withSource(creds, {
            kind: 'imds',
            description: `instance metadata (IMDS) at ${imdsEndpoint(ctx.env)}${v1}`,
          }),
        };
      } catch (error) {
        // A wrong endpoint setting is the user's mistake, not a probe that found nothing: it fails as itself.
        if (
          ctx.signal.aborted ||
          isCredkitError(error, INSECURE_ENDPOINT) ||
          isCredkitError(error, ProfileErrorCode.PROFILE_INVALID_VALUE)
        )
          throw error;
        // Off EC2 this link is a probe that finds nothing; its failure is why it did not apply.
        const why = isCredkitError(error)
          ? error.message.replace(/^Instance metadata at \S+ gave no credentials: /, '').replace(/\.$/, '')
          : 'no response';
        const host = new URL(imdsEndpoint(ctx.env)).host;
        return {
          skip: why.startsWith('no response')
            ? `no response from ${host} within ${timeoutMs} ms`
            : `${host}: ${why}`,
        };
      }
    },
  },
];

/**
 * Whether the profile's plan ends in `credential_source = Environment`: the key variables are then
 * the profile's own source, not something it overrides. A broken plan fails later, as itself.
 */
async function readsEnvironmentKeys(ctx: Ctx, profile: string): Promise<boolean> {
  try {
    const { base } = planProfile(await ctx.config(), profile, ctx.env);
    return base.kind === 'credential-source' && base.source === 'Environment';
  } catch {
    return false;
  }
}

/**
 * The profile named by AWS_PROFILE, or by AWS_DEFAULT_PROFILE when AWS_PROFILE is unset (the AWS
 * CLI's order). A named profile is used or fails as itself; it never falls through to [default].
 */
function namedByVariable(variable: 'AWS_PROFILE' | 'AWS_DEFAULT_PROFILE'): Link {
  return {
    name: variable,
    async run(ctx) {
      const profile = set(ctx.env[variable]);
      if (!profile) return { skip: `${variable} is not set` };
      if (variable === 'AWS_DEFAULT_PROFILE' && set(ctx.env.AWS_PROFILE))
        return { skip: 'AWS_PROFILE is set and comes first' };
      if (set(ctx.env.AWS_ACCESS_KEY_ID) && !(await readsEnvironmentKeys(ctx, profile))) {
        ctx.warn({
          code: 'AWS_PROFILE_OVERRIDES_ENV_KEYS',
          message: `Both ${variable}=${profile} and AWS_ACCESS_KEY_ID are set; using profile "${profile}" and ignoring the AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY variables. Unset one of them to remove the ambiguity.`,
        });
      }
      try {
        return { credentials: await resolveProfile(profileOptions(ctx, profile, await ctx.config())) };
      } catch (error) {
        if (isCredkitError(error, 'PROFILE_NOT_FOUND')) {
          throw new CredkitError(
            error.code,
            `${variable}=${profile} names a profile that does not exist. ${error.message}`,
            {
              // The library hint already offers to create the profile and lists the near names.
              hint: `Fix ${variable} or unset it. ${error.hint ?? ''}`.trim(),
              details: { ...error.details, variable },
            },
          );
        }
        throw error;
      }
    },
  };
}

function incompleteEnv(why: string): CredkitError {
  return new CredkitError(C.ENV_CREDENTIALS_INCOMPLETE, `The environment is half configured: ${why}.`, {
    hint: 'Set the missing variable or unset the partial one; better, use a named profile: export AWS_PROFILE=NAME.',
  });
}

export interface ChainRun {
  credentials?: ResolvedCredentials;
  links: LinkReport[];
  error?: CredkitError;
}

/** Walks the links in order. A link that applies but is broken stops the walk with its own error. */
export async function runChain(
  options: AppChainOptions,
  warn: (w: AppChainWarning) => void,
): Promise<ChainRun> {
  const env = options.env ?? process.env;
  let loaded: Promise<SharedConfig> | undefined;
  const config = () =>
    (loaded ??= (
      options.sharedConfig !== undefined
        ? Promise.resolve(options.sharedConfig)
        : loadSharedConfig({
            env,
            ...(options.configFile !== undefined && { configFile: options.configFile }),
            ...(options.credentialsFile !== undefined && { credentialsFile: options.credentialsFile }),
          })
    ).then((shared) => {
      // A secret file others can read is worth one warning wherever credentials come from.
      for (const d of shared.diagnostics)
        if (d.code === 'FILE_PERMISSIONS_TOO_OPEN') warn({ code: d.code, message: d.message });
      return shared;
    }));
  const deadline = new Deadline(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, 'application credentials');
  const ctx: Ctx = { options, env, warn, config, signal: deadline.signal, deadline };
  const links: LinkReport[] = [];
  try {
    return await deadline.run(async () => {
      for (const [i, link] of LINKS.entries()) {
        let outcome: Outcome;
        try {
          outcome = await link.run(ctx);
        } catch (error) {
          const e = toCredkitError(error);
          links.push({ name: link.name, status: 'failed', error: e });
          for (const later of LINKS.slice(i + 1))
            links.push({ name: later.name, status: 'skipped', reason: `not reached: "${link.name}" failed` });
          return { links, error: e };
        }
        if ('skip' in outcome) {
          links.push({ name: link.name, status: 'skipped', reason: outcome.skip });
          continue;
        }
        const source = outcome.credentials.source!;
        links.push({ name: link.name, status: 'resolved', source });
        for (const later of LINKS.slice(i + 1))
          links.push({
            name: later.name,
            status: 'skipped',
            reason: `not needed: resolved by "${link.name}"`,
          });
        return { credentials: outcome.credentials, links };
      }
      return { links, error: noCredentials(links) };
    });
  } catch (error) {
    const e = toCredkitError(error);
    const tried = new Set(links.map((l) => l.name));
    const current = LINKS.find((l) => !tried.has(l.name));
    if (current) links.push({ name: current.name, status: 'failed', error: e });
    return { links, error: e };
  }
}

function noCredentials(links: LinkReport[]): CredkitError {
  // A profile option nobody gave was not tried: listing it would point at a setting the user of a
  // command line (credkit, or a tool built on this chain) may not even have. `details` keeps it.
  const lines = links
    .filter((l) => !(l.name === 'profile option' && l.status === 'skipped'))
    .map((l) => `  - ${l.name}: ${l.status === 'skipped' ? l.reason : l.status}`);
  return new CredkitError(
    C.NO_CREDENTIALS,
    `No application credentials found. Tried, in order:\n${lines.join('\n')}`,
    {
      hint: 'Create a named profile and select it: aws configure --profile NAME, then export AWS_PROFILE=NAME.',
      details: {
        links: links.map((l) => ({
          name: l.name,
          status: l.status,
          ...(l.status === 'skipped' && { reason: l.reason }),
        })),
      },
    },
  );
}

function toCredkitError(error: unknown): CredkitError {
  if (isCredkitError(error)) return error;
  // Unknown failures keep only their name: an SDK message could quote input.
  const name = (error as { name?: string })?.name ?? 'Error';
  return new CredkitError(
    'UNEXPECTED_ERROR',
    `Resolving application credentials failed unexpectedly (${name}).`,
    {
      hint: 'Run credkit app explain for the full trail; report it if it persists.',
    },
  );
}
