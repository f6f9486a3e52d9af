import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProcess, testCompileCache } from './helpers.js';
import { KEY, stripAnsi } from './pty.js';

const SANDBOX = new URL('../../dist/sandbox.js', import.meta.url).pathname;

describe('npm run sandbox (no terminal)', () => {
  it('runs app whoami, env init --name prod-iad --profile prod-iad and env ls, then removes itself', async () => {
    // Only PATH: the sandbox must not need anything from the real environment. The kill timer is a
    // hang guard past the test's own timeout. A compile cache directory of its own: the sandbox
    // writes nothing outside its throw-away homes, so it must not appear.
    const cache = join(tmpdir(), `credkit-sandbox-cache-${process.pid}`);
    const { code, stdout, stderr } = await runProcess(process.execPath, [SANDBOX], {
      env: { CREDKIT_COMPILE_CACHE: cache },
      timeoutMs: 600_000,
    });
    expect(existsSync(cache)).toBe(false);
    expect(stderr).not.toMatch(/error|NodeVersionSupportWarning/i);
    expect(code).toBe(0);
    expect(stdout).toContain('$ credkit app whoami');
    expect(stdout).toMatch(/Source\s+profile "my-app" \(credential_process\)/);
    expect(stdout).toMatch(/Account\s+111111111111/);
    expect(stdout).toContain('$ credkit env init --name prod-iad --profile prod-iad');
    expect(stdout).toContain(
      'Recorded: environment prod-iad of app my-app, account 222222222222, region us-east-1',
    );
    expect(stdout).toContain('$ credkit env ls');
    expect(stdout).toMatch(/prod-iad\s+222222222222\s+us-east-1\s+profile prod-iad/);
    // The team part: one teammate records through SSM, another HOME lists it.
    expect(stdout).toContain('$ credkit env init --name prod-pdx --profile prod-pdx --store ssm');
    expect(stdout).toContain(
      'Recorded: environment prod-pdx of app my-app, account 222222222222, region us-west-2',
    );
    expect(stdout).toContain('$ credkit env ls --store ssm');
    expect(stderr).toContain('Store: ssm (SSM Parameter Store /credkit/applications/my-app in us-east-1)');
    const team = stdout.slice(stdout.indexOf('$ credkit env ls --store ssm'));
    expect(team).toMatch(/prod-pdx\s+222222222222\s+us-west-2\s+profile prod-pdx/);
    expect(team).not.toContain('prod-iad');
    const home2 = /Another teammate: HOME (\S+),/.exec(stdout)?.[1];
    expect(home2).toBeTruthy();
    expect(existsSync(home2!)).toBe(false);
    expect(stdout).not.toContain('\u001b[');
    const home = /throw-away HOME at (\S+)/.exec(stdout)?.[1];
    expect(home).toBeTruthy();
    expect(existsSync(home!)).toBe(false);
  });
});

describe('npm run sandbox (on a terminal)', () => {
  it('asks which credentials to use for prod-iad; arrow keys pick [profile prod-iad]', async () => {
    const pty = createRequire(import.meta.url)('@lydell/node-pty') as typeof import('@lydell/node-pty');
    const term = pty.spawn(process.execPath, [SANDBOX], {
      name: 'xterm-256color',
      cols: 120,
      rows: 40,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: 'xterm-256color', ...testCompileCache() },
    });
    let screen = '';
    term.onData((d) => {
      screen += d;
    });
    const exited = new Promise<number>((resolve) => term.onExit(({ exitCode }) => resolve(exitCode)));
    const waitFor = async (pattern: RegExp) => {
      const started = Date.now();
      while (!pattern.test(stripAnsi(screen))) {
        if (Date.now() - started > 30_000)
          throw new Error(`timed out waiting for ${pattern}:\n${stripAnsi(screen)}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    await waitFor(/Which credentials would you like to use to create prod-iad\?/);
    // Move down until the highlighted choice is [profile prod-iad], as a person would.
    for (let i = 0; i < 10; i++) {
      const lines = stripAnsi(screen).split(/\r?\n/);
      const current = lines.filter((l) => l.includes('❯')).at(-1) ?? '';
      if (current.includes('[profile prod-iad]')) break;
      const before = screen.length;
      term.write(KEY.down);
      const started = Date.now();
      while (screen.length === before && Date.now() - started < 15_000)
        await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 50));
    }
    term.write(KEY.enter);
    expect(await exited).toBe(0);
    const text = stripAnsi(screen);
    expect(text).toContain(
      'Recorded: environment prod-iad of app my-app, account 222222222222, region us-east-1',
    );
    expect(text).toMatch(/prod-iad\s+222222222222\s+us-east-1\s+profile prod-iad/);
  });
});
