/**
 * What `credkit --version` prints: the CLI's version and those of the libraries bundled inside it,
 * read from their package.json files by build.mjs (so a bug report names the exact code that ran).
 * Nothing here loads a library: `--version` must start as fast as `--help`.
 */
declare const __CREDKIT_VERSION__: string | undefined;
declare const __CREDKIT_LIBRARIES__: Record<string, string> | undefined;

/** Injected by build.mjs from package.json; unit tests run from source and see the fallback. */
export const VERSION = typeof __CREDKIT_VERSION__ === 'string' ? __CREDKIT_VERSION__ : '0.0.0-dev';

export const LIBRARIES = ['@credkit/app-chain', '@credkit/env-selector', '@credkit/temp-creds'] as const;

/** The bundled libraries' versions; from source (unit tests) they are unknown. */
export const LIBRARY_VERSIONS: Record<(typeof LIBRARIES)[number], string> = Object.fromEntries(
  LIBRARIES.map((name) => [
    name,
    typeof __CREDKIT_LIBRARIES__ === 'object' ? (__CREDKIT_LIBRARIES__[name] ?? 'unknown') : '0.0.0-dev',
  ]),
) as Record<(typeof LIBRARIES)[number], string>;

export interface VersionInfo {
  name: '@credkit/cli';
  version: string;
  libraries: Record<string, string>;
  node?: string;
  platform?: string;
}

export function versionInfo(runtime?: { version: string; platform: string; arch: string }): VersionInfo {
  return {
    name: '@credkit/cli',
    version: VERSION,
    libraries: { ...LIBRARY_VERSIONS },
    ...(runtime && { node: runtime.version, platform: `${runtime.platform}-${runtime.arch}` }),
  };
}

/** `credkit 1.2.3 (@credkit/cli)`, one line per library, then the runtime (as bug reports need). */
export function versionText(info: VersionInfo): string {
  const pad = Math.max(...Object.keys(info.libraries).map((n) => n.length));
  return [
    `credkit ${info.version} (${info.name})`,
    ...Object.entries(info.libraries).map(([name, version]) => `  ${name.padEnd(pad)}  ${version}`),
    ...(info.node === undefined ? [] : [`  ${'node'.padEnd(pad)}  ${info.node} ${info.platform}`]),
    '',
  ].join('\n');
}
