// Helpers of build.mjs: which commands are fast (read from the command table itself), and packing
// several CommonJS output files into one file whose parts run on first require.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { build, transform } from 'esbuild';

/**
 * The source modules of the commands marked `fast: true` in the command table. The table is
 * bundled and evaluated here (its handlers stay unloaded `import()`s), so the table is the only
 * list; each fast command's module is the one its `load` imports.
 */
export async function fastCommandSources(root) {
  const table = path.join(root, 'src/commands/index.ts');
  const bundled = await build({
    entryPoints: [table],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    logLevel: 'silent',
    conditions: ['source'],
    define: { __CREDKIT_VERSION__: '"0.0.0"' },
    plugins: [
      {
        name: 'handlers-stay-lazy',
        setup(b) {
          b.onResolve({ filter: /.*/ }, (args) =>
            args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined,
          );
        },
      },
    ],
  });
  const source = Buffer.from(bundled.outputFiles[0].text).toString('base64');
  const { COMMANDS } = await import(`data:text/javascript;base64,${source}`);
  const sources = new Set();
  for (const command of COMMANDS.filter((c) => c.fast === true)) {
    const imported = /import\(\s*["']([^"']+)["']\s*\)/.exec(String(command.load));
    if (imported === null) throw new Error(`build: cannot tell which module \`${command.name}\` loads`);
    const file = path.resolve(path.dirname(table), imported[1].replace(/\.js$/, '.ts'));
    sources.add(path.relative(root, file).split(path.sep).join('/'));
  }
  if (sources.size === 0) throw new Error('build: no command is marked fast in the command table');
  return [...sources];
}

/**
 * Groups output files into packs: each pack takes its roots and every file they import
 * statically, minus files an earlier pack already took (so each file is in one place).
 * `imports` maps an output file to the files it imports statically. A spec's `entry` (an output
 * file among its roots) is not a chunk of the pack but its `main()`.
 */
export function packFiles(imports, specs) {
  const packOf = new Map();
  const list = [];
  for (const spec of specs) {
    const members = [];
    const stack = [...spec.roots];
    while (stack.length > 0) {
      const file = stack.pop();
      if (packOf.has(file)) continue;
      packOf.set(file, spec.file);
      if (file !== spec.entry) members.push(file);
      stack.push(...(imports.get(file) ?? []));
    }
    members.sort();
    list.push({
      file: spec.file,
      members,
      render: (code) => renderPack(spec.file, members, code, spec.entry, packOf),
    });
  }
  return { packOf, list };
}

/**
 * One file holding several CommonJS files, each wrapped in a function that runs on its first
 * require (like Node's own loader, a file that is never required never runs). Other files reach a
 * packed file through the pack's `chunk(id)` export. `entry` (an output file: the CLI's own code)
 * becomes the pack's `main()`, which credkit.js calls when it is the process's main module: the
 * sandbox loads the same pack for the chunks they share.
 */
function renderPack(file, members, code, entry, packOf) {
  const parts = members.map(
    (member) =>
      `${JSON.stringify(member)}: function (module, exports, require) {\n${rewriteRequires(code.get(member), member, file, packOf)}\n}`,
  );
  const loader = `var __credkitChunks = {\n${parts.join(',\n')}\n};
var __credkitLoaded = {};
function __credkitChunk(id) {
  var m = __credkitLoaded[id];
  if (m === undefined) {
    m = __credkitLoaded[id] = { exports: {} };
    __credkitChunks[id].call(m.exports, m, m.exports, require);
  }
  return m.exports;
}
exports.chunk = __credkitChunk;
`;
  if (entry === undefined) return loader;
  return `${loader}exports.main = function () {\n${rewriteRequires(code.get(entry), entry, file, packOf)}\n};\n`;
}

/**
 * dist/credkit.js, the file Node starts: compile-cache.cjs's loader (exported as `load(file)`, a
 * path in dist/), which then loads `main` (the pack holding the CLI) and runs it. Everything Node
 * compiles without the cache is this small file; the rest comes from the cache after the first run.
 * `version` is credkit's, part of each cache file's name.
 */
export async function renderEntry(root, main, version, minify) {
  const text = await readFile(path.join(root, 'compile-cache.cjs'), 'utf8');
  const source = (await transform(text, { loader: 'js', minify, legalComments: 'none' })).code;
  return `#!/usr/bin/env node
var __credkitCompileCache = (function (module) {\n${source}\nreturn module.exports;\n})({ exports: {} });
var __credkitLoader = __credkitCompileCache.createLoader({
  root: __dirname,
  entry: require("node:path").basename(__filename),
  entryModule: module,
  nodeRequire: require,
  // Only a credkit run keeps a cache: the sandbox, which requires this file for the files they
  // share, writes nothing outside its throw-away home.
  cacheDir: require.main === module ? __credkitCompileCache.cacheDirectory(process.env, process.platform, process.env.HOME || require("node:os").homedir(), require("node:path")) : undefined,
  version: ${JSON.stringify(version)},
  fs: require("node:fs"),
  path: require("node:path"),
  vm: require("node:vm"),
});
process.once("exit", __credkitLoader.save);
exports.load = function (file) {
  return __credkitLoader.load(require("node:path").join(__dirname, file));
};
if (require.main === module) exports.load(${JSON.stringify(main)}).main();
`;
}

/**
 * Points the relative `require("./x.js")` calls of output file `from`, placed in file `container`,
 * at where each file ended up: the same pack, another pack's `chunk()`, or its own file. `via` says
 * how another file is reached: `require` (the files credkit.js's loader loads get a `require` that
 * comes back to it) or `entry` (the sandbox, which Node loads itself: through credkit.js's `load`,
 * so the files they share are loaded once).
 */
export function rewriteRequires(text, from, container, packOf, via = 'require') {
  const here = path.posix.dirname(container);
  const relative = (target) => {
    const r = path.posix.relative(here, target);
    return JSON.stringify(r.startsWith('.') ? r : `./${r}`);
  };
  const reach = (file) => {
    if (via === 'entry') return `require(${relative('credkit.js')}).load(${JSON.stringify(file)})`;
    return `require(${relative(file)})`;
  };
  return text.replace(/\brequire\("(\.\.?\/[^"]+)"\)/g, (_call, spec) => {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
    const pack = packOf.get(target);
    if (pack === undefined) return reach(target);
    if (pack === container) return `__credkitChunk(${JSON.stringify(target)})`;
    return `${reach(pack)}.chunk(${JSON.stringify(target)})`;
  });
}

/**
 * esbuild plugin: `import { a, b } from '@credkit/pkg'` becomes imports from the files that define
 * `a` and `b`. Code splitting places whole files by which entries reach them, and through a package
 * index (which re-exports everything) every lazily loaded module would look reachable from the
 * entry; each module would still be bundled once, but the entry would load most of them.
 */
export function directImports() {
  return {
    name: 'credkit-direct-imports',
    setup(b) {
      const cache = new Map();
      const resolve = async (spec, dir) => {
        const r = await b.resolve(spec, { kind: 'import-statement', resolveDir: dir });
        if (r.errors.length > 0) throw new Error(r.errors[0].text);
        return r.path;
      };
      // Exported name -> [defining file, its name there], following `export ... from` chains. The
      // cache holds promises: esbuild loads files concurrently, and a map still being filled would
      // make the split (and so the output) differ from build to build.
      const exportsOf = (file) => {
        if (!cache.has(file)) cache.set(file, readExports(file));
        return cache.get(file);
      };
      const readExports = async (file) => {
        const map = new Map();
        const text = await readFile(file, 'utf8');
        for (const m of text.matchAll(/^export\s*(\*|\{([^}]*)\})\s*from\s*'([^']+)'/gm)) {
          const inner = await exportsOf(await resolve(m[3], path.dirname(file)));
          if (m[1] === '*') {
            for (const [name, where] of inner) map.set(name, where);
            continue;
          }
          for (const [name, alias] of specifiers(m[2])) {
            const where = inner.get(name);
            if (where !== undefined) map.set(alias, where);
          }
        }
        const declared =
          /^export\s+(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:function\*?|class|const|let|var|enum)\s+([\w$]+)/gm;
        for (const m of text.matchAll(declared)) map.set(m[1], [file, m[1]]);
        return map;
      };
      b.onLoad({ filter: /[\\/]packages[\\/][^\\/]+[\\/]src[\\/].*\.ts$/ }, async (args) => {
        let text = await readFile(args.path, 'utf8');
        const dir = path.dirname(args.path);
        const found = [...text.matchAll(/^import\s*\{([^}]*)\}\s*from\s*'(@credkit\/[^']+)';/gm)];
        for (const m of found.reverse()) {
          const defined = await exportsOf(await resolve(m[2], dir));
          const kept = [];
          const direct = [];
          for (const [name, local] of specifiers(m[1])) {
            const where = defined.get(name);
            if (where === undefined) kept.push(`${name} as ${local}`);
            else direct.push(`import { ${where[1]} as ${local} } from ${JSON.stringify(where[0])};`);
          }
          const rest = kept.length > 0 ? `import { ${kept.join(', ')} } from '${m[2]}';` : '';
          text = text.slice(0, m.index) + rest + direct.join('') + text.slice(m.index + m[0].length);
        }
        return { contents: text, loader: 'ts', resolveDir: dir };
      });
    },
  };
}

/** `a, type B, c as d` -> [['a', 'a'], ['c', 'd']] (type-only names are erased anyway). */
function specifiers(list) {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '' && !s.startsWith('type '))
    .map((s) => {
      const [name, alias = name] = s.split(/\s+as\s+/);
      return [name, alias];
    });
}
