/**
 * The embedded metadata store: `<dir>/apps/<app>.json`, one document per app, directory 0700,
 * files 0600. Writes go to a temp file in the same directory and are renamed over the record
 * (atomic on POSIX); read-modify-write holds a lock file. A corrupt or unreadable record is an error
 * naming the file: it is never silently replaced.
 */
import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describeReadFailure, readRegularFile } from '@credkit/env-selector/shared-config';
import { CredkitError, isCredkitError } from '@credkit/temp-creds/errors';
import { HINT_HOME, storeIoError } from './io-error.js';
import { type LockOptions, withLock } from './lock.js';
import { appAccountMismatch, envExists, sameEnvironment } from './rules.js';
import {
  APP_NAME,
  type AppListing,
  type AppMeta,
  type AppPin,
  type AppRecord,
  byName,
  compareNames,
  type EnvironmentRecord,
  emptyApp,
  type ListingProblem,
  type MetadataStore,
  SCHEMA_VERSION,
  type StoreListing,
} from './types.js';

/** One app's environments: a few hundred bytes each. 8 MiB is tens of thousands of them. */
export const RECORD_MAX_BYTES = 8 * 1024 * 1024;

function errno(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

export class FileMetadataStore implements MetadataStore {
  readonly kind = 'file';
  readonly dir: string;
  private readonly lock: LockOptions;

  /** `lock` tunes the lock's waits (tests on a loaded machine); the defaults suit people. */
  constructor(dir: string, lock: LockOptions = {}) {
    this.dir = dir;
    this.lock = lock;
  }

  file(app: string): string {
    return join(this.dir, 'apps', `${app}.json`);
  }

  describe(app: string): string {
    return this.file(app);
  }

  async getApp(app: string): Promise<AppMeta | undefined> {
    const record = await this.readApp(app);
    if (record === undefined) return undefined;
    const { environments: _, version: __, updatedAt: ___, ...meta } = record;
    return meta;
  }

  async listEnvironments(app: string): Promise<EnvironmentRecord[]> {
    return byName((await this.readApp(app))?.environments ?? []);
  }

  describeStore(): string {
    return join(this.dir, 'apps');
  }

  async listApps(): Promise<StoreListing> {
    const dir = join(this.dir, 'apps');
    let entries: string[];
    try {
      entries = await readdir(dir);
    } catch (error) {
      if (errno(error) === 'ENOENT') return { apps: [], problems: [] };
      throw this.ioError(dir, error, 'read');
    }
    // Only `<app>.json`: lock files, claims and temp files of a write in progress live beside them.
    const names = entries
      .filter((e) => e.endsWith('.json'))
      .map((e) => e.slice(0, -'.json'.length))
      .filter((app) => APP_NAME.test(app))
      .sort(compareNames);
    const apps: AppListing[] = [];
    const problems: ListingProblem[] = [];
    for (const app of names) {
      try {
        const record = await this.readApp(app);
        if (record === undefined) continue; // removed since the readdir
        apps.push({
          app,
          ...(record.account !== undefined && { account: record.account }),
          environments: byName(record.environments),
        });
      } catch (error) {
        if (!isCredkitError(error)) throw error;
        problems.push({
          app,
          code: error.code,
          message: error.message,
          ...(error.hint && { hint: error.hint }),
        });
      }
    }
    return { apps, problems };
  }

  async getEnvironment(app: string, name: string): Promise<EnvironmentRecord | undefined> {
    return (await this.readApp(app))?.environments.find((e) => e.name === name);
  }

  async createEnvironment(
    app: string,
    environment: EnvironmentRecord,
    pin: AppPin,
  ): Promise<{ created: boolean; environment: EnvironmentRecord }> {
    let result = { created: true, environment };
    await this.updateApp(app, (current) => {
      // Checked under the lock: another credkit may have pinned the app or taken the name meanwhile.
      if (current.account !== undefined && current.account !== pin.account) {
        throw appAccountMismatch(app, current.account, pin.account, pin.source, this.describe(app));
      }
      const existing = current.environments.find((e) => e.name === environment.name);
      if (existing !== undefined) {
        if (!sameEnvironment(existing, environment)) {
          throw envExists(app, existing, environment, this.describe(app));
        }
        result = { created: false, environment: existing };
        return undefined;
      }
      return {
        ...current,
        account: current.account ?? pin.account,
        pinnedBy: current.pinnedBy ?? { arn: pin.arn, source: pin.source },
        environments: [...current.environments, environment],
        updatedAt: environment.createdAt,
      };
    });
    return result;
  }

  async deleteEnvironment(app: string, name: string): Promise<boolean> {
    let deleted = false;
    await this.updateApp(app, (current) => {
      const environments = current.environments.filter((e) => e.name !== name);
      deleted = environments.length !== current.environments.length;
      if (!deleted) return undefined;
      return { ...current, environments, updatedAt: new Date().toISOString() };
    });
    return deleted;
  }

  async readApp(app: string): Promise<AppRecord | undefined> {
    const file = this.file(app);
    await this.refuseSymlink(file);
    let text: string;
    try {
      // Bounded and non-blocking: a FIFO here hung `env ls`, a 600 MB file was read whole.
      text = readRegularFile(file, { maxBytes: RECORD_MAX_BYTES, noFollow: true }).data.toString('utf8');
    } catch (error) {
      if (errno(error) === 'ENOENT') return undefined;
      if (errno(error) === 'ENOTREG' || errno(error) === 'EFBIG' || errno(error) === 'ELOOP') {
        throw new CredkitError(
          errno(error) === 'EFBIG' ? 'STORE_TOO_LARGE' : 'STORE_NOT_A_FILE',
          `The credkit metadata file ${file} cannot be used: ${describeReadFailure(error)}.`,
          {
            hint: 'Move it away; credkit stores each app as a small JSON file it wrote itself.',
            details: { file },
          },
        );
      }
      throw this.ioError(file, error, 'read');
    }
    return parseRecord(file, text, app);
  }

  async updateApp(
    app: string,
    update: (current: AppRecord) => AppRecord | undefined | Promise<AppRecord | undefined>,
  ): Promise<AppRecord> {
    const file = this.file(app);
    await this.ensureDir(join(this.dir, 'apps'));
    return withLock(
      file,
      async () => {
        const current = (await this.readApp(app)) ?? emptyApp(app);
        const next = await update(structuredClone(current));
        if (next === undefined) return current;
        await this.writeAtomic(file, `${JSON.stringify(next, null, 2)}\n`);
        return next;
      },
      this.lock,
    );
  }

  private async ensureDir(dir: string): Promise<void> {
    for (const path of [this.dir, dir]) {
      try {
        await mkdir(path, { recursive: true, mode: 0o700 });
      } catch (error) {
        throw this.ioError(path, error, 'create');
      }
      const stat = await lstat(path);
      if (stat.isSymbolicLink() || !stat.isDirectory()) {
        throw new CredkitError(
          'STORE_NOT_A_DIRECTORY',
          `The credkit metadata path is not a directory: ${path}`,
          {
            hint: HINT_HOME,
            details: { file: path },
          },
        );
      }
    }
  }

  /** A symlink at the record path could redirect our writes anywhere: refuse it. */
  private async refuseSymlink(file: string): Promise<void> {
    try {
      const stat = await lstat(file);
      if (stat.isSymbolicLink()) {
        throw new CredkitError('STORE_SYMLINK', `Refusing to use a symbolic link as metadata file: ${file}`, {
          hint: 'Remove the link; credkit only reads and writes regular files it created.',
          details: { file },
        });
      }
      if (stat.isDirectory()) {
        throw new CredkitError('STORE_NOT_A_FILE', `The metadata file is a directory: ${file}`, {
          hint: 'Move it away; credkit stores each app as a JSON file.',
          details: { file },
        });
      }
    } catch (error) {
      if (errno(error) === 'ENOENT') return;
      if (errno(error) === 'EACCES') throw this.ioError(file, error, 'read');
      throw error;
    }
  }

  private async writeAtomic(file: string, text: string): Promise<void> {
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      const handle = await open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(text, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      // The umask cannot widen 0600, but an explicit chmod documents and guarantees it.
      await chmod(temp, 0o600);
      await rename(temp, file);
    } catch (error) {
      await rm(temp, { force: true });
      throw this.ioError(file, error, 'write');
    }
  }

  private ioError(file: string, cause: unknown, action: 'read' | 'write' | 'create'): CredkitError {
    return storeIoError(file, cause, action);
  }
}

function corrupt(file: string, why: string): CredkitError {
  return new CredkitError('STORE_CORRUPT', `The credkit metadata file ${file} is corrupt: ${why}.`, {
    hint: 'Fix or move the file by hand; credkit never replaces it silently.',
    details: { file },
  });
}

function where(text: string, position: number): string {
  const before = text.slice(0, position).split('\n');
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}

export function parseRecord(file: string, text: string, app: string): AppRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // V8's message quotes the text around the fault, which could be a pasted secret: keep only
    // where it is.
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    throw corrupt(
      file,
      `not valid JSON${position === undefined ? '' : ` (${where(text, Number(position))})`}`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw corrupt(file, 'not a JSON object');
  const record = value as Partial<AppRecord>;
  if (typeof record.version !== 'number') throw corrupt(file, 'no "version" field');
  if (record.version > SCHEMA_VERSION) {
    throw new CredkitError(
      'STORE_VERSION_UNSUPPORTED',
      `${file} has schema version ${record.version}; this credkit reads version ${SCHEMA_VERSION}.`,
      { hint: 'Upgrade credkit.', details: { file } },
    );
  }
  if (record.app !== app) {
    const other =
      typeof record.app === 'string' && /^[A-Za-z0-9._-]{1,63}$/.test(record.app)
        ? `"${record.app}"`
        : 'another app';
    throw corrupt(file, `it records ${other}, expected "${app}"`);
  }
  if (!Array.isArray(record.environments)) throw corrupt(file, '"environments" is not an array');
  for (const [i, env] of record.environments.entries()) {
    const ok =
      typeof env === 'object' &&
      env !== null &&
      typeof env.name === 'string' &&
      typeof env.account === 'string' &&
      typeof env.region === 'string' &&
      typeof env.credentialSource === 'string';
    if (!ok) throw corrupt(file, `environment #${i + 1} lacks name, account, region or credentialSource`);
  }
  return record as AppRecord;
}
