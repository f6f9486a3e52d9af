import { randomBytes } from 'node:crypto';
import type { PrincipalStore, RolePrincipal, SessionCredentials } from './principals.js';
import type { ReceivedRequest } from './sigv4.js';
import type { HandlerOutcome } from './sts.js';
import { isoSeconds } from './xml.js';

export interface InstanceRoleOptions {
  accountId: string;
  roleName: string;
  /** Lifetime of the credentials IMDS hands out (default 6 hours, like EC2). */
  expiresInSeconds?: number;
  /**
   * Also answer reads without a token (HttpTokens=optional), so a client's IMDSv1 fallback can be
   * tested (pair it with a 403 fault on GetToken). Default: IMDSv2 only.
   */
  allowV1?: boolean;
}

const TOKEN_PATH = '/latest/api/token';
const CREDS_PATH = '/latest/meta-data/iam/security-credentials/';
const INSTANCE_ID = 'i-0123456789abcdef0';

function plain(
  status: number,
  body: string,
  errorCode?: string,
  headers: Record<string, string> = {},
): HandlerOutcome {
  return {
    status,
    body,
    headers: { 'content-type': 'text/plain', ...headers },
    ...(errorCode ? { errorCode } : {}),
  };
}

/** Role credentials one endpoint hands out: stable until close to expiry, like the real services. */
export class RotatingRoleCredentials {
  private current?: SessionCredentials;

  constructor(
    private readonly store: PrincipalStore,
    readonly role: RolePrincipal,
    private readonly sessionName: string,
    private readonly lifetimeSeconds: number,
  ) {}

  get(now: Date): SessionCredentials {
    // Real IMDS/ECS rotate well before expiry; five minutes keeps the SDK from seeing stale keys.
    if (!this.current || this.current.expiration.getTime() - now.getTime() < 5 * 60 * 1000) {
      this.current = this.store.issue(this.role, {
        type: 'assumed-role',
        expiration: new Date(now.getTime() + this.lifetimeSeconds * 1000),
        mfaAuthenticated: false,
        roleSessionName: this.sessionName,
        role: this.role,
      });
    }
    return this.current;
  }
}

export function roleFor(store: PrincipalStore, accountId: string, roleName: string): RolePrincipal {
  const existing = store.roleByArn(`arn:aws:iam::${accountId}:role/${roleName}`);
  if (existing) return existing;
  const { roleArn } = store.addRole({ accountId, roleName, trust: [] });
  const role = store.roleByArn(roleArn);
  if (!role) throw new Error('loopback-aws: role was not registered');
  return role;
}

/**
 * IMDSv2 only: every metadata read needs a token from PUT /latest/api/token, as on an instance
 * with HttpTokens=required, so a client that falls back to IMDSv1 is caught (401).
 */
export class InstanceMetadata {
  private readonly tokens = new Map<string, number>();
  private creds?: RotatingRoleCredentials;
  private allowV1 = false;

  constructor(private readonly store: PrincipalStore) {}

  setRole(options: InstanceRoleOptions): { roleArn: string } {
    const role = roleFor(this.store, options.accountId, options.roleName);
    this.allowV1 = options.allowV1 === true;
    this.creds = new RotatingRoleCredentials(
      this.store,
      role,
      INSTANCE_ID,
      options.expiresInSeconds ?? 6 * 3600,
    );
    return { roleArn: role.arn };
  }

  static actionOf(req: ReceivedRequest): string {
    if (req.path === TOKEN_PATH) return 'GetToken';
    if (req.path === CREDS_PATH) return 'GetRoleName';
    if (req.path.startsWith(CREDS_PATH)) return 'GetCredentials';
    return 'GetMetadata';
  }

  handle(req: ReceivedRequest, now: Date): HandlerOutcome {
    if (req.path === TOKEN_PATH) {
      if (req.method !== 'PUT') return plain(405, 'Method Not Allowed', 'MethodNotAllowed');
      const ttl = Number(req.headers['x-aws-ec2-metadata-token-ttl-seconds']);
      if (!Number.isInteger(ttl) || ttl < 1 || ttl > 21600) return plain(400, 'Bad Request', 'BadRequest');
      const token = randomBytes(40).toString('base64url');
      this.tokens.set(token, now.getTime() + ttl * 1000);
      return plain(200, token, undefined, { 'x-aws-ec2-metadata-token-ttl-seconds': String(ttl) });
    }
    if (req.method !== 'GET') return plain(405, 'Method Not Allowed', 'MethodNotAllowed');
    const token = req.headers['x-aws-ec2-metadata-token'];
    const until = token ? this.tokens.get(token) : undefined;
    const v1 = token === undefined && this.allowV1;
    if (!v1 && (until === undefined || until <= now.getTime()))
      return plain(401, 'Unauthorized', 'Unauthorized');
    if (!req.path.startsWith(CREDS_PATH) || !this.creds) return plain(404, 'Not Found', 'NotFound');
    const roleName = this.creds.role.roleName;
    if (req.path === CREDS_PATH) return plain(200, roleName);
    if (req.path !== `${CREDS_PATH}${roleName}`) return plain(404, 'Not Found', 'NotFound');
    const c = this.creds.get(now);
    return {
      status: 200,
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify(
        {
          Code: 'Success',
          LastUpdated: isoSeconds(now),
          Type: 'AWS-HMAC',
          AccessKeyId: c.accessKeyId,
          SecretAccessKey: c.secretAccessKey,
          Token: c.sessionToken,
          Expiration: isoSeconds(c.expiration),
        },
        null,
        2,
      ),
    };
  }
}
