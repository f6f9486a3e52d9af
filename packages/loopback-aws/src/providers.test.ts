import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromHttp } from '@aws-sdk/credential-provider-http';
import { fromIni } from '@aws-sdk/credential-provider-ini';
import { fromTokenFile } from '@aws-sdk/credential-provider-web-identity';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AwsHome, createAwsHome, type LoopbackAws, startLoopbackAws } from './index.js';

// SDK credential providers in this process, pointed at the loopback through their init options
// only (file paths, clientConfig.endpoint, container URI): process.env is never touched.

let aws: LoopbackAws;
let home: AwsHome | undefined;
beforeEach(async () => {
  aws = await startLoopbackAws();
});
afterEach(async () => {
  await aws.close();
  await home?.cleanup();
  home = undefined;
});

async function whoAmI(credentials: AwsCredentialIdentity): Promise<string | undefined> {
  const client = new STSClient({ endpoint: aws.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  return (await client.send(new GetCallerIdentityCommand({}))).Arn;
}

describe('fromIni (shared config files in a temporary home)', () => {
  it('assumes a role_arn profile through the loopback STS', async () => {
    const alice = aws.addUser({ accountId: '111111111111', userName: 'alice' });
    const role = aws.addRole({ accountId: '222222222222', roleName: 'deploy', trust: [alice.arn] });
    home = await createAwsHome({
      config: `
        [profile prod]
        role_arn = ${role.roleArn}
        source_profile = base
        role_session_name = from-ini
        region = us-east-1
      `,
      credentials: `
        [base]
        aws_access_key_id = ${alice.accessKeyId}
        aws_secret_access_key = ${alice.secretAccessKey}
      `,
    });
    const creds = await fromIni({
      profile: 'prod',
      filepath: home.credentialsFile,
      configFilepath: home.configFile,
      clientConfig: { endpoint: aws.url, region: 'us-east-1' },
    })();
    expect(creds.accessKeyId).toMatch(/^ASIA/);
    expect(await whoAmI(creds)).toBe('arn:aws:sts::222222222222:assumed-role/deploy/from-ini');
    expect(aws.requests.filter((r) => r.action === 'AssumeRole')).toEqual([
      expect.objectContaining({ status: 200, accessKeyId: alice.accessKeyId, principalArn: alice.arn }),
    ]);
  });

  it('passes mfa_serial and the code from mfaCodeProvider, and fails on a wrong code', async () => {
    const serial = 'arn:aws:iam::111111111111:mfa/alice';
    const alice = aws.addUser({
      accountId: '111111111111',
      userName: 'alice',
      mfa: { serial, code: '246810' },
    });
    const role = aws.addRole({
      accountId: '222222222222',
      roleName: 'admin',
      trust: [alice.arn],
      requireMfa: true,
    });
    home = await createAwsHome({
      config: `
        [profile admin]
        role_arn = ${role.roleArn}
        source_profile = base
        mfa_serial = ${serial}
      `,
      credentials: `
        [base]
        aws_access_key_id = ${alice.accessKeyId}
        aws_secret_access_key = ${alice.secretAccessKey}
      `,
    });
    const init = {
      profile: 'admin',
      filepath: home.credentialsFile,
      configFilepath: home.configFile,
      clientConfig: { endpoint: aws.url, region: 'us-east-1' },
      ignoreCache: true,
    };
    const asked: string[] = [];
    const creds = await fromIni({
      ...init,
      mfaCodeProvider: async (s) => {
        asked.push(s);
        return '246810';
      },
    })();
    expect(asked).toEqual([serial]);
    expect(await whoAmI(creds)).toMatch(/^arn:aws:sts::222222222222:assumed-role\/admin\//);
    await expect(fromIni({ ...init, mfaCodeProvider: async () => '000000' })()).rejects.toMatchObject({
      name: 'AccessDenied',
    });
  });
});

describe('fromTokenFile (AssumeRoleWithWebIdentity)', () => {
  it('exchanges the token in the file for role credentials, unsigned', async () => {
    const role = aws.addRole({
      accountId: '222222222222',
      roleName: 'web',
      webIdentity: { token: 'jwt-abc' },
    });
    home = await createAwsHome({ webIdentityToken: 'jwt-abc' });
    const creds = await fromTokenFile({
      webIdentityTokenFile: home.webIdentityTokenFile,
      roleArn: role.roleArn,
      roleSessionName: 'pod',
      clientConfig: { endpoint: aws.url, region: 'us-east-1' },
    })();
    expect(await whoAmI(creds)).toBe('arn:aws:sts::222222222222:assumed-role/web/pod');
    const request = aws.requests.find((r) => r.action === 'AssumeRoleWithWebIdentity');
    expect(request).toMatchObject({ status: 200 });
    expect(request?.accessKeyId).toBeUndefined();
    // The token is a bearer secret; the request log must not keep it.
    expect(JSON.stringify(aws.requests)).not.toContain('jwt-abc');
  });

  it('rejects a token the role does not accept with InvalidIdentityToken', async () => {
    const role = aws.addRole({
      accountId: '222222222222',
      roleName: 'web',
      webIdentity: { token: 'jwt-abc' },
    });
    home = await createAwsHome({ webIdentityToken: 'jwt-forged' });
    await expect(
      fromTokenFile({
        webIdentityTokenFile: home.webIdentityTokenFile,
        roleArn: role.roleArn,
        roleSessionName: 'pod',
        clientConfig: { endpoint: aws.url, region: 'us-east-1', maxAttempts: 1 },
      })(),
    ).rejects.toMatchObject({ name: 'InvalidIdentityTokenException' });
  });

  it('rejects an expired web identity token with ExpiredTokenException', async () => {
    const role = aws.addRole({
      accountId: '222222222222',
      roleName: 'web',
      webIdentity: { token: 'jwt-old', expiresAt: new Date(Date.now() - 1000) },
    });
    home = await createAwsHome({ webIdentityToken: 'jwt-old' });
    await expect(
      fromTokenFile({
        webIdentityTokenFile: home.webIdentityTokenFile,
        roleArn: role.roleArn,
        roleSessionName: 'pod',
        clientConfig: { endpoint: aws.url, region: 'us-east-1', maxAttempts: 1 },
      })(),
    ).rejects.toMatchObject({
      name: 'ExpiredTokenException',
      message: expect.stringMatching(/^Token expired: /),
    });
  });
});

describe('fromHttp (container credentials endpoint)', () => {
  it('fetches task role credentials with the authorization token', async () => {
    const { roleArn } = aws.setContainerCredentials({ accountId: '555555555555', roleName: 'task' });
    expect(roleArn).toBe('arn:aws:iam::555555555555:role/task');
    const creds = await fromHttp({
      awsContainerCredentialsFullUri: aws.env.AWS_CONTAINER_CREDENTIALS_FULL_URI,
      awsContainerAuthorizationToken: aws.env.AWS_CONTAINER_AUTHORIZATION_TOKEN,
      // The SDK's 1 s default is for a real host; the loopback server on a busy machine gets a hang guard.
      timeout: 60_000,
    })();
    expect(await whoAmI(creds)).toBe('arn:aws:sts::555555555555:assumed-role/task/ecs-task-loopback');
  });

  it('is refused without the right authorization token', async () => {
    aws.setContainerCredentials({ accountId: '555555555555', roleName: 'task' });
    await expect(
      fromHttp({
        awsContainerCredentialsFullUri: aws.env.AWS_CONTAINER_CREDENTIALS_FULL_URI,
        awsContainerAuthorizationToken: 'not-the-token',
        maxRetries: 0,
        timeout: 60_000,
      })(),
    ).rejects.toThrow();
    expect(aws.requests.at(-1)).toMatchObject({ service: 'container', status: 401 });
  });
});
