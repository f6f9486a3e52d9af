/**
 * Every AWS SDK client built on Node < 22 calls `process.emitWarning` with a multi-line
 * NodeVersionSupportWarning the first time a client is created. credkit users did not choose the SDK
 * and cannot act on it, so credkit silences it before it creates any SDK client.
 *
 * Mechanism: the SDK remembers "already warned" in module state inside `@aws-sdk/core/client`. We run
 * its own `emitWarningIfUnsupportedVersion` once with `process.emitWarning` swapped for a no-op, so
 * the state flips to "warned" and later clients stay quiet. `process.env` is not touched (the SDK's
 * documented switch, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true, is read from the real
 * process environment, which a library must not mutate). Other process warnings are unaffected.
 */
let quieted: Promise<void> | undefined;

export function quietSdkNodeVersionWarning(): Promise<void> {
  quieted ??= (async () => {
    const sdk = (await import('@aws-sdk/core/client')) as {
      emitWarningIfUnsupportedVersion?: (version: string) => void;
    };
    if (typeof sdk.emitWarningIfUnsupportedVersion !== 'function') return;
    const original = process.emitWarning;
    process.emitWarning = (() => {}) as typeof process.emitWarning;
    try {
      sdk.emitWarningIfUnsupportedVersion(process.version);
    } finally {
      process.emitWarning = original;
    }
  })();
  return quieted;
}
