export {
  CredkitError,
  type CredkitErrorOptions,
  describeUntrusted,
  isCredkitError,
  maskSecret,
} from './errors/index.js';
