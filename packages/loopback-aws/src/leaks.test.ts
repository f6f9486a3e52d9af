import { describe, expect, it } from 'vitest';
import { leaksNone } from './leaks.js';

class CodedError extends Error {
  readonly hint = 'hint text';
  readonly details = { profile: 'p' };
  toJSON() {
    return { message: this.message, hint: this.hint, details: this.details };
  }
}

describe('leaksNone', () => {
  it('finds a secret in the message, the hint, details, or any own property', async () => {
    expect(leaksNone('s3cret')(new Error('has s3cret'))).toBe(false);
    expect(leaksNone('hint text')(new CodedError('m'))).toBe(false);
    const detailed = Object.assign(new CodedError('m'), { details: { token: 'tok-1' } });
    expect(leaksNone('tok-1')(detailed)).toBe(false);
    expect(leaksNone('sdk-secret')(Object.assign(new Error('x'), { $response: 'sdk-secret' }))).toBe(false);
    await expect(Promise.reject(new Error('has s3cret'))).rejects.not.toSatisfy(leaksNone('s3cret'));
  });

  it('passes a clean error, ignores undefined secrets, survives a circular one', async () => {
    const circular: Record<string, unknown> = { message: 'loop' };
    circular.self = circular;
    expect(leaksNone('s3cret', undefined, '')(new CodedError('clean'))).toBe(true);
    expect(leaksNone('s3cret')(circular)).toBe(true);
    await expect(Promise.reject(new Error('clean'))).rejects.toSatisfy(leaksNone('s3cret'));
  });
});
