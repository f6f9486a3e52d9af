/**
 * The team store: SSM Parameter Store in the application's account and region, one `String`
 * parameter per record, the layout AWS Copilot uses:
 *
 *   /credkit/applications/APP                     {"version":1,"app":…,"account":…,"pinnedBy":…}
 *   /credkit/applications/APP/environments/ENV    {"version":1,"name":…,"account":…,"region":…,…}
 *
 * Every create is `PutParameter` with `Overwrite: false`, so SSM itself decides between two
 * teammates racing for one name; a record is never rewritten. Tags name the app and environment.
 */
import { CredkitError, isCredkitError } from '@credkit/temp-creds/errors';
import { appAccountMismatch, envExists, environmentProblem, sameEnvironment } from './rules.js';
import type { SsmClient } from './ssm-client.js';
import { SsmServiceError } from './ssm-client.js';
import {
  APP_NAME,
  type AppListing,
  type AppMeta,
  type AppPin,
  byName,
  compareNames,
  type EnvironmentRecord,
  type ListingProblem,
  type MetadataStore,
  SCHEMA_VERSION,
  type StoreListing,
} from './types.js';

export const SSM_ROOT = '/credkit/applications';
/** GetParametersByPath answers at most 10 parameters a page. */
const PAGE_SIZE = 10;
/** A listing that pages on past this is a service (or loopback) bug, not an application. */
const MAX_PAGES = 10_000;

interface Parameter {
  Name: string;
  Value: string;
}

export function appParameter(app: string): string {
  return `${SSM_ROOT}/${app}`;
}

export function environmentParameter(app: string, name: string): string {
  return `${SSM_ROOT}/${app}/environments/${name}`;
}

function corrupt(name: string, region: string, why: string): CredkitError {
  return new CredkitError(
    'STORE_CORRUPT',
    `The SSM parameter ${name} (${region}) is not a credkit record: ${why}.`,
    {
      hint: 'Fix or delete the parameter by hand (aws ssm get-parameter / delete-parameter); credkit never overwrites it.',
      details: { parameter: name, region },
    },
  );
}

export class SsmMetadataStore implements MetadataStore {
  readonly kind = 'ssm';

  constructor(private readonly client: SsmClient) {}

  describe(app: string): string {
    return `SSM Parameter Store ${appParameter(app)} in ${this.client.region}`;
  }

  async getApp(app: string): Promise<AppMeta | undefined> {
    const value = await this.get(appParameter(app));
    if (value === undefined) return undefined;
    const record = this.parse(appParameter(app), value) as Partial<AppMeta>;
    if (record.app !== app) throw corrupt(appParameter(app), this.client.region, `it records another app`);
    return {
      app,
      ...(typeof record.account === 'string' && { account: record.account }),
      ...(record.pinnedBy && { pinnedBy: record.pinnedBy }),
    };
  }

  async listEnvironments(app: string): Promise<EnvironmentRecord[]> {
    const found: EnvironmentRecord[] = [];
    for await (const parameter of this.byPath(`${appParameter(app)}/environments`, false)) {
      found.push(this.environment(parameter.Name, parameter.Value));
    }
    return byName(found);
  }

  describeStore(): string {
    return `SSM Parameter Store ${SSM_ROOT} in ${this.client.region}`;
  }

  /**
   * One recursive listing of /credkit/applications holds every app record and every environment
   * record: `APP` and `APP/environments/ENV`. An app with environments but no record of its own
   * (deleted by hand) is still listed, its account unknown.
   */
  async listApps(): Promise<StoreListing> {
    const apps = new Map<string, AppListing>();
    const problems = new Map<string, ListingProblem>();
    const entry = (app: string) => {
      const listing = apps.get(app) ?? { app, environments: [] };
      apps.set(app, listing);
      return listing;
    };
    for await (const parameter of this.byPath(SSM_ROOT, true)) {
      const parts = parameter.Name.slice(SSM_ROOT.length + 1).split('/');
      const app = parts[0] ?? '';
      if (!APP_NAME.test(app)) continue; // not written by credkit
      try {
        if (parts.length === 1) {
          const record = this.parse(parameter.Name, parameter.Value) as Partial<AppMeta>;
          if (record.app !== app) throw corrupt(parameter.Name, this.client.region, 'it records another app');
          const listing = entry(app);
          if (typeof record.account === 'string') listing.account = record.account;
        } else if (parts.length === 3 && parts[1] === 'environments') {
          entry(app).environments.push(this.environment(parameter.Name, parameter.Value));
        }
      } catch (error) {
        if (!isCredkitError(error)) throw error;
        const { code, message, hint } = error;
        // One problem per app is enough to name it; its other records are not listed.
        if (!problems.has(app)) problems.set(app, { app, code, message, ...(hint && { hint }) });
      }
    }
    const sorted = [...apps.values()]
      .filter((listing) => !problems.has(listing.app))
      .sort((a, b) => compareNames(a.app, b.app))
      .map((listing) => ({ ...listing, environments: byName(listing.environments) }));
    return { apps: sorted, problems: [...problems.values()].sort((a, b) => compareNames(a.app, b.app)) };
  }

  /** GetParametersByPath, every page: SSM answers at most 10 a page, sometimes fewer with a token. */
  private async *byPath(path: string, recursive: boolean): AsyncGenerator<Parameter> {
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await this.client.call<{ Parameters?: Parameter[]; NextToken?: string }>(
        'GetParametersByPath',
        {
          Path: path,
          Recursive: recursive,
          MaxResults: PAGE_SIZE,
          ...(token !== undefined && { NextToken: token }),
        },
      );
      yield* answer.Parameters ?? [];
      // SSM may answer a page with fewer than 10 (even none) and still a token: only its absence ends.
      if (!answer.NextToken) return;
      if (answer.NextToken === token) break;
      token = answer.NextToken;
    }
    throw new CredkitError(
      'SSM_PAGING_FAILED',
      `Listing ${path} did not end (the service repeated its NextToken).`,
      { hint: 'Retry; if it persists, list with `aws ssm get-parameters-by-path` to compare.' },
    );
  }

  async getEnvironment(app: string, name: string): Promise<EnvironmentRecord | undefined> {
    const parameter = environmentParameter(app, name);
    const value = await this.get(parameter);
    return value === undefined ? undefined : this.environment(parameter, value);
  }

  async createEnvironment(
    app: string,
    environment: EnvironmentRecord,
    pin: AppPin,
  ): Promise<{ created: boolean; environment: EnvironmentRecord }> {
    let meta = await this.getApp(app);
    if (meta === undefined) {
      const record = {
        version: SCHEMA_VERSION,
        app,
        account: pin.account,
        pinnedBy: { arn: pin.arn, source: pin.source },
        createdAt: environment.createdAt,
      };
      // Another teammate may pin the app between our read and this create: then theirs stands.
      const created = await this.create(appParameter(app), record, [['credkit:application', app]]);
      meta = created ? { app, account: pin.account } : await this.getApp(app);
    }
    if (meta?.account !== undefined && meta.account !== pin.account) {
      throw appAccountMismatch(app, meta.account, pin.account, pin.source, this.describe(app));
    }
    const parameter = environmentParameter(app, environment.name);
    const created = await this.create(parameter, { version: SCHEMA_VERSION, ...environment }, [
      ['credkit:application', app],
      ['credkit:environment', environment.name],
    ]);
    if (created) return { created: true, environment };
    const existing = await this.getEnvironment(app, environment.name);
    if (existing === undefined) {
      // Created and deleted by others between our two calls: report it rather than guess.
      throw new CredkitError(
        'ENV_CHANGED_CONCURRENTLY',
        `Environment "${environment.name}" of app "${app}" was created and deleted by someone else while this run recorded it.`,
        { hint: 'Run the command again.', details: { app, name: environment.name } },
      );
    }
    if (!sameEnvironment(existing, environment)) {
      throw envExists(app, existing, environment, this.describe(app));
    }
    return { created: false, environment: existing };
  }

  async deleteEnvironment(app: string, name: string): Promise<boolean> {
    try {
      await this.client.call('DeleteParameter', { Name: environmentParameter(app, name) });
      return true;
    } catch (error) {
      if (error instanceof SsmServiceError && error.code === 'ParameterNotFound') return false;
      throw this.unexpected(error);
    }
  }

  /** PutParameter with Overwrite false: true when created, false when the name was taken. */
  private async create(name: string, record: object, tags: [string, string][]): Promise<boolean> {
    try {
      await this.client.call('PutParameter', {
        Name: name,
        Value: JSON.stringify(record),
        Type: 'String',
        Overwrite: false,
        Description: 'credkit application metadata (no secrets)',
        Tags: tags.map(([Key, Value]) => ({ Key, Value })),
      });
      return true;
    } catch (error) {
      if (error instanceof SsmServiceError && error.code === 'ParameterAlreadyExists') return false;
      throw this.unexpected(error);
    }
  }

  private async get(name: string): Promise<string | undefined> {
    try {
      const answer = await this.client.call<{ Parameter?: Parameter }>('GetParameter', { Name: name });
      return answer.Parameter?.Value;
    } catch (error) {
      if (error instanceof SsmServiceError && error.code === 'ParameterNotFound') return undefined;
      throw this.unexpected(error);
    }
  }

  private environment(name: string, value: string): EnvironmentRecord {
    const record = this.parse(name, value);
    const problem = environmentProblem(record);
    if (problem !== undefined) throw corrupt(name, this.client.region, problem);
    const { version: _, ...environment } = record as unknown as EnvironmentRecord & { version: number };
    return environment;
  }

  private parse(name: string, value: string): Record<string, unknown> {
    let record: unknown;
    try {
      record = JSON.parse(value);
    } catch {
      // The value is not quoted back: a parameter someone else wrote could hold anything.
      throw corrupt(name, this.client.region, 'not valid JSON');
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      throw corrupt(name, this.client.region, 'not a JSON object');
    }
    const version = (record as { version?: unknown }).version;
    if (typeof version !== 'number') throw corrupt(name, this.client.region, 'no "version" field');
    if (version > SCHEMA_VERSION) {
      throw new CredkitError(
        'STORE_VERSION_UNSUPPORTED',
        `The SSM parameter ${name} has schema version ${version}; this credkit reads version ${SCHEMA_VERSION}.`,
        { hint: 'Upgrade credkit.', details: { parameter: name } },
      );
    }
    return record as Record<string, unknown>;
  }

  /** A service error the store has no answer for: coded, with SSM's own code and message. */
  private unexpected(error: unknown): unknown {
    if (!(error instanceof SsmServiceError)) return error;
    return new CredkitError(
      'SSM_REQUEST_FAILED',
      `SSM answered ${error.code}${error.message ? `: ${error.message}` : ''} (HTTP ${error.status}).`,
      {
        hint: 'Check the application region and credentials (`credkit app whoami`), or use --store file.',
        details: { code: error.code, status: error.status },
      },
    );
  }
}
