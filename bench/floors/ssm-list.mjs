// Floor for `credkit env ls --store ssm`: the least a tool can do for the same answer. Keys read with
// one regex from the credentials file (no config parsing, no chain, no checks), then the same signed
// requests credkit sends (one GetParameter beside the GetParametersByPath pages, one kept-alive
// connection), with the same signer. No error handling, no retries. Not a credential tool.
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { signSigV4 } from '@credkit/app-chain/aws-request';

// Usage: node ssm-list.mjs APP CREDENTIALS_FILE PROFILE SSM_ENDPOINT
const [app, credentialsFile, profile, endpoint] = process.argv.slice(2);
const text = readFileSync(credentialsFile, 'utf8');
const section = text.split(`[${profile}]`)[1] ?? '';
const credentials = {
  accessKeyId: /aws_access_key_id\s*=\s*(\S+)/.exec(section)[1],
  secretAccessKey: /aws_secret_access_key\s*=\s*(\S+)/.exec(section)[1],
};
const url = new URL(endpoint);
const agent = new http.Agent({ keepAlive: true });

function call(action, input) {
  const body = JSON.stringify(input);
  const headers = signSigV4(crypto, {
    credentials,
    url,
    region: 'us-east-1',
    service: 'ssm',
    date: new Date(),
    body,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AmazonSSM.${action}` },
  });
  return new Promise((resolve, reject) => {
    const req = http.request(
      { method: 'POST', host: url.hostname, port: url.port, path: '/', headers, agent },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString())));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const root = `/credkit/applications/${app}`;
const record = call('GetParameter', { Name: root });
const names = [];
let NextToken;
do {
  const page = await call('GetParametersByPath', { Path: `${root}/environments`, MaxResults: 10, NextToken });
  for (const p of page.Parameters) names.push(JSON.parse(p.Value).name);
  NextToken = page.NextToken;
} while (NextToken);
await record;
process.stdout.write(`${names.join('\n')}\n`);
