// In-process checks with a clock: how often a credential_process-backed provider spawns its
// process under load and across refresh windows, and how profile listing scales.
import { existsSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import v8 from 'node:v8';
import vm from 'node:vm';

const spawnsSoFar = (file) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').length - 1 : 0);

async function concurrentCalls({ fromAppChain }, inputs) {
  await rm(inputs.clockFile, { force: true });
  await rm(inputs.counterFile, { force: true });
  const provider = fromAppChain({ profile: 'proc', env: inputs.env, onWarning: () => {} });
  const results = await Promise.all(Array.from({ length: 1000 }, () => provider()));
  const distinct = new Set(results.map((c) => c.accessKeyId)).size;
  const spawns = spawnsSoFar(inputs.counterFile);
  return {
    name: '1,000 concurrent calls to a `credential_process` provider',
    result: `${spawns} spawn(s) (expected 1), ${distinct} distinct credential(s) returned ${spawns === 1 ? 'met' : '**missed**'}`,
  };
}

async function refreshWindows({ fromAppChain, DEFAULT_REFRESH_WINDOW_MS }, inputs) {
  await rm(inputs.counterFile, { force: true });
  const lifetimeMs = 20 * 60_000; // the bench process's credentials expire 20 minutes after the clock
  let now = Date.now();
  await writeFile(inputs.clockFile, String(now));
  const provider = fromAppChain({ profile: 'proc', env: inputs.env, now: () => now, onWarning: () => {} });
  const minutes = 60;
  for (let minute = 0; minute <= minutes; minute++) {
    await writeFile(inputs.clockFile, String(now));
    await Promise.all(Array.from({ length: 100 }, () => provider()));
    now += 60_000;
  }
  const period = lifetimeMs - DEFAULT_REFRESH_WINDOW_MS;
  const expected = Math.floor((minutes * 60_000) / period) + 1;
  const spawns = spawnsSoFar(inputs.counterFile);
  await rm(inputs.clockFile, { force: true });
  return {
    name: `100 calls a minute for ${minutes} minutes (credentials live 20 min, refresh window ${DEFAULT_REFRESH_WINDOW_MS / 60_000} min)`,
    result: `${spawns} spawns (expected ${expected}: one per refresh) ${spawns === expected ? 'met' : '**missed**'}`,
  };
}

async function listingScale({ listProfiles }, inputs) {
  // Both sizes are warmed up first, then measured alternately, each sample starting from a collected
  // heap: otherwise whichever size runs after the other inherits its garbage, and the ratio swings
  // between 8x and 16x for the same code depending on what the young generation happens to hold.
  v8.setFlagsFromString('--expose-gc');
  const collect = vm.runInNewContext('gc');
  const once = async (configFile) => {
    collect();
    const start = process.hrtime.bigint();
    await listProfiles({ env: {}, configFile, credentialsFile: inputs.emptyCredentials });
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  const samples = { small: [], large: [] };
  for (let i = 0; i < 25; i++) {
    const small = await once(inputs.config1000);
    const large = await once(inputs.bigConfig);
    if (i >= 5) {
      samples.small.push(small);
      samples.large.push(large);
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const small = median(samples.small);
  const large = median(samples.large);
  const ratio = large / small;
  return {
    name: '`listProfiles`: 10,000 vs 1,000 profiles (medians of 20 alternating in-process runs after 5 warm-ups, each from a collected heap)',
    result: `${large.toFixed(1)} ms vs ${small.toFixed(1)} ms: ${ratio.toFixed(1)}× (target within 12×) ${ratio <= 12 ? 'met' : '**missed**'}`,
  };
}

export async function runInProcessBenchmarks(_work, inputs) {
  const appChain = await import('@credkit/app-chain');
  const envSelector = await import('@credkit/env-selector');
  return [
    await concurrentCalls(appChain, inputs),
    await refreshWindows(appChain, inputs),
    await listingScale(envSelector, inputs),
  ];
}
