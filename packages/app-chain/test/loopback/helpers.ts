import {
  type AwsHome,
  type AwsHomeOptions,
  type LoopbackAws,
  startLoopbackAws,
  tempAwsHomes,
} from '@credkit/loopback-aws';
import { afterAll, afterEach, beforeAll } from 'vitest';

export type Env = Record<string, string | undefined>;

/** One loopback AWS per test file, and temporary AWS homes removed after each test. */
export function useLoopback() {
  const state: { aws: LoopbackAws } = {} as { aws: LoopbackAws };
  const tempHome = tempAwsHomes(afterEach);
  beforeAll(async () => {
    state.aws = await startLoopbackAws();
  });
  afterEach(async () => {
    state.aws.clearFaults();
  });
  afterAll(async () => {
    await state.aws.close();
  });
  return {
    get aws() {
      return state.aws;
    },
    /** A temp AWS home plus the STS/SSO loopback endpoints; IMDS off and no container unless added. */
    async home(options: AwsHomeOptions, extra: Env = {}): Promise<{ home: AwsHome; env: Env }> {
      const home = await tempHome(options);
      const env: Env = {
        ...home.env,
        PATH: process.env.PATH,
        AWS_ENDPOINT_URL_STS: state.aws.env.AWS_ENDPOINT_URL_STS,
        AWS_ENDPOINT_URL_SSO: state.aws.env.AWS_ENDPOINT_URL_SSO,
        AWS_ENDPOINT_URL_SSO_OIDC: state.aws.env.AWS_ENDPOINT_URL_SSO_OIDC,
        AWS_EC2_METADATA_DISABLED: 'true',
        ...extra,
      };
      return { home, env };
    },
  };
}

/**
 * For tests that expect the loopback instance metadata or container endpoint to answer: the 1 s
 * default is a bound on a real host; on a busy CI machine the loopback server can take longer, so
 * these tests wait as long as a hang guard (the standard setting, in seconds), not as long as a host.
 */
export const LOOPBACK_METADATA_TIMEOUT = { AWS_METADATA_SERVICE_TIMEOUT: '60' };

export const keys = (k: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
  `aws_access_key_id = ${k.accessKeyId}\naws_secret_access_key = ${k.secretAccessKey}\n${k.sessionToken ? `aws_session_token = ${k.sessionToken}\n` : ''}`;
