import { spawn } from 'node:child_process';
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileMetadataStore, resolveAppName, resolveStoreDir, validateEnvName } from './index.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'credkit-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const env = (name: string) => ({
  name,
  account: '111111111111',
  region: 'us-east-1',
  credentialSource: `profile ${name}`,
  createdAt: '2026-11-27T00:00:00.000Z',
});

describe('FileMetadataStore', () => {
  it('reads nothing for an unknown app and writes 0600 files in a 0700 directory', async () => {
    const store = new FileMetadataStore(join(dir, 'home'));
    expect(await store.readApp('web')).toBeUndefined();
    await store.updateApp('web', (app) => ({ ...app, account: '111111111111', environments: [env('prod')] }));
    const file = join(dir, 'home', 'apps', 'web.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'home'))).mode & 0o777).toBe(0o700);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({
      version: 1,
      app: 'web',
      account: '111111111111',
    });
    expect((await store.readApp('web'))?.environments.map((e) => e.name)).toEqual(['prod']);
    // No temp or lock file is left behind.
    expect(await readdir(join(dir, 'home', 'apps'))).toEqual(['web.json']);
  });

  it('per-environment operations: create unless exists, get, list, delete one', async () => {
    const store = new FileMetadataStore(dir);
    const pin = { account: '999999999999', arn: 'arn:aws:iam::999999999999:user/a', source: 'profile a' };
    expect(await store.createEnvironment('web', env('prod'), pin)).toEqual({
      created: true,
      environment: env('prod'),
    });
    expect(await store.createEnvironment('web', env('dev'), pin)).toMatchObject({ created: true });
    expect(await store.createEnvironment('web', { ...env('prod'), createdAt: 'later' }, pin)).toEqual({
      created: false,
      environment: env('prod'),
    });
    await expect(
      store.createEnvironment('web', { ...env('prod'), region: 'eu-west-1' }, pin),
    ).rejects.toMatchObject({
      code: 'ENV_EXISTS',
      message: expect.stringMatching(
        /^Environment "prod" of app "web" is already recorded with account 111111111111 and region us-east-1/,
      ),
    });
    await expect(
      store.createEnvironment('web', env('qa'), { ...pin, account: '888888888888' }),
    ).rejects.toMatchObject({ code: 'APP_ACCOUNT_MISMATCH' });
    expect(await store.getApp('web')).toEqual({
      app: 'web',
      account: pin.account,
      pinnedBy: { arn: pin.arn, source: pin.source },
    });
    expect((await store.listEnvironments('web')).map((e) => e.name)).toEqual(['dev', 'prod']);
    expect(await store.getEnvironment('web', 'dev')).toEqual(env('dev'));
    expect(await store.deleteEnvironment('web', 'dev')).toBe(true);
    expect(await store.deleteEnvironment('web', 'dev')).toBe(false);
    expect((await store.listEnvironments('web')).map((e) => e.name)).toEqual(['prod']);
    expect(await store.listEnvironments('none')).toEqual([]);
  });

  it('leaves the file untouched when the update returns undefined', async () => {
    const store = new FileMetadataStore(dir);
    await store.updateApp('web', () => undefined);
    expect(await store.readApp('web')).toBeUndefined();
  });

  it('never replaces a corrupt file and names it', async () => {
    const store = new FileMetadataStore(dir);
    await mkdir(join(dir, 'apps'));
    const file = join(dir, 'apps', 'web.json');
    await writeFile(file, '{"version":1, "app": "web", "environments": [');
    await expect(store.readApp('web')).rejects.toMatchObject({
      code: 'STORE_CORRUPT',
      message: expect.stringContaining(`The credkit metadata file ${file} is corrupt`),
    });
    await expect(store.updateApp('web', (a) => a)).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    expect(await readFile(file, 'utf8')).toBe('{"version":1, "app": "web", "environments": [');
  });

  it('never quotes the file content in the error (it could hold a pasted secret)', async () => {
    await mkdir(join(dir, 'apps'));
    await writeFile(
      join(dir, 'apps', 'web.json'),
      '{\n  "version": 1,\n  wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n}',
    );
    const read = new FileMetadataStore(dir).readApp('web');
    await expect(read).rejects.toMatchObject({
      name: 'CredkitError',
      message: expect.stringMatching(/not valid JSON \(line 3, column 3\)/),
    });
    await expect(read).rejects.toMatchObject({ message: expect.not.stringContaining('wJalr') });
  });

  it.each([
    ['[]', 'not a JSON object'],
    ['{"app":"web","environments":[]}', 'no "version"'],
    ['{"version":1,"app":"api","environments":[]}', 'records "api"'],
    ['{"version":1,"app":"web","environments":{}}', 'not an array'],
    ['{"version":1,"app":"web","environments":[{"name":"x"}]}', 'environment #1'],
  ])('rejects %s as corrupt', async (text, why) => {
    await mkdir(join(dir, 'apps'));
    await writeFile(join(dir, 'apps', 'web.json'), text);
    await expect(new FileMetadataStore(dir).readApp('web')).rejects.toMatchObject({
      name: 'CredkitError',
      message: expect.stringContaining(why),
    });
  });

  it('refuses a newer schema version', async () => {
    await mkdir(join(dir, 'apps'));
    await writeFile(join(dir, 'apps', 'web.json'), '{"version":2,"app":"web","environments":[]}');
    await expect(new FileMetadataStore(dir).readApp('web')).rejects.toMatchObject({
      code: 'STORE_VERSION_UNSUPPORTED',
    });
  });

  it('refuses a symlink planted at the record path', async () => {
    await mkdir(join(dir, 'apps'));
    await writeFile(join(dir, 'elsewhere.json'), '{}');
    await symlink(join(dir, 'elsewhere.json'), join(dir, 'apps', 'web.json'));
    const store = new FileMetadataStore(dir);
    await expect(store.readApp('web')).rejects.toMatchObject({ code: 'STORE_SYMLINK' });
    await expect(store.updateApp('web', (a) => a)).rejects.toMatchObject({ code: 'STORE_SYMLINK' });
    expect((await lstat(join(dir, 'apps', 'web.json'))).isSymbolicLink()).toBe(true);
  });

  it('reports a record that is a directory, and a store path that is a file', async () => {
    await mkdir(join(dir, 'apps', 'web.json'), { recursive: true });
    await expect(new FileMetadataStore(dir).readApp('web')).rejects.toMatchObject({
      code: 'STORE_NOT_A_FILE',
    });
    await writeFile(join(dir, 'plain'), '');
    await expect(new FileMetadataStore(join(dir, 'plain')).updateApp('web', (a) => a)).rejects.toMatchObject({
      code: 'STORE_NOT_A_DIRECTORY',
    });
  });

  it.skipIf(process.getuid?.() === 0)(
    'reports unreadable and unwritable records with their path',
    async () => {
      const store = new FileMetadataStore(dir);
      await store.updateApp('web', (a) => a);
      await chmod(join(dir, 'apps', 'web.json'), 0o000);
      await expect(store.readApp('web')).rejects.toMatchObject({
        code: 'STORE_UNREADABLE',
        message: expect.stringMatching(/.*web\.json/),
      });
      await chmod(join(dir, 'apps', 'web.json'), 0o600);
      await chmod(join(dir, 'apps'), 0o500);
      await expect(store.updateApp('web', (a) => a)).rejects.toMatchObject({ code: 'STORE_NOT_WRITABLE' });
      await chmod(join(dir, 'apps'), 0o700);
    },
  );

  it('loses no update when two processes write at once', async () => {
    // Real processes, each doing 15 read-modify-write cycles on the same record. The store is
    // bundled to plain JS first (Node 20 cannot run TypeScript).
    const bundle = join(dir, 'store.mjs');
    await build({
      entryPoints: [new URL('./index.ts', import.meta.url).pathname],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      format: 'esm',
      conditions: ['source'],
      logLevel: 'silent',
    });
    const script = `
      const { FileMetadataStore } = await import(${JSON.stringify(bundle)});
      const store = new FileMetadataStore(process.argv[1]);
      for (let i = 0; i < 15; i++) {
        await store.updateApp('web', (app) => ({ ...app, environments: [...app.environments, {
          name: process.argv[2] + i, account: '1', region: 'r', credentialSource: 'temporary', createdAt: '' }] }));
      }`;
    const runOne = (tag: string) =>
      new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', script, join(dir, 'home'), tag], {
          stdio: 'inherit',
        });
        child.on('exit', resolve);
      });
    expect(await Promise.all([runOne('a'), runOne('b')])).toEqual([0, 0]);
    const names = (await new FileMetadataStore(join(dir, 'home')).readApp('web'))!.environments.map(
      (e) => e.name,
    );
    expect(names).toHaveLength(30);
  });
});

describe('locations and names', () => {
  it('resolves the store directory', () => {
    expect(resolveStoreDir({ CREDKIT_HOME: '/c', XDG_CONFIG_HOME: '/x', HOME: '/h' })).toBe('/c');
    expect(resolveStoreDir({ XDG_CONFIG_HOME: '/x', HOME: '/h' })).toBe('/x/credkit');
    expect(resolveStoreDir({ XDG_CONFIG_HOME: 'relative', HOME: '/h' })).toBe('/h/.config/credkit');
    expect(resolveStoreDir({ HOME: '/h' })).toBe('/h/.config/credkit');
  });

  it('resolves the app name from --app, CREDKIT_APP, then the directory', () => {
    expect(resolveAppName('api', { CREDKIT_APP: 'web' }, '/src/site')).toBe('api');
    expect(resolveAppName(undefined, { CREDKIT_APP: 'web' }, '/src/site')).toBe('web');
    expect(resolveAppName(undefined, {}, '/src/site')).toBe('site');
    expect(() => resolveAppName('../etc', {}, '/')).toThrow(/Invalid application name/);
    expect(() => resolveAppName(undefined, {}, '/')).toThrow(/current directory name/);
  });

  it('validates environment names', () => {
    expect(validateEnvName('prod-iad')).toBe('prod-iad');
    expect(() => validateEnvName('1prod')).toThrow(/Invalid environment name/);
    expect(() => validateEnvName('a/b')).toThrow(/Invalid environment name/);
  });
});
