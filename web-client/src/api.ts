/** The REST API with the signed-in account's bearer token. Errors carry the server's problem detail. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export interface Tokens {
  accountId: string;
  role: 'patient' | 'doctor' | 'pharmacist' | 'admin';
  accessToken: string;
  refreshToken: string;
}

export class Api {
  tokens?: Tokens;

  async send<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.tokens) headers.Authorization = `Bearer ${this.tokens.accessToken}`;
    const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    const json = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      const fields = json?.errors ? Object.values(json.errors as Record<string, string[]>).flat().join(' ') : '';
      throw new ApiError(response.status, fields || json?.detail || json?.title || response.statusText);
    }
    return json as T;
  }

  get = <T>(path: string) => this.send<T>('GET', path);
  post = <T>(path: string, body?: unknown) => this.send<T>('POST', path, body ?? {});
}
