import { createServer, type Server, type Socket } from 'node:net';
import { leaksNone, tempAwsHomes } from '@credkit/loopback-aws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { explainAppChain, fromAppChain } from './index.js';
import type { AppChainWarning } from './options.js';

const tempHome = tempAwsHomes(afterEach, { awsDir: '', verbatim: true });

const KEYS = (id: string) => `aws_access_key_id = ${id}\naws_secret_access_key = secret-${id}\n`;

async function home(config = '', credentials = '') {
  const h = await tempHome({ config, credentials });
  return { ...h.env, AWS_EC2_METADATA_DISABLED: 'true' } as Record<string, string | undefined>;
}

function collect() {
  const warnings: AppChainWarning[] = [];
  return { warnings, onWarning: (w: AppChainWarning) => warnings.push(w) };
}

const ENV_KEYS = { AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 'env-secret-value' };

describe('link order', () => {
  it('profile option, then AWS_PROFILE, then env keys, then [default]', async () => {
    const env = await home(
      `[profile opt]\n${KEYS('AKIAOPT')}`,
      `[named]\n${KEYS('AKIANAMED')}[default]\n${KEYS('AKIADEFAULT')}`,
    );
    const w = collect();
    expect(
      (await fromAppChain({ env: { ...env, AWS_PROFILE: 'named', ...ENV_KEYS }, profile: 'opt', ...w })())
        .accessKeyId,
    ).toBe('AKIAOPT');
    expect(
      (await fromAppChain({ env: { ...env, AWS_PROFILE: 'named', ...ENV_KEYS }, ...w })()).accessKeyId,
    ).toBe('AKIANAMED');
    expect((await fromAppChain({ env: { ...env, ...ENV_KEYS }, ...w })()).accessKeyId).toBe('AKIAENV');
    expect((await fromAppChain({ env, ...w })()).accessKeyId).toBe('AKIADEFAULT');
  });

  it('AWS_PROFILE beats the env key pair with one warning naming both', async () => {
    const env = await home('', `[named]\n${KEYS('AKIANAMED')}`);
    const w = collect();
    const provider = fromAppChain({ env: { ...env, AWS_PROFILE: 'named', ...ENV_KEYS }, ...w });
    await provider();
    await provider({ forceRefresh: true });
    expect(w.warnings).toHaveLength(1);
    expect(w.warnings[0]?.code).toBe('AWS_PROFILE_OVERRIDES_ENV_KEYS');
    expect(w.warnings[0]?.message).toContain('AWS_PROFILE=named');
    expect(w.warnings[0]?.message).toContain('AWS_ACCESS_KEY_ID');
  });

  it('warns once about env credentials, explaining the risk; allow is silent; refuse throws', async () => {
    const env = { ...(await home()), ...ENV_KEYS, AWS_SESSION_TOKEN: 'env-token-value' };
    const w = collect();
    const provider = fromAppChain({ env, ...w });
    const creds = await provider();
    await provider({ forceRefresh: true });
    expect(creds.source).toMatchObject({ kind: 'env' });
    expect(creds.$source).toEqual({ CREDENTIALS_ENV_VARS: 'g' });
    expect(w.warnings.map((x) => x.code)).toEqual(['ENV_CREDENTIALS']);
    expect(w.warnings[0]?.message).toMatch(/overridden or expire/);
    expect(w.warnings[0]?.message).toContain('export AWS_PROFILE=NAME');
    const quiet = collect();
    await fromAppChain({ env, envCredentials: 'allow', ...quiet })();
    expect(quiet.warnings).toEqual([]);
    const e = fromAppChain({ env, envCredentials: 'refuse' })();
    await expect(e).rejects.toMatchObject({
      code: 'ENV_CREDENTIALS_REFUSED',
      hint: expect.stringContaining('aws configure --profile NAME'),
    });
    await expect(e).rejects.toSatisfy(leaksNone('env-secret-value'));
  });

  it('prints a warning to stderr once by default', async () => {
    const env = { ...(await home()), ...ENV_KEYS };
    const written: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => {
      written.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      const p = fromAppChain({ env });
      await p();
      await p({ forceRefresh: true });
    } finally {
      process.stderr.write = original;
    }
    expect(
      written.filter((l) => l.startsWith('credkit: warning: Application credentials come from')),
    ).toHaveLength(1);
  });

  it.each([
    [{ AWS_ACCESS_KEY_ID: 'AKIAONLY' }, 'AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not'],
    [{ AWS_SECRET_ACCESS_KEY: 'only-secret' }, 'AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not'],
    [{ AWS_SESSION_TOKEN: 'only-token' }, 'AWS_SESSION_TOKEN is set'],
  ])('reports a partial env key pair %o', async (vars, text) => {
    const e = fromAppChain({ env: { ...(await home()), ...vars } })();
    await expect(e).rejects.toMatchObject({
      code: 'ENV_CREDENTIALS_INCOMPLETE',
      message: expect.stringContaining(text),
    });
    await expect(e).rejects.toMatchObject({ message: expect.not.stringContaining('only-secret') });
  });

  it('reports an unknown AWS_PROFILE as such, not as "no credentials"', async () => {
    const env = {
      ...(await home('[profile dev]\nregion = us-east-1\n', `[default]\n${KEYS('AKIADEFAULT')}`)),
      AWS_PROFILE: 'prod',
    };
    await expect(fromAppChain({ env })()).rejects.toMatchObject({
      code: 'PROFILE_NOT_FOUND',
      message: expect.stringContaining('AWS_PROFILE=prod names a profile that does not exist'),
      hint: expect.stringContaining('Known profiles: dev, default'),
    });
  });

  it.each([
    [
      'a cyclic source_profile',
      '[profile a]\nrole_arn = arn:aws:iam::111111111111:role/x\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::111111111111:role/y\nsource_profile = a\n',
      'SOURCE_PROFILE_CYCLE',
    ],
    [
      'a missing source_profile',
      '[profile a]\nrole_arn = arn:aws:iam::111111111111:role/x\nsource_profile = nope\n',
      'SOURCE_PROFILE_MISSING',
    ],
  ])("stops at %s with the profile's own error and explains it", async (_, config, code) => {
    const env = { ...(await home(config, `[default]\n${KEYS('AKIADEFAULT')}`)), AWS_PROFILE: 'a' };
    await expect(fromAppChain({ env })()).rejects.toMatchObject({ code: code });
    const x = await explainAppChain({ env });
    expect(x.resolved).toBe(false);
    expect(x.error?.code).toBe(code);
    expect(x.links[1]).toMatchObject({ name: 'AWS_PROFILE', status: 'failed' });
    expect(x.links[4]).toMatchObject({
      name: '[default] profile',
      status: 'skipped',
      reason: 'not reached: "AWS_PROFILE" failed',
    });
  });

  it('a broken [default] profile or an unknown profile option is its own error, not NO_CREDENTIALS', async () => {
    const env = await home('', '[default]\naws_access_key_id = AKIAHALF\n');
    await expect(fromAppChain({ env })()).rejects.toMatchObject({
      code: 'PROFILE_INCOMPLETE',
      message: expect.stringContaining(
        'Profile "default" cannot give credentials: aws_access_key_id without aws_secret_access_key (~/credentials:2)',
      ),
    });
    await expect(fromAppChain({ env, profile: 'ghost' })()).rejects.toMatchObject({
      code: 'PROFILE_NOT_FOUND',
      message: expect.stringContaining('Profile "ghost" was not found'),
    });
  });

  it('lists every link and why it did not apply when nothing applies', async () => {
    const env = await home();
    const e = fromAppChain({ env })();
    await expect(e).rejects.toMatchObject({
      code: 'NO_CREDENTIALS',
      hint: 'Create a named profile and select it: aws configure --profile NAME, then export AWS_PROFILE=NAME.',
      // No profile option was given, so none was tried: the message leaves it out, details keep it.
      message: expect.not.stringContaining('profile option'),
      details: { links: expect.arrayContaining([expect.objectContaining({ name: 'profile option' })]) },
    });
    for (const reason of [
      'AWS_PROFILE: AWS_PROFILE is not set',
      'environment variables: AWS_ACCESS_KEY_ID is not set',
      '[default] profile: no [default] profile in ~/config or ~/credentials',
      'web identity (AWS_WEB_IDENTITY_TOKEN_FILE): AWS_WEB_IDENTITY_TOKEN_FILE is not set',
      'container (AWS_CONTAINER_CREDENTIALS_*): AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_CREDENTIALS_RELATIVE_URI are not set',
      'instance metadata (IMDS): AWS_EC2_METADATA_DISABLED is true',
    ]) {
      await expect(e).rejects.toThrow(`  - ${reason}`);
    }
  });
});

describe('instance metadata bound', () => {
  let server: Server;
  const sockets: Socket[] = [];
  let port = 0;
  beforeAll(async () => {
    // Accepts connections and never answers: the worst case of a firewalled metadata address.
    server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('gives up on a silent IMDS within its bound and says so', async () => {
    const env = {
      ...(await home()),
      AWS_EC2_METADATA_DISABLED: undefined,
      AWS_EC2_METADATA_SERVICE_ENDPOINT: `http://127.0.0.1:${port}`,
    };
    const started = Date.now();
    const x = await explainAppChain({ env, imdsTimeoutMs: 300 });
    // The server never answers: the reason proves the 300 ms bound fired; the time only guards a hang.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(x.links[7]).toEqual({
      name: 'instance metadata (IMDS)',
      status: 'skipped',
      reason: `no response from 127.0.0.1:${port} within 300 ms`,
    });
    expect(x.error?.code).toBe('NO_CREDENTIALS');
  });

  // Before, `new URL` threw a TypeError out of the link (no code, no hint); a wrong setting is not a
  // probe that found nothing, so it is not skipped either.
  it('a wrong AWS_EC2_METADATA_SERVICE_ENDPOINT fails the chain as the setting', async () => {
    const env = {
      ...(await home()),
      AWS_EC2_METADATA_DISABLED: 'false',
      AWS_EC2_METADATA_SERVICE_ENDPOINT: 'imds.internal:80',
    };
    await expect(fromAppChain({ env })()).rejects.toMatchObject({
      code: 'PROFILE_INVALID_VALUE',
      message:
        'AWS_EC2_METADATA_SERVICE_ENDPOINT uses imds.internal:; instance metadata is reached over http: or https:.',
      hint: 'Set AWS_EC2_METADATA_SERVICE_ENDPOINT to an http:// or https:// URL.',
    });
    const x = await explainAppChain({ env });
    expect(x.links[7]).toMatchObject({
      name: 'instance metadata (IMDS)',
      status: 'failed',
      error: { code: 'PROFILE_INVALID_VALUE' },
    });
  });

  it('uses 1000 ms by default', async () => {
    const env = {
      ...(await home()),
      AWS_EC2_METADATA_DISABLED: 'false',
      AWS_EC2_METADATA_SERVICE_ENDPOINT: `http://127.0.0.1:${port}`,
    };
    const started = Date.now();
    const x = await explainAppChain({ env });
    const took = Date.now() - started;
    // Timers never fire early, so the lower bound holds on any machine; the upper one only guards a hang.
    expect(took).toBeGreaterThanOrEqual(950);
    expect(took).toBeLessThan(15_000);
    expect(x.links[7]).toMatchObject({ reason: expect.stringContaining('within 1000 ms') });
  });

  // As in the AWS CLI: AWS_METADATA_SERVICE_TIMEOUT, else the selected profile's metadata_service_timeout, in seconds.
  const silent = async (config: string, extra: Record<string, string> = {}) => ({
    ...(await home(config)),
    AWS_EC2_METADATA_DISABLED: 'false',
    AWS_EC2_METADATA_SERVICE_ENDPOINT: `http://127.0.0.1:${port}`,
    ...extra,
  });

  it.each([
    ['', { AWS_METADATA_SERVICE_TIMEOUT: '0.3' }, 300],
    ['[default]\nmetadata_service_timeout = 0.2\n', {}, 200],
    ['[default]\nmetadata_service_timeout = 0.2\n', { AWS_METADATA_SERVICE_TIMEOUT: '0.3' }, 300],
  ] as const)('config %j with %o waits %i ms', async (config, extra, ms) => {
    const x = await explainAppChain({ env: await silent(config, extra) });
    const imds = x.links.find((l) => l.name === 'instance metadata (IMDS)');
    expect(imds).toMatchObject({
      status: 'skipped',
      reason: `no response from 127.0.0.1:${port} within ${ms} ms`,
    });
  });

  // The SDK's fromHttp bounded only the connection: a container endpoint that accepted it and never
  // answered held the chain until its whole-resolution bound (60 s) and made the SDK warn on stderr.
  it.each([
    ['', { AWS_METADATA_SERVICE_TIMEOUT: '0.2' }, 200],
    ['[default]\nmetadata_service_timeout = 0.3\n', {}, 300],
  ] as const)('a silent container endpoint fails at the bound (config %j, %o)', async (config, extra, ms) => {
    const env = await silent(config, {
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://127.0.0.1:${port}/creds`,
      ...extra,
    });
    await expect(fromAppChain({ env })()).rejects.toMatchObject({
      code: 'CREDENTIAL_SOURCE_UNAVAILABLE',
      message: `The container credentials endpoint http://127.0.0.1:${port}/creds gave no credentials (no response within ${ms} ms).`,
    });
    const x = await explainAppChain({ env });
    expect(x.links.find((l) => l.name === 'container (AWS_CONTAINER_CREDENTIALS_*)')).toMatchObject({
      status: 'failed',
      error: { message: expect.stringContaining(`(no response within ${ms} ms)`) },
    });
  });

  it('a profile with credential_source = Ec2InstanceMetadata reads its own metadata_service_timeout', async () => {
    const config =
      '[profile ec2]\ncredential_source = Ec2InstanceMetadata\nrole_arn = arn:aws:iam::123456789012:role/r\nmetadata_service_timeout = 0.2\n';
    await expect(fromAppChain({ env: await silent(config), profile: 'ec2' })()).rejects.toMatchObject({
      code: 'CREDENTIAL_SOURCE_UNAVAILABLE',
      message: expect.stringContaining('no response within 200 ms'),
    });
  });

  it.each([
    [
      '',
      { AWS_METADATA_SERVICE_TIMEOUT: '5s' },
      'AWS_METADATA_SERVICE_TIMEOUT="5s" is not a number of seconds',
    ],
    [
      '',
      { AWS_METADATA_SERVICE_TIMEOUT: '0' },
      'AWS_METADATA_SERVICE_TIMEOUT="0" is not a number of seconds',
    ],
    [
      '[default]\nregion = eu-west-1\nmetadata_service_timeout = soon\n',
      {},
      'Profile "default" has metadata_service_timeout = "soon" (~/config:3)',
    ],
  ] as const)(
    'a wrong timeout (config %j, %o) fails as itself, naming where it is',
    async (config, extra, message) => {
      const env = await silent(config, extra);
      const failure = { code: 'PROFILE_INVALID_VALUE', message: expect.stringContaining(message) };
      await expect(fromAppChain({ env })()).rejects.toMatchObject(failure);
      const x = await explainAppChain({ env });
      expect(x.resolved).toBe(false);
      expect(x.error).toMatchObject(failure);
    },
  );
});
