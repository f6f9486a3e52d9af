import { type AwsHome, type LoopbackAws, startLoopbackAws, tempAwsHomes } from '@credkit/loopback-aws';
import { createScriptedPrompter } from '@credkit/temp-creds/prompter';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveEnvironmentRegion, selectEnvironmentCredentials } from '../../src/index.js';
import { quietSdkNodeVersionWarning } from '../../src/providers.js';

// The chosen environment profile resolves through that profile alone, over real HTTP to the
// loopback STS, with the application's AWS_PROFILE and key pair set to something else entirely.
const ACCOUNT = '222222222222';
let aws: LoopbackAws;
const home = tempAwsHomes(afterEach);

beforeAll(async () => {
  quietSdkNodeVersionWarning();
  aws = await startLoopbackAws();
});
afterAll(async () => {
  await aws.close();
});

function user(mfa = false) {
  const userName = `env-admin-${Math.random().toString(36).slice(2, 8)}`;
  const serial = `arn:aws:iam::${ACCOUNT}:mfa/${userName}`;
  const keys = aws.addUser({
    accountId: ACCOUNT,
    userName,
    ...(mfa ? { mfa: { serial, code: '654321' } } : {}),
  });
  return { ...keys, userName, serial };
}

function applicationEnv(h: AwsHome, app: { accessKeyId: string; secretAccessKey: string }) {
  return {
    ...h.env,
    ...aws.env,
    PATH: process.env.PATH,
    AWS_PROFILE: 'application',
    AWS_ACCESS_KEY_ID: app.accessKeyId,
    AWS_SECRET_ACCESS_KEY: app.secretAccessKey,
  };
}

describe('environment credentials through the loopback AWS endpoints', () => {
  it('resolves an assume-role profile chosen by --profile, signed by its source profile only', async () => {
    const admin = user();
    const application = user();
    const role = aws.addRole({
      accountId: ACCOUNT,
      roleName: `deploy-${admin.userName}`,
      trust: [admin.arn],
    });
    const h = await home({
      config: `[profile application]\nregion = us-east-1\n[profile prod-deploy]\nrole_arn = ${role.roleArn}\nsource_profile = prod-base\nregion = eu-west-3\n`,
      credentials: `[prod-base]\naws_access_key_id = ${admin.accessKeyId}\naws_secret_access_key = ${admin.secretAccessKey}\n`,
    });
    const env = applicationEnv(h, application);
    const selection = await selectEnvironmentCredentials({
      envName: 'prod-cdg',
      flags: { profile: 'prod-deploy' },
      env,
    });
    expect(selection.profile).toMatchObject({ kind: 'assume-role', region: 'eu-west-3' });

    const credentials = await selection.provider();
    expect(credentials.accessKeyId).toMatch(/^ASIA/);
    expect(credentials.sessionToken).toBeTruthy();
    const assumeRole = aws.requests.filter((r) => r.action === 'AssumeRole').at(-1)!;
    expect(assumeRole).toMatchObject({
      status: 200,
      accessKeyId: admin.accessKeyId,
      params: { RoleArn: role.roleArn },
    });
    expect(aws.requests.some((r) => r.accessKeyId === application.accessKeyId)).toBe(false);

    const region = await resolveEnvironmentRegion({ profile: selection.profile, interactive: false });
    expect(region).toEqual({ region: 'eu-west-3', from: 'profile' });
  });

  it('resolves a profile picked at the prompt, asking for the MFA code of its role', async () => {
    const admin = user(true);
    const role = aws.addRole({
      accountId: ACCOUNT,
      roleName: `mfa-deploy-${admin.userName}`,
      trust: [admin.arn],
      requireMfa: true,
    });
    const h = await home({
      config:
        `[profile base]\naws_access_key_id = ${admin.accessKeyId}\naws_secret_access_key = ${admin.secretAccessKey}\n` +
        `[profile guarded]\nrole_arn = ${role.roleArn}\nsource_profile = base\nmfa_serial = ${admin.serial}\n`,
    });
    const prompter = createScriptedPrompter([{ choose: '[profile guarded]' }]);
    const asked: string[] = [];
    const selection = await selectEnvironmentCredentials({
      envName: 'prod-iad',
      prompter,
      interactive: true,
      env: applicationEnv(h, user()),
      mfaCodeProvider: async (serial) => {
        asked.push(serial);
        return '654321';
      },
    });
    expect(prompter.calls[0]!.choices).toEqual([
      'Enter temporary credentials',
      '[profile base]',
      '[profile guarded]',
    ]);
    const credentials = await selection.provider();
    expect(credentials.accessKeyId).toMatch(/^ASIA/);
    expect(asked).toEqual([admin.serial]);
    expect(aws.requests.filter((r) => r.action === 'AssumeRole').at(-1)).toMatchObject({
      status: 200,
      // status 200 on a role that requires MFA: the loopback accepted the code (it logs no TokenCode).
      params: { SerialNumber: admin.serial },
    });
  });

  it('reports a role the source profile may not assume as an error, never falling back', async () => {
    const admin = user();
    const stranger = user();
    const role = aws.addRole({
      accountId: ACCOUNT,
      roleName: `locked-${admin.userName}`,
      trust: [admin.arn],
    });
    const h = await home({
      config: `[profile locked]\nrole_arn = ${role.roleArn}\nsource_profile = outsider\n[profile outsider]\naws_access_key_id = ${stranger.accessKeyId}\naws_secret_access_key = ${stranger.secretAccessKey}\n`,
    });
    const selection = await selectEnvironmentCredentials({
      envName: 'e',
      flags: { profile: 'locked' },
      env: applicationEnv(h, admin),
    });
    await expect(selection.provider()).rejects.toMatchObject({ name: 'CredkitError' });
    expect(aws.requests.some((r) => r.accessKeyId === admin.accessKeyId)).toBe(false);
  });

  it('resolves an SSO profile and a credential_process profile chosen for the environment', async () => {
    aws.addSsoAccess({ accessToken: 'env-sso-token', accountId: ACCOUNT, roleName: 'EnvAdmin' });
    const issued = aws.issueSession(user(), { expiresInSeconds: 900 });
    const processOutput = JSON.stringify({
      Version: 1,
      AccessKeyId: issued.accessKeyId,
      SecretAccessKey: issued.secretAccessKey,
      SessionToken: issued.sessionToken,
      Expiration: issued.expiration,
    });
    const created = await home({
      config:
        `[profile env-sso]\nsso_session = corp\nsso_account_id = ${ACCOUNT}\nsso_role_name = EnvAdmin\nregion = ap-south-1\n` +
        `[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n` +
        `[profile env-process]\ncredential_process = node -e "process.stdout.write(process.argv[1])" '${processOutput}'\n`,
      ssoCache: [{ sessionName: 'corp', accessToken: 'env-sso-token' }],
    });
    const env = applicationEnv(created, user());

    const sso = await selectEnvironmentCredentials({ envName: 'e', flags: { profile: 'env-sso' }, env });
    expect(sso.profile).toMatchObject({ kind: 'sso', region: 'ap-south-1' });
    expect((await sso.provider()).accessKeyId).toMatch(/^ASIA/);
    expect(aws.requests.filter((r) => r.service === 'sso').at(-1)).toMatchObject({ status: 200 });

    const viaProcess = await selectEnvironmentCredentials({
      envName: 'e',
      flags: { profile: 'env-process' },
      env,
    });
    expect(viaProcess.profile?.kind).toBe('process');
    expect(await viaProcess.provider()).toMatchObject({
      accessKeyId: issued.accessKeyId,
      sessionToken: issued.sessionToken,
    });
  });
});
