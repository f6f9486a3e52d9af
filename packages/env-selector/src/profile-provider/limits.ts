// Apart from process.ts so that importing them (the package index does) does not load
// node:child_process, which only a credential_process run needs.

/** Default bound for one credential_process run; the SDK's own `fromProcess` has none. */
export const DEFAULT_PROCESS_TIMEOUT_MS = 30_000;
/** Time between SIGTERM and SIGKILL for a process that outlives its timeout. */
export const PROCESS_KILL_GRACE_MS = 2_000;
/** A credentials document is a few hundred bytes; 1 MiB leaves room for verbose tools and stops runaways. */
export const PROCESS_STDOUT_LIMIT = 1024 * 1024;
/** A web identity token is a JWT of a few KiB (EKS: about 1 KiB); the cap only stops a runaway file. */
export const WEB_IDENTITY_TOKEN_MAX_BYTES = 64 * 1024;
/** The container authorization token (EKS Pod Identity, ECS) is a short bearer string. */
export const CONTAINER_TOKEN_MAX_BYTES = 16 * 1024;
/** A metadata answer (instance metadata, container endpoint) is a few hundred bytes; the cap only stops a runaway endpoint. */
export const METADATA_RESPONSE_MAX_BYTES = 64 * 1024;
/** An SSO cache entry holds a few tokens and dates (under 8 KiB in practice). */
export const SSO_CACHE_MAX_BYTES = 1024 * 1024;
