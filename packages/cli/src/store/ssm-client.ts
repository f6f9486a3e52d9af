/**
 * A small SSM Parameter Store client: AWS JSON 1.1 POSTs signed with app-chain's SigV4 signer (the
 * one that signs STS GetCallerIdentity), throttling and 5xx retried with full-jitter backoff within
 * one deadline. Not @aws-sdk/client-ssm: loading it costs more than the whole `env ls` budget (see
 * the CLI README's figures). Service errors the store handles itself (ParameterNotFound,
 * ParameterAlreadyExists) come back as SsmServiceError; every other failure is a coded CredkitError.
 */
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import {
  NETWORK_ERROR_CODES,
  postBounded,
  serviceTarget,
  signSigV4,
  THROTTLING_ERRORS,
  TRANSIENT_ERRORS,
  TRANSIENT_STATUS,
} from '@credkit/app-chain/aws-request';
import { type Clock, CredkitError } from '@credkit/temp-creds/errors';

export interface SsmClientOptions {
  credentials: AwsCredentialIdentity;
  region: string;
  /** Custom endpoint (AWS_ENDPOINT_URL_SSM, the profile's services section...). */
  endpoint?: string | undefined;
  env: Record<string, string | undefined>;
  /** Who is calling, for error messages: `profile "my-app" (~/.aws/config:3)`. */
  caller: string;
  /** Everything, retries included, must finish within this. Default 30 000 ms. */
  deadlineMs?: number;
  /** Injected in tests: the clock, the wait between attempts and the jitter source. */
  now?: Clock;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** An SSM error answer that callers decide about (ParameterNotFound, ParameterAlreadyExists...). */
export class SsmServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = code;
  }
}

/** Every action a team's application credentials need for the SSM store. */
export const SSM_ACTIONS = [
  'ssm:PutParameter',
  'ssm:GetParameter',
  'ssm:GetParametersByPath',
  'ssm:DeleteParameter',
  'ssm:AddTagsToResource',
] as const;

const MAX_BODY_BYTES = 4 * 1024 * 1024;
const BASE_DELAY_MS = 100;
const THROTTLE_BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 5_000;
const USER_AGENT = `credkit/cli lang/js md/nodejs#${process.versions.node} api/ssm`;

/** Printable and short: a service message may quote anything, and ends up on a terminal. */
function clean(text: string): string {
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}

export class SsmClient {
  readonly region: string;
  private readonly url: URL;
  private readonly signingRegion: string;
  private readonly now: Clock;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private agent: import('node:http').Agent | undefined;

  constructor(private readonly options: SsmClientOptions) {
    this.region = options.region;
    let target: { url: URL; signingRegion: string };
    try {
      target = serviceTarget('ssm', options);
    } catch (error) {
      throw new CredkitError('SSM_ENDPOINT_INVALID', `${(error as Error).message}`, {
        hint: "Fix AWS_ENDPOINT_URL_SSM (or the endpoint_url of the ssm entry in your profile's services section), or the region.",
        exitCode: 2,
      });
    }
    this.url = target.url;
    this.signingRegion = target.signingRegion;
    this.now = options.now ?? Date.now;
    this.sleep =
      options.sleep ?? (async (ms) => (await import('node:timers/promises')).setTimeout(ms, undefined));
    this.random = options.random ?? Math.random;
  }

  /** Where requests go, for messages (`https://ssm.us-east-1.amazonaws.com`). */
  get endpoint(): string {
    return this.url.origin;
  }

  async call<T>(action: string, input: Record<string, unknown>): Promise<T> {
    const deadline = this.now() + (this.options.deadlineMs ?? 30_000);
    const body = JSON.stringify(input);
    for (let attempt = 1; ; attempt++) {
      let retry: { why: string; base: number };
      try {
        const answer = await this.send(action, body, deadline);
        if (answer.status >= 200 && answer.status < 300) {
          try {
            return JSON.parse(answer.body) as T;
          } catch {
            // A cut-off answer is a transport accident: ask again.
            retry = { why: 'an unreadable answer', base: BASE_DELAY_MS };
          }
        } else {
          const { code, message } = parseError(answer.body, answer.headers);
          if (THROTTLING_ERRORS.has(code) || answer.status === 429) {
            retry = { why: `throttling (${code})`, base: THROTTLE_BASE_DELAY_MS };
          } else if (TRANSIENT_STATUS.has(answer.status) || TRANSIENT_ERRORS.has(code)) {
            retry = { why: `HTTP ${answer.status} ${code}`, base: BASE_DELAY_MS };
          } else {
            throw this.failure(action, code, answer.status, message);
          }
        }
      } catch (error) {
        if (error instanceof SsmServiceError || error instanceof CredkitError) throw error;
        const code = (error as { code?: unknown })?.code;
        if (code === 'ABORT_ERR' || (error as Error)?.name === 'AbortError') {
          retry = { why: 'no answer in time', base: BASE_DELAY_MS };
        } else if (typeof code === 'string' && NETWORK_ERROR_CODES.has(code)) {
          retry = { why: `a network error (${code})`, base: BASE_DELAY_MS };
        } else {
          throw this.unreachable(action, typeof code === 'string' ? code : 'error', attempt);
        }
      }
      // Full jitter: concurrent teammates (or 20 CI jobs) that were throttled together spread out.
      const delay = Math.floor(this.random() * Math.min(retry.base * 2 ** (attempt - 1), MAX_DELAY_MS));
      if (this.now() + delay >= deadline) throw this.gaveUp(action, retry.why, attempt);
      await this.sleep(delay);
    }
  }

  private async send(
    action: string,
    body: string,
    deadline: number,
  ): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
    const remaining = deadline - this.now();
    if (remaining <= 0) throw Object.assign(new Error('deadline'), { code: 'ABORT_ERR' });
    const [crypto, http] = await Promise.all([
      import('node:crypto'),
      this.url.protocol === 'https:' ? import('node:https') : import('node:http'),
    ]);
    // One kept-alive connection for the pages of a listing. Node unrefs idle kept-alive sockets, so
    // they never hold the process open after the last answer.
    this.agent ??= new http.Agent({ keepAlive: true, maxSockets: 4 });
    const headers = {
      ...signSigV4(crypto, {
        credentials: this.options.credentials,
        url: this.url,
        region: this.signingRegion,
        service: 'ssm',
        date: new Date(),
        body,
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `AmazonSSM.${action}`,
        },
      }),
      'user-agent': USER_AGENT,
    };
    const signal = AbortSignal.timeout(Math.max(1, remaining));
    return postBounded(http, {
      url: this.url,
      headers,
      body,
      agent: this.agent,
      signal,
      maxBodyBytes: MAX_BODY_BYTES,
    });
  }

  private failure(action: string, code: string, status: number, message: string): Error {
    if (code === 'AccessDeniedException') {
      // AWS names the principal in the message ("User: arn:... is not authorized to perform: ...").
      const arn = /\b(arn:[a-z0-9-]+:(?:iam|sts)::\d{12}:[\w+=,.@/:-]+)/.exec(message)?.[1];
      const who = arn ? `${arn} (${this.options.caller})` : this.options.caller;
      return new CredkitError(
        'SSM_ACCESS_DENIED',
        `SSM refused ssm:${action} to the application credentials: ${who}.`,
        {
          hint: `The credkit SSM store needs ${SSM_ACTIONS.join(', ')} on arn:aws:ssm:${this.region}:<account>:parameter/credkit/applications/* for these credentials; see "IAM policy for the SSM store" in the credkit README.`,
          details: { action: `ssm:${action}`, ...(arn ? { arn } : {}), caller: this.options.caller },
        },
      );
    }
    if (
      code === 'UnrecognizedClientException' ||
      code === 'InvalidSignatureException' ||
      code === 'SignatureDoesNotMatch' ||
      code === 'ExpiredTokenException' ||
      code === 'ExpiredToken'
    ) {
      return new CredkitError(
        'SSM_CREDENTIALS_REJECTED',
        `SSM rejected the application credentials (${this.options.caller}): ${code}.`,
        {
          hint: 'Refresh them (aws sso login, a new session) and check `credkit app whoami`.',
          details: { code },
        },
      );
    }
    return new SsmServiceError(code, clean(message), status);
  }

  private unreachable(action: string, code: string, attempts: number): CredkitError {
    return new CredkitError(
      'SSM_UNREACHABLE',
      `SSM at ${this.endpoint} could not be reached for ${action} (${code}, ${attempts} attempt${attempts === 1 ? '' : 's'}).`,
      {
        hint: 'Check the network, proxy, region and AWS_ENDPOINT_URL_SSM; or use --store file.',
        details: { code, endpoint: this.endpoint },
      },
    );
  }

  private gaveUp(action: string, why: string, attempts: number): CredkitError {
    return new CredkitError(
      'SSM_UNAVAILABLE',
      `SSM ${action} did not succeed within ${Math.round((this.options.deadlineMs ?? 30_000) / 1000)} s: ${attempts} attempt${attempts === 1 ? '' : 's'}, the last one ended in ${why}.`,
      {
        hint: 'Retry later. If it persists, check the SSM service quotas of the account and region.',
        details: { action, attempts, endpoint: this.endpoint },
      },
    );
  }
}

/** `{"__type": "com.amazon...#Code", "message": ...}`, or the X-Amzn-ErrorType header. */
function parseError(
  body: string,
  headers: Record<string, string | string[] | undefined>,
): { code: string; message: string } {
  let type: unknown;
  let message: unknown;
  try {
    const parsed = JSON.parse(body) as { __type?: unknown; message?: unknown; Message?: unknown };
    type = parsed.__type;
    message = parsed.message ?? parsed.Message;
  } catch {
    // Not JSON (a proxy page): the header, else the status, says what happened.
  }
  const header = headers['x-amzn-errortype'];
  const raw = typeof type === 'string' ? type : typeof header === 'string' ? header : 'UnknownError';
  const code = raw.split('#').pop()?.split(':')[0] ?? 'UnknownError';
  return {
    code: /^[A-Za-z0-9.]{1,100}$/.test(code) ? code : 'UnknownError',
    message: typeof message === 'string' ? message : '',
  };
}
