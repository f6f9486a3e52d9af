/**
 * SSM Parameter Store on the loopback: the AWS JSON 1.1 protocol (`POST /`, `X-Amz-Target:
 * AmazonSSM.<Action>`, `application/x-amz-json-1.1`, errors as `{"__type", "message"}`), SigV4
 * verified like STS (scope service `ssm`). Parameters live per account and region, as in AWS: the
 * account is the caller's, the region the one the request was signed for.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { callerIdentity, type PrincipalStore } from './principals.js';
import { type ReceivedRequest, verifySigV4 } from './sigv4.js';
import type { HandlerOutcome } from './sts.js';

interface Parameter {
  name: string;
  value: string;
  type: string;
  version: number;
  modified: Date;
  tags: Map<string, string>;
}

export interface SsmCall {
  req: ReceivedRequest;
  store: PrincipalStore;
  now: Date;
  requestId: string;
  /** Set by an `accessDenied` fault: the signed caller is refused, with AWS's message naming it. */
  deny?: boolean;
}

class SsmFault extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const TARGET_PREFIX = 'AmazonSSM.';
const ACTIONS = new Set([
  'PutParameter',
  'GetParameter',
  'GetParametersByPath',
  'DeleteParameter',
  'AddTagsToResource',
  'ListTagsForResource',
]);
const NAME = /^\/?[a-zA-Z0-9_.\-/]{1,2047}$/;
const MAX_VALUE = 4096;

export function ssmActionOf(req: ReceivedRequest): string | undefined {
  const target = req.headers['x-amz-target'];
  return target?.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
}

export function ssmErrorOutcome(
  status: number,
  code: string,
  message: string,
  requestId: string,
): HandlerOutcome {
  return {
    status,
    body: JSON.stringify({ __type: code, message }),
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId },
    errorCode: code,
  };
}

/** The parameters of every account and region, and the paging tokens it has handed out. */
export class SsmParameters {
  private readonly byScope = new Map<string, Map<string, Parameter>>();
  private readonly tokenKey = randomBytes(16);

  /** Names in one account and region (for tests that look behind the API). */
  names(account: string, region: string): string[] {
    return [...(this.byScope.get(`${account}/${region}`)?.keys() ?? [])].sort();
  }

  async handle(call: SsmCall): Promise<HandlerOutcome> {
    const action = ssmActionOf(call.req) ?? '';
    const base = { action };
    let params: Record<string, string> = {};
    try {
      if (!ACTIONS.has(action)) throw new SsmFault(400, 'UnknownOperationException', '');
      const auth = await verifySigV4(call.req, call.store, 'ssm', call.now);
      if (!auth.ok) {
        const code = auth.code === 'InvalidClientTokenId' ? 'UnrecognizedClientException' : auth.code;
        return {
          ...base,
          ...ssmErrorOutcome(auth.status === 403 ? 400 : auth.status, code, auth.message, call.requestId),
          ...(auth.accessKeyId ? { accessKeyId: auth.accessKeyId } : {}),
        };
      }
      const caller = callerIdentity(auth.record);
      const region =
        /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(call.req.headers.authorization ?? '')?.[1] ?? '';
      const who = { accessKeyId: auth.record.accessKeyId, principalArn: caller.arn };
      const input = parseBody(call.req);
      params = logged(input);
      if (call.deny) {
        const name = String(input.Name ?? input.Path ?? input.ResourceId ?? '');
        return {
          ...base,
          ...who,
          params,
          ...ssmErrorOutcome(
            400,
            'AccessDeniedException',
            `User: ${caller.arn} is not authorized to perform: ssm:${action} on resource: arn:aws:ssm:${region}:${caller.account}:parameter${name.startsWith('/') ? '' : '/'}${name} because no identity-based policy allows the ssm:${action} action`,
            call.requestId,
          ),
        };
      }
      const scope = this.scope(`${caller.account}/${region}`);
      const arn = (name: string) =>
        `arn:aws:ssm:${region}:${caller.account}:parameter${name.startsWith('/') ? '' : '/'}${name}`;
      const result = this.run(action, input, scope, arn, call.now);
      return {
        ...base,
        ...who,
        params,
        status: 200,
        body: JSON.stringify(result),
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': call.requestId },
      };
    } catch (error) {
      if (!(error instanceof SsmFault)) throw error;
      return { ...base, params, ...ssmErrorOutcome(error.status, error.code, error.message, call.requestId) };
    }
  }

  private scope(key: string): Map<string, Parameter> {
    let scope = this.byScope.get(key);
    if (!scope) {
      scope = new Map();
      this.byScope.set(key, scope);
    }
    return scope;
  }

  // No await in here: a check and the write that depends on it happen in one turn, which is what
  // makes `Overwrite: false` an atomic create for concurrent callers.
  private run(
    action: string,
    input: Record<string, unknown>,
    scope: Map<string, Parameter>,
    arn: (name: string) => string,
    now: Date,
  ): Record<string, unknown> {
    const describe = (p: Parameter) => ({
      Name: p.name,
      Type: p.type,
      Value: p.value,
      Version: p.version,
      LastModifiedDate: p.modified.getTime() / 1000,
      ARN: arn(p.name),
      DataType: 'text',
    });
    if (action === 'PutParameter') {
      const name = checkName(input.Name);
      const value = input.Value;
      if (typeof value !== 'string' || value.length === 0 || value.length > MAX_VALUE) {
        throw validation(`Value must be a string of 1 to ${MAX_VALUE} characters.`);
      }
      const type = input.Type ?? scope.get(name)?.type;
      if (type !== 'String' && type !== 'StringList' && type !== 'SecureString') {
        throw validation(
          "1 validation error detected: Value at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]",
        );
      }
      const tags = readTags(input.Tags);
      const existing = scope.get(name);
      if (input.Overwrite === true && tags.size > 0) {
        throw validation(
          "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
        );
      }
      if (existing && input.Overwrite !== true) {
        throw new SsmFault(
          400,
          'ParameterAlreadyExists',
          'The parameter already exists. To overwrite this request, set the overwrite option in the request to true.',
        );
      }
      const version = (existing?.version ?? 0) + 1;
      scope.set(name, {
        name,
        value,
        type,
        version,
        modified: now,
        tags: existing?.tags ?? tags,
      });
      return { Version: version, Tier: 'Standard' };
    }
    if (action === 'GetParameter') {
      const found = scope.get(checkName(input.Name));
      if (!found) throw new SsmFault(400, 'ParameterNotFound', '');
      return { Parameter: describe(found) };
    }
    if (action === 'DeleteParameter') {
      const name = checkName(input.Name);
      if (!scope.delete(name)) throw new SsmFault(400, 'ParameterNotFound', '');
      return {};
    }
    if (action === 'GetParametersByPath') return this.byPath(input, scope, describe);
    const id = checkName(input.ResourceId);
    if (input.ResourceType !== 'Parameter') throw validation('ResourceType must be Parameter.');
    const found = scope.get(id);
    if (!found) throw new SsmFault(400, 'InvalidResourceId', 'The resource ID is not valid.');
    if (action === 'AddTagsToResource') {
      for (const [k, v] of readTags(input.Tags)) found.tags.set(k, v);
      return {};
    }
    return { TagList: [...found.tags].map(([Key, Value]) => ({ Key, Value })) };
  }

  private byPath(
    input: Record<string, unknown>,
    scope: Map<string, Parameter>,
    describe: (p: Parameter) => Record<string, unknown>,
  ): Record<string, unknown> {
    const path = input.Path;
    if (typeof path !== 'string' || !path.startsWith('/') || !NAME.test(path)) {
      throw validation(
        'The parameter doesn\'t meet the parameter name requirements. The parameter name must begin with a forward slash "/".',
      );
    }
    const max = input.MaxResults ?? 10;
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 10) {
      throw validation(
        `1 validation error detected: Value '${String(max)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10`,
      );
    }
    const prefix = path.endsWith('/') ? path : `${path}/`;
    const matching = [...scope.values()]
      .filter(
        (p) =>
          p.name.startsWith(prefix) &&
          (input.Recursive === true || !p.name.slice(prefix.length).includes('/')),
      )
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // The token names the last parameter returned (so deletions between pages do not skip any) and
    // is MACed, so a forged or foreign token is refused as AWS refuses it.
    let start = 0;
    if (input.NextToken !== undefined) {
      const after = this.readToken(input.NextToken, prefix);
      start = matching.findIndex((p) => p.name > after);
      if (start < 0) start = matching.length;
    }
    const page = matching.slice(start, start + max);
    const more = start + max < matching.length;
    return {
      Parameters: page.map(describe),
      ...(more && page.length > 0 ? { NextToken: this.token(prefix, page[page.length - 1]!.name) } : {}),
    };
  }

  private token(prefix: string, last: string): string {
    const body = Buffer.from(JSON.stringify([prefix, last])).toString('base64url');
    return `${body}.${createHmac('sha256', this.tokenKey).update(body).digest('base64url')}`;
  }

  private readToken(token: unknown, prefix: string): string {
    if (typeof token === 'string') {
      const [body = '', mac] = token.split('.');
      if (mac === createHmac('sha256', this.tokenKey).update(body).digest('base64url')) {
        const [p, last] = JSON.parse(Buffer.from(body, 'base64url').toString()) as [string, string];
        if (p === prefix) return last;
      }
    }
    throw validation('The nextToken is not valid.');
  }
}

function validation(message: string): SsmFault {
  return new SsmFault(400, 'ValidationException', message);
}

function checkName(name: unknown): string {
  if (typeof name !== 'string' || !NAME.test(name) || (name.includes('/') && !name.startsWith('/'))) {
    throw validation(
      'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_',
    );
  }
  return name;
}

function readTags(tags: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (tags === undefined) return out;
  if (!Array.isArray(tags)) throw validation('Tags must be a list.');
  for (const tag of tags) {
    const { Key, Value } = (tag ?? {}) as { Key?: unknown; Value?: unknown };
    if (typeof Key !== 'string' || typeof Value !== 'string' || Key.length === 0 || Key.length > 128) {
      throw validation('Each tag needs a Key (1-128 characters) and a Value.');
    }
    out.set(Key, Value);
  }
  return out;
}

function parseBody(req: ReceivedRequest): Record<string, unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('application/x-amz-json-1.1')) {
    throw new SsmFault(400, 'SerializationException', 'Expected application/x-amz-json-1.1.');
  }
  try {
    const value = JSON.parse(req.body.length === 0 ? '{}' : req.body.toString('utf8')) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // Falls through to the same error as a non-object.
  }
  throw new SsmFault(400, 'SerializationException', 'The request body is not a JSON object.');
}

/** What the request log keeps: names and flags, never values (a SecureString value is a secret). */
function logged(input: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['Name', 'Path', 'Type', 'Overwrite', 'Recursive', 'MaxResults', 'ResourceId'] as const) {
    if (input[key] !== undefined) out[key] = String(input[key]);
  }
  if (input.NextToken !== undefined) out.NextToken = 'yes';
  if (Array.isArray(input.Tags)) out.Tags = JSON.stringify(input.Tags);
  return out;
}
