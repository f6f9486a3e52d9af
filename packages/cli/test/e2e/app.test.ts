import { once } from 'node:events';
import { createServer as createHttpServer, type ServerResponse } from 'node:http';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNTS, createWorld, runCli, type World } from './helpers.js';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(async () => {
  await world.close();
});

/**
 * `credkit app whoami` that ends by itself with exit 1 and nothing on stdout; returns its stderr. The
 * hang guard is below the chain's 60 s resolution bound: before credkit bounded its metadata requests
 * itself, the CLI waited for that bound, then for the open socket.
 */
async function whoamiFailsByItself(env: Record<string, string>): Promise<string> {
  const r = await runCli(['app', 'whoami'], { env, timeoutMs: 45_000 });
  expect(r.signal).toBeNull();
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  return r.stderr;
}

/** The world's env without its profile, config files or container endpoint, plus `extra`: only the links `extra` sets can apply. */
function bareEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {
    ...world.env,
    AWS_PROFILE: '',
    AWS_CONFIG_FILE: '/nonexistent/c',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/k',
  };
  delete env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
  delete env.AWS_CONTAINER_AUTHORIZATION_TOKEN;
  return { ...env, ...extra };
}

describe('credkit app whoami', () => {
  it('verifies the application credentials with STS and says where they came from', async () => {
    const r = await runCli(['app', 'whoami'], { env: world.env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Application credentials verified with STS');
    expect(r.stdout).toMatch(/Source\s+profile "my-app"/);
    expect(r.stdout).toMatch(new RegExp(`Account\\s+${ACCOUNTS.app}`));
    expect(r.stdout).toContain(world.users.app.arn);
    expect(r.stdout).toMatch(/Region\s+us-east-1/);
    expect(r.stdout).toMatch(/Expires\s+does not expire/);
    // Plain text when piped: no color codes.
    expect(r.stdout).not.toContain('\u001b[');
    expect(r.stdout).not.toContain(world.users.app.secretAccessKey);
    expect(world.aws.requests.some((q) => q.action === 'GetCallerIdentity')).toBe(true);
  });

  it('--json prints source, account, arn, region and expiration', async () => {
    const r = await runCli(['app', 'whoami', '--json'], { env: world.env });
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body).toMatchObject({
      account: ACCOUNTS.app,
      arn: world.users.app.arn,
      region: 'us-east-1',
      expiration: null,
      source: { profile: 'my-app' },
    });
    expect(typeof body.source.description).toBe('string');
    expect(r.stdout).not.toContain(world.users.app.secretAccessKey);
  });

  it('reports the expiry of session credentials', async () => {
    const session = world.aws.issueSession(world.users.app, { expiresInSeconds: 3600 });
    const env = {
      ...world.env,
      AWS_PROFILE: '',
      AWS_ACCESS_KEY_ID: session.accessKeyId,
      AWS_SECRET_ACCESS_KEY: session.secretAccessKey,
      AWS_SESSION_TOKEN: session.sessionToken,
    };
    const r = await runCli(['app', 'whoami', '--json'], { env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).account).toBe(ACCOUNTS.app);
    // Raw env keys work but are warned about, on stderr.
    expect(r.stderr).toMatch(/warning/i);
    expect(r.stderr).not.toContain(session.secretAccessKey);
  });

  it('refuses the root user with a coded error and exit 1', async () => {
    const r = await runCli(['app', 'whoami', '--json'], { env: { ...world.env, AWS_PROFILE: 'root' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const { error } = JSON.parse(r.stderr);
    expect(error.code).toBe('ROOT_CREDENTIALS');
    expect(error.message).toContain(ACCOUNTS.other);
    expect(error.hint).toBeTruthy();
    expect(r.stderr).not.toContain(world.root.secretAccessKey);
  });

  it('names a missing profile as the cause, in human form: message then hint, no stack', async () => {
    const r = await runCli(['app', 'whoami'], { env: { ...world.env, AWS_PROFILE: 'nope' } });
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^error: .*nope/);
    expect(lines[1]).toMatch(/^hint: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('credkit app explain', () => {
  it('prints one line per link and the final result', async () => {
    const r = await runCli(['app', 'explain'], { env: world.env });
    expect(r.code).toBe(0);
    // At 80 columns each reason sits under its link (layout.test.ts covers the widths).
    expect(r.stdout).toMatch(/AWS_PROFILE +resolved\n +[^\n]*my-app/);
    // No credkit command sets the library's profile option: the first row is what a user sets.
    expect(r.stdout).not.toMatch(/profile option/);
    expect(r.stdout).toMatch(/^ {2}1\. +AWS_PROFILE +resolved/m);
    expect(r.stdout).toMatch(/Result: .*profile "my-app"/);
  });

  it('--json has the links and the result, never the keys', async () => {
    const r = await runCli(['app', 'explain', '--json'], { env: world.env });
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body.resolved).toBe(true);
    expect(body.links.map((l: { name: string }) => l.name)).toContain('AWS_PROFILE');
    expect(r.stdout).not.toContain(world.users.app.secretAccessKey);
    expect(r.stdout).not.toContain(world.users.app.accessKeyId);
  });

  it('explains a chain that finds nothing with exit 1 and the trail', async () => {
    // No container endpoint either, so that no link applies at all.
    const env = bareEnv();
    const r = await runCli(['app', 'explain'], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/skipped/);
    expect(r.stdout).toMatch(/Result: no credentials \(NO_CREDENTIALS\)/);
    // Each link's reason is said once, in its row, not again in the result line.
    expect(r.stdout.split('AWS_PROFILE is not set').length - 1).toBe(1);
  });

  it('a container endpoint that accepts the connection and never answers fails at the bound, quietly, and the CLI exits', async () => {
    const held: Socket[] = [];
    const silent = createServer((socket) => held.push(socket));
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const { port } = silent.address() as AddressInfo;
    try {
      const env = bareEnv({
        AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://127.0.0.1:${port}/creds`,
        AWS_METADATA_SERVICE_TIMEOUT: '0.5',
      });
      const stderr = await whoamiFailsByItself(env);
      expect(stderr).toContain(
        `The container credentials endpoint http://127.0.0.1:${port}/creds gave no credentials (no response within 500 ms).`,
      );
      // The SDK's HTTP handler warning ("@smithy/node-http-handler - [WARN] ... requestTimeout") is not ours to print.
      expect(stderr).not.toMatch(/smithy|requestTimeout|\[WARN\]/);
      // One request, no retries.
      expect(held).toHaveLength(1);
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('instance metadata that answers a byte at a time is given up at the bound, and the CLI exits', async () => {
    // Token and role answer; the credentials document never ends. The SDK's request bounded only the
    // socket's idle time, so this kept credkit running for as long as the endpoint kept writing.
    const trickling: ServerResponse[] = [];
    const imds = createHttpServer((req, res) => {
      if (req.method === 'PUT') return res.end('imds-session-token');
      if (req.url === '/latest/meta-data/iam/security-credentials/') return res.end('web-server');
      res.writeHead(200);
      trickling.push(res);
    });
    const timer = setInterval(() => {
      for (const res of trickling) res.write(' ');
    }, 50);
    imds.listen(0, '127.0.0.1');
    await once(imds, 'listening');
    const { port } = imds.address() as AddressInfo;
    try {
      const env = bareEnv({
        AWS_EC2_METADATA_DISABLED: 'false',
        AWS_EC2_METADATA_SERVICE_ENDPOINT: `http://127.0.0.1:${port}`,
        AWS_METADATA_SERVICE_TIMEOUT: '0.5',
      });
      const stderr = await whoamiFailsByItself(env);
      expect(stderr).toContain(`instance metadata (IMDS): no response from 127.0.0.1:${port} within 500 ms`);
      expect(stderr).not.toContain('imds-session-token');
      expect(trickling).toHaveLength(1);
    } finally {
      clearInterval(timer);
      imds.closeAllConnections();
      await new Promise((resolve) => imds.close(resolve));
    }
  });
});
