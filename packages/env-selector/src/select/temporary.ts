import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { CredkitError } from '@credkit/temp-creds/errors';
import type { Prompter } from '@credkit/temp-creds/prompter';

export interface TemporaryKeys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

// The part of @credkit/temp-creds this package uses. It is imported lazily: the prompts and
// validation it brings are only needed when temporary credentials are chosen.
interface TempCredsApi {
  promptTemporaryCredentials(options: { prompter: Prompter }): Promise<TemporaryKeys>;
  fromTemporaryCredentials(credentials: TemporaryKeys): AwsCredentialIdentityProvider;
}

async function load(): Promise<TempCredsApi> {
  const api = (await import('@credkit/temp-creds')) as unknown as Partial<TempCredsApi>;
  if (
    typeof api.fromTemporaryCredentials !== 'function' ||
    typeof api.promptTemporaryCredentials !== 'function'
  ) {
    throw new CredkitError(
      'TEMP_CREDS_UNAVAILABLE',
      'This build of @credkit/temp-creds cannot take temporary credentials.',
      {
        hint: 'Install a version of @credkit/temp-creds that exports fromTemporaryCredentials and promptTemporaryCredentials.',
      },
    );
  }
  return api as TempCredsApi;
}

export const temporaryCredentials = {
  /** Keys given as flags: validated by temp-creds, never echoed. */
  async fromFlags(keys: TemporaryKeys): Promise<AwsCredentialIdentityProvider> {
    return (await load()).fromTemporaryCredentials(keys);
  },
  async fromPrompt(prompter: Prompter): Promise<AwsCredentialIdentityProvider> {
    const api = await load();
    return api.fromTemporaryCredentials(await api.promptTemporaryCredentials({ prompter }));
  },
};
