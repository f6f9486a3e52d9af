// Builds the published CLI, every dependency bundled (workspace packages compiled from their
// TypeScript sources through the `source` export condition).
//
// One esbuild pass bundles `src/main.ts` (and the sandbox) as ESM with code splitting, so every
// source module lands in exactly one output file: the entry, a lazily imported module (each
// `import()` is a split point: commands, the AWS SDK, prompts, the SSM store...) or a chunk shared
// by several of them. Each output file is then rewritten to CommonJS (`import` becomes `require`,
// `import()` a deferred `require`), because Node's ESM loader alone costs ~7 ms at start-up, a
// third of a fast command's budget. Loading many small files costs too, so the files a command
// always needs are packed: `dist/credkit.js` holds the entry and every chunk it imports statically
// (enough for `--help`), `dist/fast.js` every chunk the commands marked `fast` in the command table
// import statically; a packed file's chunks run on first `require`, as separate files would.
// Everything else stays one file per chunk in `dist/chunks/`. Splitting places whole files, so
// imports of a package's index are pointed at the defining files first (directImports): through an
// index that re-exports everything, the entry would seem to need every lazily loaded module.
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, transform } from 'esbuild';
import {
  directImports,
  fastCommandSources,
  packFiles,
  renderEntry,
  rewriteRequires,
} from './build-helpers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = JSON.parse(readFileSync(path.join(here, 'package.json'), 'utf8'));
// `credkit --version` names the library versions bundled inside, read where they are built from.
const libraries = Object.fromEntries(
  ['app-chain', 'env-selector', 'temp-creds'].map((dir) => {
    const lib = JSON.parse(readFileSync(path.join(here, '..', dir, 'package.json'), 'utf8'));
    return [lib.name, lib.version];
  }),
);
const minify = process.env.CREDKIT_BUILD_MINIFY !== '0';
// Tests build into a temp dir and read the metafile (which source went to which output).
const dist = process.env.CREDKIT_BUILD_OUTDIR ?? path.join(here, 'dist');
const metafilePath = process.env.CREDKIT_BUILD_METAFILE;

// Built beside dist/ and swapped in with renames, so a credkit running from dist/ (tests, the
// sandbox, another build) never sees a half-written or missing bundle.
const staging = `${dist}.build-${process.pid}`;
await rm(staging, { recursive: true, force: true });

const fast = await fastCommandSources(here);

const result = await build({
  absWorkingDir: here,
  platform: 'node',
  target: 'node20',
  bundle: true,
  // `source`: workspace packages from TypeScript. `module` + mainFields: the ESM builds of
  // dependencies (the AWS SDK ships both): with code splitting, an `import()` of a CommonJS module
  // only exposes `default`, so `const { STSClient } = await import('@aws-sdk/client-sts')` would
  // get undefined. ESM also tree-shakes better.
  conditions: ['source', 'module'],
  mainFields: ['module', 'main'],
  minify,
  legalComments: 'none',
  logLevel: 'warning',
  define: {
    __CREDKIT_VERSION__: JSON.stringify(pkg.version),
    __CREDKIT_LIBRARIES__: JSON.stringify(libraries),
  },
  format: 'esm',
  splitting: true,
  metafile: true,
  write: false,
  entryPoints: { credkit: 'src/main.ts', sandbox: 'src/sandbox.ts' },
  chunkNames: 'chunks/[name]-[hash]',
  outdir: staging,
  plugins: [directImports()],
});
const meta = result.metafile;
// Guard: a CommonJS module reached through import() would expose only `default` in a split build,
// and destructured names would silently be undefined. Fail the build instead.
const cjsTargets = Object.values(meta.outputs)
  .map((output) => output.entryPoint)
  .filter((entry) => entry !== undefined && meta.inputs[entry]?.format === 'cjs');
if (cjsTargets.length > 0) {
  throw new Error(`CommonJS modules loaded with import(): ${cjsTargets.join(', ')}; bundle their ESM build`);
}

// Output files by their path in dist/ ('credkit.js', 'chunks/x.js'), rewritten to CommonJS.
const rel = (file) => path.relative(staging, path.resolve(here, file)).split(path.sep).join('/');
const code = new Map();
for (const file of result.outputFiles) {
  const esm = file.text;
  const cjs = await transform(esm, {
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    loader: 'js',
    minify,
    legalComments: 'none',
    // import('./x.js') becomes Promise.resolve().then(() => require('./x.js')): no ESM loader.
    supported: { 'dynamic-import': false },
    // Only the sandbox reads import.meta.url (to find credkit.js beside it).
    define: { 'import.meta.url': '__credkitFileUrl' },
    banner: esm.includes('import.meta.url')
      ? "var __credkitFileUrl = require('node:url').pathToFileURL(__filename).href;"
      : '',
  });
  code.set(rel(file.path), cjs.code);
}
const imports = new Map(
  Object.entries(meta.outputs).map(([file, output]) => [
    rel(file),
    output.imports.filter((i) => i.kind === 'import-statement' && !i.external).map((i) => rel(i.path)),
  ]),
);
const outputOf = (source) => {
  const found = Object.entries(meta.outputs).find(([, o]) => o.entryPoint === source);
  if (found === undefined) throw new Error(`${source} is marked fast but no import() loads it`);
  return rel(found[0]);
};

const packs = packFiles(imports, [
  { file: 'main.js', roots: ['credkit.js'], entry: 'credkit.js' },
  { file: 'fast.js', roots: fast.map(outputOf) },
]);

for (const [file, text] of code) {
  if (packs.packOf.has(file)) continue;
  // The sandbox is an entry Node loads itself; it reaches the other files through credkit.js.
  const via = file === 'sandbox.js' ? 'entry' : 'require';
  await writeOut(file, rewriteRequires(text, file, file, packs.packOf, via));
}
for (const pack of packs.list) await writeOut(pack.file, pack.render(code));
await writeOut('credkit.js', await renderEntry(here, 'main.js', pkg.version, minify));
await writeFile(
  `${staging}/package.json`,
  `${JSON.stringify({ type: 'commonjs', description: 'Built by build.mjs: CommonJS for start-up time' }, null, 2)}\n`,
);
await chmod(`${staging}/credkit.js`, 0o755);
if (metafilePath !== undefined) {
  await writeFile(
    metafilePath,
    JSON.stringify({
      // Output files by their path in dist/, with the source modules each holds.
      outputs: Object.fromEntries(Object.entries(meta.outputs).map(([file, o]) => [rel(file), o.inputs])),
      fast,
      packs: Object.fromEntries(packs.packOf),
    }),
  );
}

const old = `${dist}.old-${process.pid}`;
await rename(dist, old).catch((error) => {
  if (error.code !== 'ENOENT') throw error;
});
await rename(staging, dist);
await rm(old, { recursive: true, force: true });

async function writeOut(file, text) {
  const target = path.join(staging, file);
  if (!existsSync(path.dirname(target))) await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, text);
}
