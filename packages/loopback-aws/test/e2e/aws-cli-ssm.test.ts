import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsHome, createAwsHome, type LoopbackAws, startLoopbackAws } from '../../src/index.js';

// The real AWS CLI v2 (botocore's JSON 1.1 serializer, SigV4 signer, paginator and retry handler)
// against the loopback SSM, so its protocol is the one AWS speaks and not one we invented. It must
// fail, never skip, where /usr/bin/aws is missing: this test is what vouches for the protocol.
const AWS_CLI = '/usr/bin/aws';
const ACCOUNT = '111111111111';

let aws: LoopbackAws;
let home: AwsHome;
let keys: { accessKeyId: string; secretAccessKey: string };
beforeAll(async () => {
  aws = await startLoopbackAws();
  home = await createAwsHome({ config: '[default]\nregion = eu-west-1\n' });
  keys = aws.addUser({ accountId: ACCOUNT, userName: 'ssm-cli' });
});
afterAll(async () => {
  await aws?.close();
  await home?.cleanup();
});

function runAws(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(AWS_CLI, ['ssm', ...args, '--endpoint-url', aws.url, '--output', 'json'], {
      env: {
        PATH: '/usr/bin:/bin',
        ...home.env,
        AWS_ACCESS_KEY_ID: keys.accessKeyId,
        AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
        AWS_PAGER: '',
        AWS_MAX_ATTEMPTS: '4',
        AWS_RETRY_MODE: 'standard',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', (e) => reject(new Error(`cannot run ${AWS_CLI}: ${e.message}`)));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** PutParameter signed by @smithy/signature-v4, as an SDK client would send it. */
async function putSigned(name: string): Promise<void> {
  const body = JSON.stringify({ Name: name, Value: name, Type: 'String' });
  const url = new URL(aws.url);
  const request = await new SignatureV4({
    credentials: keys,
    region: 'eu-west-1',
    service: 'ssm',
    sha256: Sha256,
  }).sign({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    query: {},
    headers: {
      host: url.host,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AmazonSSM.PutParameter',
    },
    body,
  });
  const response = await fetch(aws.url, { method: 'POST', headers: request.headers, body });
  expect(response.status).toBe(200);
}

const json = (text: string) => JSON.parse(text) as Record<string, unknown>;

// A hang guard only: the file runs the AWS CLI (a Python start-up each) about fifteen times, and
// on a loaded 2-core machine each run can take many seconds.
describe('AWS CLI v2 against the loopback SSM', { timeout: 600_000 }, () => {
  it('is installed at /usr/bin/aws (install the awscli package)', () => {
    expect(existsSync(AWS_CLI)).toBe(true);
  });

  it('puts with tags, refuses a second create, overwrites with a new version, gets', async () => {
    const put = await runAws([
      'put-parameter',
      '--name',
      '/credkit/applications/a',
      '--type',
      'String',
      '--value',
      '{"version":1}',
      '--tags',
      'Key=credkit:application,Value=a',
    ]);
    expect(put.stderr).toBe('');
    expect(json(put.stdout)).toEqual({ Version: 1, Tier: 'Standard' });

    const again = await runAws([
      'put-parameter',
      '--name',
      '/credkit/applications/a',
      '--type',
      'String',
      '--value',
      'x',
    ]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/ParameterAlreadyExists/);

    const over = await runAws([
      'put-parameter',
      '--name',
      '/credkit/applications/a',
      '--value',
      '{"version":2}',
      '--overwrite',
    ]);
    expect(json(over.stdout)).toMatchObject({ Version: 2 });

    const got = await runAws(['get-parameter', '--name', '/credkit/applications/a']);
    const parameter = json(got.stdout).Parameter as Record<string, unknown>;
    expect(parameter).toMatchObject({
      Name: '/credkit/applications/a',
      Type: 'String',
      Value: '{"version":2}',
      Version: 2,
      ARN: `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/credkit/applications/a`,
    });
    const tags = await runAws([
      'list-tags-for-resource',
      '--resource-type',
      'Parameter',
      '--resource-id',
      '/credkit/applications/a',
    ]);
    expect(json(tags.stdout).TagList).toEqual([{ Key: 'credkit:application', Value: 'a' }]);
  });

  it('pages get-parameters-by-path 10 at a time and the CLI follows NextToken to every parameter', async () => {
    const names = Array.from(
      { length: 23 },
      (_, i) => `/credkit/applications/p/environments/e${String(i).padStart(2, '0')}`,
    );
    // Seeded in process (23 CLI starts would take half a minute); the listing is the CLI's.
    for (const name of names) await putSigned(name);
    const before = aws.requests.length;
    const listed = await runAws([
      'get-parameters-by-path',
      '--path',
      '/credkit/applications/p/environments',
      '--page-size',
      '10',
    ]);
    const parameters = json(listed.stdout).Parameters as { Name: string }[];
    expect(parameters.map((p) => p.Name)).toEqual(names);
    const calls = aws.requests.slice(before).filter((r) => r.action === 'GetParametersByPath');
    expect(calls.map((c) => c.params?.NextToken ?? 'first')).toEqual(['first', 'yes', 'yes']);
    expect(calls.every((c) => c.params?.MaxResults === '10' && c.status === 200)).toBe(true);
  });

  it('deletes, then reports ParameterNotFound', async () => {
    await runAws(['put-parameter', '--name', '/d', '--type', 'String', '--value', 'x']);
    const deleted = await runAws(['delete-parameter', '--name', '/d']);
    expect(deleted.code).toBe(0);
    const missing = await runAws(['get-parameter', '--name', '/d']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/ParameterNotFound/);
    const again = await runAws(['delete-parameter', '--name', '/d']);
    expect(again.stderr).toMatch(/ParameterNotFound/);
  });

  it('retries ThrottlingException (a fault) and reports AccessDeniedException naming the caller', async () => {
    const throttle = aws.fault('ssm', { throttle: true, action: 'GetParameter' }, { times: 2 });
    await runAws(['put-parameter', '--name', '/t', '--type', 'String', '--value', 'x']);
    const got = await runAws(['get-parameter', '--name', '/t']);
    expect(got.code).toBe(0);
    expect(throttle.hits).toBe(2);

    aws.fault('ssm', { accessDenied: true, action: 'DeleteParameter' }, { times: 1 });
    const denied = await runAws(['delete-parameter', '--name', '/t']);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toMatch(/AccessDeniedException/);
    expect(denied.stderr).toContain(
      `arn:aws:iam::${ACCOUNT}:user/ssm-cli is not authorized to perform: ssm:DeleteParameter`,
    );
  });

  it('refuses a request signed with the wrong secret', async () => {
    const saved = keys;
    // Another last character: a secret that already ends in x would stay right (1 run in ~60).
    const last = keys.secretAccessKey.endsWith('x') ? 'y' : 'x';
    keys = { ...keys, secretAccessKey: `${keys.secretAccessKey.slice(0, -1)}${last}` };
    try {
      const bad = await runAws(['get-parameter', '--name', '/t']);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toMatch(/SignatureDoesNotMatch/);
    } finally {
      keys = saved;
    }
  });
});
