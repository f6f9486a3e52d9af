import { type Clock, CredkitError } from '@credkit/temp-creds/errors';
import { ProfileErrorCode as C } from './codes.js';
import type { BasePlan } from './plan.js';
import { quietSdkNodeVersionWarning } from './sdk-warning.js';
import { loadSsoToken } from './sso-token.js';
import { mapStsError } from './sts.js';
import { assertSecureEndpoint, endpointSetting } from './transport.js';
import { type ResolvedCredentials, withSdkFeature } from './types.js';

type SsoPlan = Extract<BasePlan, { kind: 'sso' }>;

/**
 * SSO role credentials. The SDK's `fromSSO` finds the token cache through `process.env.HOME` and
 * reports a missing or expired token as one vague message; here the cache is found from the injected
 * env (see `loadSsoToken`), and each case gets its own code and the exact `aws sso login` command.
 */
export async function resolveSso(
  plan: SsoPlan,
  opts: {
    env: Record<string, string | undefined>;
    homedir?: string;
    now: Clock;
    signal: AbortSignal;
    endpoint?: string;
  },
): Promise<ResolvedCredentials> {
  const login = `aws sso login --profile ${plan.profile}`;
  const details = { profile: plan.profile, ...(plan.session && { ssoSession: plan.session }) };
  const accessToken = await loadSsoToken(plan, opts);
  await quietSdkNodeVersionWarning();
  const { SSOClient, GetRoleCredentialsCommand } = await import('@aws-sdk/client-sso');
  const endpoint = opts.endpoint ?? opts.env.AWS_ENDPOINT_URL_SSO ?? opts.env.AWS_ENDPOINT_URL;
  assertSecureEndpoint(endpoint, endpointSetting(opts.endpoint, opts.env, 'AWS_ENDPOINT_URL_SSO'), opts.env);
  // The SSO API is called with a bearer token; these keys only satisfy the client's config resolution.
  const client = new SSOClient({
    region: plan.region,
    ...(endpoint && { endpoint }),
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
  });
  try {
    const out = await client.send(
      new GetRoleCredentialsCommand({
        accountId: plan.accountId,
        roleName: plan.roleName,
        accessToken,
      }),
      { abortSignal: opts.signal },
    );
    const c = out.roleCredentials;
    if (!c?.accessKeyId || !c.secretAccessKey) {
      throw new CredkitError(C.SSO_ERROR, `SSO returned no credentials for profile "${plan.profile}".`, {
        hint: `Retry, or log in again: ${login}`,
        details,
      });
    }
    const creds: ResolvedCredentials = {
      accessKeyId: c.accessKeyId,
      secretAccessKey: c.secretAccessKey,
      ...(c.sessionToken && { sessionToken: c.sessionToken }),
      ...(c.expiration && { expiration: new Date(c.expiration) }),
      accountId: plan.accountId,
    };
    withSdkFeature(
      creds,
      plan.session ? 'CREDENTIALS_SSO' : 'CREDENTIALS_SSO_LEGACY',
      plan.session ? 's' : 'u',
    );
    return withSdkFeature(
      creds,
      plan.session ? 'CREDENTIALS_PROFILE_SSO' : 'CREDENTIALS_PROFILE_SSO_LEGACY',
      plan.session ? 'r' : 't',
    );
  } catch (error) {
    const name = (error as { name?: string })?.name;
    if (name === 'UnauthorizedException') {
      throw new CredkitError(
        C.SSO_TOKEN_EXPIRED,
        `The SSO portal rejected the cached login for profile "${plan.profile}" (${plan.location}); it has expired or was revoked.`,
        {
          hint: `Log in again: ${login}`,
          details,
        },
      );
    }
    if (name === 'ForbiddenException' || name === 'ResourceNotFoundException') {
      throw new CredkitError(
        C.SSO_ERROR,
        `SSO has no role ${plan.roleName} in account ${plan.accountId} for this login (profile "${plan.profile}", ${plan.location}).`,
        {
          hint: `Check sso_account_id and sso_role_name, or log in with a user that has that assignment: ${login}`,
          details,
        },
      );
    }
    throw mapStsError(error, {
      action: `get SSO role credentials for profile "${plan.profile}"`,
      profile: plan.profile,
      signal: opts.signal,
      service: 'SSO',
      sent: [accessToken],
    });
  } finally {
    client.destroy();
  }
}
