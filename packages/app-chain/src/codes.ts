/** Error codes app-chain raises itself; profile resolution adds those of `ProfileErrorCode`. */
export const AppChainErrorCode = {
  NO_CREDENTIALS: 'NO_CREDENTIALS',
  ENV_CREDENTIALS_REFUSED: 'ENV_CREDENTIALS_REFUSED',
  ENV_CREDENTIALS_INCOMPLETE: 'ENV_CREDENTIALS_INCOMPLETE',
  ROOT_CREDENTIALS: 'ROOT_CREDENTIALS',
  REGION_MISSING: 'REGION_MISSING',
  REGION_INVALID: 'REGION_INVALID',
} as const;

export type AppChainErrorCode = (typeof AppChainErrorCode)[keyof typeof AppChainErrorCode];
