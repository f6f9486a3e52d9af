import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { leaksNone } from '@credkit/loopback-aws';
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
    const e = run(cmd);
    await expect(e).rejects.toMatchObject({
      code: 'CREDENTIAL_PROCESS_FAILED',
      message: expect.stringContaining('exited with code 3'),
    });
    await expect(e).rejects.toMatchObject({
      message: expect.stringContaining('stderr: token expired, run login'),
    });
    await expect(e).rejects.toMatchObject({
      message: expect.stringContaining('profile "proc" (~/.aws/config:3)'),
    });
    await expect(e).rejects.toSatisfy(leaksNone(SECRET));
  });

  it('caps the stderr it shows', async () => {
    const cmd = await script('noisy', `process.stderr.write('x'.repeat(100000) + 'END'); process.exit(1);`);
    const e = run(cmd);
    await expect(e).rejects.toMatchObject({ message: expect.stringMatching(/^[\s\S]{0,1399}$/) });
    await expect(e).rejects.toThrow('END');
  });

  it('reports a command that is not found', async () => {
    await expect(run(join(dir, 'no such tool'))).rejects.toMatchObject({
      code: 'CREDENTIAL_PROCESS_NOT_FOUND',
    });
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
    const e = run(await script(name, body));
    await expect(e).rejects.toMatchObject({ code: code });
    await expect(e).rejects.toSatisfy(leaksNone(SECRET));
  });

  it('kills a process that prints 50 MB, without buffering it', async () => {
    const cmd = await script(
      'flood',
      `const b = Buffer.alloc(1 << 20, 65); let n = 0; const w = () => { while (n < 50) { n++; if (!process.stdout.write(b)) return process.stdout.once('drain', w); } }; w();`,
    );
    const before = process.memoryUsage().rss;
    await expect(run(cmd)).rejects.toMatchObject({ code: 'CREDENTIAL_PROCESS_OUTPUT_TOO_LARGE' });
    expect(process.memoryUsage().rss - before).toBeLessThan(40 * 1024 * 1024);
  });

  it('kills a process that never exits after the timeout', async () => {
    const cmd = await script('hang', 'setInterval(() => {}, 1000);');
    const started = Date.now();
    await expect(run(cmd, { timeoutMs: 300 })).rejects.toMatchObject({
      code: 'CREDENTIAL_PROCESS_TIMEOUT',
      message: expect.stringContaining('300 ms'),
    });
    // The process would run forever: ending at all proves the kill; the bound only guards a hang.
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('escalates to SIGKILL when the process ignores SIGTERM', async () => {
    // A shell ignores SIGTERM from its first line on (and its `sleep`s inherit that). A node script
    // could not: a SIGTERM that came before its handler was installed (a slow start on a busy
    // machine) killed it at once.
    const started = Date.now();
    await expect(
      run("trap '' TERM; while :; do sleep 1; done", { timeoutMs: 1_000, killGraceMs: 300 }),
    ).rejects.toMatchObject({ code: 'CREDENTIAL_PROCESS_TIMEOUT' });
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
