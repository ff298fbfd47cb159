import { afterEach, describe, expect, it, vi } from 'vitest';
import { Api, tokenExpiresAt, type Tabs, type Tokens } from './api';

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

    await api.get('/api/records');

    expect(calls).toEqual(['/api/auth/refresh', `/api/records Bearer ${fresh.accessToken}`]);
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

/**
 * The browser's tabs as the server sees them: one refresh cookie for all, rotated by each refresh; a rotated one that
 * comes back is reuse and ends the session. The new cookie reaches the browser with the answer, a moment after the
 * server rotated it — the window in which a second tab would still send the old one.
 */
function browser() {
  let cookie = 0;
  let issued = 0;
  let ended = false;
  const used = new Set<number>();
  const refreshes: number[] = [];
  vi.stubGlobal('fetch', vi.fn(async (path: string) => {
    const sent = cookie;
    refreshes.push(sent);
    await new Promise(resolve => setTimeout(resolve, 5));
    if (path === '/api/auth/sign-out') {
      ended = true;
      return new Response(null, { status: 204 });
    }
    if (ended || used.has(sent)) {
      ended = true;
      return new Response(JSON.stringify({ title: 'Unauthorized' }), { status: 401 });
    }
    used.add(sent);
    issued += 1;
    const answer = tokens(jwt(900, issued));
    await new Promise(resolve => setTimeout(resolve, 5));
    cookie = issued;
    return new Response(JSON.stringify(answer), { status: 200 });
  }));
  return { refreshes, ended: () => ended };
}

/** Web Locks as the browser grants them: one holder of a name at a time, in the order asked. */
function locks(): Tabs['locks'] {
  let last: Promise<unknown> = Promise.resolve();
  return {
    request: ((_name: string, use: () => Promise<unknown>) => {
      const turn = last.then(use);
      last = turn.catch(() => undefined);
      return turn;
    }) as unknown as LockManager['request'],
  };
}

describe('Api across the browser\'s tabs', () => {
  const channels: BroadcastChannel[] = [];
  const tab = (shared: Pick<LockManager, 'request'> | undefined, name: string) => {
    const channel = new BroadcastChannel(name);
    channels.push(channel);
    const api = new Api(() => now, { locks: shared, channel });
    api.tokens = tokens(jwt(10));
    return api;
  };
  afterEach(() => {
    for (const channel of channels.splice(0)) channel.close();
  });

  it('refreshes one tab at a time, so two tabs refreshing at once both stay signed in', async () => {
    const server = browser();
    const shared = locks();
    const name = `tabs-${Math.random()}`;
    const [first, second] = [tab(shared, name), tab(shared, name)];

    await Promise.all([first.accessToken(), second.accessToken()]);

    expect(server.ended()).toBe(false);
    expect(first.tokens).toBeDefined();
    expect(second.tokens).toBeDefined();
    // The second tab sent the cookie the first one's refresh left, never the one it rotated.
    expect(new Set(server.refreshes).size).toBe(server.refreshes.length);
  });

  it('without the lock the second refresh looks like a stolen token and the session ends (what the lock prevents)', async () => {
    const server = browser();
    const name = `tabs-${Math.random()}`;
    const [first, second] = [tab(undefined, name), tab(undefined, name)];

    const results = await Promise.allSettled([first.accessToken(), second.accessToken()]);

    expect(results.map(r => r.status)).toContain('rejected');
    expect(server.ended()).toBe(true);
  });

  it('takes the token another tab has just refreshed instead of refreshing again', async () => {
    const server = browser();
    const shared = locks();
    const name = `tabs-${Math.random()}`;
    const [first, second] = [tab(shared, name), tab(shared, name)];

    await first.accessToken();
    await new Promise(resolve => setTimeout(resolve, 10));

    expect(second.tokens).toEqual(first.tokens);
    expect(await second.accessToken()).toBe(first.tokens!.accessToken);
    expect(server.refreshes).toHaveLength(1);
  });

  it('signs every tab out when one signs out', async () => {
    browser();
    const name = `tabs-${Math.random()}`;
    const [first, second] = [tab(locks(), name), tab(locks(), name)];
    const left = vi.fn();
    second.onSignedOutElsewhere = left;

    await first.signOut();
    await new Promise(resolve => setTimeout(resolve, 10));

    expect(first.tokens).toBeUndefined();
    expect(second.tokens).toBeUndefined();
    expect(left).toHaveBeenCalledTimes(1);
  });

  it('resumes a reloaded tab from the cookie, and finds nothing to resume once the sign-in has ended', async () => {
    const server = browser();
    const api = new Api(() => now);

    const resumed = await api.resume('own');

    expect(resumed?.accessToken).toBeDefined();
    expect(api.tokens).toEqual(resumed);
    await api.signOut();
    expect(server.ended()).toBe(true);
    expect(await new Api(() => now).resume('own')).toBeUndefined();
  });
});
