import { describe, expect, it } from 'vitest';
import { applicationServerKey } from './push';

describe('web push', () => {
  it('turns the base64url VAPID key into the 65 bytes of its P-256 point', () => {
    const bytes = new Uint8Array(65).map((_, i) => (i * 37) % 256);
    bytes[0] = 4;
    const base64url = btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    expect(applicationServerKey(base64url)).toEqual(bytes);
  });
});
