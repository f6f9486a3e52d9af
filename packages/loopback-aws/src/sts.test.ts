import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LoopbackAws, startLoopbackAws } from './index.js';

let aws: LoopbackAws;
beforeEach(async () => {
  aws = await startLoopbackAws();
});
afterEach(async () => {
  await aws.close();
});

function sts(credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) {
  return new STSClient({ endpoint: aws.url, region: 'us-east-1', credentials, maxAttempts: 1 });
}

describe('STS GetCallerIdentity', () => {
  it('identifies an IAM user', async () => {
    const alice = aws.addUser({ accountId: '111111111111', userName: 'alice' });
    const out = await sts(alice).send(new GetCallerIdentityCommand({}));
    expect(out.Arn).toBe('arn:aws:iam::111111111111:user/alice');
    expect(out.Account).toBe('111111111111');
    expect(out.UserId).toBe(alice.userId);
  });
});

describe('STS AssumeRole', () => {
  it('returns session credentials that identify as the assumed role', async () => {
    const alice = aws.addUser({ accountId: '111111111111', userName: 'alice' });
    const { roleArn } = aws.addRole({ accountId: '222222222222', roleName: 'deploy', trust: [alice.arn] });
    const out = await sts(alice).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ci' }));
    expect(out.AssumedRoleUser?.Arn).toBe('arn:aws:sts::222222222222:assumed-role/deploy/ci');
    const c = out.Credentials;
    expect(c?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    const who = await sts({
      accessKeyId: c?.AccessKeyId ?? '',
      secretAccessKey: c?.SecretAccessKey ?? '',
      sessionToken: c?.SessionToken ?? '',
    }).send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe('arn:aws:sts::222222222222:assumed-role/deploy/ci');
  });
});
