import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const src = (path: string): string => fileURLToPath(new URL(`../../src/${path}`, import.meta.url));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'credkit-temp-creds-import-'));
  // Bundled like the CLI bundles it: dependencies external, dynamic imports kept dynamic.
  await build({
    entryPoints: {
      index: src('index.ts'),
      prompter: src('prompter/index.ts'),
      errors: src('errors/index.ts'),
    },
    outdir: dir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'silent',
  });
  // Logs every module the entry really loads (resolve hooks run on their own thread in Node 20).
  await writeFile(
    join(dir, 'hooks.mjs'),
    "import { writeSync } from 'node:fs';\nexport async function resolve(specifier, context, next) { writeSync(2, 'LOAD ' + specifier + '\\n'); return next(specifier, context); }\n",
  );
  await writeFile(
    join(dir, 'register.mjs'),
    "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n",
  );
}, 300_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function loadedBy(script: string): Promise<string[]> {
  const { stderr } = await run(
    process.execPath,
    ['--import', join(dir, 'register.mjs'), '--input-type=module', '-e', script],
    {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
    },
  );
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('LOAD '))
    .map((line) => line.slice(5));
}

describe('importing @credkit/temp-creds is cheap', () => {
  it('loads no prompt library and no SDK until a prompt is shown', async () => {
    const loaded = await loadedBy(
      `const m = await import('${join(dir, 'index.js')}'); await import('${join(dir, 'prompter.js')}'); await import('${join(dir, 'errors.js')}');` +
        "m.parseTemporaryCredentials({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }, { source: 'flags' });",
    );
    expect(loaded.some((specifier) => specifier.endsWith('index.js'))).toBe(true);
    const heavy = loaded.filter((specifier) => /^@inquirer\/|^@aws-sdk\/|^@smithy\//.test(specifier));
    expect(heavy).toEqual([]);
    // Temporary credentials are never written to disk: nothing on this path can even open a file.
    expect(loaded.filter((specifier) => /^(node:)?fs(\/|$)/.test(specifier))).toEqual([]);
  });

  it('loads inquirer once a prompt is actually shown (the check above can see it)', async () => {
    const loaded = await loadedBy(
      `const { createTerminalPrompter } = await import('${join(dir, 'prompter.js')}');` +
        "const { PassThrough } = await import('node:stream'); const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode() {} });" +
        'const p = createTerminalPrompter({ input, output: new PassThrough() }).input({ message: "Q?" }); setTimeout(() => input.end(), 50); await p.catch(() => {});',
    );
    expect(loaded).toContain('@inquirer/prompts');
  });
});
