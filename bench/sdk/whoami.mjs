// Baseline: resolve a profile with the SDK and call STS GetCallerIdentity (the SDK-only `app whoami`).
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromIni } from '@aws-sdk/credential-provider-ini';

const client = new STSClient({ region: 'us-east-1', credentials: fromIni({ profile: process.argv[2] }) });
const identity = await client.send(new GetCallerIdentityCommand({}));
process.stdout.write(`${identity.Arn}\n`);
