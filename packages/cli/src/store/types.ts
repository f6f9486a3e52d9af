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

/**
 * Where app metadata lives. The embedded default is a directory of JSON files; a store in the
 * application's AWS account can implement the same two methods later.
 */
export interface MetadataStore {
  /** The app's record, or undefined when nothing is recorded for it. */
  readApp(app: string): Promise<AppRecord | undefined>;
  /**
   * Read-modify-write without lost updates: `update` gets the current record (or a fresh empty one)
   * and returns the record to store, or `undefined` to leave the store untouched.
   */
  updateApp(
    app: string,
    update: (current: AppRecord) => AppRecord | undefined | Promise<AppRecord | undefined>,
  ): Promise<AppRecord>;
  /** Human description of where this app's record lives (a file path for the file store). */
  describe(app: string): string;
}

export function emptyApp(app: string): AppRecord {
  return { version: SCHEMA_VERSION, app, environments: [] };
}
