import { chmod, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { type AppChainWarning, explainAppChain, fromAppChain, verifyAppIdentity } from '../../src/index.js';
import { keys, useLoopback } from '../loopback/helpers.js';

// Issue 7, endpoints and secret hygiene of the application chain. The assume-role faults (500s,
// throttling, malformed XML, slow STS, ExpiredToken, AccessDenied) are in
// test/loopback/assume-role.test.ts and the IMDS bound in src/chain.test.ts; this file adds the
// verification call (GetCallerIdentity), the user-set credential_process timeout, untrusted stderr
// and the file-permission warning, each checked for leaked secrets in every form an error takes.
const lb = useLoopback();
const ACCOUNT = '555555555555';
let n = 0;
const user = () => lb.aws.addUser({ accountId: ACCOUNT, userName: `hostile${++n}` });

/** Every way an error reaches a person or a log, cause chain included. */
function everyRendering(error: unknown): string {
  const parts: string[] = [];
  for (let e = error as { cause?: unknown } | undefined, depth = 0; e && depth < 10; depth++) {
    const x = e as { message?: unknown; hint?: unknown; details?: unknown; stack?: unknown };
    parts.push(String(e), String(x.message), String(x.hint), JSON.stringify(x.details), String(x.stack));
    parts.push(JSON.stringify(e), inspect(e, { depth: 10, showHidden: true }));
    e = (e as { cause?: unknown }).cause as { cause?: unknown } | undefined;
  }
  return parts.join('\n');
}

/** For `rejects.toSatisfy`: none of the secrets in any rendering of the error. */
function showsNoSecret(...secrets: string[]) {
  return (error: unknown) => {
    const text = everyRendering(error);
    return secrets.every((s) => !text.includes(s));
  };
}

describe('STS GetCallerIdentity faults while verifying', () => {
  async function session() {
    const u = user();
    const s = lb.aws.issueSession(u, { expiresInSeconds: 3600 });
    const { env } = await lb.home({ credentials: `[default]\n${keys(s)}` });
    return { env, s };
  }

  it.each([
    [
      'HTTP 500 on every attempt',
      { status: 500 as const },
      'STS_UNAVAILABLE',
      /answered HTTP 500 after 2 attempts/,
    ],
    ['throttling on every attempt', { throttle: true }, 'STS_UNAVAILABLE', /throttled the request/],
    ['a malformed answer', { malformed: true }, 'STS_UNAVAILABLE', /no usable answer/],
  ])('maps %s to %s without echoing the answer or a secret', async (_, spec, code, text) => {
    const { env, s } = await session();
    lb.aws.fault('sts', spec);
    const e = verifyAppIdentity(fromAppChain({ env }), { env, clientConfig: { maxAttempts: 2 } });
    await expect(e).rejects.toMatchObject({ code: code, message: expect.stringMatching(text) });
    await expect(e).rejects.toMatchObject({ message: expect.not.stringContaining('<') });
    await expect(e).rejects.toSatisfy(showsNoSecret(s.secretAccessKey, s.sessionToken));
  });

  it('gives up on a slow STS within its timeout', async () => {
    const { env, s } = await session();
    // STS answers after a minute (the delay ends when the loopback closes): only the 400 ms bound can
    // end the call in time; the elapsed bound only guards a hang.
    lb.aws.fault('sts', { delayMs: 60_000 });
    const started = Date.now();
    const e = verifyAppIdentity(fromAppChain({ env }), { env, timeoutMs: 400 });
    await expect(e).rejects.toMatchObject({ code: 'RESOLUTION_TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(15_000);
    await expect(e).rejects.toSatisfy(showsNoSecret(s.secretAccessKey, s.sessionToken));
  });

  it('reports expired and unknown credentials by code, never the keys', async () => {
    const u = user();
    const dead = lb.aws.issueSession(u, { expiresInSeconds: -60 });
    const fake = {
      accessKeyId: 'AKIAFAKEFAKEFAKEFAKE',
      secretAccessKey: 'HOSTILEfakeSecretAAAAAAAAAAAAAAAAAAAAAAA',
    };
    const { env } = await lb.home({ credentials: `[dead]\n${keys(dead)}[fake]\n${keys(fake)}` });
    const expired = verifyAppIdentity(fromAppChain({ env, profile: 'dead' }), { env });
    await expect(expired).rejects.toMatchObject({ code: 'CREDENTIALS_EXPIRED' });
    await expect(expired).rejects.toSatisfy(showsNoSecret(dead.secretAccessKey, dead.sessionToken));
    const unknown = verifyAppIdentity(fromAppChain({ env, profile: 'fake' }), { env });
    await expect(unknown).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    await expect(unknown).rejects.toSatisfy(showsNoSecret(fake.secretAccessKey));
  });
});

describe('STS that cannot be used at all', () => {
  async function roleProfile(extra = '') {
    const u = user();
    const role = lb.aws.addRole({ accountId: ACCOUNT, roleName: `unusable${n}`, trust: [u.arn] });
    return lb.home({
      config: `[profile app]\nrole_arn = ${role.roleArn}\nsource_profile = base\n${extra}[profile base]\n${keys(u)}`,
    });
  }

  it('an endpoint that refuses connections is STS_UNAVAILABLE naming the error, at once', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const { env } = await roleProfile();
    const started = Date.now();
    await expect(
      fromAppChain({
        env: { ...env, AWS_ENDPOINT_URL_STS: `http://127.0.0.1:${port}` },
        profile: 'app',
        clientConfig: { maxAttempts: 1 },
      })(),
    ).rejects.toMatchObject({
      code: 'STS_UNAVAILABLE',
      message: expect.stringContaining('could not be reached (ECONNREFUSED)'),
    });
    // No retry back-off: a hang guard, not a speed claim.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a region that is not a region name is PROFILE_INVALID_VALUE, not a network error', async () => {
    const { env } = await roleProfile('region = us-east-1; drop\n');
    const e = fromAppChain({ env, profile: 'app' })();
    await expect(e).rejects.toMatchObject({
      code: 'PROFILE_INVALID_VALUE',
      message: expect.stringContaining('is not a region name'),
    });
    await expect(e).rejects.toMatchObject({ message: expect.stringContaining('profile "app"') });
  });
});

describe('credential_process limits users can set', () => {
  it('CREDKIT_PROCESS_TIMEOUT_MS bounds a process that never exits and ignores SIGTERM', async () => {
    const { home, env } = await lb.home({});
    // A shell script ignores SIGTERM from its first line on; a node script could not, as a SIGTERM
    // sent before its handler was installed (a slow start on a busy machine) killed it at once.
    const script = join(home.dir, 'stubborn "quoted" script.sh');
    await writeFile(script, "trap '' TERM\nwhile :; do sleep 1; done\n");
    await writeFile(home.configFile, `[profile stuck]\ncredential_process = /bin/sh '${script}'\n`);
    const started = Date.now();
    await expect(
      fromAppChain({ env: { ...env, CREDKIT_PROCESS_TIMEOUT_MS: '1000' }, profile: 'stuck' })(),
    ).rejects.toMatchObject({
      code: 'CREDENTIAL_PROCESS_TIMEOUT',
      message: expect.stringContaining('within 1000 ms'),
    });
    const took = Date.now() - started;
    // 1000 ms, then SIGTERM is ignored, then SIGKILL after the 2 s grace.
    expect(took).toBeGreaterThanOrEqual(2_000);
    expect(took).toBeLessThan(15_000);
  });

  it('shows stderr with terminal escapes defused, and never the stdout it printed', async () => {
    const u = user();
    const { home, env } = await lb.home({});
    const script = join(home.dir, 'noisy.mjs');
    await writeFile(
      script,
      `process.stdout.write(${JSON.stringify(u.secretAccessKey)}); process.stderr.write('\\u001b[2J\\u001b[31mlogin required\\u0007\\n'); process.exit(4);`,
    );
    await writeFile(
      home.configFile,
      `[profile noisy]\ncredential_process = ${JSON.stringify(process.execPath)} ${script}\n`,
    );
    const e = fromAppChain({ env, profile: 'noisy' })();
    await expect(e).rejects.toMatchObject({
      code: 'CREDENTIAL_PROCESS_FAILED',
      message: expect.stringContaining('login required'),
    });
    await expect(e).rejects.toMatchObject({
      message: expect.not.stringMatching(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/),
    });
    await expect(e).rejects.toSatisfy(showsNoSecret(u.secretAccessKey));
  });
});

describe.skipIf(process.platform === 'win32')('file permissions', () => {
  it('warns once through onWarning when the credentials file others can read holds a secret', async () => {
    const u = user();
    const { home, env } = await lb.home({ credentials: `[default]\n${keys(u)}` });
    await chmod(home.credentialsFile, 0o644);
    const shown =
      env.HOME && home.credentialsFile.startsWith(`${env.HOME}/`)
        ? `~${home.credentialsFile.slice(env.HOME.length)}`
        : home.credentialsFile;
    const warnings: AppChainWarning[] = [];
    const provider = fromAppChain({ env, onWarning: (w) => warnings.push(w) });
    await provider();
    await provider({ forceRefresh: true });
    expect(warnings).toEqual([
      {
        code: 'FILE_PERMISSIONS_TOO_OPEN',
        // Paths in messages are shown from the home, as everywhere else (~/.aws/credentials).
        message: `${shown} holds secrets (aws_secret_access_key at line 3) but can be read by every user on this machine (mode 0644); make it private: chmod 600 ${shown}`,
      },
    ]);
    expect((await explainAppChain({ env })).warnings.map((w) => w.code)).toEqual([
      'FILE_PERMISSIONS_TOO_OPEN',
    ]);
    await chmod(home.credentialsFile, 0o600);
    expect((await explainAppChain({ env })).warnings).toEqual([]);
    expect(JSON.stringify(warnings)).not.toContain(u.secretAccessKey);
  });
});
