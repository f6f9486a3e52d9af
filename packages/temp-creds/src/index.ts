export { CredkitError, type CredkitErrorOptions, isCredkitError, maskSecret } from './errors/index.js';
