import { describe, expect, it } from 'vitest';
import { CredkitError, isCredkitError, maskSecret } from './index.js';

describe('CredkitError', () => {
  it('carries code, hint, exit code and details, and serialises without a stack', () => {
    const error = new CredkitError('PROFILE_NOT_FOUND', 'Profile "x" not found in /tmp/config.', {
      hint: 'Add [profile x].',
      exitCode: 2,
      details: { profile: 'x' },
    });
    expect(error.exitCode).toBe(2);
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      code: 'PROFILE_NOT_FOUND',
      message: 'Profile "x" not found in /tmp/config.',
      hint: 'Add [profile x].',
      details: { profile: 'x' },
    });
  });

  it('is recognised by shape and code, not only by instanceof', () => {
    const copy = Object.assign(new Error('m'), { name: 'CredkitError', code: 'A', exitCode: 1 });
    expect(isCredkitError(copy)).toBe(true);
    expect(isCredkitError(copy, 'A')).toBe(true);
    expect(isCredkitError(copy, 'B')).toBe(false);
    expect(isCredkitError(new Error('plain'))).toBe(false);
    expect(isCredkitError(null)).toBe(false);
  });
});

describe('maskSecret', () => {
  it('masks like the AWS CLI: 16 stars then the last four characters', () => {
    expect(maskSecret('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')).toBe('****************EKEY');
    expect(maskSecret('abc')).toBe('****************');
  });
});
