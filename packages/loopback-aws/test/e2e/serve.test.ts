import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageDir } from '../helpers/run-node.js';

// The built CLI entry the sandbox and humans run. Built here from the current sources so the test
// never exercises a stale dist/.
const serveJs = join(packageDir, 'dist', 'serve.js');

beforeAll(async () => {
  await promisify(execFile)(
    process.execPath,
    [join(packageDir, '../../node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: packageDir,
    },
  );
}, 300_000);

function start(args: string[]): {
  child: ChildProcessWithoutNullStreams;
  firstLines: (n: number) => Promise<string[]>;
} {
  const child = spawn(process.execPath, [serveJs, ...args], { env: { PATH: process.env.PATH ?? '' } });
  let buffer = '';
  child.stdout.on('data', (d: Buffer) => {
    buffer += d.toString();
  });
  const firstLines = (n: number) =>
    new Promise<string[]>((resolve, reject) => {
      const check = () => {
        const lines = buffer.split('\n');
        if (lines.length > n) return resolve(lines.slice(0, n));
        setTimeout(check, 20);
      };
      child.once('exit', (code) => reject(new Error(`serve.js exited early (${code})`)));
      check();
    });
  return { child, firstLines };
}

function exitCode(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('dist/serve.js', () => {
  it('--json prints one line describing a working loopback, and stops cleanly on SIGTERM', async () => {
    const { child, firstLines } = start(['--json']);
    const [line = ''] = await firstLines(1);
    const sample = JSON.parse(line) as {
      env: Record<string, string>;
      users: {
        alice: {
          accessKeyId: string;
          secretAccessKey: string;
          arn: string;
          mfa: { serial: string; code: string };
        };
      };
      roles: Record<string, string>;
    };
    const { alice } = sample.users;
    const sts = new STSClient({
      endpoint: sample.env.AWS_ENDPOINT_URL_STS,
      region: 'us-east-1',
      credentials: alice,
    });
    expect((await sts.send(new GetCallerIdentityCommand({}))).Arn).toBe(alice.arn);
    const admin = await sts.send(
      new AssumeRoleCommand({
        RoleArn: sample.roles.admin,
        RoleSessionName: 'human',
        SerialNumber: alice.mfa.serial,
        TokenCode: alice.mfa.code,
      }),
    );
    expect(admin.AssumedRoleUser?.Arn).toBe('arn:aws:sts::222222222222:assumed-role/admin/human');
    sts.destroy();
    const exited = exitCode(child);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('prints shell export lines by default', async () => {
    const { child, firstLines } = start([]);
    const lines = await firstLines(8);
    expect(lines[1]).toMatch(/^export AWS_ENDPOINT_URL_STS=http:\/\/127\.0\.0\.1:\d+$/);
    expect(lines.slice(1, 8).map((l) => l.split('=')[0])).toEqual([
      'export AWS_ENDPOINT_URL_STS',
      'export AWS_ENDPOINT_URL_SSO',
      'export AWS_ENDPOINT_URL_SSO_OIDC',
      'export AWS_ENDPOINT_URL_SSM',
      'export AWS_EC2_METADATA_SERVICE_ENDPOINT',
      'export AWS_CONTAINER_CREDENTIALS_FULL_URI',
      'export AWS_CONTAINER_AUTHORIZATION_TOKEN',
    ]);
    const exited = exitCode(child);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });

  it('refuses a bad --port', async () => {
    const child = spawn(process.execPath, [serveJs, '--port', 'http'], {
      env: { PATH: process.env.PATH ?? '' },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    expect(await exitCode(child as ChildProcessWithoutNullStreams)).toBe(1);
    expect(stderr).toBe('loopback-aws: --port: not a port number: http\n');
  });
});
