#!/usr/bin/env node
import { startLoopbackAws } from './server.js';

/**
 * Starts the loopback endpoints with a small sample cast so the sandbox and a human can point a
 * real SDK or AWS CLI at it. Prints shell `export` lines (or JSON with --json) and keeps running
 * until interrupted. Everything here is fake: the keys work only against this process.
 */
async function main(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  const aws = await startLoopbackAws();
  const alice = aws.addUser({
    accountId: '111111111111',
    userName: 'alice',
    mfa: { serial: 'arn:aws:iam::111111111111:mfa/alice', code: '123456' },
  });
  const root = aws.addRoot({ accountId: '111111111111' });
  const deploy = aws.addRole({ accountId: '222222222222', roleName: 'deploy', trust: [alice.arn] });
  const admin = aws.addRole({
    accountId: '222222222222',
    roleName: 'admin',
    trust: [alice.arn],
    requireMfa: true,
  });
  const partner = aws.addRole({
    accountId: '333333333333',
    roleName: 'partner',
    trust: [alice.arn],
    externalId: 'loopback-external-id',
  });
  const webIdentityToken = 'loopback-web-identity-token';
  const web = aws.addRole({
    accountId: '222222222222',
    roleName: 'web',
    webIdentity: { token: webIdentityToken },
  });
  const ssoToken = 'loopback-sso-access-token';
  aws.addSsoAccess({ accessToken: ssoToken, accountId: '222222222222', roleName: 'Admin' });
  aws.setInstanceRole({ accountId: '444444444444', roleName: 'instance-role' });
  aws.setContainerCredentials({ accountId: '555555555555', roleName: 'task-role' });

  const sample = {
    url: aws.url,
    env: aws.env,
    principals: {
      alice: { ...alice, mfa: { serial: 'arn:aws:iam::111111111111:mfa/alice', code: '123456' } },
      root,
      roles: { deploy: deploy.roleArn, admin: admin.roleArn, partner: partner.roleArn, web: web.roleArn },
      partnerExternalId: 'loopback-external-id',
      webIdentityToken,
      sso: { accessToken: ssoToken, accountId: '222222222222', roleName: 'Admin' },
    },
  };
  if (json) {
    process.stdout.write(`${JSON.stringify(sample, null, 2)}\n`);
  } else {
    process.stdout.write(
      '# credkit loopback AWS endpoints (fake credentials, valid only against this process)\n',
    );
    for (const [k, v] of Object.entries(aws.env)) process.stdout.write(`export ${k}=${v}\n`);
    process.stdout.write(
      `# alice (${alice.arn}): ${alice.accessKeyId} / ${alice.secretAccessKey}, MFA code 123456\n`,
    );
    process.stdout.write(`# root (${root.arn}): ${root.accessKeyId} / ${root.secretAccessKey}\n`);
    process.stdout.write(
      `# roles: ${deploy.roleArn} ${admin.roleArn} (MFA) ${partner.roleArn} (ExternalId loopback-external-id)\n`,
    );
    process.stdout.write(`# web identity: ${web.roleArn} token ${webIdentityToken}; SSO token ${ssoToken}\n`);
  }
  const stop = () => {
    aws.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`loopback-aws: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
