import type { Clock } from '../clock.js';
import { maskSecret } from '../errors/index.js';
import type { Prompter } from '../prompter/types.js';
import {
  checkAccessKeyId,
  checkSecretAccessKey,
  checkSessionToken,
  keyTypeOf,
  SESSION_TOKEN_LENGTH,
  trimPasted,
} from './fields.js';
import {
  describeFieldProblem,
  parseTemporaryCredentials,
  type TemporaryCredentials,
  type TemporaryCredentialsInput,
} from './parse.js';

export const PROMPT_MESSAGES = {
  accessKeyId: "What's your AWS Access Key ID?",
  secretAccessKey: "What's your AWS Secret Access Key?",
  sessionToken: "What's your AWS Session Token?",
} as const;

export interface PromptTemporaryCredentialsOptions {
  prompter: Prompter;
  /** Offered masked and kept when the user just presses enter, e.g. after a failed attempt. */
  defaults?: TemporaryCredentialsInput | undefined;
  /** The clock, for expiry checks (default: `Date.now`). */
  now?: Clock | undefined;
}

/**
 * Asks for the access key ID, then the secret access key and session token (both hidden). Every
 * answer is checked as it is entered; the token may be left empty only for a long-term AKIA key.
 */
export async function promptTemporaryCredentials(
  options: PromptTemporaryCredentialsOptions,
): Promise<TemporaryCredentials> {
  const { prompter, defaults = {} } = options;
  const keyDefault = nonEmpty(defaults.accessKeyId);
  const typedKey = await prompter.input({
    message: PROMPT_MESSAGES.accessKeyId,
    ...(keyDefault === undefined ? {} : { help: `press enter to keep ${maskSecret(keyDefault)}` }),
    maxLength: 1024,
    validate: (value) => {
      const found = checkAccessKeyId(value.trim() === '' && keyDefault !== undefined ? keyDefault : value);
      return found === undefined ? true : describeFieldProblem('accessKeyId', found);
    },
  });
  const accessKeyId = trimPasted(typedKey) === '' && keyDefault !== undefined ? keyDefault : typedKey;

  const secretDefault = nonEmpty(defaults.secretAccessKey);
  const secretAccessKey = await prompter.secret({
    message: PROMPT_MESSAGES.secretAccessKey,
    ...(secretDefault === undefined ? {} : { default: secretDefault }),
    maxLength: 1024,
    validate: (value) => {
      const found = checkSecretAccessKey(value);
      return found === undefined ? true : describeFieldProblem('secretAccessKey', found);
    },
  });

  const temporary = keyTypeOf(trimPasted(accessKeyId)) === 'temporary';
  // A token default only makes sense for the ASIA key it was issued with.
  const tokenDefault = temporary ? nonEmpty(defaults.sessionToken) : undefined;
  const sessionToken = await prompter.secret({
    message: PROMPT_MESSAGES.sessionToken,
    help: temporary ? 'required for ASIA keys' : 'leave empty for a long-term AKIA key',
    ...(tokenDefault === undefined ? {} : { default: tokenDefault }),
    // Room for the longest accepted token plus pasted whitespace, so an over-long one gets a
    // precise message rather than INPUT_TOO_LARGE.
    maxLength: 2 * SESSION_TOKEN_LENGTH.max,
    validate: (value) => {
      const found = checkSessionToken(value, accessKeyId);
      return found === undefined ? true : describeFieldProblem('sessionToken', found);
    },
  });

  return parseTemporaryCredentials(
    { accessKeyId, secretAccessKey, sessionToken, expiration: defaults.expiration },
    { source: 'prompt', now: options.now },
  );
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || trimPasted(value) === '' ? undefined : value;
}
