// Bundles the CLI into dist/credkit.js (one file, workspace packages compiled from their TS sources
// through the `source` export condition) and the sandbox runner into dist/sandbox.js.
// No code splitting: esbuild keeps every `import()`ed module lazily initialised inside the file, so
// `--help` runs none of the SDK; see README "Start-up" for the measurements behind this choice.
import { existsSync, readFileSync } from 'node:fs';
import { chmod, rm } from 'node:fs/promises';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const minify = process.env.CREDKIT_BUILD_MINIFY !== '0';

const common = {
  platform: 'node',
  format: 'esm',
  target: 'node20',
  bundle: true,
  conditions: ['source'],
  minify,
  legalComments: 'none',
  logLevel: 'warning',
  // CJS dependencies inside an ESM bundle call require(); give them one.
  banner: {
    js: "import { createRequire as __credkitCreateRequire } from 'node:module'; const require = __credkitCreateRequire(import.meta.url);",
  },
  define: { __CREDKIT_VERSION__: JSON.stringify(pkg.version) },
};

await rm(new URL('./dist', import.meta.url), { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { credkit: 'src/main.ts' },
  outdir: 'dist',
  banner: { js: `#!/usr/bin/env node\n${common.banner.js}` },
});
if (existsSync(new URL('./src/sandbox.ts', import.meta.url)))
  await build({ ...common, entryPoints: { sandbox: 'src/sandbox.ts' }, outdir: 'dist' });
await chmod(new URL('./dist/credkit.js', import.meta.url), 0o755);
