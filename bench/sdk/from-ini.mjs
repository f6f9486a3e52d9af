// Baseline: what a script using only the AWS SDK pays to resolve one profile.
import { fromIni } from '@aws-sdk/credential-provider-ini';

const creds = await fromIni({ profile: process.argv[2] })();
process.stdout.write(`${JSON.stringify({ Version: 1, AccessKeyId: creds.accessKeyId })}\n`);
