import { randomBytes } from 'node:crypto';

export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';

export interface MfaDevice {
  /** Serial number or ARN of the virtual MFA device, as the caller passes it in SerialNumber. */
  serial: string;
  /** The one-time code the loopback accepts; a fixed value keeps tests deterministic. */
  code: string;
}

export interface UserPrincipal {
  kind: 'user';
  partition: Partition;
  accountId: string;
  userName: string;
  userId: string;
  arn: string;
  mfa?: MfaDevice;
}

export interface RootPrincipal {
  kind: 'root';
  partition: Partition;
  accountId: string;
  userId: string;
  arn: string;
  mfa?: MfaDevice;
}

export interface WebIdentityTrust {
  /** The only token the role accepts (the loopback does not verify JWT signatures). */
  token: string;
  /** After this instant the token is rejected with ExpiredTokenException, like an expired JWT. */
  expiresAt?: Date;
  provider?: string;
  audience?: string;
  subject?: string;
}

export interface RolePrincipal {
  kind: 'role';
  partition: Partition;
  accountId: string;
  roleName: string;
  roleId: string;
  arn: string;
  /** Principal ARNs allowed to assume the role; '*' means any authenticated principal. */
  trust: string[];
  requireMfa: boolean;
  externalId?: string;
  webIdentity?: WebIdentityTrust;
  maxSessionDuration: number;
}

export type LongTermPrincipal = UserPrincipal | RootPrincipal;

/** What a session key stands for: the principal that obtained it and how. */
export interface SessionInfo {
  sessionToken: string;
  expiration: Date;
  /** 'session-token' = GetSessionToken (acts as the user), 'assumed-role' = AssumeRole*. */
  type: 'session-token' | 'assumed-role';
  mfaAuthenticated: boolean;
  roleSessionName?: string;
  role?: RolePrincipal;
}

export interface KeyRecord {
  accessKeyId: string;
  secretAccessKey: string;
  principal: LongTermPrincipal | RolePrincipal;
  session?: SessionInfo;
}

export interface AccessKeys {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SessionCredentials extends AccessKeys {
  sessionToken: string;
  expiration: Date;
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** AWS unique ids are a 4-letter type prefix plus 16 base32-ish characters (AKIA..., AROA..., AIDA...). */
export function awsId(prefix: string): string {
  const bytes = randomBytes(16);
  let out = prefix;
  for (const b of bytes) out += ID_ALPHABET[b % ID_ALPHABET.length];
  return out;
}

export function randomSecret(): string {
  // 40 characters like a real secret access key.
  return randomBytes(30).toString('base64').replace(/\+/g, 'a').replace(/\//g, 'b');
}

export function randomSessionToken(): string {
  return `IQoJb3JpZ2luX2Vj${randomBytes(192).toString('base64')}`;
}

export function assumedRoleArn(role: RolePrincipal, sessionName: string): string {
  return `arn:${role.partition}:sts::${role.accountId}:assumed-role/${role.roleName}/${sessionName}`;
}

/** The principals the loopback knows, and every key it has issued. */
export class PrincipalStore {
  readonly keys = new Map<string, KeyRecord>();
  readonly roles = new Map<string, RolePrincipal>();
  readonly users = new Map<string, UserPrincipal>();

  addUser(opts: {
    accountId: string;
    userName: string;
    partition?: Partition;
    mfa?: MfaDevice;
  }): AccessKeys & { arn: string; userId: string } {
    const partition = opts.partition ?? 'aws';
    const user: UserPrincipal = {
      kind: 'user',
      partition,
      accountId: opts.accountId,
      userName: opts.userName,
      userId: awsId('AIDA'),
      arn: `arn:${partition}:iam::${opts.accountId}:user/${opts.userName}`,
      ...(opts.mfa ? { mfa: opts.mfa } : {}),
    };
    this.users.set(user.arn, user);
    const keys = this.addKeys(user, 'AKIA');
    return { ...keys, arn: user.arn, userId: user.userId };
  }

  addRoot(opts: { accountId: string; partition?: Partition; mfa?: MfaDevice }): AccessKeys & { arn: string } {
    const partition = opts.partition ?? 'aws';
    const root: RootPrincipal = {
      kind: 'root',
      partition,
      accountId: opts.accountId,
      userId: opts.accountId,
      arn: `arn:${partition}:iam::${opts.accountId}:root`,
      ...(opts.mfa ? { mfa: opts.mfa } : {}),
    };
    const keys = this.addKeys(root, 'AKIA');
    return { ...keys, arn: root.arn };
  }

  addRole(opts: {
    accountId: string;
    roleName: string;
    partition?: Partition;
    trust?: string[];
    requireMfa?: boolean;
    externalId?: string;
    webIdentity?: WebIdentityTrust;
    maxSessionDuration?: number;
  }): { roleArn: string; roleId: string } {
    const partition = opts.partition ?? 'aws';
    const role: RolePrincipal = {
      kind: 'role',
      partition,
      accountId: opts.accountId,
      roleName: opts.roleName,
      roleId: awsId('AROA'),
      arn: `arn:${partition}:iam::${opts.accountId}:role/${opts.roleName}`,
      trust: opts.trust ?? [],
      requireMfa: opts.requireMfa ?? false,
      maxSessionDuration: opts.maxSessionDuration ?? 3600,
      ...(opts.externalId !== undefined ? { externalId: opts.externalId } : {}),
      ...(opts.webIdentity ? { webIdentity: opts.webIdentity } : {}),
    };
    this.roles.set(role.arn, role);
    return { roleArn: role.arn, roleId: role.roleId };
  }

  /** Mints ASIA session keys for a principal, the way STS does for every temporary credential. */
  issue(
    principal: LongTermPrincipal | RolePrincipal,
    session: Omit<SessionInfo, 'sessionToken'>,
  ): SessionCredentials {
    const sessionToken = randomSessionToken();
    const keys = this.addKeys(principal, 'ASIA', { ...session, sessionToken });
    return { ...keys, sessionToken, expiration: session.expiration };
  }

  roleByArn(arn: string): RolePrincipal | undefined {
    return this.roles.get(arn);
  }

  private addKeys(
    principal: KeyRecord['principal'],
    prefix: 'AKIA' | 'ASIA',
    session?: SessionInfo,
  ): AccessKeys {
    const record: KeyRecord = {
      accessKeyId: awsId(prefix),
      secretAccessKey: randomSecret(),
      principal,
      ...(session ? { session } : {}),
    };
    this.keys.set(record.accessKeyId, record);
    return { accessKeyId: record.accessKeyId, secretAccessKey: record.secretAccessKey };
  }
}

/** The identity GetCallerIdentity reports for a key, and the ARN trust policies are matched against. */
export function callerIdentity(record: KeyRecord): { arn: string; userId: string; account: string } {
  const { principal, session } = record;
  if (principal.kind === 'role') {
    const name = session?.roleSessionName ?? 'session';
    return {
      arn: assumedRoleArn(principal, name),
      userId: `${principal.roleId}:${name}`,
      account: principal.accountId,
    };
  }
  return { arn: principal.arn, userId: principal.userId, account: principal.accountId };
}
