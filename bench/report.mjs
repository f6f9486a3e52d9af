// Renders the benchmark results as the Markdown committed to bench/RESULTS.md.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

function footprint(root) {
  try {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json'], {
      cwd: path.join(root, 'packages/cli'),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const [pack] = JSON.parse(out);
    const pkg = JSON.parse(
      execFileSync('cat', [path.join(root, 'packages/cli/package.json')], { encoding: 'utf8' }),
    );
    const deps = Object.keys(pkg.dependencies ?? {}).length;
    return `${fmt(pack.unpackedSize / 1024)} KiB unpacked in ${pack.entryCount} files, ${deps} runtime dependencies (tarball ${fmt(pack.size / 1024)} KiB)`;
  } catch (error) {
    return `not measured (${error instanceof Error ? error.message.split('\n')[0] : error})`;
  }
}

export function renderResults({ cases, inProcess, runs, warmup, root, credkitJs }) {
  const baseline = cases.find((c) => c.baseline);
  const base = baseline?.stats?.median ?? Number.NaN;
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    '# Benchmark results',
    '',
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC by \`npm run bench\` on ${os.cpus().length} × ${cpu},`,
    `${fmt(os.totalmem() / 2 ** 30, 0)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}.`,
    `${runs} timed runs per case after ${warmup} warm-up runs, cases interleaved round-robin.`,
    `Ratios are medians divided by the median of bare \`node -e 0\` in the same run (${fmt(base)} ms).`,
    'On this 2-core machine the ratios of the sub-40 ms cases move by about ±0.15 between back-to-back runs',
    'with no code change (bare node itself spreads over several ms); compare the p25–p75 columns.',
    '',
    '| case | command | median ms | p25–p75 ms | peak RSS MB | ratio to `node -e 0` | target |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- |',
  ];
  // A target is a ratio to bare node, or (relativeTo) to another case of the same run.
  const reference = (c) => {
    if (c.relativeTo === undefined) return { median: base, label: '' };
    const other = cases.find((o) => o.name === c.relativeTo);
    return { median: other?.stats?.median ?? Number.NaN, label: ` × \`${c.relativeTo}\`` };
  };
  const targetRatio = (c) => c.stats.median / reference(c).median;
  for (const c of cases) {
    if (c.skipped) {
      lines.push(`| ${c.group} | ${c.name} | skipped: ${c.skipped} | | | | |`);
      continue;
    }
    const ratio = c.stats.median / base;
    const ref = reference(c);
    let target =
      c.target === undefined
        ? ''
        : `<= ${c.target}${ref.label}${ref.label ? ` (${fmt(targetRatio(c), 2)})` : ''} ${targetRatio(c) <= c.target ? 'met' : '**missed**'}`;
    const other = c.fasterThan && cases.find((o) => o.name === c.fasterThan.name && o.stats);
    if (other) {
      const times = other.stats.median / c.stats.median;
      target += `; ${fmt(times, 1)}× faster than \`${other.name}\` (>= ${c.fasterThan.by}× ${times >= c.fasterThan.by ? 'met' : '**missed**'})`;
    }
    lines.push(
      `| ${c.group} | \`${c.name}\` | ${fmt(c.stats.median)} | ${fmt(c.stats.p25)}–${fmt(c.stats.p75)} | ${fmt(c.rssMb)} | ${fmt(ratio, 2)} | ${target} |`,
    );
  }
  const missed = cases.filter((c) => c.stats && c.target !== undefined && targetRatio(c) > c.target);
  if (missed.length > 0) {
    lines.push('', '## Targets not met, and their floors', '');
    for (const c of missed) {
      const floor = cases.find((f) => f.floor && f.group === c.group && f.stats);
      const floorText = floor
        ? ` The floor, \`${floor.name}\`, measured ${fmt(floor.stats.median / base, 2)} in this run.`
        : '';
      lines.push(
        `- \`${c.name}\`: ${fmt(targetRatio(c), 2)} against a target of ${c.target}${reference(c).label}.${floorText} Why: ${c.why ?? 'not analysed.'}`,
      );
    }
  }
  let bundle = 'not built';
  try {
    bundle = `${fmt(statSync(credkitJs).size / 1024)} KiB (\`packages/cli/dist/credkit.js\`)`;
  } catch {}
  lines.push('', `Bundle: ${bundle}. Installed footprint of \`@credkit/cli\`: ${footprint(root)}.`, '');
  lines.push('## In-process', '', '| check | result |', '| --- | --- |');
  for (const row of inProcess) lines.push(`| ${row.name} | ${row.result} |`);
  lines.push('');
  return `${lines.join('\n')}\n`;
}
