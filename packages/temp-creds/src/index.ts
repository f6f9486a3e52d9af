/**
 * @credkit/temp-creds: enter, validate and use temporary AWS credentials. Importing this entry is
 * cheap: no SDK client and no prompt library is loaded until a prompt is actually shown.
 */
export type { Clock } from './clock.js';
export * from './credentials/index.js';
export {
  CredkitError,
  type CredkitErrorOptions,
  describeUntrusted,
  isCredkitError,
  maskSecret,
} from './errors/index.js';
