import { describe, expect, it } from 'vitest';
import { ENV_CREDENTIAL_FLAGS, interpretCredentialFlags } from './flags.js';

describe('interpretCredentialFlags', () => {
  it('uses the CLI flag names', () => {
    expect(ENV_CREDENTIAL_FLAGS).toEqual({
      profile: '--profile',
      accessKeyId: '--aws-access-key-id',
      secretAccessKey: '--aws-secret-access-key',
      sessionToken: '--aws-session-token',
      credentialsStdin: '--credentials-stdin',
      region: '--region',
    });
  });

  it('reads every valid combination', () => {
    expect(interpretCredentialFlags()).toEqual({ kind: 'none' });
    expect(interpretCredentialFlags({ profile: 'p' })).toEqual({ kind: 'profile', profile: 'p' });
    expect(interpretCredentialFlags({ accessKeyId: 'A', secretAccessKey: 'S' })).toEqual({
      kind: 'keys',
      accessKeyId: 'A',
      secretAccessKey: 'S',
    });
    expect(
      interpretCredentialFlags({ accessKeyId: 'A', secretAccessKey: 'S', sessionToken: 'T' }),
    ).toMatchObject({
      sessionToken: 'T',
    });
  });
});
