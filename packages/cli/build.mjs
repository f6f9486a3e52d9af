// Builds the published CLI, every dependency bundled (workspace packages compiled from their
// TypeScript sources through the `source` export condition):
//
//   dist/credkit.js        the entry: argv parsing, the command table, help, error rendering. CommonJS
//                          (dist/package.json says so): an ESM entry alone costs ~18% over bare
//                          `node -e 0`, and `credkit --help` must stay within 15%.
//   dist/commands/*.mjs    one ESM module per command, loaded with import() by the entry; code they
//   dist/chunks/*.mjs      share (the libraries, the AWS SDK, inquirer) is split into chunks read
//                          only by the commands that use them.
//   dist/commands/*.js     the fast commands (`export`, `profiles`, `app whoami`, `env ls`): CommonJS, required by the entry,
//                          because Node's ESM loader alone costs ~7 ms, a third of their budget. Their
//                          own lazy `import()`s (the SDK, credential_process, SSO, the store...) stay
//                          runtime imports of the ESM chunks above, so slow paths load what they did.
//   dist/sandbox.mjs       `npm run sandbox`.
import { readdirSync, readFileSync } from 'node:fs';
import { chmod, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
// `credkit --version` names the library versions bundled inside, read where they are built from.
const libraries = Object.fromEntries(
  ['app-chain', 'env-selector', 'temp-creds'].map((dir) => {
    const lib = JSON.parse(readFileSync(new URL(`../${dir}/package.json`, import.meta.url), 'utf8'));
    return [lib.name, lib.version];
  }),
);
const minify = process.env.CREDKIT_BUILD_MINIFY !== '0';

const common = {
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
};

// Built beside dist/ and swapped in with renames, so a credkit running from dist/ (tests, the
// sandbox, another build) never sees a half-written or missing bundle.
const dist = fileURLToPath(new URL('./dist', import.meta.url));
const staging = `${dist}.build-${process.pid}`;
await rm(staging, { recursive: true, force: true });

const commandTable = fileURLToPath(new URL('./src/commands/index.ts', import.meta.url));

/** Commands whose common paths must start nearly as fast as bare node: built as CommonJS. */
const FAST_COMMANDS = ['export', 'profiles', 'app-whoami', 'env-ls', 'complete'];
const commandNames = readdirSync(new URL('./src/commands', import.meta.url))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'index.ts')
  .map((f) => f.slice(0, -3));
const entries = (names) => Object.fromEntries(names.map((n) => [`commands/${n}`, `src/commands/${n}.ts`]));

const result = await build({
  ...common,
  format: 'esm',
  metafile: true,
  splitting: true,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  entryPoints: {
    ...entries(commandNames.filter((n) => !FAST_COMMANDS.includes(n))),
    sandbox: 'src/sandbox.ts',
  },
  outdir: staging,
  // CJS dependencies inside an ESM bundle call require(); give them one.
  banner: {
    js: "import { createRequire as __credkitCreateRequire } from 'node:module'; const require = __credkitCreateRequire(import.meta.url);",
  },
});
// Guard: a CommonJS module reached through import() would expose only `default` in a split build,
// and destructured names would silently be undefined. Fail the build instead.
const cjsTargets = Object.values(result.metafile.outputs)
  .map((output) => output.entryPoint)
  .filter((entry) => entry !== undefined && result.metafile.inputs[entry]?.format === 'cjs');
if (cjsTargets.length > 0) {
  await rm(staging, { recursive: true, force: true });
  throw new Error(`CommonJS modules loaded with import(): ${cjsTargets.join(', ')}; bundle their ESM build`);
}

// Source module -> the ESM file that holds it when it is loaded with import(), for the fast commands.
const esmFileOf = new Map(
  Object.entries(result.metafile.outputs)
    .filter(([, output]) => output.entryPoint !== undefined)
    .map(([file, output]) => [path.resolve(output.entryPoint), path.resolve(file)]),
);
const resolving = Symbol('credkit-resolving');

await build({
  ...common,
  format: 'cjs',
  entryPoints: entries(FAST_COMMANDS),
  outdir: staging,
  plugins: [
    {
      // A fast command's `import('./x.js')` becomes a runtime import of the ESM module built above
      // for the same source, instead of pulling that module (and the SDK behind it) into the file.
      name: 'credkit-lazy-esm',
      setup(b) {
        b.onResolve({ filter: /.*/ }, async (args) => {
          if (args.kind !== 'dynamic-import' || args.pluginData === resolving) return undefined;
          // A lazy Node module becomes a deferred require(): import() in a CommonJS file would start
          // Node's ESM loader (~8 ms), which these commands exist to avoid.
          if (args.path.startsWith('node:')) return { path: args.path, namespace: 'credkit-node' };
          const { path: source, errors } = await b.resolve(args.path, {
            kind: args.kind,
            importer: args.importer,
            resolveDir: args.resolveDir,
            pluginData: resolving,
          });
          if (errors.length > 0) return { errors };
          const esm = esmFileOf.get(source);
          if (esm === undefined) {
            return { errors: [{ text: `${args.path} is imported lazily but no ESM entry loads it` }] };
          }
          const relative = path.relative(`${staging}/commands`, esm);
          return { path: relative.startsWith('.') ? relative : `./${relative}`, external: true };
        });
        b.onLoad({ filter: /.*/, namespace: 'credkit-node' }, (args) => ({
          contents: `module.exports = require(${JSON.stringify(args.path)});`,
          loader: 'js',
        }));
      },
    },
  ],
});

await build({
  ...common,
  format: 'cjs',
  entryPoints: { credkit: 'src/main.ts' },
  outdir: staging,
  banner: { js: '#!/usr/bin/env node' },
  plugins: [
    {
      // The command table's (src/commands/index.ts) `import('./x.js')` stays a runtime load of the
      // command module built above (require() for the fast ones), so the entry holds no library code.
      name: 'credkit-command-modules',
      setup(b) {
        b.onResolve({ filter: /^\.\/(commands\/)?[a-z-]+\.js$/ }, (args) => {
          if (args.kind === 'require-call') return { path: args.path, external: true };
          if (path.resolve(args.importer) !== commandTable) return undefined;
          const name = args.path.slice('./'.length, -'.js'.length);
          const file = `./commands/${name}`;
          if (FAST_COMMANDS.includes(name)) return { path: `${file}.js`, namespace: 'credkit-require' };
          return { path: `${file}.mjs`, external: true };
        });
        b.onLoad({ filter: /.*/, namespace: 'credkit-require' }, (args) => ({
          contents: `module.exports = require(${JSON.stringify(args.path)});`,
          loader: 'js',
        }));
      },
    },
  ],
});
await writeFile(
  `${staging}/package.json`,
  `${JSON.stringify({ type: 'commonjs', description: 'credkit.js is CommonJS for start-up time; *.mjs are ESM' }, null, 2)}\n`,
);
await chmod(`${staging}/credkit.js`, 0o755);

const old = `${dist}.old-${process.pid}`;
await rename(dist, old).catch((error) => {
  if (error.code !== 'ENOENT') throw error;
});
await rename(staging, dist);
await rm(old, { recursive: true, force: true });
