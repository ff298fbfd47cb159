/** The REST API with the signed-in account's bearer token. Errors carry the server's problem detail. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export interface Tokens {
  accountId: string;
  role: 'patient' | 'doctor' | 'pharmacist' | 'admin' | 'health-officer';
  accessToken: string;
  refreshToken: string;
}

export class Api {
  tokens?: Tokens;

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
    const response = await fetch(path, { method, headers: this.authorised(headers), body: body === undefined ? undefined : form ? body : JSON.stringify(body) });
    const text = await response.text();
    const json = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      const fields = json?.errors ? Object.values(json.errors as Record<string, string[]>).flat().join(' ') : '';
      throw new ApiError(response.status, fields || json?.detail || json?.title || response.statusText);
    }
    return { value: json as T, etag: response.headers.get('ETag') ?? undefined };
  }

  /** A file the API serves only to the signed-in owner (a PDF, a FHIR document), saved under its own name. */
  async download(path: string, fileName: string) {
    const response = await fetch(path, { headers: this.authorised({}) });
    if (!response.ok) throw new ApiError(response.status, response.statusText);
    const link = Object.assign(document.createElement('a'), { href: URL.createObjectURL(await response.blob()), download: fileName });
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  }

  private authorised(headers: Record<string, string>) {
    if (this.tokens) headers.Authorization = `Bearer ${this.tokens.accessToken}`;
    return headers;
  }

  get = <T>(path: string) => this.send<T>('GET', path);
  post = <T>(path: string, body?: unknown) => this.send<T>('POST', path, body ?? {});
  put = <T>(path: string, body: unknown, ifMatch?: string) => this.versioned<T>('PUT', path, body, ifMatch);
}
