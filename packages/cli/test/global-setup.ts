import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const cliDir = new URL('..', import.meta.url).pathname;
const packagesDir = join(cliDir, '..');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * The e2e tests spawn the bundled CLI, so it must match the sources: rebuild when dist is missing or
 * older than any workspace source (this also makes `npx vitest run` work without turbo).
 */
export default function setup(): void {
  const bundle = join(cliDir, 'dist', 'credkit.js');
  const sources = ['cli', 'app-chain', 'env-selector', 'temp-creds', 'loopback-aws'].map((p) =>
    join(packagesDir, p, 'src'),
  );
  const newest = Math.max(
    ...sources.filter(existsSync).map(newestSource),
    statSync(join(cliDir, 'build.mjs')).mtimeMs,
    statSync(join(cliDir, 'build-helpers.mjs')).mtimeMs,
    statSync(join(cliDir, 'compile-cache.cjs')).mtimeMs,
  );
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= newest) return;
  execFileSync(process.execPath, ['build.mjs'], { cwd: cliDir, stdio: 'inherit' });
}
