import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { type LoopbackAws, startLoopbackAws } from '@credkit/loopback-aws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../clock.js';
import { isCredkitError } from '../errors/index.js';
import { parseTemporaryCredentials } from './parse.js';
import { fromTemporaryCredentials } from './provider.js';

let aws: LoopbackAws;
beforeEach(async () => {
  aws = await startLoopbackAws();
});
afterEach(async () => {
  await aws.close();
});

function sts(credentials: AwsCredentialIdentityProvider): STSClient {
  return new STSClient({ endpoint: aws.url, region: 'us-east-1', credentials, maxAttempts: 1 });
}

describe('fromTemporaryCredentials', () => {
  it('signs real STS calls with temporary credentials and reports their expiration and source', async () => {
    const alice = aws.addUser({ accountId: '111111111111', userName: 'alice' });
    const session = aws.issueSession(alice, { expiresInSeconds: 3600 });
    const credentials = parseTemporaryCredentials(
      { ...session, expiration: session.expiration.toISOString() },
      { source: 'prompt' },
    );
    const provider = fromTemporaryCredentials(credentials);

    const identity = await provider();
    expect(identity.expiration?.getTime()).toBe(session.expiration.getTime());
    expect(identity.sessionToken).toBe(session.sessionToken);
    expect(identity.$source).toEqual({ CREDENTIALS_CODE: 'e' });
    expect(identity.source).toEqual({
      kind: 'temporary',
      description: `temporary credentials …${session.accessKeyId.slice(-4)} entered at the prompt`,
    });
    expect(Object.keys(identity)).not.toContain('source');

    const client = sts(provider);
    const answer = await client.send(new GetCallerIdentityCommand({}));
    expect(answer.Account).toBe('111111111111');
    expect(aws.requests.at(-1)?.accessKeyId).toBe(session.accessKeyId);
    client.destroy();
  });

  it('works with long-term AKIA keys, which have no expiration', async () => {
    const bob = aws.addUser({ accountId: '111111111111', userName: 'bob' });
    const credentials = parseTemporaryCredentials(bob, { source: 'flags' });
    const provider = fromTemporaryCredentials(credentials);
    expect((await provider()).expiration).toBeUndefined();
    expect((await provider()).source.description).toMatch(
      /^long-term access key …\w{4} given with --aws-access-key-id/,
    );
    const client = sts(provider);
    expect((await client.send(new GetCallerIdentityCommand({}))).Arn).toBe(bob.arn);
    client.destroy();
  });

  it('fails with CREDENTIALS_EXPIRED once they expire, before any request reaches AWS', async () => {
    const alice = aws.addUser({ accountId: '111111111111', userName: 'alice' });
    // Within the SDK's five-minute refresh window, so it asks the provider before every request.
    const session = aws.issueSession(alice, { expiresInSeconds: 120 });
    let clock = new Date();
    const now: Clock = () => clock.getTime();
    const credentials = parseTemporaryCredentials(
      { ...session, expiration: session.expiration.toISOString() },
      { source: 'env', now },
    );
    const client = sts(fromTemporaryCredentials(credentials, { now }));
    await client.send(new GetCallerIdentityCommand({}));
    const requestsBefore = aws.requests.length;

    clock = new Date(session.expiration.getTime() + 1000);
    const error = await client.send(new GetCallerIdentityCommand({})).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isCredkitError(error, 'CREDENTIALS_EXPIRED')).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain(`expired at ${session.expiration.toISOString()}`);
    expect(message).toContain('AWS_ACCESS_KEY_ID');
    expect((error as { hint?: string }).hint).toMatch(/fresh temporary credentials/);
    expect(JSON.stringify(error)).not.toContain(session.secretAccessKey);
    expect(aws.requests.length).toBe(requestsBefore);
    client.destroy();
  });
});
