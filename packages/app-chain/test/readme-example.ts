// The usage example of README.md, kept here so `tsc` proves it compiles. Keep the two in sync.
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { explainAppChain, fromAppChain, resolveAppRegion, verifyAppIdentity } from '../src/index.js';

export async function readmeExample(): Promise<void> {
  // Drop-in where you used fromNodeProviderChain():
  const credentials = fromAppChain({ mfaCodeProvider: async (serial) => askUser(serial) });
  const client = new STSClient({ region: (await resolveAppRegion()).region, credentials });
  await client.send(new GetCallerIdentityCommand({}));

  // Before storing application metadata: who is this, and is it the root user? (throws ROOT_CREDENTIALS)
  const { account, arn } = await verifyAppIdentity(credentials);

  // `credkit app explain`: every link, in order, and why it did or did not apply.
  const trail = await explainAppChain();
  for (const link of trail.links)
    console.log(link.name, link.status, link.status === 'skipped' ? link.reason : '');
  console.log(account, arn);
}

declare function askUser(serial: string): Promise<string>;
