import { describe, expect, it } from 'vitest';
import { bannerFor, isTrouble, reconnectDelay } from './connection';

describe('bannerFor', () => {
  it('shows nothing while both connections are up', () => {
    expect(bannerFor('connected', 'connected', false)).toBeUndefined();
    expect(bannerFor('connected', 'none', false)).toBeUndefined();
  });

  it('shows the hub reconnecting, even while media still flows', () => {
    expect(bannerFor('reconnecting', 'connected', false)).toBe('reconnecting');
    expect(bannerFor('reconnecting', 'failed', true)).toBe('reconnecting');
  });

  it('shows the media reconnecting when the peer connection is disconnected or failed', () => {
    expect(bannerFor('connected', 'disconnected', false)).toBe('mediaReconnecting');
    expect(bannerFor('connected', 'failed', false)).toBe('mediaReconnecting');
  });

  it('keeps the banner through the new peer connection of a restart, until it connects', () => {
    expect(bannerFor('connected', 'new', true)).toBe('mediaReconnecting');
    expect(bannerFor('connected', 'connecting', true)).toBe('mediaReconnecting');
    expect(bannerFor('connected', 'connecting', false)).toBeUndefined();
  });

  it('says the device is offline above everything else, and restored once it is back', () => {
    expect(bannerFor('reconnecting', 'failed', true, true)).toBe('offline');
    expect(bannerFor('closed', 'none', false, true)).toBe('offline');
    expect(isTrouble('offline')).toBe(true);
    expect(bannerFor('connected', 'none', isTrouble('offline'))).toBe('restored');
  });

  it('says the connection is lost once the hub gave up, whatever the media does', () => {
    expect(bannerFor('closed', 'connected', true)).toBe('lost');
  });

  it('says it is restored after trouble', () => {
    expect(bannerFor('connected', 'connected', true)).toBe('restored');
  });

  it('counts reconnecting and lost as trouble, restored and nothing not', () => {
    expect(['reconnecting', 'mediaReconnecting', 'lost', 'restored', undefined].map(b => isTrouble(b as never))).toEqual([true, true, true, false, false]);
  });
});

describe('reconnectDelay', () => {
  it('retries at once, then after 1, 2 and 5 seconds, then every 10', () => {
    expect([0, 1, 2, 3, 4, 9].map(n => reconnectDelay(n, 1000))).toEqual([0, 1000, 2000, 5000, 10_000, 10_000]);
  });

  it('gives up once the grace period is over', () => {
    expect(reconnectDelay(12, 120_000)).toBeNull();
    expect(reconnectDelay(1, 30_000, 30_000)).toBeNull();
  });

  it('does not wait past the end of the grace period', () => {
    expect(reconnectDelay(8, 115_000)).toBe(5000);
  });
});
