// Baseline: what `credkit env ls --store ssm` would be with the SDK: resolve the profile with
// fromIni, then page GetParametersByPath with @aws-sdk/client-ssm (AWS_ENDPOINT_URL_SSM honoured).
import { GetParameterCommand, GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import { fromIni } from '@aws-sdk/credential-provider-ini';

const app = process.argv[2];
const client = new SSMClient({ region: 'us-east-1', credentials: fromIni() });
const root = `/credkit/applications/${app}`;
const names = [];
let NextToken;
const appRecord = client.send(new GetParameterCommand({ Name: root }));
do {
  const page = await client.send(
    new GetParametersByPathCommand({ Path: `${root}/environments`, MaxResults: 10, NextToken }),
  );
  for (const p of page.Parameters ?? []) names.push(JSON.parse(p.Value).name);
  NextToken = page.NextToken;
} while (NextToken);
await appRecord;
process.stdout.write(`${names.join('\n')}\n`);
client.destroy();
