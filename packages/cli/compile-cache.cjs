// The loader of the built CLI's own files, with V8's code cache. build.mjs puts this file at the
// top of dist/credkit.js; the entry then loads every other file of dist/ (fast.js, chunks/*.js)
// through it instead of `require`. Compiling the ~200 KB of JavaScript a command runs is the
// largest part of credkit's start-up over bare Node; with the code V8 compiled on an earlier run
// read back from a cache file, most of that work is skipped. Node 22 has `module.enableCompileCache`
// for the same purpose; Node 20 has not, and one path on every supported version is simpler.
//
// - The cache lives in `$CREDKIT_COMPILE_CACHE` (an absolute directory; `0` turns it off),
//   `$XDG_CACHE_HOME/credkit/v8`, or the platform's cache directory (`~/.cache/credkit/v8`). Node's
//   own switch, `NODE_DISABLE_COMPILE_CACHE`, turns it off too.
// - A cache file is named after the dist file, its size and modification time, credkit's version
//   and V8's version, so an upgraded or rebuilt file never meets an old cache (V8 itself only
//   compares the length of the source). A changed file's old cache files are removed when its new
//   one is written.
// - It holds compiled code of credkit's own files, nothing the process read or computed. It is
//   written once, when a file had no usable cache, at exit (after the command's output), in a
//   0700 directory as a 0600 file, by rename. A cache file that another user owns or others may
//   write is ignored: loading it would run code they wrote. Any failure to read or write the cache
//   only means compiling as Node would; it is never reported.
//
// Files loaded here get a `require` that sends relative paths back to this loader, so each file of
// dist/ is loaded once in a process and its modules exist once, whoever requires them.
'use strict';

/**
 * The directory for the cache files, or undefined when the cache is off.
 * @param {Record<string, string | undefined>} env
 * @param {string} platform
 * @param {string} home
 * @param {{ isAbsolute(p: string): boolean, join(...p: string[]): string }} path
 */
function cacheDirectory(env, platform, home, path) {
  const setting = env.CREDKIT_COMPILE_CACHE;
  if (setting === '0' || (env.NODE_DISABLE_COMPILE_CACHE ?? '') !== '') return undefined;
  if (setting !== undefined && setting !== '') return path.isAbsolute(setting) ? setting : undefined;
  if (env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME))
    return path.join(env.XDG_CACHE_HOME, 'credkit', 'v8');
  if (!home) return undefined;
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'credkit', 'v8');
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA || path.join(home, 'AppData', 'Local');
    return path.join(local, 'credkit', 'cache', 'v8');
  }
  return path.join(home, '.cache', 'credkit', 'v8');
}

/**
 * @param {object} o
 * @param {string} o.root the dist/ directory
 * @param {string} o.entry the entry's file name in root (its module is `o.entryModule`)
 * @param {{ exports: unknown }} o.entryModule
 * @param {(id: string) => unknown} o.nodeRequire for built-in modules
 * @param {string | undefined} o.cacheDir
 * @param {string} o.version credkit's version
 * @param {typeof import('node:fs')} o.fs
 * @param {typeof import('node:path')} o.path
 * @param {typeof import('node:vm')} o.vm
 */
function createLoader(o) {
  const { fs, path, vm } = o;
  /** @type {Record<string, { exports: unknown }>} */
  const loaded = Object.create(null);
  loaded[path.join(o.root, o.entry)] = o.entryModule;
  /** Scripts compiled without a usable cache: [script, cache file, the file's cache prefix]. */
  const unsaved = [];
  const stats = { fromCache: [], compiled: [], written: [] };
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;

  function readCache(file) {
    let fd;
    try {
      fd = fs.openSync(file, 'r');
      const st = fs.fstatSync(fd);
      if (!st.isFile() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o022) !== 0) return undefined;
      const data = Buffer.allocUnsafe(st.size);
      return fs.readSync(fd, data, 0, st.size, 0) === st.size ? data : undefined;
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  }

  /** Loads `file` (absolute, inside root) once; returns its exports. */
  function load(file) {
    const known = loaded[file];
    if (known !== undefined) return known.exports;
    const source = fs.readFileSync(file, 'utf8');
    const name = path.relative(o.root, file).replace(/[\\/]/g, '_');
    let cacheFile;
    let prefix;
    let data;
    if (o.cacheDir !== undefined) {
      const st = fs.statSync(file);
      prefix = `${name}-`;
      cacheFile = path.join(
        o.cacheDir,
        `${prefix}${o.version}-${st.size}-${Math.trunc(st.mtimeMs)}-v8-${process.versions.v8}-${process.arch}.bin`,
      );
      data = readCache(cacheFile);
    }
    const script = new vm.Script(
      `(function (exports, require, module, __filename, __dirname) {${source}\n})`,
      {
        filename: file,
        cachedData: data,
      },
    );
    if (data !== undefined && script.cachedDataRejected === false) stats.fromCache.push(name);
    else {
      stats.compiled.push(name);
      if (cacheFile !== undefined) unsaved.push([script, cacheFile, prefix]);
    }
    const dir = path.dirname(file);
    const module = { exports: {}, filename: file, id: file, loaded: false };
    const requireHere = (id) =>
      id.startsWith('./') || id.startsWith('../') ? load(path.resolve(dir, id)) : o.nodeRequire(id);
    loaded[file] = module;
    try {
      script.runInThisContext().call(module.exports, module.exports, requireHere, module, file, dir);
    } catch (error) {
      delete loaded[file];
      throw error;
    }
    module.loaded = true;
    return module.exports;
  }

  /** Writes the cache of every file compiled without one. Called at exit; never throws. */
  function save() {
    if (unsaved.length === 0) return;
    try {
      fs.mkdirSync(o.cacheDir, { recursive: true, mode: 0o700 });
    } catch {
      return;
    }
    let names;
    for (const [script, cacheFile, prefix] of unsaved.splice(0)) {
      const temp = `${cacheFile}.${process.pid}.tmp`;
      try {
        fs.writeFileSync(temp, script.createCachedData(), { mode: 0o600, flag: 'wx' });
        fs.renameSync(temp, cacheFile);
        stats.written.push(path.basename(cacheFile));
        names ??= fs.readdirSync(o.cacheDir);
        for (const old of names) {
          if (old.startsWith(prefix) && old.endsWith('.bin') && old !== path.basename(cacheFile)) {
            fs.rmSync(path.join(o.cacheDir, old), { force: true });
          }
        }
      } catch {
        try {
          fs.rmSync(temp, { force: true });
        } catch {}
      }
    }
  }

  return { load, save, stats };
}

module.exports = { cacheDirectory, createLoader };
