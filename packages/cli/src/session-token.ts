/**
 * `--session` of export and exec: long-term keys are traded for an STS GetSessionToken session
 * (with the profile's mfa_serial), cached like role sessions so the code is typed once per session.
 * Loaded only when the flag is given.
 */
import { resolveSessionCache, resolveSessionToken } from '@credkit/env-selector/session-cache';
import type { CommandContext } from './context.js';
import type { SourceCredentials } from './formats.js';
import { createOutput } from './output.js';
import { mfaCodeProvider } from './session.js';

export async function withSessionToken(
  ctx: CommandContext,
  source: SourceCredentials,
): Promise<SourceCredentials> {
  const out = createOutput(ctx, ctx.flags.json === true);
  const cache = resolveSessionCache(true, {
    env: ctx.env,
    now: ctx.now ?? Date.now,
    onWarning: (message) => out.warn(message),
  });
  const ask = mfaCodeProvider(ctx, source.profile);
  const { mfaSerial } = source;
  const session = await resolveSessionToken(source.credentials, {
    env: ctx.env,
    ...(source.profile && { profile: source.profile }),
    ...(mfaSerial && { mfaSerial, mfaCode: () => ask(mfaSerial) }),
    ...(cache && { cache }),
    ...(ctx.signal && { signal: ctx.signal }),
  });
  return {
    ...source,
    credentials: {
      accessKeyId: session.accessKeyId,
      secretAccessKey: session.secretAccessKey,
      ...(session.sessionToken && { sessionToken: session.sessionToken }),
      ...(session.expiration && { expiration: session.expiration }),
      ...(source.credentials.region && { region: source.credentials.region }),
    },
    description: `${source.description}, as an STS session (GetSessionToken)`,
  };
}
