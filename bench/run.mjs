#!/usr/bin/env node
// credkit's start-up and scale benchmark. Every number is a median over many runs, reported as a
// ratio to bare `node -e 0` measured in the same run, beside the AWS SDK alone and the AWS CLI v2.
//
//   npm run bench                      # measure and print the table
//   npm run bench -- --write           # also rewrite bench/RESULTS.md
//   npm run bench -- --runs 10 --quick # fewer runs, skips the AWS CLI
//
// Not a test: nothing here fails on a slow machine. Cases run round-robin so drift on a busy
// machine affects every case alike.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runInProcessBenchmarks } from './in-process.mjs';
import { writeBenchInputs } from './inputs.mjs';
import { renderResults } from './report.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    quick: { type: 'boolean', default: false },
    write: { type: 'boolean', default: false },
  },
});
const runs = Number(opts.runs);
const warmup = Number(opts.warmup);
const credkitJs = path.join(root, 'packages/cli/dist/credkit.js');
const awsCli = '/usr/bin/aws';

function ensureBuilt() {
  // turbo's cache makes this near-free when nothing changed; on a fresh clone it builds everything.
  const built = spawnSync('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
  });
  if (built.status !== 0 || !existsSync(credkitJs)) throw new Error('bench: build failed');
}

/** Runs one command to completion; resolves with wall time in ms (and peak RSS when asked). */
function timeOnce(command, args, env, { rss = false } = {}) {
  const [cmd, argv] = rss ? ['/usr/bin/time', ['-f', '%M', command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(cmd, argv, { env, stdio: ['ignore', 'ignore', rss ? 'pipe' : 'ignore'] });
    let stderr = '';
    child.stderr?.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0) return reject(new Error(`${command} ${args.join(' ')} exited ${code}`));
      const kb = rss ? Number(stderr.trim().split('\n').pop()) : Number.NaN;
      resolve({ ms, rssMb: kb / 1024 });
    });
  });
}

/** One checked run with output captured, so a broken case is reported instead of timed. */
function check(c) {
  return new Promise((resolve) => {
    const child = spawn(c.command, c.args, { env: c.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('error', (e) => resolve({ ok: false, why: e.message }));
    child.on('close', (code) =>
      resolve(
        code === 0 ? { ok: true, out } : { ok: false, why: `exit ${code}: ${err.trim().split('\n')[0]}` },
      ),
    );
  });
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1)))];
  return { median: q(0.5), p25: q(0.25), p75: q(0.75), min: s[0], max: s[s.length - 1] };
};

async function main() {
  ensureBuilt();
  const { startLoopbackAws } = await import('@credkit/loopback-aws');
  const work = await mkdtemp(path.join(os.tmpdir(), 'credkit-bench-'));
  const aws = await startLoopbackAws();
  try {
    const inputs = await writeBenchInputs(work, aws);
    const cases = defineCases(inputs, aws);
    await seedSsm(cases);
    const usable = [];
    for (const c of cases) {
      if (c.needs && !existsSync(c.needs)) {
        c.skipped = `${c.needs} not installed`;
        continue;
      }
      const result = await check(c);
      if (!result.ok) c.skipped = `failed: ${result.why}`;
      else usable.push(c);
    }
    for (const c of usable) c.times = [];
    for (let i = 0; i < warmup + runs; i++) {
      for (const c of usable) {
        const { ms } = await timeOnce(c.command, c.args, c.env);
        if (i >= warmup) c.times.push(ms);
      }
    }
    const hasTime = existsSync('/usr/bin/time');
    for (const c of usable) {
      c.stats = stats(c.times);
      if (hasTime) {
        const peaks = [];
        for (let i = 0; i < 3; i++)
          peaks.push((await timeOnce(c.command, c.args, c.env, { rss: true })).rssMb);
        c.rssMb = Math.max(...peaks);
      }
    }
    const inProcess = await runInProcessBenchmarks(work, inputs);
    const report = renderResults({ cases, inProcess, runs, warmup, root, credkitJs });
    process.stdout.write(report);
    if (opts.write) await writeFile(path.join(root, 'bench/RESULTS.md'), report);
  } finally {
    await aws.close();
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Copies the bench app's file store into the loopback SSM with the CLI itself (store copy). Not
 * spawnSync: the loopback answering it runs in this process.
 */
async function seedSsm(cases) {
  const ls = cases.find((c) => c.name === 'credkit env ls --store ssm');
  const seeded = await check({
    command: process.execPath,
    args: [credkitJs, 'store', 'copy', '--app', ls.app, '--from', 'file', '--to', 'ssm'],
    env: ls.env,
  });
  if (!seeded.ok) throw new Error(`seeding SSM failed: ${seeded.why}`);
}

function defineCases(inputs, aws) {
  const node = process.execPath;
  const base = {
    PATH: process.env.PATH,
    HOME: inputs.home,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_EC2_METADATA_DISABLED: 'true',
    CREDKIT_HOME: path.join(inputs.home, '.config/credkit'),
  };
  const small = {
    ...base,
    AWS_CONFIG_FILE: inputs.smallConfig,
    AWS_SHARED_CREDENTIALS_FILE: inputs.smallCredentials,
  };
  const big = {
    ...base,
    AWS_CONFIG_FILE: inputs.bigConfig,
    AWS_SHARED_CREDENTIALS_FILE: inputs.emptyCredentials,
  };
  const sts = { ...small, ...aws.env, AWS_PROFILE: 'whoami', AWS_REGION: 'us-east-1' };
  const stsSmall = { ...small, ...aws.env };
  const sdk = (script) => path.join(root, 'bench/sdk', script);
  const floor = (script) => path.join(root, 'bench/floors', script);
  const cli = (...args) => [credkitJs, ...args];
  const awsEndpoint = ['--endpoint-url', aws.env.AWS_ENDPOINT_URL_STS];
  const ssmPath = `/credkit/applications/${inputs.ssmApp}/environments`;
  return [
    { group: 'baseline', name: 'node -e 0', command: node, args: ['-e', '0'], env: base, baseline: true },
    {
      group: 'export static (small config)',
      name: 'credkit export --profile static',
      command: node,
      args: cli('export', '--profile', 'static'),
      env: small,
      target: 1.25,
      why: 'what is left over bare node is reading and checking both files, the credential checks, and loading three files (the 3 KB entry, main.js and fast.js) with their compiled code from the compile cache; neither the AWS SDK nor node:crypto nor the stream objects of stdout and stderr are loaded on this path.',
    },
    {
      group: 'export static (small config)',
      name: 'SDK fromIni script',
      command: node,
      args: [sdk('from-ini.mjs'), 'static'],
      env: small,
    },
    {
      group: 'export static (small config)',
      name: 'aws configure export-credentials',
      command: awsCli,
      args: ['configure', 'export-credentials', '--profile', 'static', '--format', 'process'],
      env: small,
      needs: awsCli,
      slow: true,
    },
    {
      group: 'export cached role session (loopback STS)',
      name: 'credkit export --profile cached-role',
      command: node,
      args: cli('export', '--profile', 'cached-role'),
      env: stsSmall,
      target: 1.3,
      relativeTo: 'credkit export --profile static',
      why: 'a cached role session is one more file read (~/.aws/cli/cache/<sha1>.json) and a sha1; no STS call, no source credentials, no AWS SDK module.',
    },
    {
      group: 'export cached role session (loopback STS)',
      name: 'aws configure export-credentials (cached)',
      command: awsCli,
      args: ['configure', 'export-credentials', '--profile', 'cached-role', '--format', 'process'],
      env: stsSmall,
      needs: awsCli,
      slow: true,
    },
    {
      group: 'exec (static keys and a cached role session)',
      name: 'credkit exec --profile static -- node -e 0',
      command: node,
      args: cli('exec', '--profile', 'static', '--', node, '-e', '0'),
      env: stsSmall,
    },
    {
      group: 'exec (static keys and a cached role session)',
      name: 'credkit exec --profile cached-role -- node -e 0',
      command: node,
      args: cli('exec', '--profile', 'cached-role', '--', node, '-e', '0'),
      env: stsSmall,
      target: 1.3,
      relativeTo: 'credkit exec --profile static -- node -e 0',
      why: 'as for export: one cache file read instead of an AssumeRole call.',
    },
    {
      group: 'completion (what Tab runs)',
      name: 'credkit __complete bash -- export ""',
      command: node,
      args: cli('__complete', 'bash', '--', 'export', ''),
      env: small,
      target: 1.4,
      why: 'Tab must feel instant: the command table is in the entry, the handler is a CommonJS command file, and profile names come from one parse of both files; no AWS SDK module, no AWS call.',
    },
    {
      group: 'completion (what Tab runs)',
      name: 'credkit __complete bash -- export p999 (10,000 profiles)',
      command: node,
      args: cli('__complete', 'bash', '--', 'export', 'p999'),
      env: big,
    },
    {
      group: 'export p9999 (10,000 profiles)',
      name: 'credkit export --profile p9999',
      command: node,
      args: cli('export', '--profile', 'p9999'),
      env: big,
      target: 1.6,
      why: 'credkit checks every line of the 1.4 MB file as the standard requires (a syntax error anywhere invalidates it) but builds only the requested profile; the other sections are checked by native regular expressions over windows of lines, so what is left is reading the file, one native pass over it and loading the export command. Skipping validation would make a broken file look fine.',
    },
    {
      group: 'export p9999 (10,000 profiles)',
      name: 'floor: validate every line, build only p9999',
      command: node,
      args: [floor('export-scan.cjs'), inputs.bigConfig, inputs.emptyCredentials, 'p9999'],
      env: big,
      floor: true,
    },
    {
      group: 'export p9999 (10,000 profiles)',
      name: 'SDK fromIni script',
      command: node,
      args: [sdk('from-ini.mjs'), 'p9999'],
      env: big,
    },
    {
      group: 'export p9999 (10,000 profiles)',
      name: 'aws configure export-credentials',
      command: awsCli,
      args: ['configure', 'export-credentials', '--profile', 'p9999', '--format', 'process'],
      env: big,
      needs: awsCli,
      slow: true,
    },
    {
      group: 'list 10,000 profiles',
      name: 'credkit profiles --json',
      command: node,
      args: cli('profiles', '--json'),
      env: big,
      target: 1.5,
      why: 'the output is specified as the objects listProfiles returns (every property with file, line and masking): about 4.8 MB of JSON. Building and stringifying that alone costs several times bare node, as the floor shows.',
    },
    {
      group: 'list 10,000 profiles',
      name: 'floor: same objects, one JSON.stringify',
      command: node,
      args: [floor('profiles-json.cjs'), inputs.bigConfig],
      env: big,
      floor: true,
    },
    {
      group: 'list 10,000 profiles',
      name: 'SDK loader alone',
      command: node,
      args: [sdk('load-files.mjs')],
      env: big,
    },
    {
      group: 'list 10,000 profiles',
      name: 'aws configure list-profiles',
      command: awsCli,
      args: ['configure', 'list-profiles'],
      env: big,
      needs: awsCli,
      slow: true,
    },
    {
      group: 'whoami (loopback STS)',
      name: 'credkit app whoami',
      command: node,
      args: cli('app', 'whoami'),
      env: sts,
      target: 2.0,
      why: "one signed request to STS: loading node:http and node:crypto and a cold HTTP client cost about 15 ms on their own; credkit no longer loads the SDK's STS client on this path.",
    },
    {
      group: 'whoami (loopback STS)',
      name: 'credkit app whoami (cached role session)',
      command: node,
      args: cli('app', 'whoami'),
      env: { ...sts, AWS_PROFILE: 'cached-role' },
      target: 1.3,
      relativeTo: 'credkit app whoami',
      why: 'the role session comes from the cache; the one STS call left is the GetCallerIdentity that every whoami makes.',
    },
    {
      group: 'whoami (loopback STS)',
      name: 'SDK fromIni + STS GetCallerIdentity',
      command: node,
      args: [sdk('whoami.mjs'), 'whoami'],
      env: sts,
    },
    {
      group: 'whoami (loopback STS)',
      name: 'aws sts get-caller-identity',
      command: awsCli,
      args: ['sts', 'get-caller-identity', ...awsEndpoint],
      env: sts,
      needs: awsCli,
      slow: true,
    },
    {
      group: 'env ls --store ssm (loopback SSM, 25 environments: 3 pages)',
      name: 'credkit env ls --store ssm',
      command: node,
      args: cli('env', 'ls', '--store', 'ssm', '--app', inputs.ssmApp),
      app: inputs.ssmApp,
      env: sts,
      target: 3.0,
      fasterThan: { name: 'aws ssm get-parameters-by-path', by: 5 },
      why: 'the four signed requests themselves (three GetParametersByPath pages, which cannot overlap, and one GetParameter), answered by a loopback that re-verifies each signature with the pure-JS SDK signer, are most of it: the floor, which sends the same requests with no profile parsing at all, is already above 2.5 on a loaded machine. What credkit adds is what `app whoami` adds: reading and checking both shared files and resolving the application chain. The SDK client is about 3 times slower again.',
    },
    {
      group: 'env ls --store ssm (loopback SSM, 25 environments: 3 pages)',
      name: 'floor: keys by regex, the same 4 signed requests',
      command: node,
      args: [
        floor('ssm-list.mjs'),
        inputs.ssmApp,
        inputs.smallCredentials,
        'whoami',
        aws.env.AWS_ENDPOINT_URL_SSM,
      ],
      env: sts,
      floor: true,
    },
    {
      group: 'env ls --store ssm (loopback SSM, 25 environments: 3 pages)',
      name: 'SDK fromIni + @aws-sdk/client-ssm',
      command: node,
      args: [sdk('ssm-list.mjs'), inputs.ssmApp],
      env: sts,
    },
    {
      group: 'env ls --store ssm (loopback SSM, 25 environments: 3 pages)',
      name: 'aws ssm get-parameters-by-path',
      command: awsCli,
      args: [
        'ssm',
        'get-parameters-by-path',
        '--path',
        ssmPath,
        '--endpoint-url',
        aws.env.AWS_ENDPOINT_URL_SSM,
      ],
      env: sts,
      needs: awsCli,
      slow: true,
    },
    {
      group: 'help',
      name: 'credkit --help',
      command: node,
      args: cli('--help'),
      env: base,
      target: 1.15,
      why: 'the 3 KB entry loads main.js with its compiled code from the compile cache, which writes the help text with a single synchronous write and loads nothing else; what is left is within the spread of bare node itself (compare the p25–p75 columns).',
    },
  ].filter((c) => !(opts.quick && c.slow));
}

main().catch((error) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
