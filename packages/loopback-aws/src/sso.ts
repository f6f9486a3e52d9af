import { createHash, randomBytes } from 'node:crypto';
import type { PrincipalStore, SessionCredentials } from './principals.js';
import type { ReceivedRequest } from './sigv4.js';
import type { HandlerOutcome } from './sts.js';

export interface SsoAccess {
  accessToken: string;
  accountId: string;
  /** Permission set name, as in sso_role_name. */
  roleName: string;
  /** After this instant the portal rejects the token like an expired sign-in. */
  expiresAt?: Date;
  expiresInSeconds?: number;
}

/** Lets the SSO OIDC service refresh the session behind `accessToken`, as `aws sso login` set it up. */
export interface SsoRefreshGrant {
  accessToken: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  /** Lifetime of refreshed access tokens (default one hour). */
  expiresInSeconds?: number;
}

function json(status: number, body: unknown, requestId: string, errorType?: string): HandlerOutcome {
  return {
    status,
    body: JSON.stringify(body),
    headers: {
      'content-type': 'application/json',
      'x-amzn-requestid': requestId,
      ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
    },
    ...(errorType ? { errorCode: errorType } : {}),
  };
}

/**
 * The IAM Identity Center portal API (restJson1) as the SDK's SSO client calls it:
 * GET /federation/credentials?account_id=&role_name= with the bearer token in x-amz-sso_bearer_token.
 */
export class SsoPortal {
  private readonly grants: SsoAccess[] = [];
  private readonly refreshes: SsoRefreshGrant[] = [];

  constructor(private readonly store: PrincipalStore) {}

  add(access: SsoAccess): void {
    this.grants.push(access);
  }

  addRefresh(grant: SsoRefreshGrant): void {
    this.refreshes.push({ ...grant });
  }

  /**
   * SSO OIDC CreateToken with grant_type refresh_token (POST /token, restJson1, unsigned): what the
   * SDK's sso-session token provider calls when the cached token is within 5 minutes of expiry.
   * The new access token inherits the old one's account/role grants; the refresh token rotates.
   */
  createToken(req: ReceivedRequest, now: Date, requestId: string): HandlerOutcome & { action: string } {
    const action = 'CreateToken';
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(req.body.toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      return { action, ...json(400, { error: 'invalid_request' }, requestId, 'InvalidRequestException') };
    }
    if (body.grantType !== 'refresh_token') {
      return {
        action,
        ...json(400, { error: 'unsupported_grant_type' }, requestId, 'UnsupportedGrantTypeException'),
      };
    }
    const forClient = this.refreshes.filter(
      (r) => r.clientId === body.clientId && r.clientSecret === body.clientSecret,
    );
    if (forClient.length === 0) {
      return { action, ...json(401, { error: 'invalid_client' }, requestId, 'InvalidClientException') };
    }
    const grant = forClient.find((r) => r.refreshToken === body.refreshToken);
    if (!grant) {
      const error = { error: 'invalid_grant', error_description: 'Invalid refresh token provided' };
      return { action, ...json(400, error, requestId, 'InvalidGrantException') };
    }
    const expiresIn = grant.expiresInSeconds ?? 3600;
    const accessToken = `aoa${randomBytes(32).toString('base64url')}`;
    const refreshToken = `aor${randomBytes(32).toString('base64url')}`;
    const expiresAt = new Date(now.getTime() + expiresIn * 1000);
    for (const g of this.grants.filter((x) => x.accessToken === grant.accessToken)) {
      this.grants.push({ ...g, accessToken, expiresAt });
    }
    this.refreshes.push({ ...grant, accessToken, refreshToken });
    grant.refreshToken = `${grant.refreshToken}:used`;
    return { action, ...json(200, { accessToken, expiresIn, refreshToken, tokenType: 'Bearer' }, requestId) };
  }

  /** The IAM role Identity Center provisions for a permission set, named the way AWS names it. */
  private roleFor(accountId: string, permissionSet: string) {
    const suffix = createHash('sha1').update(`${accountId}/${permissionSet}`).digest('hex').slice(0, 16);
    const roleName = `AWSReservedSSO_${permissionSet}_${suffix}`;
    const existing = this.store.roleByArn(`arn:aws:iam::${accountId}:role/${roleName}`);
    if (existing) return existing;
    const { roleArn } = this.store.addRole({ accountId, roleName, trust: [] });
    const role = this.store.roleByArn(roleArn);
    if (!role) throw new Error('loopback-aws: SSO role was not registered');
    return role;
  }

  handle(req: ReceivedRequest, now: Date, requestId: string): HandlerOutcome & { action: string } {
    const action = 'GetRoleCredentials';
    if (req.method !== 'GET' || req.path !== '/federation/credentials') {
      return { action, ...json(404, { message: 'Not Found' }, requestId, 'ResourceNotFoundException') };
    }
    const token = req.headers['x-amz-sso_bearer_token'];
    const accountId = typeof req.query.account_id === 'string' ? req.query.account_id : undefined;
    const roleName = typeof req.query.role_name === 'string' ? req.query.role_name : undefined;
    if (!accountId || !roleName || !token) {
      return { action, ...json(400, { message: 'Invalid request' }, requestId, 'InvalidRequestException') };
    }
    const forToken = this.grants.filter((g) => g.accessToken === token);
    const live = forToken.filter((g) => !g.expiresAt || g.expiresAt.getTime() > now.getTime());
    if (live.length === 0) {
      return {
        action,
        ...json(401, { message: 'Session token not found or invalid' }, requestId, 'UnauthorizedException'),
      };
    }
    if (!live.some((g) => g.accountId === accountId && g.roleName === roleName)) {
      return { action, ...json(403, { message: 'No access' }, requestId, 'ForbiddenException') };
    }
    const role = this.roleFor(accountId, roleName);
    const creds: SessionCredentials = this.store.issue(role, {
      type: 'assumed-role',
      expiration: new Date(now.getTime() + 3600 * 1000),
      mfaAuthenticated: false,
      roleSessionName: 'loopback-sso-user',
      role,
    });
    return {
      action,
      ...json(
        200,
        {
          roleCredentials: {
            accessKeyId: creds.accessKeyId,
            secretAccessKey: creds.secretAccessKey,
            sessionToken: creds.sessionToken,
            expiration: creds.expiration.getTime(),
          },
        },
        requestId,
      ),
    };
  }
}
