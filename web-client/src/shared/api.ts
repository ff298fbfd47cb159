import { t } from './i18n';
import { reachingServer } from './offline';
import { serverMessage } from './server-errors';

/** The RFC 7807 body of a refusal: a title and detail, or the invalid fields (ValidationProblemDetails). */
export interface Problem { title?: string; detail?: string; code?: string; errors?: Record<string, string[]> }

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
  role: 'patient' | 'doctor' | 'pharmacist' | 'admin' | 'health-officer' | 'health-worker';
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
const refreshCookie = (tokens?: Tokens) => (tokens && claims(tokens.accessToken)?.act ? 'acting' : 'own');

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
 * (and for the hub's connections), and once more when the server still answers 401. One refresh at a time, because
 * refresh tokens are single-use and a second refresh with the same one would end the whole session as stolen. The
 * refresh token travels only in its cookie, which the browser sends to /api/auth by itself.
 */
export class Api {
  tokens?: Tokens;
  /** Told of the new tokens after each refresh (the page keeps them across reloads). */
  onTokensRefreshed?: (tokens: Tokens) => void;
  /** The session cannot be refreshed any more: the person must sign in again. */
  onSessionExpired?: () => void;
  private refreshing?: Promise<void>;

  constructor(private readonly now: () => number = Date.now) {}

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
    const expiresAt = tokenExpiresAt(this.tokens.accessToken);
    if (expiresAt === undefined || expiresAt - this.now() < refreshAhead) await this.refresh();
    return this.tokens!.accessToken;
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
    // A network failure throws here and leaves the session as it is: only the server's refusal ends it.
    const response = await send('/api/auth/refresh', { method: 'POST', headers: { [refreshHeader]: refreshCookie(before) } });
    if (response.status === 400 || response.status === 401) throw this.expired();
    if (!response.ok) throw new ApiError(response.status, response.statusText);
    const refreshed = await response.json() as Tokens;
    // The cookie is the browser's, not the tab's: after someone else signed in in another tab, it holds their sign-in,
    // which this tab must not take over.
    if (refreshed.accountId !== before.accountId) throw this.expired();
    this.tokens = refreshed;
    this.onTokensRefreshed?.(this.tokens);
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
