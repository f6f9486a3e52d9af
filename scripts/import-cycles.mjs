#!/usr/bin/env node
// `node scripts/import-cycles.mjs`: lists every import cycle among the TypeScript sources of
// packages/*/src and exits 1 if there is one (run by `npm test` through import-cycles.test.ts).
//
// Every way one module names another counts, because each one ties the two together for a reader
// and for the bundler: static imports and re-exports (type-only ones too), `import()` (the command
// table loads its handlers that way) and `import('x').T` in types. Workspace packages are followed
// by name through the `source` condition of their exports map, so a loop across packages is found too.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const SOURCE = /\.(m|c)?tsx?$/;

/** The import graph of `root`'s packages/*\/src: Map<file, Array<{ to, line, specifier }>>. */
export function importGraph(root) {
  const packages = workspacePackages(root);
  const files = [];
  for (const pkg of packages.values()) files.push(...sourceFiles(path.join(pkg.dir, 'src')));
  const known = new Set(files);
  const graph = new Map();
  for (const file of files) {
    const edges = [];
    for (const { specifier, line } of importsOf(file)) {
      const to = resolve(file, specifier, packages);
      if (to !== undefined && known.has(to)) edges.push({ to, line, specifier });
    }
    graph.set(file, edges);
  }
  return graph;
}

/**
 * The strongly connected components of the graph that are cycles (two files or more, or a file that
 * imports itself), each as its files and the imports that tie them, in a stable order.
 */
export function findCycles(graph) {
  // Tarjan's algorithm, iterative so that a deep import chain cannot overflow the stack.
  const index = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const components = [];
  let next = 0;
  for (const start of [...graph.keys()].sort()) {
    if (index.has(start)) continue;
    const work = [{ node: start, edge: 0 }];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const edges = graph.get(frame.node) ?? [];
      if (frame.edge < edges.length) {
        const to = edges[frame.edge++].to;
        if (!index.has(to)) {
          index.set(to, next);
          low.set(to, next++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, edge: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node), index.get(to)));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent), low.get(frame.node)));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component = [];
        let member;
        do {
          member = stack.pop();
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        components.push(component);
      }
    }
  }
  const cycles = [];
  for (const component of components) {
    const members = new Set(component);
    const ties = [];
    for (const file of component) {
      for (const edge of graph.get(file) ?? []) {
        if (members.has(edge.to)) ties.push({ from: file, ...edge });
      }
    }
    if (component.length > 1 || ties.length > 0) {
      ties.sort((a, b) => a.from.localeCompare(b.from) || a.line - b.line);
      cycles.push({ files: component.sort(), ties });
    }
  }
  return cycles.sort((a, b) => a.files[0].localeCompare(b.files[0]));
}

/** A report a person can act on: each cycle's files and the import lines that close it. */
export function describeCycles(cycles, root) {
  const rel = (file) => path.relative(root, file);
  return cycles
    .map((cycle, i) => {
      const head = `cycle ${i + 1}: ${cycle.files.length} file(s): ${cycle.files.map(rel).join(', ')}`;
      const ties = cycle.ties.map(
        (t) => `  ${rel(t.from)}:${t.line} imports '${t.specifier}' (${rel(t.to)})`,
      );
      return [head, ...ties].join('\n');
    })
    .join('\n');
}

function workspacePackages(root) {
  const packages = new Map();
  const dir = path.join(root, 'packages');
  for (const name of readdirSync(dir).sort()) {
    const manifest = path.join(dir, name, 'package.json');
    let json;
    try {
      json = JSON.parse(readFileSync(manifest, 'utf8'));
    } catch {
      continue;
    }
    packages.set(json.name, { dir: path.join(dir, name), exports: json.exports ?? {} });
  }
  return packages;
}

function sourceFiles(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const files = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(full));
    else if (entry.isFile() && SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(full);
  }
  return files.sort();
}

/** Every module specifier the file names, with its line: the TypeScript parser, not a regex. */
function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const found = [];
  const add = (literal) => {
    if (literal && ts.isStringLiteralLike(literal)) {
      const line = source.getLineAndCharacterOfPosition(literal.getStart(source)).line + 1;
      found.push({ specifier: literal.text, line });
    }
  };
  const visit = (node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node.arguments[0]);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function resolve(from, specifier, packages) {
  if (specifier.startsWith('.')) return resolveFile(path.resolve(path.dirname(from), specifier));
  const match = /^(@[^/]+\/[^/]+|[^@/][^/]*)(\/.*)?$/.exec(specifier);
  const pkg = match && packages.get(match[1]);
  if (!pkg) return undefined;
  const target = pkg.exports[`.${match[2] ?? ''}`];
  const sourcePath = typeof target === 'string' ? target : target?.source;
  return sourcePath === undefined ? undefined : resolveFile(path.join(pkg.dir, sourcePath));
}

// NodeNext specifiers name the emitted file (`./x.js`); the source beside it is `./x.ts`.
function resolveFile(base) {
  const candidates = [
    base.replace(/\.js$/, '.ts'),
    base.replace(/\.mjs$/, '.mts'),
    base.replace(/\.cjs$/, '.cts'),
    base.replace(/\.js$/, '.tsx'),
    base,
    `${base}.ts`,
    path.join(base, 'index.ts'),
  ];
  return candidates.find((candidate) => SOURCE.test(candidate) && isFile(candidate));
}

function isFile(file) {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const graph = importGraph(root);
  const cycles = findCycles(graph);
  if (cycles.length === 0) {
    process.stdout.write(`no import cycle among ${graph.size} files under packages/*/src\n`);
  } else {
    process.stdout.write(`${describeCycles(cycles, root)}\n`);
    process.exitCode = 1;
  }
}
