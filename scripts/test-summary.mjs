#!/usr/bin/env node
// Adds up the vitest JSON reports of every workspace package into one closing line,
// `tests: N passed, N failed, N skipped`, that CI reads. Exits 1 when a package has no report
// or no test ran, so a suite that silently ran nothing cannot pass.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
for (const dir of readdirSync(path.join(root, 'packages'))) {
  const report = path.join(root, 'packages', dir, '.vitest/results.json');
  if (!existsSync(report)) {
    missing.push(dir);
    continue;
  }
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  process.stdout.write(`${dir}: ${r.numPassedTests} passed, ${r.numFailedTests} failed\n`);
}
if (missing.length > 0) process.stdout.write(`no test report from: ${missing.join(', ')}\n`);
process.stdout.write(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
if (failed > 0 || passed === 0 || missing.length > 0) process.exitCode = 1;
