/*
 * The device's sync engine (DESIGN §5).
 *
 * Invariants:
 * - One cycle at a time: push every pending group (oldest first, in batches), top up counter
 *   blocks, then pull pages until the server has no more. Pull pages are asked for up to two
 *   ahead of the one being applied, each once the one before it has been answered; the cursor
 *   moves only when a page's transaction commits, and a failure drops every request ahead. A
 *   local write or a live poke during a cycle asks for exactly one more cycle after it.
 * - A network failure (or a 5xx) rejects the cycle, and the retry scheduler tries again on its own
 *   with exponential backoff and jitter — nothing waits for the next local write.
 * - Nothing is dropped: a refused group goes to the store's inbox with its reason and payload;
 *   RESET_REQUIRED re-bootstraps but keeps the outbox; 426 turns the device read-only and keeps
 *   the outbox.
 * - The device turns read-only when its licence lease has run out while offline, or when the
 *   clinic's subscription no longer allows writes; it turns writable again as soon as a pull says so.
 */
import {
  PROTOCOL_VERSION,
  PUSH_MAX_BYTES,
  PUSH_MAX_GROUPS,
  type PullResponse,
  type PushResponse,
  runChangeCount,
  SCHEMA_VERSION,
} from '@clinicdesk/sync-protocol';
import { backoffDelay } from './backoff.policy';
import type { Cancel, Clock } from './clock';
import { createRetryScheduler, type RetryScheduler } from './retry.scheduler';
import {
  initialSyncStatus,
  reduceSyncStatus,
  type SyncError,
  type SyncStatus,
  type SyncStatusEvent,
} from './sync-status.reducer';
import type { SyncStore } from './sync-store.port';
import { type LiveConnection, type PullHead, type SyncTransport, TransportError } from './transport';

export type ReadOnlyReason =
  | 'licence_lapsed'
  | 'subscription_inactive'
  | 'clinic_suspended'
  | 'upgrade_required';

export interface EngineStatus extends SyncStatus {
  readOnly: ReadOnlyReason | null;
  /** First-sync progress (rows done / total), null once bootstrapped. */
  progress: { done: number; total: number } | null;
  /** The live event stream is connected. */
  live: boolean;
  licence: { status: string; expiresAt: string } | null;
}

export interface SyncEngineOptions {
  store: SyncStore;
  transport: SyncTransport;
  clock: Clock;
  random?: () => number;
  /** Groups per push request (default: as many as the server takes in one). */
  pushBatch?: number;
  /** Bytes of row operations per push request, at most (default PUSH_MAX_BYTES; the oldest group always goes). */
  pushMaxBytes?: number;
  /** Changes per pull page. */
  pullLimit?: number;
  /** Lease more numbers when fewer than this remain in a counter's blocks. */
  leaseThreshold?: number;
  leaseSize?: number;
  /** Fallback poll after a successful cycle (live pokes do the real work). */
  intervalMs?: number;
  /** The clinic's calendar day and year for counters (defaults to UTC). */
  today?: () => { date: string; year: number };
  /** Whether to keep the live event stream open while started. */
  live?: boolean;
}

export interface SyncEngine {
  start(): void;
  stop(): Promise<void>;
  /** Runs a cycle now (cutting any backoff short) and resolves when the engine is idle again. */
  syncNow(): Promise<void>;
  /** Tells the engine a local write committed. */
  notifyLocalWrite(): void;
  status(): EngineStatus;
  onStatus(listener: (status: EngineStatus) => void): () => void;
}

/** Stops a cycle without retrying: the failure needs a person (sign-in, update, suspension). */
class Halt extends Error {}

/** Creates the engine; call `start()` to begin. */
export function createSyncEngine(opts: SyncEngineOptions): SyncEngine {
  const { store, transport, clock } = opts;
  const random = opts.random ?? Math.random;
  const pushBatch = opts.pushBatch ?? PUSH_MAX_GROUPS;
  const pushMaxBytes = opts.pushMaxBytes ?? PUSH_MAX_BYTES;
  const pullLimit = opts.pullLimit ?? 5000;
  const leaseThreshold = opts.leaseThreshold ?? 20;
  const leaseSize = opts.leaseSize ?? 100;
  const today =
    opts.today ??
    (() => {
      const d = new Date(clock.now());
      return { date: d.toISOString().slice(0, 10), year: d.getUTCFullYear() };
    });

  const listeners = new Set<(s: EngineStatus) => void>();
  const initialCursor = store.cursorState();
  let status: EngineStatus = {
    ...initialSyncStatus(store.pendingCount()),
    readOnly: null,
    progress: initialCursor.bootstrapped ? null : initialCursor.progress,
    live: false,
    licence: null,
    lastSyncAt: initialCursor.lastSyncAt ? Date.parse(initialCursor.lastSyncAt) : null,
  };
  let halted = false;
  let live: LiveConnection | null = null;
  let liveRetry: Cancel | null = null;
  let liveFailures = 0;
  let started = false;
  // syncNow waits for a cycle that *starts* after it was called, so it covers every earlier write.
  let cyclesStarted = 0;
  let cyclesFinished = 0;
  let waiters: { target: number; resolve: () => void }[] = [];

  function emit(patch: Partial<EngineStatus>, event?: SyncStatusEvent) {
    const base = event ? reduceSyncStatus(status, event) : status;
    status = { ...status, ...base, ...patch };
    for (const l of listeners) l(status);
  }

  function setReadOnly(reason: ReadOnlyReason | null) {
    // Always written through: the store may still hold a flag an earlier session set (the app
    // started offline with a lapsed lease, or before an update), which this engine never saw.
    store.setReadOnly(reason);
    if (status.readOnly === reason) return;
    emit({ readOnly: reason });
  }

  function evaluateAccess(page?: PullResponse) {
    if (page) {
      const licence = { status: page.clinic.status, expiresAt: page.clinic.lease.expiresAt };
      emit({ licence });
      if (page.clinic.status === 'suspended') return setReadOnly('clinic_suspended');
      if (page.clinic.status === 'expired') return setReadOnly('subscription_inactive');
      return setReadOnly(null);
    }
    const licence = status.licence;
    if (licence && !status.online && Date.parse(licence.expiresAt) <= clock.now())
      setReadOnly('licence_lapsed');
  }

  function syncError(error: unknown): SyncError {
    if (error instanceof TransportError && error.kind === 'server' && error.code) {
      return { kind: 'server', code: error.code, message: error.message, at: clock.now() };
    }
    return { kind: 'network', message: (error as Error).message, at: clock.now() };
  }

  /**
   * Pushes every pending group, oldest first, in requests of at most `pushBatch` groups and
   * `pushMaxBytes` of row operations. When more groups wait after a request, the next one goes out
   * as soon as the server says it holds this one's place (`onSendNext`, before the answer), so the
   * device's and the server's work on consecutive batches overlap; at most two are unanswered.
   * The server decides groups strictly in seq order: a request that reached the clinic's lock
   * before the one ahead of it was decided (that one failed, or the server gave no early head) is
   * refused with SEQUENCE_GAP, nothing recorded, and its groups are sent again. A gap in a request
   * with none ahead of it means the server and the device disagree about the order, which only a
   * person can settle.
   */
  async function pushAll(): Promise<void> {
    /** What let the next request go: this one's early head, its answer, or its failure (then none goes). */
    type Next = 'head' | 'answer' | 'failure';
    type InFlight = { behind: boolean; answer: Promise<PushResponse>; sendNext: Promise<Next> };
    const inFlight: InFlight[] = [];
    let lastSent = 0;
    const send = (): boolean => {
      const groups = store.pendingGroups(pushBatch, pushMaxBytes, lastSent);
      const last = groups.at(-1);
      if (!last) return false;
      lastSent = last.seq;
      const more = store.pendingGroups(1, undefined, lastSent).length > 0;
      let sendNext: (why: Next) => void = () => {};
      const next = new Promise<Next>((resolve) => {
        sendNext = resolve;
      });
      const answer = transport.push(
        { protocolVersion: PROTOCOL_VERSION, schemaVersion: SCHEMA_VERSION, groups },
        more ? { onSendNext: () => sendNext('head') } : undefined,
      );
      // Also handles a failure while an earlier answer is awaited (it is rethrown when awaited).
      answer.then(
        () => sendNext('answer'),
        () => sendNext('failure'),
      );
      inFlight.push({ behind: inFlight.length > 0, answer, sendNext: next });
      return true;
    };
    /** Records the decisions of an answer (SEQUENCE_GAP refusals are not decisions); whether it had a gap. */
    const record = (response: PushResponse): { decided: number; gap: boolean } => {
      const decided = response.results.filter((r) => !(r.status === 'refused' && r.code === 'SEQUENCE_GAP'));
      store.recordPushResults(decided);
      emit({}, { type: 'pending-changed', pending: store.pendingCount() });
      return { decided: decided.length, gap: decided.length < response.results.length };
    };
    /** Waits for every request still unanswered, keeping what the server decided of them. */
    const settle = async (): Promise<void> => {
      for (const request of inFlight.splice(0)) {
        const response = await request.answer.catch(() => null);
        if (response) record(response);
      }
    };

    for (;;) {
      if (inFlight.length === 0 && !send()) return;
      const request = inFlight[0] as InFlight;
      if ((await request.sendNext) !== 'failure' && inFlight.length === 1) send();
      inFlight.shift();
      let response: PushResponse;
      try {
        response = await request.answer;
      } catch (error) {
        await settle();
        throw error;
      }
      const { decided, gap } = record(response);
      if (gap || decided === 0) {
        await settle();
        if (gap && !request.behind) {
          throw new Halt('The server and this device disagree about the order of changes; contact support');
        }
        if (!gap) return;
        // It overtook the request ahead of it: send everything still pending again, in order.
        lastSent = 0;
      }
    }
  }

  async function topUpCounters(): Promise<void> {
    if (status.readOnly) return;
    const { date, year } = today();
    const wanted = [
      { counter: 'patient_code' as const, scope: String(year) },
      { counter: 'queue_token' as const, scope: date },
    ];
    for (const w of wanted) {
      if (store.counterRemaining(w.counter, w.scope) >= leaseThreshold) continue;
      const lease = await transport.lease({
        protocolVersion: PROTOCOL_VERSION,
        schemaVersion: SCHEMA_VERSION,
        counter: w.counter,
        scope: w.scope,
        size: leaseSize,
      } as Parameters<SyncTransport['lease']>[0]);
      store.addCounterBlock(lease);
    }
  }

  /** A pull request in flight, and where its page ends once the answer's head said so. */
  interface InFlightPull {
    readonly cursor: number;
    readonly page: Promise<PullResponse>;
    head: PullHead | null;
    /** The page after this one has been asked for. */
    followed: boolean;
  }

  /**
   * Pages asked for ahead of the one being applied, at most. Each is asked for once the page before
   * it says where it ends: its head, which the server sends before it writes a page that has more
   * after it, so PostgreSQL reads the next pages while the device receives, parses and applies.
   */
  const PAGES_AHEAD = 2;

  /**
   * Pull requests in order: the first is the page to apply next, each later one asked for from
   * where the one before it ends. `ask` extends it as heads arrive.
   */
  function pullQueue(first: number) {
    const queue: InFlightPull[] = [];
    const ask = () => {
      for (;;) {
        const last = queue.at(-1);
        if (!last || last.followed || !last.head?.hasMore || queue.length > PAGES_AHEAD) return;
        last.followed = true;
        queue.push(request(last.head.nextCursor));
      }
    };
    const request = (cursor: number): InFlightPull => {
      // The head may be reported at any time, even before `pull` returns: it lands on this object.
      const known: Pick<InFlightPull, 'head' | 'followed'> = { head: null, followed: false };
      const page = transport.pull(cursor, pullLimit, {
        onHead(end) {
          known.head = end;
          ask();
        },
      });
      // An abandoned request (a page before it failed to apply) must not surface as unhandled.
      page.catch(() => undefined);
      return Object.assign(known, { cursor, page });
    };
    queue.push(request(first));
    ask();
    return {
      /** The request of the page to apply next. */
      current: (): InFlightPull | undefined => queue[0],
      /**
       * Takes the page just answered as the truth about where it ends: requests made from a head
       * that disagrees with it are dropped, and the next one is asked for if it is not yet.
       */
      answered(page: PullResponse): void {
        const current = queue[0];
        if (!current) return;
        const next = queue[1];
        if (!page.hasMore || (next !== undefined && next.cursor !== page.nextCursor)) queue.length = 1;
        current.head = { nextCursor: page.nextCursor, hasMore: page.hasMore };
        current.followed = queue.length > 1;
        ask();
      },
      /** Moves on to the next page, once the current one is applied. */
      advance: (): void => {
        queue.shift();
        ask();
      },
    };
  }

  async function pullAll(): Promise<void> {
    // Once per cycle: a server that keeps answering RESET_REQUIRED must not make the engine spin.
    let rebootstrapped = false;
    // The next pages are asked for as soon as the current one's end is known — from its head while
    // its body is still arriving, else from its body — and always before it is applied, so the
    // server reads ahead while the device receives and applies. The cursor still moves only when
    // a page's transaction commits: if applying fails, the requests ahead are abandoned (their
    // answers ignored) and the next cycle starts again from the stored cursor.
    let pages = pullQueue(store.cursorState().cursor);
    for (;;) {
      const inFlight = pages.current();
      if (!inFlight) return;
      let page: PullResponse;
      try {
        page = await inFlight.page;
      } catch (error) {
        if (error instanceof TransportError && error.code === 'RESET_REQUIRED' && !rebootstrapped) {
          rebootstrapped = true;
          store.resetForRebootstrap();
          store.setCursorState({ cursor: 0, bootstrapped: false, progress: null });
          pages = pullQueue(0);
          continue;
        }
        throw error;
      }
      pages.answered(page);
      const state = store.cursorState();
      // Records the page's decisions too, in the same transaction as its rows.
      store.applyPull(page);
      if (!state.bootstrapped) {
        const done = (state.progress?.done ?? 0) + runChangeCount(page.runs);
        const progress = { done, total: done + (page.remaining ?? 0) };
        store.setCursorState({ progress, ...(page.hasMore ? {} : { bootstrapped: true, progress: null }) });
        emit({ progress: page.hasMore ? progress : null });
      }
      evaluateAccess(page);
      if (!page.hasMore) return;
      pages.advance();
    }
  }

  function finishCycle() {
    cyclesFinished += 1;
    const ready = waiters.filter((w) => cyclesFinished >= w.target);
    waiters = waiters.filter((w) => cyclesFinished < w.target);
    for (const w of ready) w.resolve();
  }

  async function cycle(): Promise<void> {
    cyclesStarted += 1;
    if (halted) {
      finishCycle();
      return;
    }
    emit({}, { type: 'sync-started' });
    try {
      await pushAll();
      await pullAll();
      await topUpCounters();
      const at = clock.now();
      store.setCursorState({ lastSyncAt: new Date(at).toISOString() });
      emit({}, { type: 'sync-succeeded', at, pending: store.pendingCount() });
    } catch (error) {
      emit({}, { type: 'sync-failed', error: syncError(error) });
      if (error instanceof Halt) return;
      if (error instanceof TransportError && error.kind === 'server') {
        switch (error.code) {
          case 'UPGRADE_REQUIRED':
            halted = true;
            setReadOnly('upgrade_required');
            return;
          case 'CLINIC_SUSPENDED':
            setReadOnly('clinic_suspended');
            return;
          case 'UNAUTHORIZED':
          case 'FORBIDDEN':
            // Signed out or device revoked: a person must act; retrying cannot help.
            return;
          default:
            // Other refusals of a whole request (e.g. a lease while read-only) wait for the next cycle.
            return;
        }
      }
      emit({}, { type: 'offline' });
      evaluateAccess();
      throw error;
    } finally {
      emit({ syncing: false });
      finishCycle();
    }
  }

  const scheduler: RetryScheduler = createRetryScheduler({
    clock,
    random,
    run: cycle,
    baseMs: 500,
    maxMs: 60_000,
    ...(opts.intervalMs ? { intervalMs: opts.intervalMs } : {}),
    onFailure: () => {
      // "Sync now" pressed while this cycle ran waits for a cycle that starts after it; a failed
      // cycle leaves the next one to the backoff timer, so start that one now instead.
      if (waiters.some((w) => w.target > cyclesStarted)) scheduler.retryNow();
    },
  });

  function openLive() {
    if (!started || opts.live === false || live) return;
    live = transport.openEvents({
      onOpen: () => {
        liveFailures = 0;
        emit({ live: true });
        scheduler.trigger();
      },
      onPoke: () => scheduler.trigger(),
      onClose: () => {
        live = null;
        emit({ live: false });
        if (!started) return;
        const delay = backoffDelay(liveFailures, { baseMs: 1000, maxMs: 30_000, random });
        liveFailures += 1;
        liveRetry = clock.schedule(() => {
          liveRetry = null;
          openLive();
        }, delay);
      },
    });
  }

  return {
    start() {
      if (started) return;
      started = true;
      evaluateAccess();
      openLive();
      scheduler.trigger();
    },
    async stop() {
      started = false;
      liveRetry?.();
      live?.close();
      live = null;
      await scheduler.stop();
      for (const w of waiters) w.resolve();
      waiters = [];
    },
    async syncNow() {
      if (scheduler.state().stopped) return;
      const done = new Promise<void>((resolve) => waiters.push({ target: cyclesStarted + 1, resolve }));
      scheduler.retryNow();
      await done;
    },
    notifyLocalWrite() {
      emit({}, { type: 'pending-changed', pending: store.pendingCount() });
      scheduler.trigger();
    },
    status: () => status,
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
