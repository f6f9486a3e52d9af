import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCredentialProcess } from './process.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'credkit process '));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const node = JSON.stringify(process.execPath);
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY';

/** Writes a node script into the temp dir (whose name has a space) and returns a quoted command line. */
async function script(name: string, body: string): Promise<string> {
  const file = join(dir, `${name} "q".mjs`);
  await writeFile(file, body);
  return `${node} '${file}'`;
}

const run = (command: string, extra: Partial<Parameters<typeof runCredentialProcess>[0]> = {}) =>
  runCredentialProcess({
    profile: 'proc',
    command,
    location: '~/.aws/config:3',
    env: { PATH: process.env.PATH },
    // Generous: only the tests that pass their own short timeoutMs are about timing out.
    timeoutMs: 15_000,
    ...extra,
  });

async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    return e as { code: string; message: string; hint?: string };
  }
  throw new Error('expected a failure');
}

const good = (doc: Record<string, unknown>) =>
  `process.stdout.write(${JSON.stringify(JSON.stringify(doc))});`;

describe('runCredentialProcess', () => {
  it('returns the credentials of a good process, run through a shell from a path with spaces and quotes', async () => {
    const exp = new Date(Date.now() + 3600_000).toISOString();
    const cmd = await script(
      'good',
      good({
        Version: 1,
        AccessKeyId: 'ASIAEXAMPLE',
        SecretAccessKey: SECRET,
        SessionToken: 'tok',
        Expiration: exp,
        AccountId: '111111111111',
      }),
    );
    const creds = await run(cmd);
    expect(creds).toMatchObject({
      accessKeyId: 'ASIAEXAMPLE',
      secretAccessKey: SECRET,
      sessionToken: 'tok',
      accountId: '111111111111',
    });
    expect(creds.expiration?.toISOString()).toBe(exp);
    expect(creds.$source).toEqual({ CREDENTIALS_PROCESS: 'w' });
  });

  it('passes the env record (and only it) to the child', async () => {
    const cmd = await script(
      'env',
      `process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: process.env.MARK ?? 'none', SecretAccessKey: String(process.env.HOME) }));`,
    );
    const creds = await run(cmd, { env: { PATH: process.env.PATH, MARK: 'from-record' } });
    expect(creds.accessKeyId).toBe('from-record');
    expect(creds.secretAccessKey).toBe('undefined');
  });

  it('shows trimmed stderr, never stdout, on a non-zero exit', async () => {
    const cmd = await script(
      'fail',
      `process.stdout.write(${JSON.stringify(SECRET)}); console.error('  token expired, run login  '); process.exit(3);`,
    );
    const e = await failure(run(cmd));
    expect(e.code).toBe('CREDENTIAL_PROCESS_FAILED');
    expect(e.message).toContain('exited with code 3');
    expect(e.message).toContain('stderr: token expired, run login');
    expect(e.message).toContain('profile "proc" (~/.aws/config:3)');
    expect(JSON.stringify(e) + e.message).not.toContain(SECRET);
  });

  it('caps the stderr it shows', async () => {
    const cmd = await script('noisy', `process.stderr.write('x'.repeat(100000) + 'END'); process.exit(1);`);
    const e = await failure(run(cmd));
    expect(e.message.length).toBeLessThan(1_400);
    expect(e.message).toContain('END');
  });

  it('reports a command that is not found', async () => {
    const e = await failure(run(join(dir, 'no such tool')));
    expect(e.code).toBe('CREDENTIAL_PROCESS_NOT_FOUND');
  });

  it.each([
    [
      'invalid JSON',
      `process.stdout.write('{"Version": 1, "AccessKeyId": "A", ${SECRET}');`,
      'CREDENTIAL_PROCESS_INVALID_JSON',
    ],
    [
      'Version 2',
      good({ Version: 2, AccessKeyId: 'A', SecretAccessKey: SECRET }),
      'CREDENTIAL_PROCESS_UNSUPPORTED_VERSION',
    ],
    [
      'Version "1"',
      good({ Version: '1', AccessKeyId: 'A', SecretAccessKey: SECRET }),
      'CREDENTIAL_PROCESS_UNSUPPORTED_VERSION',
    ],
    ['no SecretAccessKey', good({ Version: 1, AccessKeyId: 'A' }), 'CREDENTIAL_PROCESS_INCOMPLETE'],
    ['no AccessKeyId', good({ Version: 1, SecretAccessKey: SECRET }), 'CREDENTIAL_PROCESS_INCOMPLETE'],
    [
      'expired',
      good({ Version: 1, AccessKeyId: 'A', SecretAccessKey: SECRET, Expiration: '2020-01-01T00:00:00Z' }),
      'CREDENTIAL_PROCESS_EXPIRED',
    ],
    [
      'bad Expiration',
      good({ Version: 1, AccessKeyId: 'A', SecretAccessKey: SECRET, Expiration: 'soon' }),
      'CREDENTIAL_PROCESS_INCOMPLETE',
    ],
  ])('rejects %s with a coded error that does not echo stdout', async (name, body, code) => {
    const e = await failure(run(await script(name, body)));
    expect(e.code).toBe(code);
    expect(JSON.stringify(e) + e.message + e.hint).not.toContain(SECRET);
  });

  it('kills a process that prints 50 MB, without buffering it', async () => {
    const cmd = await script(
      'flood',
      `const b = Buffer.alloc(1 << 20, 65); let n = 0; const w = () => { while (n < 50) { n++; if (!process.stdout.write(b)) return process.stdout.once('drain', w); } }; w();`,
    );
    const before = process.memoryUsage().rss;
    const e = await failure(run(cmd));
    expect(e.code).toBe('CREDENTIAL_PROCESS_OUTPUT_TOO_LARGE');
    expect(process.memoryUsage().rss - before).toBeLessThan(40 * 1024 * 1024);
  });

  it('kills a process that never exits after the timeout', async () => {
    const cmd = await script('hang', 'setInterval(() => {}, 1000);');
    const started = Date.now();
    const e = await failure(run(cmd, { timeoutMs: 300 }));
    expect(e.code).toBe('CREDENTIAL_PROCESS_TIMEOUT');
    expect(e.message).toContain('300 ms');
    // The process would run forever: ending at all proves the kill; the bound only guards a hang.
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('escalates to SIGKILL when the process ignores SIGTERM', async () => {
    // A shell ignores SIGTERM from its first line on (and its `sleep`s inherit that). A node script
    // could not: a SIGTERM that came before its handler was installed (a slow start on a busy
    // machine) killed it at once.
    const started = Date.now();
    const e = await failure(
      run("trap '' TERM; while :; do sleep 1; done", { timeoutMs: 1_000, killGraceMs: 300 }),
    );
    expect(e.code).toBe('CREDENTIAL_PROCESS_TIMEOUT');
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(1_250);
    expect(took).toBeLessThan(15_000);
  });

  it('never waits for stdin', async () => {
    const cmd = await script(
      'stdin',
      `let d=''; process.stdin.on('data', c => d += c); process.stdin.on('end', () => process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: 'A' + d.length, SecretAccessKey: 'S' })));`,
    );
    expect((await run(cmd)).accessKeyId).toBe('A0');
  });
});
