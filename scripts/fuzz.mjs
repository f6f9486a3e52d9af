// `npm run fuzz -- [ITERATIONS] [SEED]`: the config-file fuzz test of issue 7, longer than in CI.
// Same as CREDKIT_FUZZ_ITERATIONS=N CREDKIT_FUZZ_SEED=S npx vitest run test/hostile/fuzz.test.ts in
// packages/env-selector; a failure prints the seed and iteration that replay it.
import { spawnSync } from 'node:child_process';

const [iterations = '1000000', seed] = process.argv.slice(2);
if (!/^\d+$/.test(iterations) || (seed !== undefined && !/^\d+$/.test(seed))) {
  console.error('usage: npm run fuzz -- [ITERATIONS] [SEED]');
  process.exit(2);
}
const env = { ...process.env, CREDKIT_FUZZ_ITERATIONS: iterations };
if (seed !== undefined) env.CREDKIT_FUZZ_SEED = seed;
const result = spawnSync('npx', ['vitest', 'run', 'test/hostile/fuzz.test.ts'], {
  cwd: new URL('../packages/env-selector/', import.meta.url),
  env,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
