import type { fromWebIdentityTokenFile as Impl } from './web-identity.js';

/** Loads the SDK's web-identity provider only when used, so importing this package stays cheap. */
export async function fromWebIdentityTokenFile(...args: Parameters<typeof Impl>): ReturnType<typeof Impl> {
  const { fromWebIdentityTokenFile: impl } = await import('./web-identity.js');
  return impl(...args);
}
