/**
 * `@credkit/app-chain/aws-request`: what credkit needs to call an AWS service without an SDK client
 * (the CLI's SSM store uses it): endpoint resolution, the SigV4 signer and the retry classes. The
 * same code signs STS GetCallerIdentity, so there is one signer and one endpoint rule set.
 */

// The retry classes are env-selector's (its STS error mapping reads them too): one table.
export {
  NETWORK_ERROR_CODES,
  THROTTLING_ERRORS,
  TRANSIENT_ERRORS,
  TRANSIENT_STATUS,
} from '@credkit/env-selector/providers';
export { type PostAnswer, postBounded } from './post.js';
export { type SigV4Request, signSigV4 } from './sigv4.js';
export { configuredEndpoint, serviceTarget } from './sts-endpoint.js';
