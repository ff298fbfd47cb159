import { t } from './i18n';
import { reachingServer } from './offline';
import { serverMessage } from './server-errors';

/** A clinical safety check's warning on a prescription (422 SafetyWarnings): its code, the line (medicine index) or null, and the server's sentence. */
export interface SafetyWarning { code: string; line: number | null; message: string }

/** The RFC 7807 body of a refusal: a title and detail, or the invalid fields (ValidationProblemDetails), or a prescription's safety warnings. */
export interface Problem { title?: string; detail?: string; code?: string; errors?: Record<string, string[]>; warnings?: SafetyWarning[] }

/** The REST API with the signed-in account's bearer token. Errors carry the server's problem detail. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly problem?: Problem) {
    super(message);
  }

  /** The invalid fields (field name → messages), for forms that show each message next to its field. */
  get fields(): Record<string, string[]> {
    return this.problem?.errors ?? {};
  }
}

/**
 * A sign-in as the page holds it. The refresh token is not here: the server keeps it in an HttpOnly cookie that no
 * script can read, and refreshes with it when asked (below).
 */
export interface Tokens {
  accountId: string;
  role: 'patient' | 'doctor' | 'pharmacist' | 'admin' | 'health-officer' | 'health-worker' | 'guest';
  accessToken: string;
}

/** The claims of an access token (a JWT); undefined when it cannot be read. */
function claims(accessToken: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(atob(accessToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** When an access token expires, in ms since the epoch; undefined when it cannot be read. */
export function tokenExpiresAt(accessToken: string): number | undefined {
  const exp = claims(accessToken)?.exp;
  return typeof exp === 'number' ? exp * 1000 : undefined;
}

/**
 * Every request asks for refresh tokens as cookies (the server then leaves them out of its answers) and names the one
 * a refresh means: a guardian consulting for a family member holds that sign-in (its tokens carry `act`) in a cookie of
 * its own, beside their own. A page of another origin cannot send this header without the server's CORS approval, so
 * the server reads the cookies only when it comes.
 */
const refreshHeader = 'Telemed-Refresh';
export type RefreshCookie = 'own' | 'acting';
export const refreshCookie = (tokens?: Tokens): RefreshCookie => (tokens && claims(tokens.accessToken)?.act ? 'acting' : 'own');

/**
 * What the tabs of this browser tell each other on their channel: one refreshed (the others take its access token
 * rather than refresh again), or signed out (the others leave too: the cookies are gone).
 */
type TabMessage = { kind: 'refreshed'; tokens: Tokens } | { kind: 'signed-out' };

/** How the tabs of this browser share one pair of refresh cookies; without them (tests, old browsers) a tab is on its own. */
export interface Tabs {
  /** Web Locks: one refresh at a time across the tabs, so each sends the cookie the one before it left. */
  locks?: Pick<LockManager, 'request'>;
  channel?: BroadcastChannel;
}

/** The web lock every tab takes to refresh or sign out with the cookies. */
const refreshLock = 'telemed.refresh';

/**
 * A request to the server. One that never got there (no network) tells the page it is offline and fails in the
 * reader's language, with status 0: no answer came.
 */
async function send(path: string, init: RequestInit): Promise<Response> {
  try {
    return await reachingServer(() => fetch(path, init));
  } catch (failure) {
    if (failure instanceof TypeError) throw new ApiError(0, t('offline.notSent'));
    throw failure;
  }
}

// Refreshed this long before it expires, so a request never leaves with a token that lapses on the way.
const refreshAhead = 30_000;

/**
 * Access tokens live 15 minutes; the API refreshes them without the person noticing: ahead of expiry before a request
 * (and for the hub's connections), and once more when the server still answers 401. The access token lives only in
 * this object — never in storage a script could read after a reload — and a reload gets a fresh one from the refresh
 * cookie (`resume`). Refresh tokens are single-use, and a second refresh with the same one would end the whole session
 * as stolen: so one refresh at a time in the tab, and across the browser's tabs one at a time under a web lock, each
 * sending the cookie the refresh before it left; a tab that finds another has just refreshed takes its access token
 * instead (their channel). The refresh token travels only in its cookie, which the browser sends to /api/auth by itself.
 */
export class Api {
  tokens?: Tokens;
  /** The session cannot be refreshed any more: the person must sign in again. */
  onSessionExpired?: () => void;
  /** Another tab signed out: the browser's cookies are gone, and this tab must leave as well. */
  onSignedOutElsewhere?: () => void;
  private refreshing?: Promise<void>;

  constructor(private readonly now: () => number = Date.now, private readonly tabs: Tabs = {}) {
    tabs.channel?.addEventListener('message', event => this.heard((event as MessageEvent<TabMessage>).data));
  }

  private heard(message: TabMessage) {
    if (message.kind === 'signed-out') {
      if (!this.tokens) return;
      this.tokens = undefined;
      this.onSignedOutElsewhere?.();
      return;
    }
    if (this.fresherFromAnotherTab(message.tokens)) this.tokens = message.tokens;
  }

  /** Tokens another tab refreshed, for this tab's own sign-in (same account, same cookie) and newer than its own. */
  private fresherFromAnotherTab(tokens: Tokens): boolean {
    const mine = this.tokens;
    return mine !== undefined && tokens.accountId === mine.accountId && refreshCookie(tokens) === refreshCookie(mine)
      && (tokenExpiresAt(tokens.accessToken) ?? 0) > (tokenExpiresAt(mine.accessToken) ?? 0);
  }

  /** Runs a use of the cookies alone among the browser's tabs (the web lock), or as it is without Web Locks. */
  private exclusively<T>(use: () => Promise<T>): Promise<T> {
    return this.tabs.locks ? this.tabs.locks.request(refreshLock, use) as Promise<T> : use();
  }

  async send<T>(method: string, path: string, body?: unknown): Promise<T> {
    return (await this.versioned<T>(method, path, body)).value;
  }

  /** A request that reads the stream version (ETag) and, for a change, sends the one it was based on (If-Match). */
  async versioned<T>(method: string, path: string, body?: unknown, ifMatch?: string): Promise<{ value: T; etag?: string }> {
    const headers: Record<string, string> = {};
    // A form (files) goes as multipart: the browser writes its Content-Type with the boundary.
    const form = body instanceof FormData;
    if (body !== undefined && !form) headers['Content-Type'] = 'application/json';
    if (ifMatch) headers['If-Match'] = ifMatch;
    const response = await this.fetch(path, { method, headers, body: body === undefined ? undefined : form ? body as FormData : JSON.stringify(body) });
    return Api.read<T>(response);
  }

  private static async read<T>(response: Response): Promise<{ value: T; etag?: string }> {
    const text = await response.text();
    const json = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      const fields = json?.errors ? Object.values(json.errors as Record<string, string[]>).flat().join(' ') : '';
      throw new ApiError(response.status, fields || serverMessage(json?.code, json?.detail || json?.title || response.statusText), json as Problem | undefined);
    }
    return { value: json as T, etag: response.headers.get('ETag') ?? undefined };
  }

  /** A file the API serves only to the signed-in owner (a PDF, a FHIR document), saved under its own name. */
  async download(path: string, fileName: string) {
    const response = await this.fetch(path, { headers: {} });
    if (!response.ok) throw new ApiError(response.status, response.statusText);
    const link = Object.assign(document.createElement('a'), { href: URL.createObjectURL(await response.blob()), download: fileName });
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  }

  /** The body of an answer as bytes, unread (a sample timed by the pre-call test). */
  async bytes(path: string): Promise<ArrayBuffer> {
    const response = await this.fetch(path, { headers: {} });
    if (!response.ok) throw new ApiError(response.status, response.statusText);
    return response.arrayBuffer();
  }

  /** A current access token, for the hub's (re)connections; refreshed first when it is about to expire. */
  async accessToken(): Promise<string> {
    if (!this.tokens) throw new ApiError(401, t('session.expired'));
    if (this.expiresSoon(this.tokens)) await this.refresh();
    return this.tokens!.accessToken;
  }

  private expiresSoon(tokens: Tokens): boolean {
    const expiresAt = tokenExpiresAt(tokens.accessToken);
    return expiresAt === undefined || expiresAt - this.now() < refreshAhead;
  }

  /**
   * The sign-in a reloaded tab had, from the refresh cookie it names: the page keeps no token across a reload. Undefined
   * when the browser holds none any more or the server refuses it (signed out, expired); a network failure throws.
   */
  async resume(cookie: RefreshCookie): Promise<Tokens | undefined> {
    const response = await this.exclusively(() => this.refreshWith(cookie));
    if (response.status === 400 || response.status === 401) return undefined;
    this.tokens = (await Api.read<Tokens>(response)).value;
    return this.tokens;
  }

  /**
   * Signs out: the server ends the sign-in (and a guardian's, when consulting for a family member) and clears both
   * cookies, and the other tabs are told to leave. Refused or unreachable, it throws and the tab stays signed in.
   */
  async signOut(): Promise<void> {
    const cookie = refreshCookie(this.tokens);
    const response = await this.exclusively(() => send('/api/auth/sign-out', { method: 'POST', headers: { [refreshHeader]: cookie } }));
    // 401: the browser held no sign-in any more (another tab ended it): signed out all the same.
    if (response.status !== 401) await Api.read(response);
    this.tokens = undefined;
    this.tabs.channel?.postMessage({ kind: 'signed-out' } satisfies TabMessage);
  }

  /**
   * Sends with the bearer token, when signed in. The sign-in endpoints go without it: they answer 401 for a wrong
   * password, which no refresh mends; changing one's own password is the signed-in account's request.
   */
  private async fetch(path: string, request: RequestInit & { headers: Record<string, string> }): Promise<Response> {
    const init = { ...request, headers: { ...request.headers, [refreshHeader]: refreshCookie(this.tokens) } };
    if (!this.tokens || (path.startsWith('/api/auth/') && path !== '/api/auth/password')) return send(path, init);
    const sent = await this.accessToken();
    const response = await send(path, { ...init, headers: { ...init.headers, Authorization: `Bearer ${sent}` } });
    if (response.status !== 401) return response;
    // Rejected although not expired by our clock (the server's clock, a key rotation): refresh, unless another request did meanwhile.
    if (this.tokens?.accessToken === sent) await this.refresh();
    return send(path, { ...init, headers: { ...init.headers, Authorization: `Bearer ${await this.accessToken()}` } });
  }

  private refresh(): Promise<void> {
    this.refreshing ??= this.exchange().finally(() => { this.refreshing = undefined; });
    return this.refreshing;
  }

  private async exchange(): Promise<void> {
    const before = this.tokens;
    if (!before) throw this.expired();
    const refreshed = await this.exclusively(async () => {
      // Another tab may have refreshed while this one waited for the lock: its token does, and the cookie stays as it left it.
      if (this.tokens && this.tokens !== before && !this.expiresSoon(this.tokens)) return this.tokens;
      // A network failure throws here and leaves the session as it is: only the server's refusal ends it.
      const response = await this.refreshWith(refreshCookie(before));
      if (response.status === 400 || response.status === 401) return undefined;
      if (!response.ok) throw new ApiError(response.status, response.statusText);
      return await response.json() as Tokens;
    });
    // The cookie is the browser's, not the tab's: after someone else signed in in another tab, it holds their sign-in,
    // which this tab must not take over.
    if (!refreshed || refreshed.accountId !== before.accountId) throw this.expired();
    if (refreshed === this.tokens) return;
    this.tokens = refreshed;
    this.tabs.channel?.postMessage({ kind: 'refreshed', tokens: refreshed } satisfies TabMessage);
  }

  private refreshWith(cookie: RefreshCookie): Promise<Response> {
    return send('/api/auth/refresh', { method: 'POST', headers: { [refreshHeader]: cookie } });
  }

  private expired(): ApiError {
    if (this.tokens) {
      this.tokens = undefined;
      this.onSessionExpired?.();
    }
    return new ApiError(401, t('session.expired'));
  }

  get = <T>(path: string) => this.send<T>('GET', path);
  post = <T>(path: string, body?: unknown) => this.send<T>('POST', path, body ?? {});
  put = <T>(path: string, body: unknown, ifMatch?: string) => this.versioned<T>('PUT', path, body, ifMatch);
}
