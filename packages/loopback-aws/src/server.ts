import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CONTAINER_PATH, type ContainerCredentialsOptions, ContainerEndpoint } from './container.js';
import {
  applyFault,
  type FaultHandle,
  type FaultKind,
  type FaultOptions,
  type FaultSpec,
  FaultTable,
  type LoopbackService,
} from './faults.js';
import { InstanceMetadata, type InstanceRoleOptions } from './imds.js';
import {
  type AccessKeys,
  callerIdentity,
  type MfaDevice,
  type Partition,
  PrincipalStore,
  type SessionCredentials,
  type WebIdentityTrust,
} from './principals.js';
import type { ReceivedRequest } from './sigv4.js';
import { SsmParameters, ssmActionOf, ssmErrorOutcome } from './ssm.js';
import { type SsoAccess, SsoPortal, type SsoRefreshGrant } from './sso.js';
import { type HandlerOutcome, handleSts, parseQueryParams, stsErrorOutcome } from './sts.js';

export interface LoopbackAwsOptions {
  /**
   * Clock used for signature skew, expirations and issued credentials (default: `Date.now`). It is
   * `Clock` from @credkit/temp-creds, spelled out: temp-creds tests against this package, so
   * importing the type from there would make a dependency cycle.
   */
  now?: () => number;
  /** Port on 127.0.0.1 (default 0: a free port chosen by the OS, which is what tests want). */
  port?: number;
}

export interface LoopbackRequest {
  service: LoopbackService;
  action: string;
  method: string;
  path: string;
  status: number;
  /** The access key that signed an STS request (present even when it was rejected). */
  accessKeyId?: string;
  /** ARN of the authenticated caller (STS), as GetCallerIdentity would report it. */
  principalArn?: string;
  errorCode?: string;
  fault?: FaultKind;
  /** Request parameters (STS Query params, SSO query), without secrets such as WebIdentityToken. */
  params?: Record<string, string>;
  at: Date;
}

// A type alias (not an interface) so the record is assignable to Record<string, string> env maps.
export type LoopbackEnv = {
  AWS_ENDPOINT_URL_STS: string;
  AWS_ENDPOINT_URL_SSO: string;
  AWS_ENDPOINT_URL_SSO_OIDC: string;
  AWS_ENDPOINT_URL_SSM: string;
  AWS_EC2_METADATA_SERVICE_ENDPOINT: string;
  AWS_CONTAINER_CREDENTIALS_FULL_URI: string;
  AWS_CONTAINER_AUTHORIZATION_TOKEN: string;
};

export interface LoopbackAws {
  readonly url: string;
  readonly env: LoopbackEnv;
  readonly requests: LoopbackRequest[];
  /** SSM parameter names stored for one account and region (looks behind the API, for tests). */
  ssmParameterNames(account: string, region: string): string[];
  addUser(opts: {
    accountId: string;
    userName: string;
    partition?: Partition;
    mfa?: MfaDevice;
  }): AccessKeys & {
    arn: string;
    userId: string;
  };
  addRoot(opts: { accountId: string; partition?: Partition; mfa?: MfaDevice }): AccessKeys & { arn: string };
  addRole(opts: {
    accountId: string;
    roleName: string;
    trust?: string[];
    requireMfa?: boolean;
    externalId?: string;
    webIdentity?: WebIdentityTrust;
    maxSessionDuration?: number;
    partition?: Partition;
  }): { roleArn: string; roleId: string };
  /**
   * Session credentials as GetSessionToken (for long-term keys) or AssumeRole (for `{ roleArn }`)
   * would issue them; a negative or zero `expiresInSeconds` gives an already expired session.
   */
  issueSession(
    from: Pick<AccessKeys, 'accessKeyId'> | { roleArn: string; sessionName?: string },
    opts?: { expiresInSeconds?: number; mfaAuthenticated?: boolean },
  ): SessionCredentials & { arn: string };
  /** Makes `code` the one-time code STS accepts for the MFA device `serial` (as if time moved on). */
  setMfaCode(serial: string, code: string): void;
  /**
   * Every STS session issued from now on (AssumeRole, GetSessionToken, web identity) expires
   * `seconds` after the loopback clock's now, whatever duration was requested; undefined restores
   * the requested durations.
   */
  setSessionLifetime(seconds: number | undefined): void;
  /** How many requests reached `action` of `service` (default STS), successful or not. */
  calls(action: string, service?: LoopbackService): number;
  addSsoAccess(access: SsoAccess): void;
  /** SSO OIDC CreateToken (refresh_token grant) then issues a new token with `accessToken`'s grants. */
  addSsoRefresh(grant: SsoRefreshGrant): void;
  setInstanceRole(opts: InstanceRoleOptions): { roleArn: string };
  setContainerCredentials(opts: ContainerCredentialsOptions): { roleArn: string };
  fault(service: LoopbackService, spec: FaultSpec, options?: FaultOptions): FaultHandle;
  clearFaults(): void;
  close(): Promise<void>;
}

function serviceOf(req: ReceivedRequest): LoopbackService {
  const { path } = req;
  // SSM and STS both POST to `/`; SSM's JSON protocol names its operation in X-Amz-Target.
  if (ssmActionOf(req) !== undefined) return 'ssm';
  if (path.startsWith('/federation/')) return 'sso';
  if (path === '/token') return 'sso-oidc';
  if (path.startsWith('/latest/')) return 'imds';
  if (path === CONTAINER_PATH || path.startsWith(`${CONTAINER_PATH}/`)) return 'container';
  return 'sts';
}

async function readRequest(req: IncomingMessage): Promise<ReceivedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) {
    const prev = query[k];
    query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
  }
  return {
    method: req.method ?? 'GET',
    path: decodeURIComponent(url.pathname),
    query,
    headers,
    body: Buffer.concat(chunks),
  };
}

/** Starts the loopback STS / SSO portal / IMDSv2 / ECS endpoints on 127.0.0.1 with a random port. */
export async function startLoopbackAws(options: LoopbackAwsOptions = {}): Promise<LoopbackAws> {
  const clock = options.now ?? Date.now;
  const now = (): Date => new Date(clock());
  const store = new PrincipalStore();
  const sso = new SsoPortal(store);
  const imds = new InstanceMetadata(store);
  const container = new ContainerEndpoint(store);
  const ssm = new SsmParameters();
  const faults = new FaultTable();
  const requests: LoopbackRequest[] = [];
  const closing = new AbortController();
  let closed: Promise<void> | undefined;
  let lifetimeSeconds: number | undefined;

  async function route(
    req: ReceivedRequest,
    service: LoopbackService,
    requestId: string,
    deny: boolean,
  ): Promise<HandlerOutcome> {
    const at = now();
    if (service === 'ssm') return ssm.handle({ req, store, now: at, requestId, deny });
    if (service === 'sts')
      return handleSts({
        req,
        store,
        now: at,
        requestId,
        ...(lifetimeSeconds !== undefined && { lifetimeSeconds }),
      });
    if (service === 'sso') return sso.handle(req, at, requestId);
    if (service === 'sso-oidc') return sso.createToken(req, at, requestId);
    if (service === 'imds') return { action: InstanceMetadata.actionOf(req), ...imds.handle(req, at) };
    return { action: 'GetCredentials', ...container.handle(req, at) };
  }

  function actionOf(req: ReceivedRequest, service: LoopbackService): string {
    if (service === 'sts') return parseQueryParams(req).Action ?? '';
    if (service === 'ssm') return ssmActionOf(req) ?? '';
    if (service === 'sso') return 'GetRoleCredentials';
    if (service === 'sso-oidc') return 'CreateToken';
    if (service === 'imds') return InstanceMetadata.actionOf(req);
    return 'GetCredentials';
  }

  async function onRequest(raw: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const req = await readRequest(raw);
    const service = serviceOf(req);
    const action = actionOf(req, service);
    let outcome: HandlerOutcome | undefined;
    let fault: FaultKind | undefined;
    const spec = faults.take(service, action);
    if (spec) {
      const applied = await applyFault(service, action, spec, requestId, closing.signal, req);
      outcome = applied.outcome;
      fault = applied.kind;
    }
    try {
      // An access-denied fault is answered by the service itself: AWS's message names the caller.
      outcome ??= await route(req, service, requestId, fault === 'accessDenied');
    } catch (e) {
      // A bug in the loopback must surface as a visible 500 in the test, not a hung request.
      const message = e instanceof Error ? e.message : String(e);
      outcome =
        service === 'ssm'
          ? ssmErrorOutcome(500, 'InternalServerError', `loopback-aws bug: ${message}`, requestId)
          : stsErrorOutcome(500, 'InternalFailure', `loopback-aws bug: ${message}`, requestId, 'Receiver');
    }
    requests.push({
      service,
      action: outcome.action ?? action,
      method: req.method,
      path: req.path,
      status: outcome.status,
      ...(outcome.accessKeyId ? { accessKeyId: outcome.accessKeyId } : {}),
      ...(outcome.principalArn ? { principalArn: outcome.principalArn } : {}),
      ...(outcome.errorCode ? { errorCode: outcome.errorCode } : {}),
      ...(fault ? { fault } : {}),
      ...(outcome.params ? { params: outcome.params } : service === 'sso' ? { params: flat(req.query) } : {}),
      at: now(),
    });
    if (res.destroyed) return;
    res.writeHead(outcome.status, { ...outcome.headers, 'content-length': Buffer.byteLength(outcome.body) });
    res.end(outcome.body);
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`loopback-aws bug: ${e instanceof Error ? e.message : String(e)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  const env: LoopbackEnv = {
    AWS_ENDPOINT_URL_STS: url,
    AWS_ENDPOINT_URL_SSO: url,
    AWS_ENDPOINT_URL_SSO_OIDC: url,
    AWS_ENDPOINT_URL_SSM: url,
    AWS_EC2_METADATA_SERVICE_ENDPOINT: url,
    AWS_CONTAINER_CREDENTIALS_FULL_URI: `${url}${CONTAINER_PATH}`,
    AWS_CONTAINER_AUTHORIZATION_TOKEN: container.authorizationToken,
  };

  return {
    url,
    env,
    requests,
    ssmParameterNames: (account, region) => ssm.names(account, region),
    addUser: (opts) => store.addUser(opts),
    addRoot: (opts) => store.addRoot(opts),
    addRole: (opts) => store.addRole(opts),
    issueSession(from, opts = {}) {
      const at = now();
      const expiration = new Date(at.getTime() + (opts.expiresInSeconds ?? 3600) * 1000);
      const mfaAuthenticated = opts.mfaAuthenticated ?? false;
      if ('roleArn' in from) {
        const role = store.roleByArn(from.roleArn);
        if (!role) throw new Error(`loopback-aws: issueSession: no role ${from.roleArn}; call addRole first`);
        const roleSessionName = from.sessionName ?? 'loopback-session';
        const creds = store.issue(role, {
          type: 'assumed-role',
          expiration,
          mfaAuthenticated,
          roleSessionName,
          role,
        });
        const record = store.keys.get(creds.accessKeyId);
        return { ...creds, arn: record ? callerIdentity(record).arn : role.arn };
      }
      const record = store.keys.get(from.accessKeyId);
      if (!record || record.session || record.principal.kind === 'role') {
        throw new Error('loopback-aws: issueSession needs long-term keys returned by addUser/addRoot');
      }
      const creds = store.issue(record.principal, { type: 'session-token', expiration, mfaAuthenticated });
      return { ...creds, arn: record.principal.arn };
    },
    setMfaCode(serial, code) {
      let found = false;
      for (const record of store.keys.values()) {
        const principal = record.principal;
        if (principal.kind !== 'role' && principal.mfa?.serial === serial) {
          principal.mfa = { ...principal.mfa, code };
          found = true;
        }
      }
      if (!found) throw new Error(`loopback-aws: setMfaCode: no user or root has MFA device ${serial}`);
    },
    setSessionLifetime(seconds) {
      lifetimeSeconds = seconds;
    },
    calls: (action, service = 'sts') =>
      requests.filter((r) => r.service === service && r.action === action).length,
    addSsoAccess(access) {
      const expiresAt =
        access.expiresAt ??
        (access.expiresInSeconds !== undefined
          ? new Date(now().getTime() + access.expiresInSeconds * 1000)
          : undefined);
      sso.add({ ...access, ...(expiresAt ? { expiresAt } : {}) });
    },
    addSsoRefresh: (grant) => sso.addRefresh(grant),
    setInstanceRole: (opts) => imds.setRole(opts),
    setContainerCredentials: (opts) => container.set(opts),
    fault: (service, spec, faultOptions) => faults.add(service, spec, faultOptions),
    clearFaults: () => faults.clear(),
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        closing.abort();
        server.close((err) => (err ? reject(err) : resolve()));
        // SDK clients keep sockets alive; without this close() would wait for them to time out.
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

function flat(query: Record<string, string | string[]>): Record<string, string> {
  return Object.fromEntries(Object.entries(query).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]));
}
