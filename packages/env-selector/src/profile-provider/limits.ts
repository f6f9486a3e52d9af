// Apart from process.ts so that importing them (the package index does) does not load
// node:child_process, which only a credential_process run needs.

/** Default bound for one credential_process run; the SDK's own `fromProcess` has none. */
export const DEFAULT_PROCESS_TIMEOUT_MS = 30_000;
/** Time between SIGTERM and SIGKILL for a process that outlives its timeout. */
export const PROCESS_KILL_GRACE_MS = 2_000;
/** A credentials document is a few hundred bytes; 1 MiB leaves room for verbose tools and stops runaways. */
export const PROCESS_STDOUT_LIMIT = 1024 * 1024;
