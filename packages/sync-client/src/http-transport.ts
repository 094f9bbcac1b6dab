import {
  type ErrorCode,
  entityNamePattern,
  errorBodySchema,
  fieldNamePattern,
  type LeaseRequest,
  leaseResponseSchema,
  PROTOCOL_VERSION,
  PULL_HAS_MORE_HEADER,
  PULL_NEXT_CURSOR_HEADER,
  PUSH_MORE_FOLLOWS_HEADER,
  PUSH_SEND_NEXT_HEADER,
  type PullResponse,
  type PushRequest,
  type PushResponse,
  pullResponseSchema,
  pushResponseSchema,
  RUN_ROW_HEAD,
  SCHEMA_VERSION,
} from '@clinicdesk/sync-protocol';
import { z } from 'zod';
import { type LiveConnection, type PullHead, type SyncTransport, TransportError } from './transport';

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

function unexpected(message: string): TransportError {
  return new TransportError('server', `Unexpected answer from the server: ${message}`);
}

/** A parser that checks an answer against a zod schema. */
function withSchema<S extends z.ZodType>(schema: S): (json: unknown) => z.output<S> {
  return (json) => {
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw unexpected(parsed.error.message);
    return parsed.data;
  };
}

const RUN_KEYS = new Set(['entity', 'fields', 'rows']);
const ROW_OPS = new Set(['create', 'update', 'delete']);
const UUID = z.regexes.uuid();

/** What is wrong with one row of a run (`[seq, version, op, ...values]`), or null. */
function runRowProblem(row: unknown, width: number, idAt: number, previousSeq: number): string | null {
  if (!Array.isArray(row) || row.length !== width) return 'expected one value per field';
  const seq: unknown = row[0];
  const version: unknown = row[1];
  const op: unknown = row[2];
  const id: unknown = row[idAt];
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1)
    return 'seq must be a whole number ≥ 1';
  if (seq <= previousSeq) return 'changes must be in ascending seq order';
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1)
    return 'version must be a whole number ≥ 1';
  if (typeof op !== 'string' || !ROW_OPS.has(op)) return 'op must be create, update or delete';
  if (typeof id !== 'string' || !UUID.test(id)) return 'id must be a UUID';
  return null;
}

/**
 * Checks a pull page. Everything but the runs goes through `pullResponseSchema` unchanged. Each
 * run gets the schema's checks written out (strict keys, entity name, field names that are
 * identifiers, unique, with `id`), and each row its head (seq ascending across the page, version,
 * op), its width and a UUID id; the field values are not checked one by one: they came from
 * `res.json()`, so they are JSON already, and the local store reads only the fields of its own
 * columns and encodes each by the column's kind. A page of thousands of rows is the largest thing
 * a device parses, and a zod parse of every value was a sixth of a first sync.
 */
function parsePullResponse(json: unknown): PullResponse {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw unexpected('not an object');
  const { runs, ...envelope } = json as Record<string, unknown>;
  if (!Array.isArray(runs)) throw unexpected('runs: expected an array');
  const entities = new Set<string>();
  let previous = 0;
  runs.forEach((run: unknown, index) => {
    const fail = (what: string) => unexpected(`runs[${index}]: ${what}`);
    if (run === null || typeof run !== 'object' || Array.isArray(run)) throw fail('not an object');
    const r = run as Record<string, unknown>;
    for (const key in r) if (!RUN_KEYS.has(key)) throw fail(`unrecognized key ${JSON.stringify(key)}`);
    const { entity, fields, rows } = r;
    if (typeof entity !== 'string') throw fail('entity must be a string');
    if (!entities.has(entity)) {
      if (!entityNamePattern.test(entity)) throw fail('entity names are camelCase identifiers');
      entities.add(entity);
    }
    if (!Array.isArray(fields) || fields.length === 0) throw fail('fields must be a non-empty array');
    for (const field of fields)
      if (typeof field !== 'string' || !fieldNamePattern.test(field))
        throw fail('field names are identifiers');
    if (new Set(fields).size !== fields.length) throw fail('field names repeat');
    const idAt = RUN_ROW_HEAD + fields.indexOf('id');
    if (idAt < RUN_ROW_HEAD) throw fail('a run names the id field');
    if (!Array.isArray(rows) || rows.length === 0) throw fail('rows must be a non-empty array');
    const width = RUN_ROW_HEAD + fields.length;
    // A plain loop without a closure per row: a first sync checks about two million rows.
    for (let at = 0; at < rows.length; at++) {
      const problem = runRowProblem(rows[at], width, idAt, previous);
      if (problem !== null) throw fail(`rows[${at}]: ${problem}`);
      previous = (rows[at] as number[])[0] as number;
    }
  });
  const parsed = pullResponseSchema.safeParse({ ...envelope, runs: [] });
  if (!parsed.success) throw unexpected(parsed.error.message);
  if (runs.length > 0 && parsed.data.nextCursor < previous)
    throw unexpected('nextCursor is before the last change');
  return { ...parsed.data, runs: runs as PullResponse['runs'] };
}

/** The page's end as the server's headers state it, or null when they are absent or malformed. */
function pullHead(res: Response): PullHead | null {
  const cursor = res.headers.get(PULL_NEXT_CURSOR_HEADER);
  const more = res.headers.get(PULL_HAS_MORE_HEADER);
  if (cursor === null || !/^\d{1,15}$/.test(cursor) || (more !== 'true' && more !== 'false')) return null;
  return { nextCursor: Number(cursor), hasMore: more === 'true' };
}

/** Creates the transport. */
export function createHttpTransport(opts: HttpTransportOptions): SyncTransport {
  const doFetch = opts.fetch ?? fetch;
  const base = opts.baseUrl.replace(/\/$/, '');
  const timeoutMs = opts.timeoutMs ?? 30_000;

  async function call<T>(
    method: string,
    path: string,
    parse: (json: unknown) => T,
    body?: unknown,
    onOk?: (res: Response) => void,
    headers: Record<string, string> = {},
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const token = await opts.auth.accessToken();
      let res: Response;
      try {
        res = await doFetch(`${base}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...headers,
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
      onOk?.(res);
      let json: unknown;
      try {
        json = await res.json();
      } catch (cause) {
        throw new TransportError(
          'network',
          `Connection dropped while reading the answer: ${(cause as Error).message}`,
        );
      }
      return parse(json);
    }
  }

  return {
    push: (request: PushRequest, options): Promise<PushResponse> => {
      const onSendNext = options?.onSendNext;
      return call(
        'POST',
        '/v1/sync/push',
        withSchema(pushResponseSchema),
        request,
        (res) => {
          if (onSendNext && res.headers.get(PUSH_SEND_NEXT_HEADER) === 'true') onSendNext();
        },
        onSendNext ? { [PUSH_MORE_FOLLOWS_HEADER]: 'true' } : {},
      );
    },
    pull: (cursor, limit, options): Promise<PullResponse> =>
      call(
        'GET',
        `/v1/sync/pull?cursor=${cursor}&limit=${limit}&protocolVersion=${PROTOCOL_VERSION}&schemaVersion=${SCHEMA_VERSION}`,
        parsePullResponse,
        undefined,
        (res) => {
          const onHead = options?.onHead;
          const head = onHead ? pullHead(res) : null;
          if (onHead && head) onHead(head);
        },
      ),
    lease: (request: LeaseRequest) =>
      call('POST', '/v1/sync/leases', withSchema(leaseResponseSchema), request),
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
