#!/usr/bin/env node
// `npm run test:stress`: proves the suite does not depend on the machine's speed. It keeps every core
// busy with competing processes (one busy loop per core) and meanwhile runs the whole CI
// (`bash .ci/run`: npm ci, then the suite on Node 20, 22 and 24) on a fresh clone of HEAD, several
// times in a row. Each run's time and result is printed; any red run makes the exit status 1.
//
//   npm run test:stress                    # 5 runs of .ci/run on fresh clones
//   npm run test:stress -- --runs 2        # fewer runs
//   npm run test:stress -- --suite         # `npm test` in this checkout instead (one Node, faster)
//   npm run test:stress -- --load 4        # more busy loops than cores
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: process.env.CREDKIT_STRESS_RUNS ?? '5' },
    load: { type: 'string', default: String(os.availableParallelism()) },
    suite: { type: 'boolean', default: false },
  },
});
const runs = Number(opts.runs);
const load = Number(opts.load);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(load) || load < 0) {
  console.error('usage: npm run test:stress -- [--runs N] [--load N] [--suite]');
  process.exit(2);
}

/** Processes to stop whatever way this script ends: the busy loops and the running CI. */
const children = new Set();
/** The clone a run is using, removed also when the script is interrupted. */
let currentClone;

/** `pids` and every process below them (turbo starts its tasks in process groups of their own). */
function processTree(pids) {
  const below = new Map();
  for (const line of execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    if (!below.has(ppid)) below.set(ppid, []);
    below.get(ppid).push(pid);
  }
  const all = [];
  const todo = [...pids];
  while (todo.length > 0) {
    const pid = todo.pop();
    all.push(pid);
    todo.push(...(below.get(pid) ?? []));
  }
  return all;
}

function stopAll() {
  // The whole tree is listed before anything dies: orphans would be re-parented out of reach.
  const pids = children.size > 0 ? processTree([...children].map((c) => c.pid)) : [];
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  children.clear();
  // Retries: the killed processes may still be writing into it for a moment.
  if (currentClone) rmSync(currentClone, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  currentClone = undefined;
}
process.on('exit', stopAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    stopAll();
    process.exit(130);
  });
}

function startBusyLoops(n) {
  for (let i = 0; i < n; i++) {
    const child = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore', detached: true });
    children.add(child);
    child.on('exit', () => children.delete(child));
  }
}

/** Runs a command in its own process group, its output to `logFile`; resolves with the exit code. */
function run(command, args, cwd, logFile) {
  return new Promise((resolve) => {
    const log = createWriteStream(logFile);
    // TURBO_FORCE: every run really runs (turbo would otherwise replay the first run's results).
    const env = { ...process.env, TURBO_FORCE: 'true' };
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.on('error', (error) => {
      log.write(`${error.message}\n`);
    });
    child.on('close', (code, signal) => {
      children.delete(child);
      log.end(() => resolve(code ?? (signal ? 128 : 1)));
    });
  });
}

const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
if (!opts.suite && execFileSync('git', ['status', '--porcelain'], { cwd: root, encoding: 'utf8' }).trim()) {
  console.log('stress: uncommitted changes are not tested: each run clones HEAD.');
}
const logs = await mkdtemp(path.join(os.tmpdir(), 'credkit-stress-logs-'));
console.log(
  `stress: ${runs} run(s) of ${opts.suite ? 'npm test' : `.ci/run on a fresh clone of ${head.slice(0, 12)}`}` +
    `, ${load} busy loop(s) on ${os.availableParallelism()} core(s); logs in ${logs}`,
);
startBusyLoops(load);

const results = [];
for (let i = 1; i <= runs; i++) {
  const logFile = path.join(logs, `run-${i}.log`);
  const started = Date.now();
  let code;
  if (opts.suite) {
    code = await run('npm', ['test'], root, logFile);
  } else {
    const clone = await mkdtemp(path.join(os.tmpdir(), 'credkit-stress-clone-'));
    currentClone = clone;
    try {
      execFileSync('git', ['clone', '--quiet', '--no-checkout', root, clone], { stdio: 'ignore' });
      execFileSync('git', ['checkout', '--quiet', '--detach', head], { cwd: clone, stdio: 'ignore' });
      code = await run('bash', ['.ci/run'], clone, logFile);
    } finally {
      currentClone = undefined;
      await rm(clone, { recursive: true, force: true });
    }
  }
  const seconds = (Date.now() - started) / 1000;
  const text = await readFile(logFile, 'utf8');
  const summary = text.match(/^tests: .*$/gm)?.at(-1) ?? 'no summary line';
  results.push({ ok: code === 0, seconds });
  console.log(
    `stress run ${i}/${runs}: ${code === 0 ? 'green' : `RED (exit ${code})`} in ${seconds.toFixed(0)} s; ${summary}`,
  );
  if (code !== 0) console.log(`  log: ${logFile}\n${text.split('\n').slice(-40).join('\n')}`);
}
stopAll();

const green = results.filter((r) => r.ok).length;
console.log(`stress: ${green} of ${runs} run(s) green under ${load} busy loop(s)`);
if (green === runs) await rm(logs, { recursive: true, force: true });
process.exitCode = green === runs ? 0 : 1;
