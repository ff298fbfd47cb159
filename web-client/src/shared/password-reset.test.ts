import { describe, expect, it } from 'vitest';
import { passwordProblem, resetToken } from './password-reset';

describe('password reset page', () => {
  it('reads the token from the e-mailed link', () => {
    expect(resetToken('?token=0193abc.def-_G')).toBe('0193abc.def-_G');
    expect(resetToken('?token=%20')).toBeUndefined();
    expect(resetToken('')).toBeUndefined();
  });

  it('asks for ten characters typed the same twice', () => {
    expect(passwordProblem('short', 'short')).toBe('reset.tooShort');
    expect(passwordProblem('a-long-password', 'a-long-passw0rd')).toBe('reset.mismatch');
    expect(passwordProblem('a-long-password', 'a-long-password')).toBeUndefined();
  });
});
