import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { expect, it } from 'vitest';

// `credkit export --profile static` start-up time depends on this: resolving plain keys must not load
// any AWS SDK module; STS, SSO, container, IMDS and web identity code is reached by dynamic import only.
it('imports no AWS SDK module statically', async () => {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./index.ts', import.meta.url))],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    conditions: ['source'],
    outdir: '/nonexistent/credkit-lazy-check',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const outputs = result.metafile.outputs;
  const entry = Object.entries(outputs).find(([, o]) => o.entryPoint?.endsWith('profile-provider/index.ts'));
  expect(entry).toBeDefined();
  const seen = new Set<string>();
  const staticInputs: string[] = [];
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const out = outputs[file];
    if (!out) return;
    staticInputs.push(...Object.keys(out.inputs));
    for (const imp of out.imports) if (imp.kind === 'import-statement' && !imp.external) walk(imp.path);
  };
  walk(entry![0]);
  expect(staticInputs.filter((i) => i.includes('node_modules'))).toEqual([]);
  expect(
    Object.values(outputs).some((o) => Object.keys(o.inputs).some((i) => i.includes('@aws-sdk/client-sts'))),
  ).toBe(true);
});
