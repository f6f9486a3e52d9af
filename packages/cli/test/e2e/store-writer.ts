/**
 * A light real-process writer for test/e2e/store-faults.test.ts: the store code credkit runs
 * (FileMetadataStore, withLock), without the CLI's start-up and STS calls, so hundreds of processes
 * fit in a CI run. Bundled to plain JS by the test (Node 20 cannot run TypeScript).
 *
 *   hold  <storeDir> <app>                   take the lock, print "held", wait to be killed
 *   write <storeDir> <app> <prefix> <count>  print "ready", then add environments <prefix>-0...,
 *                                            printing "ok <name>" after each one is stored
 */
import { mkdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { isCredkitError } from '@credkit/temp-creds/errors';
import { FileMetadataStore, withLock } from '../../src/store/index.js';

const [mode, storeDir, app, prefix, count] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
];
// A generous wait per holder: on a loaded 2-core machine one starved holder can keep the lock for
// more than the default 10 s, and this test is about lost writes, not about the wait.
const store = new FileMetadataStore(storeDir, { timeoutMs: 120_000 });
const say = (line: string) => writeSync(1, `${line}\n`);

try {
  if (mode === 'hold') {
    mkdirSync(join(storeDir, 'apps'), { recursive: true, mode: 0o700 });
    await withLock(join(storeDir, 'apps', `${app}.json`), async () => {
      say('held');
      await new Promise(() => setInterval(() => {}, 60_000));
    });
  } else {
    say('ready');
    for (let i = 0; i < Number(count); i++) {
      const name = `${prefix}-${i}`;
      await store.updateApp(app, (current) => ({
        ...current,
        environments: [
          ...current.environments,
          {
            name,
            account: '222222222222',
            region: 'us-east-1',
            credentialSource: 'temporary',
            createdAt: '',
          },
        ],
      }));
      say(`ok ${name}`);
    }
  }
} catch (error) {
  writeSync(2, `error ${isCredkitError(error) ? error.code : String(error)}\n`);
  process.exitCode = 1;
}
