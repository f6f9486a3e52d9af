import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LoopbackAws, startLoopbackAws } from './index.js';

let aws: LoopbackAws;
let alice: ReturnType<LoopbackAws['addUser']>;
beforeEach(async () => {
  aws = await startLoopbackAws();
  alice = aws.addUser({ accountId: '111111111111', userName: 'alice' });
});
afterEach(async () => {
  await aws.close();
});

function sts(opts: { maxAttempts?: number; requestTimeout?: number } = {}) {
  return new STSClient({
    endpoint: aws.url,
    region: 'us-east-1',
    credentials: alice,
    maxAttempts: opts.maxAttempts ?? 1,
    // requestTimeout alone only logs a warning in this SDK version; throwOnRequestTimeout makes it fail.
    ...(opts.requestTimeout
      ? {
          requestHandler: new NodeHttpHandler({
            requestTimeout: opts.requestTimeout,
            throwOnRequestTimeout: true,
          }),
        }
      : {}),
  });
}

const stsCalls = () =>
  aws.requests.filter((r) => r.service === 'sts').map((r) => [r.status, r.errorCode, r.fault]);

describe('STS faults seen by @aws-sdk/client-sts', () => {
  it('500 InternalFailure is retried by the SDK until the fault runs out', async () => {
    const fault = aws.fault('sts', { status: 500 }, { times: 2 });
    const out = await sts({ maxAttempts: 3 }).send(new GetCallerIdentityCommand({}));
    expect(out.Arn).toBe(alice.arn);
    expect(fault.hits).toBe(2);
    expect(stsCalls()).toEqual([
      [500, 'InternalFailure', 'status'],
      [500, 'InternalFailure', 'status'],
      [200, undefined, undefined],
    ]);
  });

  it('503 ServiceUnavailable surfaces when retries are exhausted', async () => {
    aws.fault('sts', { status: 503 });
    await expect(sts({ maxAttempts: 2 }).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'ServiceUnavailable',
      $metadata: { httpStatusCode: 503, attempts: 2 },
    });
  });

  it('Throttling is retried, and surfaces as Throttling without retries', async () => {
    aws.fault('sts', { throttle: true }, { times: 1 });
    expect((await sts({ maxAttempts: 2 }).send(new GetCallerIdentityCommand({}))).Arn).toBe(alice.arn);
    aws.fault('sts', { throttle: true }, { times: 1 });
    const err = await sts()
      .send(new GetCallerIdentityCommand({}))
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      name: 'Throttling',
      message: 'Rate exceeded',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('a malformed 200 body fails deserialization', async () => {
    aws.fault('sts', { malformed: true });
    const err = (await sts()
      .send(new GetCallerIdentityCommand({}))
      .catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(/Deserialization error|xml|parse|Unexpected/i);
    expect(stsCalls()).toEqual([[200, 'Malformed', 'malformed']]);
  });

  it('a delay longer than the request timeout makes the SDK time out; a short one only slows it', async () => {
    // Far longer than the 100 ms request timeout, so the order cannot flip on a busy machine.
    aws.fault('sts', { delayMs: 10_000 }, { times: 1 });
    const err = await sts({ requestTimeout: 100 })
      .send(new GetCallerIdentityCommand({}))
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'TimeoutError' });
    aws.fault('sts', { delayMs: 150 }, { times: 1 });
    const started = Date.now();
    expect((await sts().send(new GetCallerIdentityCommand({}))).Arn).toBe(alice.arn);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('can target one action and be cleared', async () => {
    const role = aws.addRole({ accountId: '222222222222', roleName: 'deploy', trust: [alice.arn] });
    const fault = aws.fault('sts', { status: 500, action: 'AssumeRole' });
    const client = sts();
    expect((await client.send(new GetCallerIdentityCommand({}))).Arn).toBe(alice.arn);
    const params = { RoleArn: role.roleArn, RoleSessionName: 'x1' };
    await expect(client.send(new AssumeRoleCommand(params))).rejects.toMatchObject({
      name: 'InternalFailure',
    });
    fault.clear();
    expect((await client.send(new AssumeRoleCommand(params))).AssumedRoleUser?.Arn).toContain(
      'assumed-role/deploy/x1',
    );
    expect(fault.hits).toBe(1);
  });

  it('close() returns promptly while a delayed response is pending', async () => {
    const fault = aws.fault('sts', { delayMs: 60_000 });
    const pending = sts()
      .send(new GetCallerIdentityCommand({}))
      .catch((e: unknown) => e);
    // The request must be inside the delay before close(), however slow the machine.
    await expect.poll(() => fault.hits, { timeout: 10_000 }).toBe(1);
    const started = Date.now();
    await aws.close();
    // Well before the minute-long delay ends; the bound only guards a hang.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await pending).toBeInstanceOf(Error);
  });
});
