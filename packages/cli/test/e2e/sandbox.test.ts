import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const SANDBOX = new URL('../../dist/sandbox.js', import.meta.url).pathname;

describe('npm run sandbox (no terminal)', () => {
  it('runs app whoami, env init --name prod-iad --profile prod-iad and env ls, then removes itself', async () => {
    const child = spawn(process.execPath, [SANDBOX], {
      // Only PATH: the sandbox must not need anything from the real environment.
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
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
    expect(stdout).not.toContain('\u001b[');
    const home = /throw-away HOME at (\S+)/.exec(stdout)?.[1];
    expect(home).toBeTruthy();
    expect(existsSync(home!)).toBe(false);
  });
});
