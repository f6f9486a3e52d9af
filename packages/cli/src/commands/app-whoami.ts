import { resolveApplication, verifyIdentity } from '../app.js';
import type { CommandContext } from '../context.js';
import { booleanFlag } from '../context.js';
import { createOutput, formatExpiry, table } from '../output.js';

/**
 * `credkit app whoami`: resolves the application credentials, verifies them with STS (the root user
 * is refused) and says where they came from.
 */
export async function appWhoamiCommand(options: CommandContext): Promise<number> {
  const json = booleanFlag(options.flags, 'json');
  const out = createOutput(options, json);
  const app = await resolveApplication(options);
  const identity = await verifyIdentity(options, app.credentials, app.region, app.stsEndpoint);
  const expiration = app.credentials.expiration;
  if (json) {
    out.json({
      source: app.source,
      account: identity.account,
      arn: identity.arn,
      region: app.region ?? null,
      expiration: expiration?.toISOString() ?? null,
    });
    return 0;
  }
  const now = new Date((options.now ?? Date.now)());
  const rows = [
    ['Source', app.description],
    ['Account', out.style.bold(identity.account)],
    ['ARN', identity.arn],
    ['Region', app.region ?? out.style.dim('not set (set region in the profile or AWS_REGION)')],
    ['Expires', formatExpiry(expiration, now, app.credentials.sessionToken)],
  ];
  out.line(`${out.style.green('✔')} Application credentials verified with STS`);
  for (const line of table(rows, '  ')) out.line(line);
  return 0;
}
