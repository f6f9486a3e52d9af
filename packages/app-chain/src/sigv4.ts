import type * as Crypto from 'node:crypto';
import type { AwsCredentialIdentity } from '@aws-sdk/types';

/** One POST to sign: where it goes, for which service and region, its body and content headers. */
export interface SigV4Request {
  credentials: AwsCredentialIdentity;
  url: URL;
  region: string;
  service: string;
  date: Date;
  body: string;
  /** Lower-case header names; `host`, `x-amz-date`, the payload hash and the token are added here. */
  headers: Record<string, string>;
}

/**
 * SigV4 (AWS4-HMAC-SHA256) headers for one POST, computed as @smithy/signature-v4 computes them (a
 * test compares the two byte for byte; the loopback endpoints verify with it too). Written here
 * rather than imported because @smithy/signature-v4 costs ~13 ms of start-up in the CLI bundle
 * through the @smithy/core chunks it shares with the SDK clients.
 */
export function signSigV4(crypto: typeof Crypto, request: SigV4Request): Record<string, string> {
  const { credentials, url, region, service, date, body } = request;
  const amzDate = date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
  const scope = `${amzDate.slice(0, 8)}/${region}/${service}/aws4_request`;
  const hash = (data: string) => crypto.createHash('sha256').update(data, 'utf8').digest('hex');
  const hmac = (key: Crypto.BinaryLike, data: string) =>
    crypto.createHmac('sha256', key).update(data, 'utf8').digest();
  const payloadHash = hash(body);
  const headers: Record<string, string> = {
    'content-length': String(Buffer.byteLength(body)),
    ...request.headers,
    host: url.host,
    'x-amz-content-sha256': payloadHash,
    'x-amz-date': amzDate,
    ...(credentials.sessionToken && { 'x-amz-security-token': credentials.sessionToken }),
  };
  const names = Object.keys(headers).sort();
  const signedHeaders = names.join(';');
  const canonicalRequest = [
    'POST',
    canonicalPath(url.pathname),
    '',
    ...names.map((name) => `${name}:${(headers[name] ?? '').trim().replace(/\s+/g, ' ')}`),
    '',
    signedHeaders,
    payloadHash,
  ].join('\n');
  const stringToSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${hash(canonicalRequest)}`;
  let key = hmac(`AWS4${credentials.secretAccessKey}`, amzDate.slice(0, 8));
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
  const signature = crypto.createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}

/** The URI-escaped, normalized path, as SigV4 for services other than S3 wants it. */
function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = `/${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return encodeURIComponent(normalized)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%2F/g, '/');
}
