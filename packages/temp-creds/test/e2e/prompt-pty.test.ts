import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import type { IPty } from '@lydell/node-pty';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const pty = require('@lydell/node-pty') as typeof import('@lydell/node-pty');

const KEY = 'ASIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const TOKEN = 'IQoJb3JpZ2luX2VjEHUaCXVzLWVhc3QtMSJHMEUCIQDexampleTOKEN';
const sha = (value: string): string => createHash('sha256').update(value).digest('hex').slice(0, 16);

let dir: string;
let driver: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'credkit-temp-creds-pty-'));
  driver = join(dir, 'driver.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./driver.ts', import.meta.url))],
    outfile: driver,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'silent',
    // inquirer's CommonJS dependencies call require() for node built-ins.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
}, 300_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Session {
  text(): string;
  raw(): string;
  type(text: string): Promise<void>;
  waitFor(pattern: string | RegExp): Promise<void>;
  /** Waits for the closing line (all of `stty -a` is on screen), then ends the terminal. */
  finish(): Promise<void>;
}

const END = 'stty-done';
/** Terminals not finished yet: a test that failed half-way leaves no shell or sleep behind. */
const live = new Set<IPty>();
afterEach(() => {
  for (const term of live) term.kill();
  live.clear();
});

/**
 * Runs the driver in a real terminal, then `stty -a` in the same terminal to see what it left. The
 * shell then prints a closing line and stays (as `sleep`, killed by finish()): a terminal whose last
 * process is gone can drop output not read yet, which lost the `stty -a` lines on a loaded machine
 * (the CLI's pty helper does the same).
 */
function start(): Session {
  const command = `'${process.execPath}' '${driver}'; echo "driver-exit=$?"; stty -a; echo "${END}=$?"; exec sleep 60`;
  const term: IPty = pty.spawn('/bin/sh', ['-c', command], {
    name: 'xterm-256color',
    cols: 120,
    rows: 40,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: 'xterm-256color' },
  });
  live.add(term);
  let buffer = '';
  term.onData((data) => {
    buffer += data;
  });
  const exited = new Promise<void>((resolve) => term.onExit(() => resolve()));
  const session: Session = {
    raw: () => buffer,
    text: () => stripVTControlCharacters(buffer),
    async type(text) {
      for (const char of text) {
        term.write(char);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    },
    async waitFor(pattern) {
      const started = Date.now();
      const found = (): boolean =>
        typeof pattern === 'string' ? session.text().includes(pattern) : pattern.test(session.text());
      while (!found()) {
        if (Date.now() - started > 30_000)
          throw new Error(`Timed out waiting for ${pattern}:\n${session.text()}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    },
    async finish() {
      await session.waitFor(new RegExp(`${END}=\\d+\\r?\\n`));
      term.kill();
      live.delete(term);
      await exited;
    },
  };
  return session;
}

/** `stty -a` lists `echo`/`icanon` when set and `-echo`/`-icanon` when cleared. */
function expectCookedMode(text: string): void {
  expect(text).toContain('RAW false');
  const settings = text.slice(text.indexOf('driver-exit='));
  expect(settings).toMatch(/(^|\s)echo(\s|$)/m);
  expect(settings).toMatch(/(^|\s)icanon(\s|$)/m);
  expect(settings).not.toMatch(/\s-echo\s/);
}

describe('promptTemporaryCredentials in a real terminal', () => {
  it('takes the three answers with the secret and token never on screen, and leaves the terminal cooked', async () => {
    const session = start();
    await session.waitFor("What's your AWS Access Key ID?");
    await session.type(`${KEY}\r`);
    await session.waitFor("What's your AWS Secret Access Key?");
    await session.type(`${SECRET}\r`);
    await session.waitFor("What's your AWS Session Token?");
    await session.type(`${TOKEN}\r`);
    await session.finish();
    expect(session.text()).toContain(`RESULT key=${KEY} secret=${sha(SECRET)} token=${sha(TOKEN)}`);
    expect(session.text()).toContain('driver-exit=0');
    // Neither inquirer nor the terminal's own echo may have drawn a secret character sequence.
    expect(session.raw()).not.toContain('EXAMPLEKEY');
    expect(session.raw()).not.toContain('exampleTOKEN');
    expectCookedMode(session.text());
  });

  for (const [name, keys, code, exit] of [
    ['Ctrl-C', '\x03', 'PROMPT_CANCELLED', 130],
    ['Escape', '\x1b', 'PROMPT_CANCELLED', 130],
    ['Ctrl-D', '\x04', 'PROMPT_CANCELLED', 130],
  ] as const) {
    it(`${name} at the secret prompt ends with ${code} (exit ${exit}) and restores the terminal`, async () => {
      const session = start();
      await session.waitFor("What's your AWS Access Key ID?");
      await session.type(`${KEY}\r`);
      await session.waitFor("What's your AWS Secret Access Key?");
      await session.type(`wJalr${keys}`);
      await session.finish();
      expect(session.text()).toContain(`ERROR ${code}`);
      expect(session.text()).toContain(`driver-exit=${exit}`);
      expect(session.raw()).not.toContain('wJalr');
      expectCookedMode(session.text());
    });
  }
});
