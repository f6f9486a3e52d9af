import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AwsHome, createAwsHome, type LoopbackAws, startLoopbackAws } from '@credkit/loopback-aws';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { resolveProfile } from './from-profile.js';

// Which code walks a profile: the SDK's fromIni for chains rooted in keys, a session or a web
// identity token; credkit's walker for credential_process, SSO and credential_source roots. Real
// files, real HTTP to the loopback STS/SSO.
const ACCOUNT = '444444444444';
let aws: LoopbackAws;
const homes: AwsHome[] = [];
beforeAll(async () => {
  aws = await startLoopbackAws();
});
afterEach(async () => {
  await Promise.all(homes.splice(0).map((h) => h.cleanup()));
});
afterAll(async () => {
  await aws.close();
});

type Env = Record<string, string | undefined>;

async function home(options: Parameters<typeof createAwsHome>[0], extra: Env = {}) {
  const created = await createAwsHome(options);
  homes.push(created);
  const env: Env = {
    ...created.env,
    PATH: process.env.PATH,
    AWS_ENDPOINT_URL_STS: aws.env.AWS_ENDPOINT_URL_STS,
    AWS_ENDPOINT_URL_SSO: aws.env.AWS_ENDPOINT_URL_SSO,
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
  return { home: created, env };
}

function user() {
  const userName = `ini-${Math.random().toString(36).slice(2, 8)}`;
  return { ...aws.addUser({ accountId: ACCOUNT, userName }), userName };
}

const keys = (k: { accessKeyId: string; secretAccessKey: string }) =>
  `aws_access_key_id = ${k.accessKeyId}\naws_secret_access_key = ${k.secretAccessKey}\n`;

async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    return e as {
      name: string;
      code: string;
      message: string;
      hint: string;
      details: Record<string, unknown>;
    };
  }
  throw new Error('expected a failure');
}

/** A two-hop chain app -> mid -> base(keys) and the STS requests it makes. */
function twoHops(u: { arn: string; userName: string }) {
  const mid = aws.addRole({ accountId: ACCOUNT, roleName: `mid-${u.userName}`, trust: [u.arn] });
  const app = aws.addRole({ accountId: ACCOUNT, roleName: `app-${u.userName}`, trust: [mid.roleArn] });
  return { mid, app };
}

describe('role chains rooted in keys resolve through the SDK fromIni', () => {
  it('walks a static-rooted two-hop chain with fromIni, credkit making both STS calls', async () => {
    const u = user();
    const { mid, app } = twoHops(u);
    const { env } = await home({
      config: `[profile app]\nrole_arn = ${app.roleArn}\nsource_profile = mid\n[profile mid]\nrole_arn = ${mid.roleArn}\nsource_profile = base\n`,
      credentials: `[base]\n${keys(u)}`,
    });
    const before = aws.requests.length;
    const creds = await resolveProfile({ profile: 'app', env });
    expect(creds.source).toMatchObject({
      resolver: 'fromIni',
      method: 'assume-role',
      chain: ['app', 'mid', 'base'],
    });
    // The SDK's own attribution for a source_profile hop, plus credkit's AssumeRole.
    expect(creds.$source).toMatchObject({
      CREDENTIALS_PROFILE_SOURCE_PROFILE: 'o',
      CREDENTIALS_STS_ASSUME_ROLE: 'i',
    });
    const calls = aws.requests.slice(before);
    expect(calls.map((r) => [r.action, r.params?.RoleArn])).toEqual([
      ['AssumeRole', mid.roleArn],
      ['AssumeRole', app.roleArn],
    ]);
    // credkit names its sessions (not the SDK's aws-sdk-js-<ms>) and sends the SDK's DurationSeconds.
    expect(calls.every((r) => r.params?.RoleSessionName?.startsWith('credkit-'))).toBe(true);
    expect(calls.map((r) => r.params?.DurationSeconds)).toEqual(['3600', '3600']);
    expect(calls[0]?.accessKeyId).toBe(u.accessKeyId);
  });

  it('re-reads the files on every resolution (ignoreCache): an edited role_session_name is used', async () => {
    const u = user();
    const { mid, app } = twoHops(u);
    const config = (name: string) =>
      `[profile app]\nrole_arn = ${app.roleArn}\nsource_profile = mid\nrole_session_name = ${name}\n[profile mid]\nrole_arn = ${mid.roleArn}\nsource_profile = base\n[profile base]\n${keys(u)}`;
    const { home: h, env } = await home({ config: config('first') });
    await resolveProfile({ profile: 'app', env });
    await writeFile(h.configFile, config('second'));
    const before = aws.requests.length;
    await resolveProfile({ profile: 'app', env });
    expect(aws.requests.slice(before).map((r) => r.params?.RoleSessionName)[1]).toBe('second');
  });

  it('resolves a web identity profile, alone and as the root of a chain, through fromIni', async () => {
    const u = user();
    const wi = aws.addRole({
      accountId: ACCOUNT,
      roleName: `wi-${u.userName}`,
      trust: ['*'],
      webIdentity: { token: 'jwt-for-ini' },
    });
    const app = aws.addRole({ accountId: ACCOUNT, roleName: `wiapp-${u.userName}`, trust: [wi.roleArn] });
    const { home: h, env } = await home({ webIdentityToken: 'jwt-for-ini' });
    await writeFile(
      h.configFile,
      `[profile app]\nrole_arn = ${app.roleArn}\nsource_profile = wi\n[profile wi]\nrole_arn = ${wi.roleArn}\nweb_identity_token_file = ${h.webIdentityTokenFile}\nrole_session_name = pod\n`,
    );
    const alone = await resolveProfile({ profile: 'wi', env });
    expect(alone.source).toMatchObject({ resolver: 'fromIni', method: 'web-identity' });
    expect(alone.$source).toMatchObject({
      CREDENTIALS_PROFILE_STS_WEB_ID_TOKEN: 'q',
      CREDENTIALS_STS_ASSUME_ROLE_WEB_ID: 'k',
    });
    const before = aws.requests.length;
    const chained = await resolveProfile({ profile: 'app', env });
    expect(chained.source).toMatchObject({ resolver: 'fromIni', chain: ['app', 'wi'] });
    expect(aws.requests.slice(before).map((r) => [r.action, r.params?.RoleSessionName ?? ''])).toEqual([
      ['AssumeRoleWithWebIdentity', 'pod'],
      ['AssumeRole', expect.stringMatching(/^credkit-\d+$/)],
    ]);
  });

  it('asks for the MFA code through fromIni and sends it with the right hop', async () => {
    const userName = `inimfa-${Math.random().toString(36).slice(2, 8)}`;
    const serial = `arn:aws:iam::${ACCOUNT}:mfa/${userName}`;
    const u = { ...aws.addUser({ accountId: ACCOUNT, userName, mfa: { serial, code: '246810' } }), userName };
    const role = aws.addRole({
      accountId: ACCOUNT,
      roleName: `mfa-${userName}`,
      trust: [u.arn],
      requireMfa: true,
    });
    const { env } = await home({
      config: `[profile app]\nrole_arn = ${role.roleArn}\nsource_profile = base\nmfa_serial = ${serial}\n[profile base]\n${keys(u)}`,
    });
    const ask = vi.fn(async () => '246810');
    const creds = await resolveProfile({ profile: 'app', env, mfaCodeProvider: ask });
    expect(ask).toHaveBeenCalledExactlyOnceWith(serial);
    expect(creds.source?.resolver).toBe('fromIni');
    expect(aws.requests.at(-1)?.params).toMatchObject({ SerialNumber: serial, RoleArn: role.roleArn });
    expect(aws.requests.at(-1)?.status).toBe(200);
  });

  it('asks for the codes of two MFA hops one at a time, innermost first', async () => {
    const userName = `inimfa2-${Math.random().toString(36).slice(2, 8)}`;
    const serial = `arn:aws:iam::${ACCOUNT}:mfa/${userName}`;
    const u = { ...aws.addUser({ accountId: ACCOUNT, userName, mfa: { serial, code: '135790' } }), userName };
    const mid = aws.addRole({
      accountId: ACCOUNT,
      roleName: `m1-${userName}`,
      trust: [u.arn],
      requireMfa: true,
    });
    const app = aws.addRole({ accountId: ACCOUNT, roleName: `m2-${userName}`, trust: [mid.roleArn] });
    const { env } = await home({
      config: `[profile app]\nrole_arn = ${app.roleArn}\nsource_profile = mid\nmfa_serial = ${serial}-app\n[profile mid]\nrole_arn = ${mid.roleArn}\nsource_profile = base\nmfa_serial = ${serial}\n[profile base]\n${keys(u)}`,
    });
    let open = 0;
    let most = 0;
    const asked: string[] = [];
    const ask = async (s: string) => {
      asked.push(s);
      most = Math.max(most, ++open);
      await new Promise((r) => setTimeout(r, 50));
      open--;
      return '135790';
    };
    // A role session cannot present an MFA device, so STS refuses the outer hop; the prompts are the point.
    const e = await failure(resolveProfile({ profile: 'app', env, mfaCodeProvider: ask }));
    expect(e.code).toBe('ASSUME_ROLE_DENIED');
    expect(e.message).toContain('profile "app"');
    expect(asked).toEqual([serial, `${serial}-app`]);
    expect(most).toBe(1);
  });
});

describe('MFA on two hops (the SDK asks for both codes before the inner role is assumed)', () => {
  async function twoMfaHops() {
    const userName = `inimfa3-${Math.random().toString(36).slice(2, 8)}`;
    const serial = `arn:aws:iam::${ACCOUNT}:mfa/${userName}`;
    const u = { ...aws.addUser({ accountId: ACCOUNT, userName, mfa: { serial, code: '112233' } }), userName };
    const mid = aws.addRole({
      accountId: ACCOUNT,
      roleName: `m3-${userName}`,
      trust: [u.arn],
      requireMfa: true,
    });
    const app = aws.addRole({ accountId: ACCOUNT, roleName: `m4-${userName}`, trust: [mid.roleArn] });
    const { env } = await home({
      config: `[profile app]\nrole_arn = ${app.roleArn}\nsource_profile = mid\nmfa_serial = ${serial}-app\n[profile mid]\nrole_arn = ${mid.roleArn}\nsource_profile = base\nmfa_serial = ${serial}\n[profile base]\n${keys(u)}`,
    });
    return { env, serial, mid };
  }

  it('an inner hop refused while the outer code is being typed fails with its own error (no unhandled rejection)', async () => {
    const { env, serial, mid } = await twoMfaHops();
    const ask = async (s: string) => {
      if (s === serial) return '000000';
      await new Promise((r) => setTimeout(r, 300));
      return '112233';
    };
    const e = await failure(resolveProfile({ profile: 'app', env, mfaCodeProvider: ask }));
    expect(e.code).toBe('ASSUME_ROLE_DENIED');
    expect(e.message).toContain(`assume role ${mid.roleArn} for profile "mid"`);
  });

  it('a cancelled first prompt is not followed by a second one, and its error comes back as thrown', async () => {
    const { env, serial } = await twoMfaHops();
    const cancelled = new Error('user pressed Ctrl-C');
    const asked: string[] = [];
    const ask = async (s: string) => {
      asked.push(s);
      throw cancelled;
    };
    await expect(resolveProfile({ profile: 'app', env, mfaCodeProvider: ask })).rejects.toBe(cancelled);
    expect(asked).toEqual([serial]);
  });
});

describe('where the SDK parser and the standard disagree', () => {
  it('a secret written twice (once in upper case) is read differently: SDK_PROFILE_MISMATCH before any STS call', async () => {
    // The standard lower-cases names, so the second line wins; the SDK keeps the first. Only the
    // SDK's own reading of the file can produce this error: proof fromIni walked the chain.
    const u = user();
    const { mid } = twoHops(u);
    const { env } = await home({
      config: `[profile app]\nrole_arn = ${mid.roleArn}\nsource_profile = base\n[profile base]\naws_access_key_id = ${u.accessKeyId}\naws_secret_access_key = stale-secret-value-0000\nAWS_SECRET_ACCESS_KEY = ${u.secretAccessKey}\n`,
    });
    const before = aws.requests.length;
    const e = await failure(resolveProfile({ profile: 'app', env }));
    expect(e.code).toBe('SDK_PROFILE_MISMATCH');
    expect(e.message).toContain(
      'Profile "app" (~/.aws/config:1) resolves differently in the AWS SDK for JavaScript',
    );
    expect(e.message).toContain(
      'it reads other credentials from profile "base", the source of profile "app"',
    );
    expect(e.hint).toContain('~/.aws/config:7 SDK_JS_PROPERTY_CASE');
    expect(e.details.diagnostics).toContainEqual({
      code: 'SDK_JS_PROPERTY_CASE',
      file: expect.any(String),
      line: 7,
    });
    expect(aws.requests.length).toBe(before);
    const shown = `${e.message} ${e.hint} ${JSON.stringify(e)}`;
    expect(shown).not.toContain(u.secretAccessKey);
    expect(shown).not.toContain('stale-secret-value-0000');
  });

  it('a comment right after "]" hides the profile from the SDK: coded, with the header diagnostic', async () => {
    const u = user();
    const { mid } = twoHops(u);
    const { env } = await home({
      config: `[profile app]# deploy role\nrole_arn = ${mid.roleArn}\nsource_profile = base\n[profile base]\n${keys(u)}`,
    });
    const e = await failure(resolveProfile({ profile: 'app', env }));
    expect(e.name).toBe('CredkitError');
    expect(e.code).toBe('SDK_PROFILE_MISMATCH');
    expect(e.message).toContain('it finds no usable credential settings');
    expect(e.hint).toContain('~/.aws/config:1 SDK_JS_SECTION_HEADER');
    expect(e.hint).toContain('comment right after "]"');
    expect(`${e.message} ${e.hint}`).not.toContain('Could not resolve credentials');
  });

  it.each([
    [
      'ROLE_ARN in upper case',
      (arn: string) => `ROLE_ARN = ${arn}\nsource_profile = base\n`,
      'no usable credential settings',
    ],
    [
      'MFA_SERIAL in upper case',
      (arn: string) =>
        `role_arn = ${arn}\nsource_profile = base\nMFA_SERIAL = arn:aws:iam::${ACCOUNT}:mfa/x\n`,
      'reads mfa_serial of profile "app" differently',
    ],
    [
      'External_Id in mixed case',
      (arn: string) => `role_arn = ${arn}\nsource_profile = base\nExternal_Id = ext-secret-ish\n`,
      'reads external_id of profile "app" differently',
    ],
  ])('%s: SDK_PROFILE_MISMATCH naming the setting, never the value', async (_, body, said) => {
    const u = user();
    const { mid } = twoHops(u);
    const { env } = await home({ config: `[profile app]\n${body(mid.roleArn)}[profile base]\n${keys(u)}` });
    const before = aws.requests.length;
    const e = await failure(resolveProfile({ profile: 'app', env, mfaCodeProvider: async () => '123456' }));
    expect(e.code).toBe('SDK_PROFILE_MISMATCH');
    expect(e.message).toContain(said);
    expect(e.hint).toContain('SDK_JS_PROPERTY_CASE');
    expect(e.message).not.toContain('ext-secret-ish');
    expect(aws.requests.length).toBe(before);
  });

  it('says so when a sharedConfig built in memory is not on disk for the SDK to read', async () => {
    const { buildSharedConfig, parseConfigFile } = await import('../shared-config/index.js');
    const config = parseConfigFile(
      `[profile app]\nrole_arn = arn:aws:iam::${ACCOUNT}:role/r\nsource_profile = base\n[profile base]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = s\n`,
      { kind: 'config', path: '/nonexistent/credkit/config' },
    );
    const e = await failure(
      resolveProfile({ profile: 'app', env: {}, sharedConfig: buildSharedConfig({ config }) }),
    );
    expect(e.code).toBe('SDK_PROFILE_MISMATCH');
    expect(e.message).toContain('neither file exists on disk');
  });
});

describe('roots the SDK would get wrong stay with credkit', () => {
  it('credential_process root: run by credkit with the injected env (the SDK would use process.env)', async () => {
    const u = user();
    const { mid } = twoHops(u);
    const { home: h, env } = await home({}, { ROOT_KEY: u.accessKeyId, ROOT_SECRET: u.secretAccessKey });
    const script = join(h.dir, 'creds.mjs');
    await writeFile(
      script,
      'process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: process.env.ROOT_KEY, SecretAccessKey: process.env.ROOT_SECRET }));',
    );
    await writeFile(
      h.configFile,
      `[profile app]\nrole_arn = ${mid.roleArn}\nsource_profile = proc\n[profile proc]\ncredential_process = "${process.execPath}" "${script}"\n`,
    );
    const creds = await resolveProfile({ profile: 'app', env });
    expect(creds.source).toMatchObject({ resolver: 'credkit', chain: ['app', 'proc'] });
    expect(aws.requests.at(-1)).toMatchObject({
      action: 'AssumeRole',
      accessKeyId: u.accessKeyId,
      status: 200,
    });
  });

  it('SSO root: the token cache is found under the injected HOME (the SDK reads process.env.HOME)', async () => {
    const u = user();
    aws.addSsoAccess({ accessToken: 'sso-ini-token', accountId: ACCOUNT, roleName: 'Dev' });
    const target = aws.addRole({
      accountId: ACCOUNT,
      roleName: `fromsso-${u.userName}`,
      trust: ['*'],
    });
    const { env } = await home({
      config: `[profile app]\nrole_arn = ${target.roleArn}\nsource_profile = sso\n[profile sso]\nsso_session = corp\nsso_account_id = ${ACCOUNT}\nsso_role_name = Dev\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n`,
      ssoCache: [{ sessionName: 'corp', accessToken: 'sso-ini-token' }],
    });
    expect(env.HOME).not.toBe(process.env.HOME);
    const creds = await resolveProfile({ profile: 'app', env });
    expect(creds.source).toMatchObject({ resolver: 'credkit', chain: ['app', 'sso'] });
    expect(aws.requests.at(-1)).toMatchObject({ action: 'AssumeRole', status: 200 });
  });

  it('credential_source = Environment: keys from the injected env (the SDK reads process.env)', async () => {
    const u = user();
    const { mid } = twoHops(u);
    const { env } = await home(
      { config: `[profile app]\nrole_arn = ${mid.roleArn}\ncredential_source = Environment\n` },
      { AWS_ACCESS_KEY_ID: u.accessKeyId, AWS_SECRET_ACCESS_KEY: u.secretAccessKey },
    );
    expect(process.env.AWS_ACCESS_KEY_ID).not.toBe(u.accessKeyId);
    const creds = await resolveProfile({ profile: 'app', env });
    expect(creds.source?.resolver).toBe('credkit');
    expect(aws.requests.at(-1)).toMatchObject({
      action: 'AssumeRole',
      accessKeyId: u.accessKeyId,
      status: 200,
    });
  });

  it('plain keys come from the parsed file without the SDK', async () => {
    const u = user();
    const { env } = await home({ credentials: `[base]\n${keys(u)}` });
    const before = aws.requests.length;
    const creds = await resolveProfile({ profile: 'base', env });
    expect(creds.source?.resolver).toBe('credkit');
    expect(creds.$source).toEqual({ CREDENTIALS_PROFILE: 'n' });
    expect(aws.requests.length).toBe(before);
  });
});
