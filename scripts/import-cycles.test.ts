import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { describeCycles, findCycles, importGraph } from './import-cycles.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('the import graph of packages/*/src', () => {
  let graph: ReturnType<typeof importGraph>;
  beforeAll(() => {
    graph = importGraph(repo);
  });

  it('has no cycle (type-only and dynamic imports count)', () => {
    const cycles = findCycles(graph);
    // The report names every file and import line that closes a loop: that is the failure message.
    expect(describeCycles(cycles, repo)).toBe('');
  });

  it('is read from the real sources, not an empty tree', () => {
    const cliTable = path.join(repo, 'packages/cli/src/commands/index.ts');
    expect(graph.size).toBeGreaterThan(100);
    // The table loads its handlers with import(): those count as edges.
    expect(graph.get(cliTable)?.map((e) => path.basename(e.to))).toContain('export.ts');
  });
});

describe('findCycles on a made-up workspace', () => {
  let root: string | undefined;
  afterEach(() => {
    if (root !== undefined) rmSync(root, { recursive: true, force: true });
    root = undefined;
  });

  /** A workspace of packages `a` and `b` (named @t/a, @t/b) with the given sources. */
  function workspace(files: Record<string, string>): string {
    root = mkdtempSync(path.join(tmpdir(), 'credkit-cycles-'));
    for (const name of ['a', 'b']) {
      mkdirSync(path.join(root, 'packages', name, 'src'), { recursive: true });
      const exports = { '.': { source: './src/index.ts' }, './sub': { source: './src/sub/index.ts' } };
      writeFileSync(
        path.join(root, 'packages', name, 'package.json'),
        JSON.stringify({ name: `@t/${name}`, exports }),
      );
    }
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, 'packages', file)), { recursive: true });
      writeFileSync(path.join(root, 'packages', file), text);
    }
    return root;
  }

  const cyclesOf = (dir: string) =>
    findCycles(importGraph(dir)).map((c) => c.files.map((f) => path.relative(path.join(dir, 'packages'), f)));

  it('finds none in a tree that only imports downward', () => {
    const dir = workspace({
      'a/src/index.ts': "export { x } from './x.js';\nimport type { Y } from './y.js';",
      'a/src/x.ts': "import { y } from './y.js';\nexport const x = y;",
      'a/src/y.ts': 'export const y = 1; export type Y = number;',
      'a/src/y.test.ts': "import { x } from './x.js';",
    });
    expect(cyclesOf(dir)).toEqual([]);
  });

  it('finds a loop closed by a type-only import', () => {
    const dir = workspace({
      'a/src/context.ts': "import type { Flags } from './args.js';\nexport type Ctx = { flags: Flags };",
      'a/src/args.ts': "import type { Ctx } from './context.js';\nexport type Flags = Ctx[];",
    });
    expect(cyclesOf(dir)).toEqual([['a/src/args.ts', 'a/src/context.ts']]);
  });

  it('finds a loop through import(), re-exports and import types, and names the lines', () => {
    const dir = workspace({
      'a/src/table.ts': "export const load = () => import('./handlers/run.js');",
      'a/src/handlers/run.ts': "export * from '../helpers/index.js';",
      'a/src/helpers/index.ts': "export type T = import('../table.js').Load;",
    });
    const cycles = findCycles(importGraph(dir));
    expect(cycles).toHaveLength(1);
    const report = describeCycles(cycles, dir);
    expect(report).toContain("packages/a/src/table.ts:1 imports './handlers/run.js'");
    expect(report).toContain("packages/a/src/handlers/run.ts:1 imports '../helpers/index.js'");
    expect(report).toContain("packages/a/src/helpers/index.ts:1 imports '../table.js'");
  });

  it('follows workspace packages by name, subpaths included, and finds a loop across two', () => {
    const dir = workspace({
      'a/src/index.ts': "import { b } from '@t/b/sub';\nexport const a = b;",
      'b/src/sub/index.ts': "import { other } from '../other.js';\nexport const b = other;",
      'b/src/other.ts': "import type { a } from '@t/a';\nexport const other = 1 as unknown as typeof a;",
    });
    expect(cyclesOf(dir)).toEqual([['a/src/index.ts', 'b/src/other.ts', 'b/src/sub/index.ts']]);
  });

  it('finds a file that imports itself, and ignores specifiers in comments and strings', () => {
    const dir = workspace({
      'a/src/self.ts': "import { s } from './self.js';\nexport const s = 1;",
      'a/src/quiet.ts': "// import { q } from './quiet.js';\nexport const q = \"import('./quiet.js')\";",
    });
    expect(cyclesOf(dir)).toEqual([['a/src/self.ts']]);
  });
});
