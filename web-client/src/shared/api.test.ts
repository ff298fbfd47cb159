import { afterEach, describe, expect, it, vi } from 'vitest';
import { Api, tokenExpiresAt, type Tokens } from './api';

const now = Date.UTC(2026, 10, 25, 10, 0, 0);
const base64url = (value: object) => btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
/** A JWT as the server shapes it (the signature is not checked by the client). */
const jwt = (expiresInSeconds: number, n = 0, claims: object = {}) =>
  `${base64url({ alg: 'ES256' })}.${base64url({ sub: 'a', n, exp: now / 1000 + expiresInSeconds, ...claims })}.sig`;
const tokens = (accessToken: string, accountId = 'a'): Tokens => ({ accountId, role: 'patient', accessToken });

/**
 * A stand-in for the server: /api/records answers 401 to any token but the current one; refresh rotates (the refresh
 * token itself is the browser's cookie, which no script sees). Each refresh request is kept to check what it carried.
 */
function server(options: { current: string; refreshTo?: Tokens; refreshStatus?: number }, refreshes: RequestInit[] = []) {
  const calls: string[] = [];
  const fetch = vi.fn(async (path: string, init: RequestInit = {}) => {
    const auth = (init.headers as Record<string, string> | undefined)?.Authorization;
    calls.push(`${path} ${auth ?? ''}`.trim());
    await new Promise(resolve => setTimeout(resolve, 1));
    if (path === '/api/auth/refresh') {
      refreshes.push(init);
      if (options.refreshStatus) return new Response(JSON.stringify({ title: 'Unauthorized' }), { status: options.refreshStatus });
      options.current = options.refreshTo!.accessToken;
      return new Response(JSON.stringify(options.refreshTo), { status: 200 });
    }
    if (path === '/api/auth/sign-in') return new Response(JSON.stringify({ detail: 'Email or password is wrong.' }), { status: 401 });
    return auth === `Bearer ${options.current}` ? new Response('[]', { status: 200 }) : new Response('', { status: 401 });
  });
  vi.stubGlobal('fetch', fetch);
  return calls;
}

afterEach(() => vi.unstubAllGlobals());

describe('tokenExpiresAt', () => {
  it('reads exp from the token', () => expect(tokenExpiresAt(jwt(60))).toBe(now + 60_000));
  it('cannot read what is not a JWT', () => expect(tokenExpiresAt('garbage')).toBeUndefined());
});

describe('Api refreshing the access token', () => {
  it('refreshes ahead of expiry, before the request leaves, through the cookie and not with a token of its own', async () => {
    const fresh = tokens(jwt(900, 1));
    const refreshes: RequestInit[] = [];
    const calls = server({ current: fresh.accessToken, refreshTo: fresh }, refreshes);
    const api = new Api(() => now);
    api.tokens = tokens(jwt(10));
    const refreshed: Tokens[] = [];
    api.onTokensRefreshed = t => refreshed.push(t);

    await api.get('/api/records');

    expect(calls).toEqual(['/api/auth/refresh', `/api/records Bearer ${fresh.accessToken}`]);
    expect(refreshed).toEqual([fresh]);
    expect(api.tokens).toEqual(fresh);
    // No body and no bearer token: the browser sends the HttpOnly cookie by itself (same origin), and the header names it.
    expect(refreshes).toEqual([{ method: 'POST', headers: { 'Telemed-Refresh': 'own' } }]);
    expect(JSON.stringify(api.tokens)).not.toMatch(/refresh/i);
  });

  it('asks for the refresh token as a cookie when signing in', async () => {
    const init: RequestInit[] = [];
    vi.stubGlobal('fetch', vi.fn(async (_path: string, request: RequestInit) => {
      init.push(request);
      return new Response(JSON.stringify(tokens(jwt(900))), { status: 200 });
    }));
    const api = new Api(() => now);

    await api.post('/api/auth/otp/verify', { mobile: '9876543210', code: '123456' });

    expect(init[0].headers).toEqual({ 'Content-Type': 'application/json', 'Telemed-Refresh': 'own' });
    expect(init[0].credentials).not.toBe('omit');
  });

  it("refreshes a family member's sign-in with the cookie it is kept in, beside the guardian's own", async () => {
    const acting = (expiresIn: number, n: number) => tokens(jwt(expiresIn, n, { act: { sub: 'guardian' } }), 'child');
    const fresh = acting(900, 1);
    const refreshes: RequestInit[] = [];
    server({ current: fresh.accessToken, refreshTo: fresh }, refreshes);
    const api = new Api(() => now);
    api.tokens = acting(10, 0);

    await api.get('/api/records');

    expect(refreshes.map(r => (r.headers as Record<string, string>)['Telemed-Refresh'])).toEqual(['acting']);
    expect(api.tokens).toEqual(fresh);
  });

  it("ends the tab's session rather than take over another account's sign-in from the browser's cookie", async () => {
    const someoneElse = tokens(jwt(900, 1), 'b');
    server({ current: someoneElse.accessToken, refreshTo: someoneElse });
    const api = new Api(() => now);
    api.tokens = tokens(jwt(-60));
    const expired = vi.fn();
    api.onSessionExpired = expired;

    await expect(api.get('/api/records')).rejects.toThrow(/session has expired/);

    expect(expired).toHaveBeenCalledTimes(1);
    expect(api.tokens).toBeUndefined();
  });

  it('refreshes once when several requests are refused at once, and repeats each', async () => {
    const fresh = tokens(jwt(900, 1));
    const calls = server({ current: fresh.accessToken, refreshTo: fresh });
    const api = new Api(() => now);
    api.tokens = tokens(jwt(600));

    await Promise.all([api.get('/api/records'), api.get('/api/records'), api.get('/api/records')]);

    expect(calls.filter(c => c === '/api/auth/refresh')).toHaveLength(1);
    expect(calls.filter(c => c === `/api/records Bearer ${fresh.accessToken}`)).toHaveLength(3);
  });

  it('gives the hub a refreshed token when the one it has is about to expire', async () => {
    const fresh = tokens(jwt(900, 1));
    server({ current: fresh.accessToken, refreshTo: fresh });
    const api = new Api(() => now);
    api.tokens = tokens(jwt(5));
    expect(await api.accessToken()).toBe(fresh.accessToken);
    expect(await api.accessToken()).toBe(fresh.accessToken);
  });

  it('ends the session once when the refresh is refused, and says so', async () => {
    const calls = server({ current: 'none', refreshStatus: 401 });
    const api = new Api(() => now);
    api.tokens = tokens(jwt(-60));
    const expired = vi.fn();
    api.onSessionExpired = expired;

    const results = await Promise.allSettled([api.get('/api/records'), api.get('/api/records')]);

    expect(results.map(r => r.status)).toEqual(['rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason.message).toMatch(/session has expired/);
    expect(expired).toHaveBeenCalledTimes(1);
    expect(api.tokens).toBeUndefined();
    expect(calls).toEqual(['/api/auth/refresh']);
  });

  it('keeps the session when the refresh cannot reach the server', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('Failed to fetch'); }));
    const api = new Api(() => now);
    const before = tokens(jwt(-60));
    api.tokens = before;
    const expired = vi.fn();
    api.onSessionExpired = expired;

    await expect(api.get('/api/records')).rejects.toThrow('No connection: this did not reach the clinic. Try again once the connection is back.');
    expect(expired).not.toHaveBeenCalled();
    expect(api.tokens).toBe(before);
  });

  it('does not refresh when a sign-in itself is refused', async () => {
    const calls = server({ current: 'none' });
    const api = new Api(() => now);
    await expect(api.post('/api/auth/sign-in', { email: 'x', password: 'y' })).rejects.toThrow('Email or password is wrong.');
    expect(calls).toEqual(['/api/auth/sign-in']);
  });

  it('sends a change of password as the signed-in account', async () => {
    const current = jwt(900);
    const calls = server({ current });
    const api = new Api(() => now);
    api.tokens = tokens(current);
    await api.post('/api/auth/password', { currentPassword: 'x', newPassword: 'y' });
    expect(calls).toEqual([`/api/auth/password Bearer ${current}`]);
  });
});
