import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { tempAwsHomes } from '@credkit/loopback-aws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/commands/index.js';

const cliDir = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);
const tempHome = tempAwsHomes(afterEach);

interface Built {
  /** Output file (path in dist/) -> the source modules it holds. */
  outputs: Record<string, Record<string, { bytesInOutput: number }>>;
  fast: string[];
  packs: Record<string, string>;
}

// A build of its own, unminified (class names kept), into a temp dir: dist/ stays untouched.
let dir: string;
let out: string;
let built: Built;
let files: Map<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'credkit-build-'));
  out = join(dir, 'dist');
  await run(process.execPath, ['build.mjs'], {
    cwd: cliDir,
    env: {
      ...process.env,
      CREDKIT_BUILD_MINIFY: '0',
      CREDKIT_BUILD_OUTDIR: out,
      CREDKIT_BUILD_METAFILE: join(dir, 'meta.json'),
    },
    timeout: 120_000,
  });
  built = JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')) as Built;
  files = new Map();
  for (const entry of await readdir(out, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(out, path), await readFile(path, 'utf8'));
  }
}, 180_000);

afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('the built CLI', () => {
  it('bundles every source module into exactly one output file', () => {
    const placed = new Map<string, string[]>();
    for (const [output, inputs] of Object.entries(built.outputs)) {
      for (const [input, { bytesInOutput }] of Object.entries(inputs)) {
        if (bytesInOutput === 0) continue;
        placed.set(input, [...(placed.get(input) ?? []), output]);
      }
    }
    const twice = [...placed].filter(([, outputs]) => outputs.length > 1);
    expect(twice).toEqual([]);
    expect([...placed.keys()].some((input) => input.endsWith('temp-creds/src/errors/index.ts'))).toBe(true);
  });

  it('writes every output file once: as its own file or inside one pack', () => {
    // The CLI's own code (esbuild's credkit.js) is the `main()` of the pack main.js; dist/credkit.js
    // is only the loader that starts it.
    expect(built.packs['credkit.js']).toBe('main.js');
    expect(files.get('main.js')).toContain('exports.main = function () {');
    expect(files.get('credkit.js')?.length).toBeLessThan(10_000);
    for (const name of Object.keys(built.outputs)) {
      if (name === 'credkit.js') continue;
      const pack = built.packs[name];
      const own = files.has(name) ? 1 : 0;
      const packed = [...files.values()].filter((text) =>
        text.includes(`${JSON.stringify(name)}: function (`),
      );
      if (pack === undefined || pack === name) {
        expect({ name, own, packed: packed.length }).toEqual({ name, own: 1, packed: 0 });
      } else {
        expect({ name, own, packed: packed.length }).toEqual({ name, own: 0, packed: 1 });
      }
    }
  });

  it('builds the same files every time (esbuild loads files concurrently; the split must not depend on it)', async () => {
    const again = join(dir, 'again');
    await run(process.execPath, ['build.mjs'], {
      cwd: cliDir,
      env: { ...process.env, CREDKIT_BUILD_MINIFY: '0', CREDKIT_BUILD_OUTDIR: again },
      timeout: 120_000,
    });
    const second = new Map<string, string>();
    for (const entry of await readdir(again, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
      const path = join(entry.parentPath, entry.name);
      second.set(relative(again, path), await readFile(path, 'utf8'));
    }
    expect([...second.keys()].sort()).toEqual([...files.keys()].sort());
    for (const [name, text] of files) expect(second.get(name) === text, name).toBe(true);
  });

  it('defines CredkitError once', () => {
    // esbuild prints `class CredkitError extends Error` as `var CredkitError = class extends Error`.
    const definition = /\bclass CredkitError\b|\bCredkitError = class\b/g;
    const count = [...files.values()].reduce((n, text) => n + (text.match(definition)?.length ?? 0), 0);
    expect(count).toBe(1);
  });

  it('packs the modules of the commands the command table marks fast into fast.js', () => {
    const fast = COMMANDS.filter((c) => c.fast === true).map((c) => c.name);
    expect(fast).toEqual(expect.arrayContaining(['export', 'profiles', 'app whoami', 'env ls']));
    expect(built.fast.length).toBeGreaterThan(0);
    for (const source of built.fast) {
      const [output] = Object.entries(built.outputs).find(([, inputs]) => source in inputs) ?? [];
      expect(output, source).toBeDefined();
      expect(built.packs[output as string]).toBe('fast.js');
    }
  });

  it('never starts the ESM loader for its own files: no import() of a relative path is left', () => {
    const left = [...files]
      .filter(([, text]) => /\bimport\(\s*["']\.{1,2}\//.test(text))
      .map(([name]) => name);
    expect(left).toEqual([]);
  });

  it('runs from the temp dir', async () => {
    const { stdout } = await run(process.execPath, [join(out, 'credkit.js'), '--version'], {
      timeout: 60_000,
    });
    expect(stdout).toMatch(/^credkit \d+\.\d+\.\d+/);
  });

  it('keeps the code V8 compiled for its files in the user cache directory and reuses it', async () => {
    const home = (await tempHome()).dir;
    const env = { PATH: process.env.PATH ?? '', HOME: home };
    const cli = join(out, 'credkit.js');
    const first = await run(process.execPath, [cli, '--help'], { env, timeout: 60_000 });
    const cache = join(home, '.cache/credkit/v8');
    const written = (await readdir(cache)).sort();
    // The entry pack (main.js) and nothing for the files --help never loads.
    expect(written).toEqual([expect.stringMatching(/^main\.js-\d+\.\d+\.\d+-\d+-\d+-v8-.+\.bin$/)]);
    expect((await stat(cache)).mode & 0o777).toBe(0o700);
    const before = await stat(join(cache, written[0]!));
    expect(before.mode & 0o777).toBe(0o600);
    const second = await run(process.execPath, [cli, '--help'], { env, timeout: 60_000 });
    expect(second.stdout).toBe(first.stdout);
    // Used, not rewritten: V8 accepted it.
    const after = await stat(join(cache, written[0]!));
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    // Off: nothing more is written.
    await run(process.execPath, [cli, 'profiles'], {
      env: { ...env, CREDKIT_COMPILE_CACHE: '0' },
      timeout: 60_000,
    });
    expect((await readdir(cache)).sort()).toEqual(written);
  });

  it('prints static keys and its warning without loading node:crypto, node:stream or any AWS SDK module', async () => {
    // Start-up is the budget of `export`: node:crypto (with node:stream) is a tenth of it. The
    // preload reports which built-in and package modules the process loaded by the time it exits.
    const { dir: home } = await tempHome({
      config:
        '[profile static]\nregion = us-east-1\n[profile role]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = static\n',
      credentials:
        '[static]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n',
    });
    const preload = join(home, 'loaded.cjs');
    await writeFile(
      preload,
      "process.on('exit', () => { const t = 'LOADED ' + JSON.stringify({ builtins: process.moduleLoadList, files: Object.keys(require.cache) }) + '\\n'; require('node:fs').writeSync(2, t); });\n",
    );
    const { stdout, stderr } = await run(
      process.execPath,
      ['--require', preload, join(out, 'credkit.js'), 'export', '--profile', 'static', '--format', 'env'],
      { env: { PATH: process.env.PATH ?? '', HOME: home }, timeout: 60_000 },
    );
    expect(stdout).toContain('AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE');
    const line = stderr.split('\n').find((l) => l.startsWith('LOADED '));
    const loaded = JSON.parse(line?.slice('LOADED '.length) ?? '{}') as {
      builtins: string[];
      files: string[];
    };
    expect(loaded.builtins).not.toContain('NativeModule crypto');
    // stdout and stderr are pipes here: text goes out with writeSync, no stream is created.
    expect(loaded.builtins).not.toContain('NativeModule stream');
    expect(loaded.files.filter((f) => f.includes('node_modules'))).toEqual([]);
  });
});
