import { randomBytes } from 'node:crypto';
import { RotatingRoleCredentials, roleFor } from './imds.js';
import type { PrincipalStore } from './principals.js';
import type { ReceivedRequest } from './sigv4.js';
import type { HandlerOutcome } from './sts.js';
import { isoSeconds } from './xml.js';

export const CONTAINER_PATH = '/container-credentials';

export interface ContainerCredentialsOptions {
  accountId: string;
  roleName: string;
  /** Lifetime of the task role credentials (default 6 hours). */
  expiresInSeconds?: number;
}

function json(status: number, body: unknown, errorCode?: string): HandlerOutcome {
  return {
    status,
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
    ...(errorCode ? { errorCode } : {}),
  };
}

/**
 * The ECS / EKS Pod Identity credentials endpoint reached through AWS_CONTAINER_CREDENTIALS_FULL_URI;
 * the request must carry AWS_CONTAINER_AUTHORIZATION_TOKEN in its Authorization header.
 */
export class ContainerEndpoint {
  readonly authorizationToken = randomBytes(24).toString('base64url');
  private creds?: RotatingRoleCredentials;

  constructor(private readonly store: PrincipalStore) {}

  set(options: ContainerCredentialsOptions): { roleArn: string } {
    const role = roleFor(this.store, options.accountId, options.roleName);
    this.creds = new RotatingRoleCredentials(
      this.store,
      role,
      'ecs-task-loopback',
      options.expiresInSeconds ?? 6 * 3600,
    );
    return { roleArn: role.arn };
  }

  handle(req: ReceivedRequest, now: Date): HandlerOutcome {
    if (req.method !== 'GET')
      return json(405, { code: 'MethodNotAllowed', message: 'Method Not Allowed' }, 'MethodNotAllowed');
    if (req.headers.authorization !== this.authorizationToken) {
      return json(
        401,
        { code: 'AccessDeniedException', message: 'Invalid or missing authorization token' },
        'AccessDeniedException',
      );
    }
    if (!this.creds) return json(404, { code: 'NotFound', message: 'No task role configured' }, 'NotFound');
    const c = this.creds.get(now);
    return json(200, {
      AccessKeyId: c.accessKeyId,
      SecretAccessKey: c.secretAccessKey,
      Token: c.sessionToken,
      Expiration: isoSeconds(c.expiration),
      RoleArn: this.creds.role.arn,
    });
  }
}
