export { parseExportedCredentials, readExportedCredentials } from './exported.js';
export {
  ACCESS_KEY_ID_LENGTH,
  type CredentialField,
  type KeyType,
  MAX_FIELD_LENGTH,
  SECRET_ACCESS_KEY_LENGTH,
  SESSION_TOKEN_LENGTH,
} from './fields.js';
export {
  FIELD_NAMES,
  type ParseOptions,
  parseTemporaryCredentials,
  type TemporaryCredentials,
  type TemporaryCredentialsInput,
  type TemporaryCredentialsSource,
} from './parse.js';
export {
  PROMPT_MESSAGES,
  type PromptTemporaryCredentialsOptions,
  promptTemporaryCredentials,
} from './prompt.js';
export {
  describeTemporaryCredentials,
  type FromTemporaryCredentialsOptions,
  fromTemporaryCredentials,
  type TemporaryCredentialIdentity,
  type TemporaryCredentialsProvider,
  type TemporaryCredentialsSourceDescription,
} from './provider.js';
export {
  DEFAULT_JSON_MAX_BYTES,
  type JsonStream,
  parseCredentialProcessJson,
  type ReadJsonOptions,
  readTemporaryCredentialsFromEnv,
  readTemporaryCredentialsFromFlags,
  readTemporaryCredentialsJson,
  type TemporaryCredentialsFlags,
} from './sources.js';
