import type { SessionCredentials } from './principals.js';

export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** Escapes text content; quotes stay literal in text nodes, as in the messages AWS sends. */
export function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** AWS writes timestamps in STS XML without milliseconds: 2026-11-27T06:00:00Z. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Builds `<Name>value</Name>` children in order; undefined values are left out like AWS does. */
export function elements(fields: Array<[string, string | undefined]>): string {
  return fields
    .filter((f): f is [string, string] => f[1] !== undefined)
    .map(([name, value]) => `<${name}>${value}</${name}>`)
    .join('');
}

export function text(fields: Array<[string, string | number | undefined]>): string {
  return elements(fields.map(([n, v]) => [n, v === undefined ? undefined : escapeXml(String(v))]));
}

export function credentialsXml(creds: SessionCredentials): string {
  return `<Credentials>${text([
    ['AccessKeyId', creds.accessKeyId],
    ['SecretAccessKey', creds.secretAccessKey],
    ['SessionToken', creds.sessionToken],
    ['Expiration', isoSeconds(creds.expiration)],
  ])}</Credentials>`;
}

export function stsSuccess(action: string, result: string, requestId: string): string {
  return (
    `<${action}Response xmlns="${STS_NAMESPACE}">\n` +
    `  <${action}Result>${result}</${action}Result>\n` +
    `  <ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>\n` +
    `</${action}Response>\n`
  );
}

export function stsError(
  type: 'Sender' | 'Receiver',
  code: string,
  message: string,
  requestId: string,
): string {
  return (
    `<ErrorResponse xmlns="${STS_NAMESPACE}">\n` +
    `  <Error>\n    <Type>${type}</Type>\n    <Code>${escapeXml(code)}</Code>\n` +
    `    <Message>${escapeXml(message)}</Message>\n  </Error>\n` +
    `  <RequestId>${requestId}</RequestId>\n` +
    `</ErrorResponse>\n`
  );
}
