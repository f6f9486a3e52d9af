import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as vm from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// compile-cache.cjs is plain CommonJS that build.mjs puts at the top of dist/credkit.js; tested
// here on real files, with the real node:vm and V8's real code cache.
interface Loader {
  load(file: string): unknown;
  save(): void;
  stats: { fromCache: string[]; compiled: string[]; written: string[] };
}
const { cacheDirectory, createLoader } = createRequire(import.meta.url)('../compile-cache.cjs') as {
  cacheDirectory(
    env: Record<string, string | undefined>,
    platform: string,
    home: string,
    p: typeof path,
  ): string | undefined;
  createLoader(o: Record<string, unknown>): Loader;
};

let dir: string;
let root: string;
let cacheDir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'credkit-compile-cache-'));
  root = path.join(dir, 'dist');
  cacheDir = path.join(dir, 'cache', 'credkit', 'v8');
  await mkdir(root);
  await writeFile(path.join(root, 'credkit.js'), '');
  await writeFile(
    path.join(root, 'a.js'),
    "globalThis.__loads = (globalThis.__loads ?? 0) + 1; const b = require('./sub/b.js'); exports.answer = b.twice(21); exports.sep = require('node:path').sep;",
  );
  await mkdir(path.join(root, 'sub'));
  await writeFile(
    path.join(root, 'sub/b.js'),
    "exports.twice = (n) => n * 2; exports.entry = require('../credkit.js');",
  );
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  delete (globalThis as { __loads?: number }).__loads;
});

// Each load runs in a child process of its own, as each credkit run does: within one process V8
// keeps what it compiled in memory and would never look at the cache file.
const run = promisify(execFile);
const loaderPath = new URL('../compile-cache.cjs', import.meta.url).pathname;
async function loadInChild(file: string, cache: string | null = cacheDir) {
  const script = `
    const { createLoader } = require(${JSON.stringify(loaderPath)});
    const loader = createLoader({
      root: ${JSON.stringify(root)}, entry: 'credkit.js', entryModule: { exports: { isEntry: true } },
      nodeRequire: require, cacheDir: ${JSON.stringify(cache)} ?? undefined, version: '1.2.3',
      fs: require('node:fs'), path: require('node:path'), vm: require('node:vm'),
    });
    let exported;
    try { exported = loader.load(${JSON.stringify(path.join(root, file))}); } catch (e) { exported = { threw: e.message }; }
    loader.save();
    process.stdout.write(JSON.stringify({ exported, stats: loader.stats }));`;
  const { stdout } = await run(process.execPath, ['-e', script], { timeout: 60_000 });
  return JSON.parse(stdout) as { exported: Record<string, unknown>; stats: Loader['stats'] };
}
const entryModule = { exports: { isEntry: true } };
const loader = (over: Record<string, unknown> = {}) =>
  createLoader({
    root,
    entry: 'credkit.js',
    entryModule,
    nodeRequire: createRequire(import.meta.url),
    cacheDir,
    version: '1.2.3',
    fs,
    path,
    vm,
    ...over,
  });
const cacheFiles = async () => (await readdir(cacheDir).catch(() => [])).sort();

describe('cacheDirectory', () => {
  const p = path.posix;
  it('is off with CREDKIT_COMPILE_CACHE=0 or NODE_DISABLE_COMPILE_CACHE, and takes an absolute CREDKIT_COMPILE_CACHE', () => {
    expect(cacheDirectory({ CREDKIT_COMPILE_CACHE: '0' }, 'linux', '/home/u', p)).toBeUndefined();
    expect(cacheDirectory({ NODE_DISABLE_COMPILE_CACHE: '1' }, 'linux', '/home/u', p)).toBeUndefined();
    expect(cacheDirectory({ CREDKIT_COMPILE_CACHE: '/var/c' }, 'linux', '/home/u', p)).toBe('/var/c');
    // A relative directory would depend on where credkit is run from.
    expect(cacheDirectory({ CREDKIT_COMPILE_CACHE: 'c' }, 'linux', '/home/u', p)).toBeUndefined();
  });
  it('follows XDG_CACHE_HOME, then the platform cache directory', () => {
    expect(cacheDirectory({ XDG_CACHE_HOME: '/x' }, 'linux', '/home/u', p)).toBe('/x/credkit/v8');
    expect(cacheDirectory({ XDG_CACHE_HOME: 'rel' }, 'linux', '/home/u', p)).toBe(
      '/home/u/.cache/credkit/v8',
    );
    expect(cacheDirectory({}, 'linux', '/home/u', p)).toBe('/home/u/.cache/credkit/v8');
    expect(cacheDirectory({}, 'darwin', '/Users/u', p)).toBe('/Users/u/Library/Caches/credkit/v8');
    expect(cacheDirectory({ LOCALAPPDATA: '/l' }, 'win32', '/u', p)).toBe('/l/credkit/cache/v8');
    expect(cacheDirectory({}, 'linux', '', p)).toBeUndefined();
  });
});

describe('the loader', () => {
  it('loads each file once, with relative requires coming back to it and the entry as its own module', () => {
    const l = loader();
    const a = l.load(path.join(root, 'a.js')) as { answer: number; sep: string };
    expect(a).toEqual({ answer: 42, sep: path.sep });
    expect(l.load(path.join(root, 'a.js'))).toBe(a);
    const b = l.load(path.join(root, 'sub/b.js')) as { entry: unknown };
    expect(b.entry).toBe(entryModule.exports);
    expect((globalThis as { __loads?: number }).__loads).toBe(1);
    expect(l.stats.compiled).toEqual(['a.js', 'sub_b.js']);
  });

  it('writes the code of files compiled without a cache at save, 0600 in a 0700 directory, and reads it back', async () => {
    const first = await loadInChild('a.js');
    expect(first.exported).toMatchObject({ answer: 42 });
    expect(first.stats.compiled).toEqual(['a.js', 'sub_b.js']);
    const files = await cacheFiles();
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(/^a\.js-1\.2\.3-\d+-\d+-v8-.+\.bin$/);
    expect((await stat(cacheDir)).mode & 0o777).toBe(0o700);
    for (const f of files) expect((await stat(path.join(cacheDir, f))).mode & 0o777).toBe(0o600);

    const second = await loadInChild('a.js');
    expect(second.exported).toMatchObject({ answer: 42 });
    expect(second.stats).toEqual({ fromCache: ['a.js', 'sub_b.js'], compiled: [], written: [] });
  });

  it('saves nothing before save() is called (the entry calls it at exit)', () => {
    const l = loader();
    l.load(path.join(root, 'a.js'));
    expect(fs.existsSync(cacheDir)).toBe(false);
  });

  it('never uses the cache of a changed file, even one of the same length, and drops the old cache file', async () => {
    await loadInChild('a.js');
    const b = path.join(root, 'sub/b.js');
    await writeFile(b, "exports.twice = (n) => n * 3; exports.entry = require('../credkit.js');");
    const later = new Date(Date.now() + 5_000);
    await utimes(b, later, later);
    const second = await loadInChild('a.js');
    expect(second.exported).toMatchObject({ answer: 63 });
    expect(second.stats.fromCache).toEqual(['a.js']);
    expect(second.stats.compiled).toEqual(['sub_b.js']);
    const files = await cacheFiles();
    expect(files.filter((f) => f.startsWith('sub_b.js-'))).toHaveLength(1);
    expect(files.filter((f) => f.startsWith('a.js-'))).toHaveLength(1);
  });

  it('compiles as Node would from a cache file that is garbage, or that others may write, and replaces it', async () => {
    await loadInChild('a.js');
    const [aCache, bCache] = (await cacheFiles()).map((f) => path.join(cacheDir, f));
    await writeFile(aCache!, 'not a code cache');
    await chmod(bCache!, 0o666);
    const second = await loadInChild('a.js');
    expect(second.exported).toMatchObject({ answer: 42 });
    expect(second.stats.compiled).toEqual(['a.js', 'sub_b.js']);
    expect((await stat(bCache!)).mode & 0o777).toBe(0o600);
    const third = await loadInChild('a.js');
    expect(third.stats.fromCache).toEqual(['a.js', 'sub_b.js']);
  });

  it('works without a cache: off, or a cache directory that cannot be created', async () => {
    const off = await loadInChild('a.js', null);
    expect(off.exported).toMatchObject({ answer: 42 });
    expect(off.stats.written).toEqual([]);
    await writeFile(path.join(dir, 'cache'), 'a file where the directory would go');
    const blocked = await loadInChild('a.js');
    expect(blocked.exported).toMatchObject({ answer: 42 });
    expect(blocked.stats.written).toEqual([]);
  });

  it('forgets a file that threw while loading, so a later load runs it again', async () => {
    await writeFile(
      path.join(root, 'bad.js'),
      'globalThis.__loads = (globalThis.__loads ?? 0) + 1; throw new Error("boom");',
    );
    const l = loader();
    expect(() => l.load(path.join(root, 'bad.js'))).toThrow('boom');
    expect(() => l.load(path.join(root, 'bad.js'))).toThrow('boom');
    expect((globalThis as { __loads?: number }).__loads).toBe(2);
  });
});
