import type { LoopbackAws } from './server.js';

/** The fixed MFA device of the sample user alice; the loopback accepts only this code. */
export const SAMPLE_MFA = { serial: 'arn:aws:iam::111111111111:mfa/alice', code: '123456' };

/**
 * A small cast of principals for the sandbox and manual use: alice (IAM user with MFA), a root
 * user, roles alice may assume (plain, MFA-protected, ExternalId-protected), a web identity role,
 * an SSO grant, and IMDS / container task roles.
 */
export function addSampleCast(aws: LoopbackAws) {
  const alice = aws.addUser({ accountId: '111111111111', userName: 'alice', mfa: SAMPLE_MFA });
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
  const sso = { accessToken: 'loopback-sso-access-token', accountId: '222222222222', roleName: 'Admin' };
  aws.addSsoAccess(sso);
  const instance = aws.setInstanceRole({ accountId: '444444444444', roleName: 'instance-role' });
  const container = aws.setContainerCredentials({ accountId: '555555555555', roleName: 'task-role' });
  return {
    users: { alice: { ...alice, mfa: SAMPLE_MFA } },
    root,
    roles: {
      deploy: deploy.roleArn,
      admin: admin.roleArn,
      partner: partner.roleArn,
      web: web.roleArn,
      instance: instance.roleArn,
      container: container.roleArn,
    },
    partnerExternalId: 'loopback-external-id',
    webIdentityToken,
    sso,
  };
}
