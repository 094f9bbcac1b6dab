import {
  deviceStatusResponseSchema,
  type LoginRequest,
  type LoginResponse,
  loginResponseSchema,
  type RefreshResponse,
  type RegisterDeviceRequest,
  type RegisterDeviceResponse,
  refreshResponseSchema,
  registerDeviceResponseSchema,
} from '@clinicdesk/sync-protocol';
import type { z } from 'zod';
import { errorFromResponse } from './http-transport';
import { TransportError } from './transport';

/**
 * Sign-in and device enrolment against a ClinicDesk server. Used by the desktop's main process and
 * the headless client. Errors come back as TransportError with the server's code (e.g.
 * FORBIDDEN with details.reason 'device_pending').
 */
export interface AuthClient {
  registerDevice(request: RegisterDeviceRequest): Promise<RegisterDeviceResponse>;
  deviceStatus(
    clinicSlug: string,
    deviceId: string,
    deviceSecret: string,
  ): Promise<'pending' | 'approved' | 'revoked'>;
  login(request: LoginRequest): Promise<LoginResponse>;
  refresh(refreshToken: string): Promise<RefreshResponse>;
  logout(accessToken: string): Promise<void>;
}

/** Creates the client for `baseUrl`. */
export function createAuthClient(opts: {
  baseUrl: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}): AuthClient {
  const doFetch = opts.fetch ?? fetch;
  const base = opts.baseUrl.replace(/\/$/, '');
  const timeoutMs = opts.timeoutMs ?? 30_000;

  async function call<S extends z.ZodType>(
    path: string,
    schema: S | null,
    init: { method: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<z.output<S>> {
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, {
        method: init.method,
        headers: {
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...init.headers,
        },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      throw new TransportError('network', `Cannot reach the server: ${(cause as Error).message}`);
    }
    if (!res.ok) throw await errorFromResponse(res);
    if (!schema) {
      await res.body?.cancel();
      return undefined as z.output<S>;
    }
    const parsed = schema.safeParse(await res.json());
    if (!parsed.success)
      throw new TransportError('server', `Unexpected answer from the server: ${parsed.error.message}`);
    return parsed.data;
  }

  return {
    registerDevice: (request) =>
      call('/v1/devices', registerDeviceResponseSchema, { method: 'POST', body: request }),
    async deviceStatus(clinicSlug, deviceId, deviceSecret) {
      const res = await call(
        `/v1/devices/${deviceId}/status?clinicSlug=${encodeURIComponent(clinicSlug)}`,
        deviceStatusResponseSchema,
        {
          method: 'GET',
          headers: { 'x-device-secret': deviceSecret },
        },
      );
      return res.status;
    },
    login: (request) => call('/v1/auth/login', loginResponseSchema, { method: 'POST', body: request }),
    refresh: (refreshToken) =>
      call('/v1/auth/refresh', refreshResponseSchema, { method: 'POST', body: { refreshToken } }),
    async logout(accessToken) {
      await call('/v1/auth/logout', null, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}` },
      });
    },
  };
}

/**
 * Keeps a session's tokens: hands out the access token, refreshes it shortly before it expires or
 * when the server says 401, and reports rotated refresh tokens so the caller can persist them.
 */
export function createTokenKeeper(opts: {
  auth: AuthClient;
  initial: { accessToken: string; accessTokenExpiresAt: string; refreshToken: string };
  now: () => number;
  onRotate?: (tokens: {
    refreshToken: string;
    accessToken: string;
    accessTokenExpiresAt: string;
    offlineGrant: RefreshResponse['offlineGrant'];
  }) => void;
}) {
  let tokens = { ...opts.initial };
  let refreshing: Promise<void> | null = null;
  async function refresh(): Promise<void> {
    refreshing ??= (async () => {
      try {
        const next = await opts.auth.refresh(tokens.refreshToken);
        tokens = {
          accessToken: next.accessToken,
          accessTokenExpiresAt: next.accessTokenExpiresAt,
          refreshToken: next.refreshToken,
        };
        opts.onRotate?.({ ...tokens, offlineGrant: next.offlineGrant });
      } finally {
        refreshing = null;
      }
    })();
    return refreshing;
  }
  return {
    async accessToken(): Promise<string> {
      if (Date.parse(tokens.accessTokenExpiresAt) - opts.now() < 30_000) await refresh();
      return tokens.accessToken;
    },
    refresh,
    current: () => ({ ...tokens }),
  };
}
