import { describe, expect, it } from 'vitest';
import { guestLink, guestToken } from './guest-link';

describe('guest links', () => {
  it('carry the secret after the # and read it back', () => {
    const link = guestLink('a-B_c9', 'https://telemed.example.in');
    expect(link).toBe('https://telemed.example.in/#guest=a-B_c9');
    expect(guestToken(new URL(link).hash)).toBe('a-B_c9');
  });

  it('are not mistaken for other addresses', () => {
    expect(guestToken('')).toBeUndefined();
    expect(guestToken('#guest=')).toBeUndefined();
    expect(guestToken('#records')).toBeUndefined();
  });
});
