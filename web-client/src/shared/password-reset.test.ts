import { describe, expect, it } from 'vitest';
import { passwordChangeProblems, passwordChangeRefusal, passwordProblem, resetToken } from './password-reset';

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

describe('changing a password', () => {
  it('asks for the current password and the new one typed the same twice, leaving its strength to the server', () => {
    expect(passwordChangeProblems('', 'short', 'shorter')).toEqual({ currentPassword: 'password.currentMissing', repeatPassword: 'reset.mismatch' });
    expect(passwordChangeProblems('old-password', 'short', 'short')).toEqual({});
  });

  it('puts the server\'s refusal on the field it names, in the reader\'s words', () => {
    expect(passwordChangeRefusal({ currentPassword: ['The current password is wrong.'] })).toEqual({ currentPassword: 'password.currentWrong' });
    expect(passwordChangeRefusal({ newPassword: ['Password must be at least 10 characters.'] })).toEqual({ newPassword: 'password.weak' });
    expect(passwordChangeRefusal({ other: ['Not a field of the form.'] })).toEqual({});
  });
});
