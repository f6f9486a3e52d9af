/**
 * Temporary credentials as credential_process JSON on stdin (the masked prompts are in
 * env-choice.ts). Loaded only on that path.
 */
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { fromTemporaryCredentials, type JsonStream, readExportedCredentials } from '@credkit/temp-creds';
import { CredkitError } from '@credkit/temp-creds/errors';
import type { CommandContext } from './context.js';

export async function readStdinCredentials(ctx: CommandContext): Promise<AwsCredentialIdentity> {
  if (ctx.stdin.isTTY === true) {
    throw new CredkitError(
      'STDIN_IS_TERMINAL',
      '--credentials-stdin reads credentials from a pipe, but stdin is a terminal.',
      {
        hint: 'Pipe them in: aws configure export-credentials --profile P | credkit env init --name N --credentials-stdin',
        exitCode: 2,
      },
    );
  }
  // credential_process JSON, or anything `credkit export --format` / `aws configure export-credentials` prints.
  const parsed = await readExportedCredentials(ctx.stdin as JsonStream);
  return fromTemporaryCredentials(parsed)();
}
