import { createHash, timingSafeEqual } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { KeyRecord, PrincipalStore } from './principals.js';

export interface ReceivedRequest {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  body: Buffer;
}

export interface AuthFailure {
  ok: false;
  status: number;
  code: string;
  message: string;
  accessKeyId?: string;
}

export type AuthResult = { ok: true; record: KeyRecord } | AuthFailure;

/** AWS rejects a signature whose X-Amz-Date is more than 15 minutes away from its clock. */
const MAX_SKEW_MS = 15 * 60 * 1000;

const AUTH_RE =
  /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)\s*$/;

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

function fail(status: number, code: string, message: string, accessKeyId?: string): AuthFailure {
  return { ok: false, status, code, message, ...(accessKeyId ? { accessKeyId } : {}) };
}

function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  return new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
}

/**
 * Verifies a SigV4 Authorization header by re-signing the request with the secret the loopback
 * holds for the access key, using the SDK's own signer so we test against the reference
 * implementation instead of a hand-rolled HMAC. Only the headers the client listed in
 * SignedHeaders take part, exactly as AWS does.
 */
export async function verifySigV4(
  req: ReceivedRequest,
  store: PrincipalStore,
  service: string,
  now: Date,
): Promise<AuthResult> {
  const authorization = req.headers.authorization;
  if (!authorization)
    return fail(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
  const m = AUTH_RE.exec(authorization.trim());
  if (!m) {
    return fail(
      400,
      'IncompleteSignature',
      `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters. Authorization=${authorization.split(' ')[0]}`,
    );
  }
  const [, credential = '', signedHeaderList = '', signature = ''] = m;
  const [accessKeyId = '', shortDate, region, scopeService, terminator] = credential.split('/');
  if (!shortDate || !region || !scopeService || terminator !== 'aws4_request') {
    return fail(
      400,
      'IncompleteSignature',
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential.replace(/^[^/]*/, accessKeyId)}'`,
    );
  }
  const record = store.keys.get(accessKeyId);
  if (!record)
    return fail(
      403,
      'InvalidClientTokenId',
      'The security token included in the request is invalid.',
      accessKeyId,
    );
  if (record.session) {
    const token = req.headers['x-amz-security-token'];
    if (!token || token !== record.session.sessionToken) {
      return fail(
        403,
        'InvalidClientTokenId',
        'The security token included in the request is invalid.',
        accessKeyId,
      );
    }
    if (record.session.expiration.getTime() <= now.getTime()) {
      return fail(403, 'ExpiredToken', 'The security token included in the request is expired', accessKeyId);
    }
  }
  if (scopeService !== service) {
    return fail(
      403,
      'SignatureDoesNotMatch',
      `Credential should be scoped to correct service: '${service}'. `,
      accessKeyId,
    );
  }
  const amzDate = req.headers['x-amz-date'];
  const signingDate = amzDate ? parseAmzDate(amzDate) : undefined;
  if (!amzDate || !signingDate) {
    return fail(
      400,
      'IncompleteSignature',
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
      accessKeyId,
    );
  }
  if (Math.abs(signingDate.getTime() - now.getTime()) > MAX_SKEW_MS) {
    return fail(
      403,
      'SignatureDoesNotMatch',
      `Signature expired: ${amzDate} is now earlier than the allowed window around the server time (15 min.)`,
      accessKeyId,
    );
  }
  if (amzDate.slice(0, 8) !== shortDate) {
    return fail(
      403,
      'SignatureDoesNotMatch',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${shortDate}' != '${amzDate.slice(0, 8)}'`,
      accessKeyId,
    );
  }

  // The signer trusts x-amz-content-sha256 as the payload hash, so a client could sign one body and
  // send another; AWS checks the claim against the bytes received, and so do we.
  const claimedHash = req.headers['x-amz-content-sha256'];
  if (claimedHash !== undefined && claimedHash !== createHash('sha256').update(req.body).digest('hex')) {
    return fail(403, 'SignatureDoesNotMatch', SIGNATURE_MISMATCH, accessKeyId);
  }

  const signed = new Set(signedHeaderList.split(';'));
  const headers: Record<string, string> = {};
  const unsignable = new Set<string>();
  for (const [name, value] of Object.entries(req.headers)) {
    if (name === 'authorization') continue;
    headers[name] = value;
    if (!signed.has(name)) unsignable.add(name);
  }
  const request = new HttpRequest({
    method: req.method,
    protocol: 'http:',
    hostname: (req.headers.host ?? '').replace(/:\d+$/, ''),
    path: req.path,
    query: req.query,
    headers,
    body: req.body.length > 0 ? req.body : undefined,
  });
  const signer = new SignatureV4({
    credentials: {
      accessKeyId,
      secretAccessKey: record.secretAccessKey,
      ...(record.session ? { sessionToken: record.session.sessionToken } : {}),
    },
    region,
    service: scopeService,
    sha256: Sha256,
    // The client decides whether x-amz-content-sha256 is part of the signature; never add it ourselves.
    applyChecksum: false,
  });
  const resigned = await signer.sign(request, {
    signingDate,
    signableHeaders: signed,
    unsignableHeaders: unsignable,
  });
  const expectedHeader = String(resigned.headers.authorization ?? '');
  const expected = /Signature=([0-9a-f]+)/.exec(expectedHeader)?.[1] ?? '';
  const expectedList = /SignedHeaders=([^,\s]+)/.exec(expectedHeader)?.[1] ?? '';
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(signature, 'utf8');
  if (expectedList !== signedHeaderList || a.length !== b.length || !timingSafeEqual(a, b)) {
    return fail(403, 'SignatureDoesNotMatch', SIGNATURE_MISMATCH, accessKeyId);
  }
  return { ok: true, record };
}
