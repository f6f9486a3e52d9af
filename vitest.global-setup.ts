import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

/**
 * Every package's test run gets a private, empty TMPDIR (test workers and the children they spawn
 * with the inherited environment create their temp dirs there). At the end it must be empty again:
 * a temp dir a test file forgot, also when that test failed, fails the run (exit code 1) by name.
 * Whatever was left is removed so the machine's temp dir does not fill up across runs.
 */
const COMPILE_CACHE = 'credkit-compile-cache';

export function setup(): () => void {
  const outer = tmpdir();
  const dir = mkdtempSync(join(outer, `credkit-vitest-${basename(process.cwd())}-`));
  // Like /tmp itself: tests that run the CLI as another user (nobody) must reach their files here.
  chmodSync(dir, 0o1777);
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  // The built CLI keeps V8's compiled code of its files in the user's cache directory; a CLI the
  // tests start with the inherited environment (not a test home of its own) keeps it here instead.
  const previousCache = process.env.CREDKIT_COMPILE_CACHE;
  process.env.CREDKIT_COMPILE_CACHE ??= join(dir, COMPILE_CACHE);
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    if (previousCache === undefined) delete process.env.CREDKIT_COMPILE_CACHE;
    else process.env.CREDKIT_COMPILE_CACHE = previousCache;
    // Node >= 22 keeps its module compile cache (turned on by npm and other tools) in the temp dir on
    // purpose; it is no test's leftover.
    const left = readdirSync(dir).filter((name) => name !== 'node-compile-cache' && name !== COMPILE_CACHE);
    rmSync(dir, { recursive: true, force: true });
    if (left.length > 0) {
      // vitest only logs an error thrown here and still exits 0, so the exit code is set instead.
      process.stderr.write(
        `\nFAIL: tests left ${left.length} entr${left.length === 1 ? 'y' : 'ies'} in their temp dir (removed now): ${left.slice(0, 10).join(', ')}\n`,
      );
      process.exitCode = 1;
    }
  };
}
