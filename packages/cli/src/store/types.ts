/**
 * The application metadata: what credkit records about an app and its environments. Never a secret:
 * credential sources are recorded as `profile NAME` or `temporary`.
 *
 * Stored as one JSON document per app (schema version 1):
 * {
 *   "version": 1,
 *   "app": "my-service",
 *   "account": "111111111111",            // pinned by the first `env init`
 *   "pinnedBy": { "arn": "...", "source": "profile \"my-app\" ..." },
 *   "environments": [
 *     { "name": "prod-iad", "account": "222222222222", "region": "us-east-1",
 *       "credentialSource": "profile prod-iad", "createdAt": "2026-11-27T05:00:00.000Z" }
 *   ],
 *   "updatedAt": "2026-11-27T05:00:00.000Z"
 * }
 */
export const SCHEMA_VERSION = 1;

/** What an application name may be (it names a file and an SSM path). */
export const APP_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

export interface EnvironmentRecord {
  name: string;
  account: string;
  region: string;
  /** `profile NAME` or `temporary`. */
  credentialSource: string;
  /** ARN that verified the environment credentials (not a secret). */
  arn?: string;
  createdAt: string;
}

export interface AppRecord {
  version: typeof SCHEMA_VERSION;
  app: string;
  account?: string;
  pinnedBy?: { arn: string; source: string };
  environments: EnvironmentRecord[];
  updatedAt?: string;
}

/** The metadata stores (`--store`, `CREDKIT_STORE`, `store copy --from/--to`); the type follows the list. */
export const STORE_KINDS = ['file', 'ssm'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/** What pins an application to its account: the verified application identity of the first writer. */
export interface AppPin {
  account: string;
  arn: string;
  /** Where the application credentials came from, e.g. `profile "my-app" (~/.aws/config:3)`. */
  source: string;
}

/** The application's own record, without its environments. */
export interface AppMeta {
  app: string;
  account?: string;
  pinnedBy?: { arn: string; source: string };
}

/**
 * Where app metadata lives: a directory of JSON files (the embedded default) or SSM Parameter Store
 * in the application's account. Every write is about one environment, so two people working on two
 * environments never touch the same record, and a create is atomic: it happens unless the name exists.
 */
export interface MetadataStore {
  readonly kind: StoreKind;
  /** Human description of where this app's records live (a file, or parameters in a region). */
  describe(app: string): string;
  /** The app's record, or undefined when nothing is recorded for it. */
  getApp(app: string): Promise<AppMeta | undefined>;
  /** Every environment of the app, sorted by name (empty when none). */
  listEnvironments(app: string): Promise<EnvironmentRecord[]>;
  getEnvironment(app: string, name: string): Promise<EnvironmentRecord | undefined>;
  /**
   * Records the environment unless one of that name exists, pinning the app to `pin.account` when
   * nothing pins it yet. The same account and region already recorded is a no-op (`created: false`);
   * a different one is ENV_EXISTS; an app pinned to another account is APP_ACCOUNT_MISMATCH.
   */
  createEnvironment(
    app: string,
    environment: EnvironmentRecord,
    pin: AppPin,
  ): Promise<{ created: boolean; environment: EnvironmentRecord }>;
  /** Removes exactly this environment; false when it was not there. */
  deleteEnvironment(app: string, name: string): Promise<boolean>;
  /**
   * Every application the store holds (`env ls --all`), sorted by name, each with its environments
   * sorted by name. A record that cannot be read is a problem of its own: the others are listed.
   */
  listApps(): Promise<StoreListing>;
  /** Human description of where the whole store lives. */
  describeStore(): string;
}

/** One application in a whole-store listing. */
export interface AppListing {
  app: string;
  account?: string;
  environments: EnvironmentRecord[];
}

/** A record a whole-store listing could not read (its error's code, message and hint). */
export interface ListingProblem {
  app: string;
  code: string;
  message: string;
  hint?: string;
}

export interface StoreListing {
  apps: AppListing[];
  problems: ListingProblem[];
}

/**
 * The order of every name listing: case-insensitive, digits compared as numbers (prod-2 before
 * prod-10), then by code unit so the order is total. One rule for both stores and every view.
 */
export function compareNames(a: string, b: string): number {
  const chunks = (s: string) => s.toLowerCase().match(/\d+|\D+/g) ?? [];
  const x = chunks(a);
  const y = chunks(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const [p, q] = [x[i]!, y[i]!];
    if (p === q) continue;
    const numeric = /^\d/.test(p) && /^\d/.test(q);
    if (numeric && Number(p) !== Number(q)) return Number(p) - Number(q);
    return p < q ? -1 : 1;
  }
  if (x.length !== y.length) return x.length - y.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function byName<T extends { name: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => compareNames(a.name, b.name));
}

export function emptyApp(app: string): AppRecord {
  return { version: SCHEMA_VERSION, app, environments: [] };
}
