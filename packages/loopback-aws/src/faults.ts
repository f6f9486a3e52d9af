import { setTimeout as sleep } from 'node:timers/promises';
import type { ReceivedRequest } from './sigv4.js';
import { ssmErrorOutcome } from './ssm.js';
import type { HandlerOutcome } from './sts.js';
import { stsErrorOutcome } from './sts.js';

export type LoopbackService = 'sts' | 'ssm' | 'sso' | 'sso-oidc' | 'imds' | 'container';

export interface FaultSpec {
  /** Wait this long before answering (combine with another fault, or alone to answer normally but late). */
  delayMs?: number;
  /**
   * Answer with this status and the body the real service sends: 500/503 server errors, or 403 (an
   * IMDS token PUT refused, as where IMDSv2 is blocked; a plain 403 elsewhere).
   */
  status?: 403 | 500 | 503;
  /**
   * Answer 400 ValidationError (SSO: BadRequestException) whose message echoes everything the
   * request carried (every header, the security token and authorization among them, and the body)
   * followed by an OSC title sequence: a hostile or buggy endpoint, for the secret canary.
   */
  echo?: boolean;
  /** With `echo`: the text after the echoed request instead of the OSC title and clear-screen sequences. */
  echoSuffix?: string;
  /** Answer the way the service throttles (STS 400 Throttling, SSO 429 TooManyRequestsException, ...). */
  throttle?: boolean;
  /** SSM only: refuse the (correctly signed) caller with AccessDeniedException naming its ARN. */
  accessDenied?: boolean;
  /** Answer 200 with a truncated body that no parser accepts. */
  malformed?: boolean;
  /** Only requests for this action (e.g. 'AssumeRole', 'GetRoleCredentials', 'GetToken') are affected. */
  action?: string;
}

export interface FaultOptions {
  /** How many matching requests fail; the fault then retires. Default: every request until cleared. */
  times?: number;
}

export interface FaultHandle {
  /** Matching requests the fault has answered so far. */
  readonly hits: number;
  /** Retire the fault now. */
  clear(): void;
}

interface ActiveFault {
  service: LoopbackService;
  spec: FaultSpec;
  remaining: number;
  hits: number;
}

export type FaultKind = 'delay' | 'status' | 'throttle' | 'malformed' | 'echo' | 'accessDenied';

export class FaultTable {
  private readonly active: ActiveFault[] = [];

  add(service: LoopbackService, spec: FaultSpec, options: FaultOptions = {}): FaultHandle {
    const fault: ActiveFault = {
      service,
      spec,
      remaining: options.times ?? Number.POSITIVE_INFINITY,
      hits: 0,
    };
    this.active.push(fault);
    return {
      get hits() {
        return fault.hits;
      },
      clear: () => {
        fault.remaining = 0;
      },
    };
  }

  clear(): void {
    for (const f of this.active) f.remaining = 0;
    this.active.length = 0;
  }

  /** Takes the first live fault matching the request, consuming one of its `times`. */
  take(service: LoopbackService, action: string): FaultSpec | undefined {
    const fault = this.active.find(
      (f) =>
        f.remaining > 0 && f.service === service && (f.spec.action === undefined || f.spec.action === action),
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    fault.hits += 1;
    return fault.spec;
  }
}

/**
 * Applies a fault: sleeps for delayMs, then returns the failure response, or undefined when the
 * fault was a pure delay and the request should be answered normally.
 */
export async function applyFault(
  service: LoopbackService,
  action: string,
  spec: FaultSpec,
  requestId: string,
  signal: AbortSignal,
  req?: ReceivedRequest,
): Promise<{ outcome?: HandlerOutcome; kind: FaultKind }> {
  if (spec.delayMs) {
    // Aborted when the server closes, so a long delay never keeps a test process alive.
    await sleep(spec.delayMs, undefined, { signal }).catch(() => undefined);
  }
  if (spec.echo && req) return { outcome: echoFault(service, req, requestId, spec.echoSuffix), kind: 'echo' };
  if (spec.status) return { outcome: statusFault(service, spec.status, requestId), kind: 'status' };
  if (spec.throttle) return { outcome: throttleFault(service, requestId), kind: 'throttle' };
  if (spec.malformed) return { outcome: malformedFault(service, action, requestId), kind: 'malformed' };
  if (spec.accessDenied) return { kind: 'accessDenied' };
  return { kind: 'delay' };
}

function json(status: number, body: string, requestId: string, errorType?: string): HandlerOutcome {
  return {
    status,
    body,
    headers: {
      'content-type': 'application/json',
      'x-amzn-requestid': requestId,
      ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
    },
    ...(errorType ? { errorCode: errorType } : {}),
  };
}

function plain(status: number, body: string, errorCode: string): HandlerOutcome {
  return { status, body, headers: { 'content-type': 'text/plain' }, errorCode };
}

function echoFault(
  service: LoopbackService,
  req: ReceivedRequest,
  requestId: string,
  suffix = '\u001b]0;owned\u0007\u001b[2J',
): HandlerOutcome {
  const headers = Object.entries(req.headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('; ');
  const message = `Request had ${headers}; body ${req.body.toString('utf8')} ${suffix}`;
  if (service === 'sts') return stsErrorOutcome(400, 'ValidationError', message, requestId);
  if (service === 'sso' || service === 'sso-oidc')
    return json(400, JSON.stringify({ message }), requestId, 'BadRequestException');
  return plain(400, message, 'BadRequest');
}

function statusFault(service: LoopbackService, status: 403 | 500 | 503, requestId: string): HandlerOutcome {
  if (status === 403) {
    if (service === 'sts') return stsErrorOutcome(403, 'AccessDenied', 'Access denied.', requestId);
    if (service === 'ssm') return ssmErrorOutcome(400, 'AccessDeniedException', 'Access denied.', requestId);
    return plain(403, 'Forbidden', 'Forbidden');
  }
  if (service === 'ssm') {
    return status === 500
      ? ssmErrorOutcome(500, 'InternalServerError', 'An internal error occurred.', requestId)
      : ssmErrorOutcome(503, 'ServiceUnavailable', 'Service is unavailable.', requestId);
  }
  if (service === 'sts') {
    return status === 500
      ? stsErrorOutcome(500, 'InternalFailure', 'An internal error occurred.', requestId, 'Receiver')
      : stsErrorOutcome(
          503,
          'ServiceUnavailable',
          'Service is unavailable. Please try again later.',
          requestId,
          'Receiver',
        );
  }
  if (service === 'sso' || service === 'sso-oidc') {
    const type = status === 500 ? 'InternalServerException' : 'ServiceUnavailableException';
    return json(status, JSON.stringify({ message: 'An internal error occurred.' }), requestId, type);
  }
  return plain(
    status,
    status === 500 ? 'Internal Server Error' : 'Service Unavailable',
    status === 500 ? 'InternalServerError' : 'ServiceUnavailable',
  );
}

function throttleFault(service: LoopbackService, requestId: string): HandlerOutcome {
  if (service === 'sts') return stsErrorOutcome(400, 'Throttling', 'Rate exceeded', requestId);
  if (service === 'ssm') return ssmErrorOutcome(400, 'ThrottlingException', 'Rate exceeded', requestId);
  if (service === 'sso' || service === 'sso-oidc') {
    return json(429, JSON.stringify({ message: 'Too many requests' }), requestId, 'TooManyRequestsException');
  }
  return plain(429, 'Too Many Requests', 'TooManyRequests');
}

function malformedFault(service: LoopbackService, action: string, requestId: string): HandlerOutcome {
  if (service === 'ssm') {
    return {
      ...ssmErrorOutcome(200, 'Malformed', '', requestId),
      body: '{"Parameters":[{"Name":"/cred',
    };
  }
  if (service === 'sts') {
    return {
      status: 200,
      body: `<${action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><${action}Result><Credentials><AccessKeyId>ASIA`,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
      errorCode: 'Malformed',
    };
  }
  if (service === 'sso' || service === 'sso-oidc')
    return { ...json(200, '{"roleCredentials":{"accessKeyId":"ASIA', requestId), errorCode: 'Malformed' };
  return {
    ...plain(200, '{"Code":"Success","AccessKeyId":"ASIA', 'Malformed'),
    headers: { 'content-type': 'application/json' },
  };
}
