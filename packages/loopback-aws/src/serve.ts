#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { addSampleCast, SAMPLE_MFA } from './sample.js';
import { startLoopbackAws } from './server.js';

/**
 * `node packages/loopback-aws/dist/serve.js [--json] [--port N]`
 *
 * Starts the loopback endpoints with a small sample cast so the sandbox and a human can point a
 * real SDK or AWS CLI at it, prints what it set up, and runs until SIGINT/SIGTERM. Everything is
 * fake: the keys work only against this process. `--json` prints a single JSON line (easy for a
 * parent process to read); the default prints shell `export` lines plus comments.
 */

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { json: { type: 'boolean', default: false }, port: { type: 'string' } },
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port: not a port number: ${values.port}`);
  const aws = await startLoopbackAws({ port });
  const cast = addSampleCast(aws);
  // Handlers first: whoever reads the lines below may stop us as soon as they appear.
  const stop = () => {
    aws.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const out = process.stdout;
  if (values.json) {
    out.write(`${JSON.stringify({ url: aws.url, env: aws.env, ...cast })}\n`);
  } else {
    const { alice } = cast.users;
    out.write('# credkit loopback AWS endpoints (fake credentials, valid only against this process)\n');
    for (const [k, v] of Object.entries(aws.env)) out.write(`export ${k}=${v}\n`);
    out.write(
      `# alice ${alice.arn}: ${alice.accessKeyId} / ${alice.secretAccessKey} (MFA ${SAMPLE_MFA.serial} code ${SAMPLE_MFA.code})\n`,
    );
    out.write(`# root ${cast.root.arn}: ${cast.root.accessKeyId} / ${cast.root.secretAccessKey}\n`);
    out.write(
      `# roles alice may assume: ${cast.roles.deploy}, ${cast.roles.admin} (MFA), ${cast.roles.partner}`,
    );
    out.write(` (ExternalId ${cast.partnerExternalId})\n`);
    out.write(`# web identity role ${cast.roles.web} accepts token ${cast.webIdentityToken}\n`);
    out.write(
      `# SSO access token ${cast.sso.accessToken}: account ${cast.sso.accountId}, role ${cast.sso.roleName}\n`,
    );
    out.write('# Ctrl-C to stop\n');
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`loopback-aws: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
