import {
  assumedRoleArn,
  callerIdentity,
  type KeyRecord,
  type MfaDevice,
  type PrincipalStore,
  type RolePrincipal,
} from './principals.js';
import { type ReceivedRequest, verifySigV4 } from './sigv4.js';
import { checkRoleArn, StsFault, Validation, validateRoleParams } from './sts-validation.js';
import { credentialsXml, stsError, stsSuccess, text } from './xml.js';

export interface HandlerOutcome {
  status: number;
  body: string;
  headers: Record<string, string>;
  action?: string;
  accessKeyId?: string;
  principalArn?: string;
  errorCode?: string;
  params?: Record<string, string>;
}

export interface StsContext {
  req: ReceivedRequest;
  store: PrincipalStore;
  now: Date;
  requestId: string;
  /** Issued sessions expire this many seconds after `now`, whatever was requested (expiry tests). */
  lifetimeSeconds?: number;
}

/** When a session issued now for `duration` seconds expires (the test override wins). */
function expiryOf(ctx: StsContext, duration: number): Date {
  return new Date(ctx.now.getTime() + (ctx.lifetimeSeconds ?? duration) * 1000);
}

/** Parameters never kept in the request log: they are secrets in real AWS. */
const SECRET_PARAMS = new Set(['WebIdentityToken', 'TokenCode', 'SAMLAssertion']);

export function parseQueryParams(req: ReceivedRequest): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.query)) params[k] = Array.isArray(v) ? (v[0] ?? '') : v;
  const type = req.headers['content-type'] ?? '';
  if (req.body.length > 0 && type.startsWith('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(req.body.toString('utf8'))) params[k] = v;
  }
  return params;
}

export function stsErrorOutcome(
  status: number,
  code: string,
  message: string,
  requestId: string,
  type: 'Sender' | 'Receiver' = 'Sender',
): HandlerOutcome {
  return {
    status,
    body: stsError(type, code, message, requestId),
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    errorCode: code,
  };
}

export async function handleSts(ctx: StsContext): Promise<HandlerOutcome> {
  const params = parseQueryParams(ctx.req);
  const action = params.Action ?? '';
  const logged = Object.fromEntries(Object.entries(params).filter(([k]) => !SECRET_PARAMS.has(k)));
  const base = { action, params: logged };
  try {
    if (params.Version !== undefined && params.Version !== '2011-06-15') {
      throw new StsFault(
        400,
        'InvalidAction',
        `Could not find operation ${action} for version ${params.Version}`,
      );
    }
    if (action === 'AssumeRoleWithWebIdentity' && !ctx.req.headers.authorization) {
      const result = assumeRoleWithWebIdentity(ctx, params);
      return { ...base, ...ok(action, result, ctx.requestId) };
    }
    if (
      !['GetCallerIdentity', 'AssumeRole', 'GetSessionToken', 'AssumeRoleWithWebIdentity'].includes(action)
    ) {
      throw new StsFault(400, 'InvalidAction', `Could not find operation ${action} for version 2011-06-15`);
    }
    const auth = await verifySigV4(ctx.req, ctx.store, 'sts', ctx.now);
    if (!auth.ok) {
      return {
        ...base,
        ...stsErrorOutcome(auth.status, auth.code, auth.message, ctx.requestId),
        ...(auth.accessKeyId ? { accessKeyId: auth.accessKeyId } : {}),
      };
    }
    const caller = auth.record;
    const who = { accessKeyId: caller.accessKeyId, principalArn: callerIdentity(caller).arn };
    try {
      let result: string;
      if (action === 'GetCallerIdentity') result = getCallerIdentity(caller);
      else if (action === 'AssumeRole') result = assumeRole(ctx, caller, params);
      else if (action === 'GetSessionToken') result = getSessionToken(ctx, caller, params);
      else result = assumeRoleWithWebIdentity(ctx, params);
      return { ...base, ...who, ...ok(action, result, ctx.requestId) };
    } catch (e) {
      if (e instanceof StsFault)
        return { ...base, ...who, ...stsErrorOutcome(e.status, e.code, e.message, ctx.requestId, e.type) };
      throw e;
    }
  } catch (e) {
    if (e instanceof StsFault)
      return { ...base, ...stsErrorOutcome(e.status, e.code, e.message, ctx.requestId, e.type) };
    throw e;
  }
}

function ok(action: string, result: string, requestId: string): HandlerOutcome {
  return {
    status: 200,
    body: stsSuccess(action, result, requestId),
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
  };
}

function getCallerIdentity(caller: KeyRecord): string {
  const id = callerIdentity(caller);
  return text([
    ['Arn', id.arn],
    ['UserId', id.userId],
    ['Account', id.account],
  ]);
}

function denied(callerArn: string, action: string, resource: string): StsFault {
  return new StsFault(
    403,
    'AccessDenied',
    `User: ${callerArn} is not authorized to perform: ${action} on resource: ${resource}`,
  );
}

function trusts(role: RolePrincipal, caller: KeyRecord): boolean {
  const p = caller.principal;
  const accountRoot = `arn:${p.partition}:iam::${p.accountId}:root`;
  const candidates = new Set([callerIdentity(caller).arn, p.arn, accountRoot]);
  return role.trust.some((t) => t === '*' || candidates.has(t));
}

/** The MFA device behind a caller: its own for users/root, none for role sessions. */
function mfaDeviceOf(caller: KeyRecord): MfaDevice | undefined {
  return caller.principal.kind === 'role' ? undefined : caller.principal.mfa;
}

/** Returns true when SerialNumber/TokenCode were given and valid; throws AccessDenied when invalid. */
function checkMfa(caller: KeyRecord, params: Record<string, string>): boolean {
  const { SerialNumber: serial, TokenCode: code } = params;
  if (serial === undefined && code === undefined) return false;
  if (serial === undefined || code === undefined) {
    throw new StsFault(
      403,
      'AccessDenied',
      'MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code.',
    );
  }
  const device = mfaDeviceOf(caller);
  if (!device || device.serial !== serial) {
    throw new StsFault(
      403,
      'AccessDenied',
      'MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.',
    );
  }
  if (device.code !== code) {
    throw new StsFault(
      403,
      'AccessDenied',
      'MultiFactorAuthentication failed with invalid MFA one time pass code. ',
    );
  }
  return true;
}

function assumeRole(ctx: StsContext, caller: KeyRecord, params: Record<string, string>): string {
  const v = new Validation();
  const requested = validateRoleParams(params, v);
  v.length('externalId', params.ExternalId, 2, 1224);
  v.pattern('externalId', params.ExternalId, /^[\w+=,.@:/-]*$/, '[\\w+=,.@:\\/-]*');
  v.length('serialNumber', params.SerialNumber, 9, 256);
  v.length('tokenCode', params.TokenCode, 6, 6);
  v.pattern('tokenCode', params.TokenCode, /^\d*$/, '[\\d]*');
  v.check();
  const roleArn = params.RoleArn ?? '';
  checkRoleArn(roleArn);
  const sessionName = params.RoleSessionName ?? '';
  const callerArn = callerIdentity(caller).arn;
  if (caller.principal.kind === 'root') {
    throw new StsFault(403, 'AccessDenied', 'Roles may not be assumed by root accounts.');
  }
  const role = ctx.store.roleByArn(roleArn);
  if (!role || !trusts(role, caller)) throw denied(callerArn, 'sts:AssumeRole', roleArn);
  if (role.externalId !== undefined && params.ExternalId !== role.externalId) {
    throw denied(callerArn, 'sts:AssumeRole', roleArn);
  }
  const mfaNow = checkMfa(caller, params);
  const mfaAuthenticated = mfaNow || (caller.session?.mfaAuthenticated ?? false);
  if (role.requireMfa && !mfaAuthenticated) throw denied(callerArn, 'sts:AssumeRole', roleArn);

  const chained = caller.principal.kind === 'role';
  const duration = requested ?? 3600;
  if (chained && duration > 3600) {
    throw new StsFault(
      400,
      'ValidationError',
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
  }
  const creds = issueRoleSession(ctx, role, sessionName, duration, mfaAuthenticated);
  return credentialsXml(creds) + assumedRoleUserXml(role, sessionName);
}

/** A session of `role` for `duration` seconds, within the role's MaxSessionDuration (as AWS checks). */
function issueRoleSession(
  ctx: StsContext,
  role: RolePrincipal,
  sessionName: string,
  duration: number,
  mfaAuthenticated: boolean,
) {
  if (duration > role.maxSessionDuration) {
    throw new StsFault(
      400,
      'ValidationError',
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    );
  }
  return ctx.store.issue(role, {
    type: 'assumed-role',
    expiration: expiryOf(ctx, duration),
    mfaAuthenticated,
    roleSessionName: sessionName,
    role,
  });
}

function assumedRoleUserXml(role: RolePrincipal, sessionName: string): string {
  return `<AssumedRoleUser>${text([
    ['AssumedRoleId', `${role.roleId}:${sessionName}`],
    ['Arn', assumedRoleArn(role, sessionName)],
  ])}</AssumedRoleUser>`;
}

function getSessionToken(ctx: StsContext, caller: KeyRecord, params: Record<string, string>): string {
  const v = new Validation();
  const requested = v.range('durationSeconds', params.DurationSeconds, 900, 129600);
  v.length('serialNumber', params.SerialNumber, 9, 256);
  v.length('tokenCode', params.TokenCode, 6, 6);
  v.pattern('tokenCode', params.TokenCode, /^\d*$/, '[\\d]*');
  v.check();
  if (caller.session) {
    throw new StsFault(403, 'AccessDenied', 'Cannot call GetSessionToken with session credentials');
  }
  const mfaAuthenticated = checkMfa(caller, params);
  // The root user's sessions are capped at one hour; AWS silently shortens longer requests.
  const cap = caller.principal.kind === 'root' ? 3600 : 129600;
  const duration = Math.min(requested ?? 43200, cap);
  const principal = caller.principal;
  const creds = ctx.store.issue(principal, {
    type: 'session-token',
    expiration: expiryOf(ctx, duration),
    mfaAuthenticated,
  });
  return credentialsXml(creds);
}

function assumeRoleWithWebIdentity(ctx: StsContext, params: Record<string, string>): string {
  const v = new Validation();
  const requested = validateRoleParams(params, v);
  v.required('webIdentityToken', params.WebIdentityToken);
  v.length('webIdentityToken', params.WebIdentityToken, 4, 20000);
  v.check();
  const roleArn = params.RoleArn ?? '';
  checkRoleArn(roleArn);
  const sessionName = params.RoleSessionName ?? '';
  const role = ctx.store.roleByArn(roleArn);
  if (!role?.webIdentity) {
    throw new StsFault(403, 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity');
  }
  if (params.WebIdentityToken !== role.webIdentity.token) {
    throw new StsFault(
      400,
      'InvalidIdentityToken',
      'The web identity token that was passed could not be validated by Amazon Web Services. Get a new identity token from the identity provider and then retry the request.',
    );
  }
  const { expiresAt } = role.webIdentity;
  if (expiresAt && expiresAt.getTime() <= ctx.now.getTime()) {
    throw new StsFault(
      400,
      'ExpiredTokenException',
      `Token expired: current date/time ${ctx.now.getTime() / 1000} must be before the expiration date/time ${expiresAt.getTime() / 1000}`,
    );
  }
  const duration = requested ?? 3600;
  const creds = issueRoleSession(ctx, role, sessionName, duration, false);
  const provider = role.webIdentity.provider ?? 'oidc.loopback.credkit.test';
  return (
    credentialsXml(creds) +
    text([['SubjectFromWebIdentityToken', role.webIdentity.subject ?? 'system:serviceaccount:default:app']]) +
    assumedRoleUserXml(role, sessionName) +
    text([
      ['Provider', `arn:${role.partition}:iam::${role.accountId}:oidc-provider/${provider}`],
      ['Audience', role.webIdentity.audience ?? 'sts.amazonaws.com'],
    ])
  );
}
