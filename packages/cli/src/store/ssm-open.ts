import { configuredEndpoint } from '@credkit/app-chain/aws-request';
import { assertSecureEndpoint } from '@credkit/env-selector/providers';
import { CredkitError } from '@credkit/temp-creds/errors';
import { resolveApplication } from '../app.js';
import type { CommandContext } from '../context.js';
import { SsmClient } from './ssm-client.js';
import { SsmMetadataStore } from './ssm-store.js';

/**
 * The SSM store of the application: its credentials (the default chain, never an environment's),
 * its region, and the SDK's endpoint settings for `ssm` (AWS_ENDPOINT_URL_SSM, the profile's
 * services section, AWS_ENDPOINT_URL, the profile's endpoint_url).
 */
export async function openSsmStore(ctx: CommandContext): Promise<SsmMetadataStore> {
  const app = await resolveApplication(ctx);
  if (app.region === undefined) {
    throw new CredkitError(
      'SSM_REGION_MISSING',
      "The SSM store lives in the application's region, and none is configured.",
      {
        hint: 'Add "region = us-east-1" (your region) to the application profile, or export AWS_REGION.',
        exitCode: 2,
      },
    );
  }
  // The endpoint settings of the profile the application credentials came from.
  const fromChain = typeof app.source.profile === 'string' ? app.source.profile : undefined;
  const profile =
    fromChain ?? (ctx.env.AWS_PROFILE?.trim() || ctx.env.AWS_DEFAULT_PROFILE?.trim() || 'default');
  const endpoint = configuredEndpoint('ssm', ctx.env, {
    profile: app.sharedConfig.profiles.get(profile),
    services: app.sharedConfig.services,
  });
  // Every SSM request carries the application's session token in a header: never over plain HTTP
  // to a host that is not loopback (issue 13's rule for STS, SSO, IMDS and the container endpoint).
  assertSecureEndpoint(
    endpoint,
    "the SSM endpoint (AWS_ENDPOINT_URL_SSM, the profile's services or endpoint_url)",
    ctx.env,
  );
  const client = new SsmClient({
    credentials: app.credentials,
    region: app.region,
    endpoint,
    env: ctx.env,
    caller: app.description,
  });
  return new SsmMetadataStore(client);
}
