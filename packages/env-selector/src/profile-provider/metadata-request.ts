/**
 * One HTTP request to a metadata endpoint (instance metadata, the container credentials endpoint),
 * bounded as a whole. The SDK's helpers bound only the connection or the socket's idle time: an
 * endpoint that answers a byte at a time, or accepts the connection and never answers, keeps the
 * request (and the process) alive past any bound. Here one bound covers connect, answer and body,
 * the answer is capped, and the request is destroyed when the bound passes or the caller aborts.
 */
import type { IncomingMessage } from 'node:http';
import { CredkitError } from '@credkit/temp-creds/errors';
import { ProfileErrorCode as C } from './codes.js';
import { METADATA_RESPONSE_MAX_BYTES } from './limits.js';

/** Why a request gave no answer; never the body, which may hold a secret. */
export class NoAnswer extends Error {}

/** The request's bound passed before the answer ended. */
export class NoAnswerInTime extends NoAnswer {}

export interface MetadataAnswer {
  status: number;
  body: string;
}

/**
 * Sends one request and reads the whole answer within `timeoutMs`. Rejects with NoAnswer (no answer
 * in time, an answer over the cap, a connection closed mid-answer), with the socket's error, or with
 * the signal's reason when it aborts. No agent: nothing is pooled, so no socket outlives the request.
 */
export async function requestWithin(
  url: URL,
  opts: {
    method?: string;
    headers?: Record<string, string>;
    timeoutMs: number;
    signal?: AbortSignal | undefined;
    maxBytes?: number;
  },
): Promise<MetadataAnswer> {
  const { signal, timeoutMs } = opts;
  const maxBytes = opts.maxBytes ?? METADATA_RESPONSE_MAX_BYTES;
  signal?.throwIfAborted();
  const { request } = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  signal?.throwIfAborted();
  return new Promise((resolve, reject) => {
    let settled = false;
    const done = (error: unknown, value?: MetadataAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (error) {
        req.destroy();
        reject(error);
      } else resolve(value!);
    };
    const onAbort = () => done(signal?.reason ?? new Error('aborted'));
    const timer = setTimeout(() => done(new NoAnswerInTime(`no response within ${timeoutMs} ms`)), timeoutMs);
    const req = request(
      url,
      { method: opts.method ?? 'GET', headers: opts.headers ?? {}, agent: false },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) done(new NoAnswer(`the answer is over ${Math.floor(maxBytes / 1024)} KiB`));
          else chunks.push(chunk);
        });
        res.on('end', () =>
          done(null, { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', done);
        res.on('close', () => done(new NoAnswer('the connection closed before the answer ended')));
      },
    );
    req.on('error', done);
    signal?.addEventListener('abort', onAbort, { once: true });
    req.end();
  });
}

/** A socket error as its code (ECONNREFUSED, EHOSTUNREACH...); never a message that could quote input. */
export function describeSocketError(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && /^E[A-Z_]+$/.test(code) ? code : 'no usable response';
}

/**
 * An endpoint setting read as an http(s) URL. A value that is not one fails as the setting's own
 * mistake, naming it (a bare `new URL` would throw a TypeError with no code or hint).
 */
export function metadataEndpointUrl(
  raw: string,
  setting: string,
  /** What is reached there, e.g. "the container credentials endpoint". */
  what: string,
  /** How to set it right, e.g. "the endpoint the container runtime gave, e.g. http://...". */
  rightValue: string,
): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CredkitError(C.PROFILE_INVALID_VALUE, `${setting}=${JSON.stringify(raw)} is not a URL.`, {
      hint: `Set ${setting} to ${rightValue}.`,
      details: { variable: setting },
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CredkitError(
      C.PROFILE_INVALID_VALUE,
      `${setting} uses ${url.protocol}; ${what} is reached over http: or https:.`,
      { hint: `Set ${setting} to an http:// or https:// URL.`, details: { variable: setting } },
    );
  }
  return url;
}
