import {
  type ErrorCode,
  errorBodySchema,
  type LeaseRequest,
  leaseResponseSchema,
  PROTOCOL_VERSION,
  type PullResponse,
  type PushRequest,
  pullResponseSchema,
  pushResponseSchema,
  SCHEMA_VERSION,
} from '@clinicdesk/sync-protocol';
import type { z } from 'zod';
import { type LiveConnection, type SyncTransport, TransportError } from './transport';

/**
 * The HTTP transport to a ClinicDesk server (Node 20+ / browsers: global fetch, gzip handled by
 * fetch). Access tokens come from `auth`; a 401 triggers one refresh and one retry.
 */
export interface HttpTransportOptions {
  baseUrl: string;
  auth: { accessToken(): Promise<string>; refresh(): Promise<void> };
  fetch?: typeof fetch;
  /** Per-request timeout; the event stream has none. Default 30 s. */
  timeoutMs?: number;
}

/** Turns a non-2xx response into a TransportError carrying the server's error code. */
export async function errorFromResponse(res: Response): Promise<TransportError> {
  let code: ErrorCode | null = null;
  let message = `Server answered ${res.status}`;
  let details: unknown;
  try {
    const body = errorBodySchema.safeParse(await res.json());
    if (body.success) {
      code = body.data.error.code;
      message = body.data.error.message;
      details = body.data.error.details;
    }
  } catch {
    // Not JSON (a proxy's page): keep the status.
  }
  // 5xx is the server's trouble, like a dropped connection: retry later.
  const kind = res.status >= 500 ? 'network' : 'server';
  return new TransportError(kind, message, { code, status: res.status, details });
}

/** Creates the transport. */
export function createHttpTransport(opts: HttpTransportOptions): SyncTransport {
  const doFetch = opts.fetch ?? fetch;
  const base = opts.baseUrl.replace(/\/$/, '');
  const timeoutMs = opts.timeoutMs ?? 30_000;

  async function call<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    body?: unknown,
  ): Promise<z.output<S>> {
    for (let attempt = 0; ; attempt++) {
      const token = await opts.auth.accessToken();
      let res: Response;
      try {
        res = await doFetch(`${base}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (cause) {
        throw new TransportError('network', `Cannot reach the server: ${(cause as Error).message}`);
      }
      if (res.status === 401 && attempt === 0) {
        await res.body?.cancel();
        await opts.auth.refresh();
        continue;
      }
      if (!res.ok) throw await errorFromResponse(res);
      let json: unknown;
      try {
        json = await res.json();
      } catch (cause) {
        throw new TransportError(
          'network',
          `Connection dropped while reading the answer: ${(cause as Error).message}`,
        );
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success)
        throw new TransportError('server', `Unexpected answer from the server: ${parsed.error.message}`);
      return parsed.data;
    }
  }

  return {
    push: (request: PushRequest) => call('POST', '/v1/sync/push', pushResponseSchema, request),
    pull: (cursor: number, limit: number): Promise<PullResponse> =>
      call(
        'GET',
        `/v1/sync/pull?cursor=${cursor}&limit=${limit}&protocolVersion=${PROTOCOL_VERSION}&schemaVersion=${SCHEMA_VERSION}`,
        pullResponseSchema,
      ),
    lease: (request: LeaseRequest) => call('POST', '/v1/sync/leases', leaseResponseSchema, request),
    openEvents(handlers): LiveConnection {
      const controller = new AbortController();
      let closed = false;
      const finish = (error?: unknown) => {
        if (closed) return;
        closed = true;
        handlers.onClose(error);
      };
      void (async () => {
        try {
          const token = await opts.auth.accessToken();
          const res = await doFetch(`${base}/v1/sync/events`, {
            headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
            signal: controller.signal,
          });
          if (!res.ok || !res.body) throw await errorFromResponse(res);
          handlers.onOpen?.();
          const reader = res.body.getReader();
          const decoder = new TextDecoder();
          let buffer = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buffer += decoder.decode(value, { stream: true });
            let end = buffer.indexOf('\n\n');
            while (end >= 0) {
              const event = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              if (/^event: changes$/m.test(event)) handlers.onPoke();
              end = buffer.indexOf('\n\n');
            }
          }
          finish();
        } catch (error) {
          finish(controller.signal.aborted ? undefined : error);
        }
      })();
      return {
        close() {
          controller.abort();
          finish();
        },
      };
    },
  };
}
