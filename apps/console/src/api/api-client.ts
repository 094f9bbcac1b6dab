import type { SessionStore } from '../features/auth/session.store';
import type { ErrorBody, LoginResponse, TokenPair } from './api.types';

/**
 * The console's only way to the server. Adds the access token, refreshes it shortly before it
 * expires (and once more if the server still says it has), and turns every error body into an
 * ApiError with the server's stable code. Concurrent requests share one refresh, so a rotated
 * refresh token is never used twice.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> | undefined = undefined,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Query = Record<string, string | number | boolean | null | undefined>;
type RequestOptions = { body?: unknown; query?: Query; signal?: AbortSignal | undefined };

/** Refresh this long before the access token's expiry. */
export const REFRESH_AHEAD_MS = 60_000;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function toError(res: Response): Promise<ApiError> {
  let body: Partial<ErrorBody> | null = null;
  try {
    body = (await res.json()) as Partial<ErrorBody>;
  } catch {
    // Not JSON (a proxy's page, say): fall through to a generic message.
  }
  const error = body?.error;
  if (error) return new ApiError(res.status, error.code, error.message, error.details);
  return new ApiError(
    res.status,
    res.status >= 500 ? 'INTERNAL' : 'UNKNOWN',
    `The server answered ${res.status}`,
  );
}

export class ApiClient {
  private refreshing: Promise<boolean> | null = null;

  constructor(
    private readonly session: SessionStore,
    private readonly fetchImpl: typeof fetch = (input, init) => fetch(input, init),
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Signs in (super admins send no clinic); `totp` once their authenticator is on. */
  async login(username: string, password: string, totp?: string): Promise<LoginResponse> {
    return this.send<LoginResponse>(
      'POST',
      '/v1/auth/login',
      { body: { username, password, ...(totp ? { totp } : {}) } },
      null,
    );
  }

  /** Exchanges the refresh token for a new pair; false (and signed out) when the session has ended. */
  refresh(): Promise<boolean> {
    if (!this.refreshing) {
      this.refreshing = this.doRefresh().finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }

  private async doRefresh(): Promise<boolean> {
    const refreshToken = this.session.current()?.refreshToken ?? this.session.stored()?.refreshToken;
    if (!refreshToken) return false;
    try {
      const pair = await this.send<TokenPair>('POST', '/v1/auth/refresh', { body: { refreshToken } }, null);
      const current = this.session.current();
      if (current) this.session.updateTokens(pair);
      else {
        const stored = this.session.stored();
        if (!stored) return false;
        this.session.signIn(stored.user, pair, null);
      }
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        this.session.signOut('Your session has ended; sign in again.');
        return false;
      }
      throw err;
    }
  }

  /** Ends the session on the server (best effort) and forgets it here. */
  async logout(notice: string | null = null): Promise<void> {
    const session = this.session.current();
    this.session.signOut(notice);
    if (!session) return;
    try {
      await this.send('POST', '/v1/auth/logout', {}, session.accessToken);
    } catch {
      // Signed out here either way; the server session also ends with its refresh token unused.
    }
  }

  get<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
    return this.authed<T>('GET', path, { query, signal });
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.authed<T>('POST', path, { body });
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.authed<T>('PATCH', path, { body });
  }

  private async authed<T>(method: string, path: string, opts: RequestOptions): Promise<T> {
    let session = this.session.current();
    if (!session) throw new ApiError(401, 'UNAUTHORIZED', 'Sign in first');
    if (session.accessTokenExpiresAt - this.now() < REFRESH_AHEAD_MS / 2) {
      await this.refresh();
      session = this.session.current();
      if (!session) throw new ApiError(401, 'UNAUTHORIZED', 'Your session has ended; sign in again.');
    }
    try {
      return await this.send<T>(method, path, opts, session.accessToken);
    } catch (err) {
      // The token may have expired in flight (a sleeping laptop): refresh once and retry.
      if (!(err instanceof ApiError) || err.status !== 401 || !(await this.refresh())) throw err;
      const renewed = this.session.current();
      if (!renewed) throw err;
      return this.send<T>(method, path, opts, renewed.accessToken);
    }
  }

  private async send<T>(
    method: string,
    path: string,
    opts: RequestOptions,
    token: string | null,
  ): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await this.fetchImpl(withQuery(path, opts.query), {
      method,
      headers,
      body: opts.body === undefined ? null : JSON.stringify(opts.body),
      signal: opts.signal ?? null,
      credentials: 'omit',
      cache: 'no-store',
    });
    if (!res.ok) throw await toError(res);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }
}
