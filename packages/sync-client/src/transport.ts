/*
 * The engine's view of the server. Injected, so tests put a faulty network between device and
 * server and the desktop uses the HTTP transport.
 *
 * Invariants:
 * - A transport call either resolves with a parsed, valid response or rejects with a
 *   `TransportError` saying whether it was the network (retry later) or the server (with its code).
 * - Pushing the same groups twice is safe: the server answers decided groups from memory.
 */
import type {
  ErrorCode,
  LeaseRequest,
  LeaseResponse,
  PullResponse,
  PushRequest,
  PushResponse,
} from '@clinicdesk/sync-protocol';

export type TransportErrorKind = 'network' | 'server';

/** Why a transport call failed. */
export class TransportError extends Error {
  readonly kind: TransportErrorKind;
  readonly code: ErrorCode | null;
  readonly status: number | null;
  readonly details: unknown;

  constructor(
    kind: TransportErrorKind,
    message: string,
    opts: { code?: ErrorCode | null; status?: number | null; details?: unknown } = {},
  ) {
    super(message);
    this.name = 'TransportError';
    this.kind = kind;
    this.code = opts.code ?? null;
    this.status = opts.status ?? null;
    this.details = opts.details;
  }
}

export interface LiveConnection {
  close(): void;
}

/** Where the page being received ends, known before its body is read. */
export interface PullHead {
  readonly nextCursor: number;
  readonly hasMore: boolean;
}

export interface PullOptions {
  /**
   * Called once the answer's head says where the page ends (before its body is read), so the next
   * page can be asked for early. Transports that cannot tell never call it; it is only a hint, and
   * the page itself is the truth.
   */
  onHead?: (head: PullHead) => void;
}

export interface PushOptions {
  /**
   * The device has another push ready: called once the server holds this request's place in the
   * device's order (the answer's head says so, before its body), so the next push can go out
   * without overtaking it. Transports and servers that cannot tell never call it; it is only a
   * hint, and the answer itself is the truth.
   */
  onSendNext?: () => void;
}

export interface SyncTransport {
  push(request: PushRequest, options?: PushOptions): Promise<PushResponse>;
  pull(cursor: number, limit: number, options?: PullOptions): Promise<PullResponse>;
  lease(request: LeaseRequest): Promise<LeaseResponse>;
  /** Opens the live event stream; `onPoke` on every "changes" event, `onClose` when it ends. */
  openEvents(handlers: {
    onPoke: () => void;
    onOpen?: () => void;
    onClose: (error?: unknown) => void;
  }): LiveConnection;
}
