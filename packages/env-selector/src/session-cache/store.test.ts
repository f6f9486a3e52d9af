import { execFileSync } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  awsCliTimestamp,
  parseExpiration,
  readSession,
  resolveSessionCache,
  type SessionCache,
  writeSession,
} from './store.js';

const T0 = Date.parse('2026-12-01T10:00:00Z');
let dir: string;
let cache: SessionCache;
let warnings: string[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'credkit-session-cache-'));
  warnings = [];
  cache = { mode: 'aws', dir: join(dir, 'cli', 'cache'), now: () => T0, onWarning: (m) => warnings.push(m) };
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const entry = (expiration: string) => ({
  Credentials: {
    AccessKeyId: 'ASIAEXAMPLEEXAMPLE12',
    SecretAccessKey: 'secret/secret',
    SessionToken: 'token',
    Expiration: expiration,
  },
});

describe('session cache files', () => {
  it('writes 0600 files in a 0700 directory and reads them back while valid beyond 15 minutes', async () => {
    await writeSession(cache, 'k1', entry(awsCliTimestamp(new Date(T0 + 3600_000))));
    expect((await stat(join(cache.dir, 'k1.json'))).mode & 0o777).toBe(0o600);
    expect((await stat(cache.dir)).mode & 0o777).toBe(0o700);
    expect(await readdir(cache.dir)).toEqual(['k1.json']);
    const text = await readFile(join(cache.dir, 'k1.json'), 'utf8');
    expect(text).toContain('"Expiration": "2026-12-01T11:00:00UTC"');
    expect(await readSession(cache, 'k1')).toMatchObject({
      accessKeyId: 'ASIAEXAMPLEEXAMPLE12',
      writtenBy: 'credkit',
    });
    const later = { ...cache, now: () => T0 + 46 * 60_000 };
    expect(await readSession(later, 'k1')).toBeUndefined();
    expect(await readSession(later, 'k1', { ignoreExpiry: true })).toBeDefined();
  });

  it('tightens an AWS CLI directory made with the umask (0755)', async () => {
    await mkdir(cache.dir, { recursive: true, mode: 0o755 });
    await writeSession(cache, 'k1', entry('2026-12-01T11:00:00Z'));
    expect((await stat(cache.dir)).mode & 0o777).toBe(0o700);
  });

  it('ignores corrupt and foreign files, and replaces them on the next write', async () => {
    await mkdir(cache.dir, { recursive: true });
    for (const [key, text] of [
      ['bad', '{not json'],
      ['empty', ''],
      ['array', '[]'],
      [
        'notoken',
        JSON.stringify({
          Credentials: { AccessKeyId: 'A', SecretAccessKey: 'B', Expiration: '2027-01-01T00:00:00Z' },
        }),
      ],
      ['nozone', JSON.stringify(entry('2027-01-01T00:00:00'))],
    ] as const) {
      await writeFile(join(cache.dir, `${key}.json`), text);
      expect(await readSession(cache, key)).toBeUndefined();
    }
    await writeSession(cache, 'bad', entry('2026-12-01T11:00:00Z'));
    expect(await readSession(cache, 'bad')).toBeDefined();
  });

  it('never reads or writes through a symlink', async () => {
    await mkdir(cache.dir, { recursive: true });
    const outside = join(dir, 'outside.json');
    await writeFile(outside, JSON.stringify(entry('2027-01-01T00:00:00Z')));
    await symlink(outside, join(cache.dir, 'link.json'));
    expect(await readSession(cache, 'link')).toBeUndefined();
    await writeSession(cache, 'link', entry('2026-12-01T11:00:00Z'));
    expect((await lstat(join(cache.dir, 'link.json'))).isSymbolicLink()).toBe(false);
    expect(JSON.parse(await readFile(outside, 'utf8')).Credentials.Expiration).toBe('2027-01-01T00:00:00Z');
  });

  it('ignores a named pipe planted as an entry without waiting for a writer', async () => {
    await mkdir(cache.dir, { recursive: true });
    execFileSync('mkfifo', [join(cache.dir, 'fifo.json')]);
    expect(await readSession(cache, 'fifo')).toBeUndefined();
  });

  it('does not write into a cache directory that is a symlink, and says so without failing', async () => {
    const real = join(dir, 'real');
    await mkdir(real);
    await mkdir(join(dir, 'cli'));
    await symlink(real, cache.dir);
    await writeSession(cache, 'k1', entry('2026-12-01T11:00:00Z'));
    expect(await readdir(real)).toEqual([]);
    expect(warnings.join()).toMatch(/Could not cache the session/);
  });

  it('parses every timestamp form the AWS CLI writes', () => {
    const t = Date.parse('2026-12-01T11:00:00Z');
    for (const s of [
      '2026-12-01T11:00:00UTC',
      '2026-12-01T11:00:00Z',
      '2026-12-01T11:00:00+00:00',
      '2026-12-01T12:00:00+01:00',
      '2026-12-01T11:00:00.000000+00:00',
    ])
      expect(parseExpiration(s)?.getTime()).toBe(t);
    expect(parseExpiration('2026-12-01T11:00:00')).toBeUndefined();
  });
});

describe('resolveSessionCache', () => {
  const now = () => T0;
  it('defaults to the AWS CLI cache under HOME, credkit keeps a private one, off disables', () => {
    expect(resolveSessionCache(true, { env: { HOME: '/h' }, now })?.dir).toBe('/h/.aws/cli/cache');
    expect(
      resolveSessionCache(true, {
        env: { HOME: '/h', CREDKIT_HOME: '/ck', CREDKIT_SESSION_CACHE: 'credkit' },
        now,
      }),
    ).toMatchObject({ mode: 'credkit', dir: '/ck/sessions' });
    expect(
      resolveSessionCache(true, { env: { HOME: '/h', CREDKIT_SESSION_CACHE: 'off' }, now }),
    ).toBeUndefined();
    expect(resolveSessionCache(false, { env: { HOME: '/h' }, now })).toBeUndefined();
  });
  it('rejects an unknown setting with a coded error', () => {
    expect(() =>
      resolveSessionCache(true, { env: { HOME: '/h', CREDKIT_SESSION_CACHE: 'yes' }, now }),
    ).toThrow(expect.objectContaining({ code: 'SESSION_CACHE_INVALID' }));
  });
});
