import type { resolveWebIdentityTokenFile as Impl } from './web-identity.js';

/** Loads the SDK's web-identity provider only when used, so importing this package stays cheap. */
export async function resolveWebIdentityTokenFile(...args: Parameters<typeof Impl>): ReturnType<typeof Impl> {
  const { resolveWebIdentityTokenFile: impl } = await import('./web-identity.js');
  return impl(...args);
}
