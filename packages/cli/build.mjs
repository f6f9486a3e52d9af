// Bundles the CLI into dist/credkit.js and the sandbox runner into dist/sandbox.js, with every
// dependency inside (workspace packages compiled from their TS sources through the `source` export
// condition). Modules loaded with import() land in dist/chunks/ and are read only when used.
import { readFileSync } from 'node:fs';
import { chmod, rename, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const minify = process.env.CREDKIT_BUILD_MINIFY !== '0';

const common = {
  platform: 'node',
  format: 'esm',
  target: 'node20',
  bundle: true,
  // `source`: workspace packages from TypeScript. `module` + mainFields: the ESM builds of
  // dependencies (the AWS SDK ships both): with code splitting, an
  // `import()` of a CommonJS module only exposes `default`, so `const { STSClient } = await
  // import('@aws-sdk/client-sts')` would get undefined. ESM also tree-shakes better.
  conditions: ['source', 'module'],
  mainFields: ['module', 'main'],
  minify,
  legalComments: 'none',
  logLevel: 'warning',
  // CJS dependencies inside an ESM bundle call require(); give them one.
  banner: {
    js: "import { createRequire as __credkitCreateRequire } from 'node:module'; const require = __credkitCreateRequire(import.meta.url);",
  },
  define: { __CREDKIT_VERSION__: JSON.stringify(pkg.version) },
};

// Built beside dist/ and swapped in with renames, so a credkit running from dist/ (tests, the
// sandbox, another build) never sees a half-written or missing bundle.
const dist = fileURLToPath(new URL('./dist', import.meta.url));
const staging = `${dist}.build-${process.pid}`;
await rm(staging, { recursive: true, force: true });
const result = await build({
  ...common,
  metafile: true,
  // One entry file plus lazily imported chunks: `--help` parses ~20 KB instead of the whole CLI
  // (the AWS SDK and inquirer are most of it). See README "Start-up" for the measurements.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  entryPoints: { credkit: 'src/main.ts', sandbox: 'src/sandbox.ts' },
  outdir: staging,
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
await chmod(`${staging}/credkit.js`, 0o755);
const old = `${dist}.old-${process.pid}`;
await rename(dist, old).catch((error) => {
  if (error.code !== 'ENOENT') throw error;
});
await rename(staging, dist);
await rm(old, { recursive: true, force: true });
