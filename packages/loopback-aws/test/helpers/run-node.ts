import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The package directory: child scripts resolve the SDK from here like a real consumer would. */
export const packageDir = fileURLToPath(new URL('../..', import.meta.url));

export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs an ESM snippet in a fresh Node process whose environment is exactly `env` (plus PATH).
 * Used for SDK providers that read process.env or the home directory directly, so the test
 * process's own environment is never mutated.
 */
export function runNode(
  script: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--no-warnings', '--input-type=module', '-e', script], {
      cwd: packageDir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child timed out after ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface ProviderOutcome {
  ok: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: string };
  error?: { name: string; message: string };
}

/**
 * Resolves credentials in a child: imports `name` from `module` (CommonJS-safe, as the SDK's
 * bundles are not always statically analysable for named exports), then awaits `expression`
 * (e.g. `fromSSO({ profile: 'x' })()`) and prints one JSON line the test parses.
 */
export async function resolveInChild(
  module: string,
  name: string,
  expression: string,
  env: Record<string, string>,
): Promise<ProviderOutcome> {
  const script = `const mod = await import(${JSON.stringify(module)});
const { ${name} } = mod.default ?? mod;
try {
  const c = await ${expression};
  console.log(JSON.stringify({ ok: true, credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: c.expiration?.toISOString() } }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: { name: e?.name, message: e?.message } }));
}`;
  const result = await runNode(script, env);
  const line = result.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as ProviderOutcome;
  } catch {
    throw new Error(`child printed no result (exit ${result.code}): ${result.stderr}`);
  }
}
