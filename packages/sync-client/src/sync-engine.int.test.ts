import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalStore, openLocalStore, runsOfChanges } from '@clinicdesk/local-store';
import {
  type Change,
  type GroupResult,
  type LeaseRequest,
  type LeaseResponse,
  PUSH_MAX_GROUPS,
  type PullResponse,
  type PushRequest,
  type PushResponse,
} from '@clinicdesk/sync-protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeClock, type FakeClock } from './fake-clock';
import { createSyncEngine, type EngineStatus, type SyncEngine, type SyncEngineOptions } from './sync-engine';
import type { SyncStore } from './sync-store.port';
import { type PullOptions, type PushOptions, type SyncTransport, TransportError } from './transport';

// The engine against a scripted server (fake transport) on a hand-driven clock, over a real local
// store file: what it sends, when it retries, and what it tells the screens.

const CLINIC = '01936b2e-0000-7000-8000-000000000001';
const DEVICE = '01936b2e-0000-7000-8000-0000000000d1';
const RECEPTIONIST = '01936b2e-0000-7000-8000-000000000003';
const START = Date.parse('2026-03-14T09:00:00.000Z');

type Kind = 'push' | 'pull' | 'lease';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const networkDown = () => new TransportError('network', 'Cannot reach the server: fetch failed');

/**
 * A scripted server: applies every pushed group, pages its `changes`, grants leases. Calls can be
 * held (until `release`) or failed (the next errors queued per kind); it counts calls in flight.
 */
class ScriptedServer implements SyncTransport {
  readonly pushes: PushRequest[] = [];
  readonly pulls: number[] = [];
  readonly leases: LeaseRequest[] = [];
  changes: Change[] = [];
  decisions: PullResponse['decisions'] = [];
  status: PullResponse['clinic']['status'] = 'active';
  leaseDays = 7;
  /** Every call fails as if the network were down. */
  offline = false;
  inFlight = 0;
  maxInFlight = 0;
  /** Answers say where their page ends before the body (`onHead`), as the HTTP transport's headers do. */
  heads = false;
  /** Added to the `nextCursor` a head states (a head that disagrees with its body). */
  headSkew = 0;
  /** A push asking for it is told to send the next one at once (`onSendNext`), as the HTTP server's early head does. */
  pushHeads = false;
  /**
   * Decides groups as the server does: by mutation id once (`duplicate` after), in seq order — a
   * group whose seq is not the next is refused with SEQUENCE_GAP and ends the answer. Otherwise
   * every group is applied.
   */
  ordered = false;
  readonly pushOptions: (PushOptions | undefined)[] = [];
  /** Mutation ids applied, in the order they were (with `ordered`). */
  readonly applied: string[] = [];
  #ackSeq = 0;
  readonly #script: Record<Kind, (Error | null)[]> = { push: [], pull: [], lease: [] };
  readonly #gates: Partial<Record<Kind, ReturnType<typeof deferred>>> = {};
  readonly #clock: FakeClock;

  constructor(clock: FakeClock) {
    this.#clock = clock;
  }

  /** How the next calls of `kind` go, in order: an error to fail with, or null to answer. */
  script(kind: Kind, ...outcomes: (Error | null)[]): void {
    this.#script[kind].push(...outcomes);
  }

  /** Calls of `kind` wait until `release`. */
  hold(kind: Kind): void {
    this.#gates[kind] = deferred();
  }

  release(kind: Kind): void {
    const gate = this.#gates[kind];
    delete this.#gates[kind];
    gate?.resolve();
  }

  async #serve<T>(kind: Kind, answer: () => T): Promise<T> {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await this.#gates[kind]?.promise;
      if (this.offline) throw networkDown();
      const failure = this.#script[kind].shift();
      if (failure) throw failure;
      return answer();
    } finally {
      this.inFlight -= 1;
    }
  }

  push(request: PushRequest, options?: PushOptions): Promise<PushResponse> {
    this.pushes.push(request);
    this.pushOptions.push(options);
    // A request that cannot reach the server gets no head.
    if (this.pushHeads && !this.offline) options?.onSendNext?.();
    return this.#serve('push', () => {
      if (!this.ordered) {
        const results: GroupResult[] = request.groups.map((g) => ({
          mutationId: g.mutationId,
          seq: g.seq,
          status: 'applied',
        }));
        return { results, ackSeq: request.groups.at(-1)?.seq ?? 0 };
      }
      const results: GroupResult[] = [];
      for (const g of request.groups) {
        const { mutationId, seq } = g;
        if (this.applied.includes(mutationId)) {
          results.push({ mutationId, seq, status: 'duplicate' });
        } else if (seq !== this.#ackSeq + 1) {
          results.push({ mutationId, seq, status: 'refused', code: 'SEQUENCE_GAP', message: 'gap' });
          break;
        } else {
          this.applied.push(mutationId);
          this.#ackSeq = seq;
          results.push({ mutationId, seq, status: 'applied' });
        }
      }
      return { results, ackSeq: this.#ackSeq };
    });
  }

  pull(cursor: number, limit: number, options?: PullOptions): Promise<PullResponse> {
    this.pulls.push(cursor);
    if (this.heads) {
      const after = this.changes.filter((c) => c.seq > cursor);
      const end = after.slice(0, limit).at(-1)?.seq ?? cursor;
      options?.onHead?.({ nextCursor: end + this.headSkew, hasMore: after.length > limit });
    }
    return this.#serve('pull', () => {
      const after = this.changes.filter((c) => c.seq > cursor);
      const page = after.slice(0, limit);
      const now = this.#clock.now();
      return {
        // The store's conversion: the runs a protocol-2 server sends for these changes.
        runs: runsOfChanges(page) as PullResponse['runs'],
        hasMore: after.length > page.length,
        nextCursor: page.at(-1)?.seq ?? cursor,
        remaining: after.length - page.length,
        ackSeq: 0,
        decisions: this.decisions,
        clinic: {
          status: this.status,
          limits: { patients: 500, doctors: 5, receptionists: 5, labTechs: null },
          usage: { patients: 0, doctors: 1, receptionists: 1, labTechs: 0 },
          lease: {
            issuedAt: new Date(now).toISOString(),
            expiresAt: new Date(now + this.leaseDays * 86_400_000).toISOString(),
            token: 'signed',
          },
        },
      };
    });
  }

  lease(request: LeaseRequest): Promise<LeaseResponse> {
    this.leases.push(request);
    return this.#serve('lease', () => ({
      leaseId: randomUUID(),
      counter: request.counter,
      scope: request.scope,
      from: 1 + 100 * (this.leases.length - 1),
      to: 100 * this.leases.length,
      issuedAt: new Date(this.#clock.now()).toISOString(),
    }));
  }

  openEvents(): { close(): void } {
    return { close() {} };
  }
}

/** A patient row as the server sends it at change `seq`. */
function serverPatient(seq: number, id: string = randomUUID()): Change {
  return {
    seq,
    entity: 'patient',
    id,
    version: 1,
    op: 'create',
    data: {
      id,
      clinicId: CLINIC,
      version: 1,
      createdAt: '2026-03-01T08:00:00.000Z',
      updatedAt: '2026-03-01T08:00:00.000Z',
      deletedAt: null,
      patientCode: `PT-SKH-2025-${String(seq).padStart(4, '0')}`,
      firstName: 'Ravi',
      lastName: null,
      dateOfBirth: null,
      ageYears: 40,
      sex: 'male',
      phone: null,
      status: 'registered',
      registeredBy: RECEPTIONIST,
    },
  };
}

/** The scripted server's pulls, leases and events, with pushes going through `push`. */
function pushingThrough(server: ScriptedServer, push: SyncTransport['push']): SyncTransport {
  return {
    push,
    pull: (cursor, limit, options) => server.pull(cursor, limit, options),
    lease: (request) => server.lease(request),
    openEvents: () => server.openEvents(),
  };
}

/** Lets promise chains started by the engine run to their end (the fake transport never waits on I/O). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function openStore(dir: string, clock: FakeClock): Promise<LocalStore> {
  const store = await openLocalStore({ file: join(dir, 'desk.sqlite'), now: () => new Date(clock.now()) });
  store.setIdentity({ deviceId: DEVICE, clinicId: CLINIC });
  store.setClinicProfile({ id: CLINIC, code: 'SKH', name: 'Santkrupa Hospital' });
  return store;
}

/** A desk: store file, scripted server, fake clock and engine (not started), recording every status. */
async function desk(options: Partial<SyncEngineOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'clinicdesk-engine-'));
  const clock = createFakeClock(START);
  const store = await openStore(dir, clock);
  const server = new ScriptedServer(clock);
  const statuses: EngineStatus[] = [];
  const make = (over: Partial<SyncEngineOptions> = {}): SyncEngine => {
    const engine = createSyncEngine({
      store,
      transport: server,
      clock,
      random: () => 0.5,
      live: false,
      ...options,
      ...over,
    });
    engine.onStatus((status) => statuses.push(status));
    cleanups.push(() => engine.stop());
    return engine;
  };
  const engine = make();
  cleanups.push(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  let registered = 0;
  /** Registers a patient locally (one outbox group); returns its id. */
  const register = (): string => {
    registered += 1;
    return store.write({ userId: RECEPTIONIST }, (w) => {
      const id = w.newId();
      w.create('patient', {
        id,
        patientCode: w.nextPatientCode(2026, id).code,
        firstName: `Asha ${registered}`,
        ageYears: 30,
        sex: 'female',
        registeredBy: RECEPTIONIST,
      });
      return id;
    }).value;
  };
  /** Cycles started so far (a status turning to syncing). */
  const cycles = () => statuses.filter((s, i) => s.syncing && !(statuses[i - 1]?.syncing ?? false)).length;
  return { dir, clock, store, server, statuses, engine, make, register, cycles };
}

describe('sync engine: scheduling', () => {
  it('runs one cycle at a time, and writes during a cycle ask for exactly one more', async () => {
    const { engine, server, register, cycles, store } = await desk();
    register();
    server.hold('push');
    engine.start();
    await settle();
    expect(server.pushes).toHaveLength(1);

    // Reception keeps working while the first push is on the wire.
    for (let i = 0; i < 3; i++) {
      register();
      engine.notifyLocalWrite();
    }
    await settle();
    expect(server.pushes).toHaveLength(1);

    server.release('push');
    await settle();
    expect(cycles()).toBe(2);
    expect(server.maxInFlight).toBe(1);
    expect(server.pushes.map((p) => p.groups.map((g) => g.seq))).toEqual([[1], [2, 3, 4]]);
    expect(store.pendingCount()).toBe(0);
  });

  it('retries after a network failure on its own, backing off, without waiting for a new write', async () => {
    const { engine, server, register, clock, store, statuses } = await desk();
    register();
    server.script('push', networkDown(), networkDown());
    engine.start();
    await settle();
    expect(server.pushes).toHaveLength(1);
    // random 0.5, base 500 ms: the first retry is due 250 ms later, the second 500 ms after that.
    expect(clock.nextAt()).toBe(START + 250);

    // A write during the backoff does not cut it short (a busy desk must not hammer a struggling server).
    register();
    engine.notifyLocalWrite();
    await settle();
    expect(server.pushes).toHaveLength(1);

    await clock.advance(250);
    expect(server.pushes).toHaveLength(2);
    expect(clock.nextAt()).toBe(START + 750);
    await clock.advance(499);
    expect(server.pushes).toHaveLength(2);
    await clock.advance(1);
    await settle();
    expect(server.pushes).toHaveLength(3);
    expect(store.pendingCount()).toBe(0);
    expect(clock.pendingCount()).toBe(0);
    expect(statuses.at(-1)).toMatchObject({ online: true, lastError: null, pending: 0 });
  });

  it('"Sync now" during a cycle that then fails runs again at once instead of waiting out the backoff', async () => {
    const { engine, server, register, store } = await desk();
    register();
    server.hold('push');
    server.script('push', networkDown());
    engine.start();
    await settle();

    let done = false;
    const now = engine.syncNow().then(() => {
      done = true;
    });
    server.release('push');
    await settle();
    expect(done).toBe(true);
    await now;
    expect(server.pushes).toHaveLength(2);
    expect(store.pendingCount()).toBe(0);
  });

  it('stops cleanly: waits for the cycle in flight, then never syncs again', async () => {
    const { engine, server, register, clock } = await desk();
    register();
    server.hold('push');
    engine.start();
    await settle();
    let stopped = false;
    const stopping = engine.stop().then(() => {
      stopped = true;
    });
    await settle();
    expect(stopped).toBe(false);
    server.release('push');
    await stopping;
    register();
    engine.notifyLocalWrite();
    await engine.syncNow();
    await clock.advance(120_000);
    expect(server.pushes).toHaveLength(1);
  });
});

describe('sync engine: status', () => {
  it('reports offline with the network error, then online, synced and nothing pending', async () => {
    const { engine, server, register, statuses, clock } = await desk();
    engine.start();
    await settle();
    server.script('push', networkDown());
    register();
    engine.notifyLocalWrite();
    await settle();
    expect(statuses.at(-1)).toMatchObject({
      online: false,
      syncing: false,
      pending: 1,
      lastError: { kind: 'network' },
    });
    await clock.advance(250);
    await settle();
    expect(statuses.at(-1)).toMatchObject({
      online: true,
      syncing: false,
      pending: 0,
      lastError: null,
      lastSyncAt: START + 250,
    });
    // Each cycle showed "syncing" while it ran.
    expect(statuses.filter((s) => s.syncing)).not.toHaveLength(0);
  });

  it('does not retry a refusal a person must deal with, and says which', async () => {
    const { engine, server, register, statuses, clock } = await desk();
    register();
    server.script('push', new TransportError('server', 'Device revoked', { code: 'FORBIDDEN', status: 403 }));
    engine.start();
    await settle();
    expect(statuses.at(-1)).toMatchObject({ online: true, lastError: { kind: 'server', code: 'FORBIDDEN' } });
    expect(clock.pendingCount()).toBe(0);
    await clock.advance(600_000);
    expect(server.pushes).toHaveLength(1);
  });

  it('reports first-sync progress page by page, and resumes it after a restart', async () => {
    const { engine, server, statuses, store, make, clock } = await desk({ pullLimit: 2 });
    server.changes = [1, 2, 3, 4, 5].map((seq) => serverPatient(seq));
    // Pages 1 and 2 arrive, page 3 fails: the app is closed midway.
    server.script('pull', null, null, networkDown());
    engine.start();
    await settle();
    const shown = statuses.map((s) => JSON.stringify(s.progress));
    expect(shown.filter((p, i) => p !== 'null' && p !== shown[i - 1]).map((p) => JSON.parse(p))).toEqual([
      { done: 2, total: 5 },
      { done: 4, total: 5 },
    ]);
    expect(store.cursorState()).toMatchObject({ cursor: 4, bootstrapped: false });
    await engine.stop();

    const again = make();
    expect(again.status().progress).toEqual({ done: 4, total: 5 });
    again.start();
    await settle();
    expect(again.status().progress).toBeNull();
    expect(store.cursorState()).toMatchObject({ cursor: 5, bootstrapped: true, progress: null });
    expect(store.patients.byCode('PT-SKH-2025-0005')).not.toBeNull();
    expect(clock.pendingCount()).toBe(0);
  });

  it('drains a long outbox in requests of as many groups as the server takes in one', async () => {
    const { engine, server, register, store } = await desk();
    for (let i = 0; i < PUSH_MAX_GROUPS + 5; i++) register();
    engine.start();
    await engine.syncNow();
    expect(server.pushes.map((p) => p.groups.length)).toEqual([PUSH_MAX_GROUPS, 5]);
    expect(store.pendingCount()).toBe(0);
  });

  it('keeps each push request within its byte budget, sending fewer groups when they are large', async () => {
    const { make, server, register, store } = await desk();
    for (let i = 0; i < 12; i++) register();
    const budget = 3 * Buffer.byteLength(JSON.stringify(store.pendingGroups(1)[0]?.ops)) + 10;
    const engine = make({ pushMaxBytes: budget });
    await engine.syncNow();
    expect(server.pushes.map((p) => p.groups.length)).toEqual([3, 3, 3, 3]);
    for (const push of server.pushes)
      expect(
        push.groups.reduce((n, g) => n + Buffer.byteLength(JSON.stringify(g.ops)), 0),
      ).toBeLessThanOrEqual(budget);
    expect(store.pendingCount()).toBe(0);
  });

  it('sends the next push as soon as the server holds the one before, two unanswered at most, in order', async () => {
    const { make, server, register, store } = await desk();
    for (let i = 0; i < 7; i++) register();
    server.pushHeads = true;
    server.ordered = true;
    server.hold('push');
    const engine = make({ pushBatch: 2 });
    const synced = engine.syncNow();
    await settle();
    // The second request left on the first one's head, before its answer; no third yet.
    expect(server.pushes.map((p) => p.groups.map((g) => g.seq))).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(server.inFlight).toBe(2);
    server.release('push');
    await synced;
    expect(server.pushes.map((p) => p.groups.map((g) => g.seq))).toEqual([[1, 2], [3, 4], [5, 6], [7]]);
    expect(server.maxInFlight).toBe(2);
    // Only a request with more groups behind it asks for an early head.
    expect(server.pushOptions.map((o) => o?.onSendNext !== undefined)).toEqual([true, true, true, false]);
    expect(server.applied).toHaveLength(7);
    expect(store.pendingCount()).toBe(0);
    expect(engine.status().lastError).toBeNull();
  });

  it('sends no further push after one that failed, and keeps the outbox for the next cycle', async () => {
    const { make, server, register, store } = await desk();
    for (let i = 0; i < 5; i++) register();
    server.pushHeads = true;
    server.offline = true;
    const engine = make({ pushBatch: 2 });
    await engine.syncNow();
    expect(server.pushes).toHaveLength(1);
    expect(store.pendingCount()).toBe(5);
    expect(engine.status().lastError?.kind).toBe('network');
  });

  it('sends one push at a time when the server gives no early head', async () => {
    const { make, server, register, store } = await desk();
    for (let i = 0; i < 7; i++) register();
    server.ordered = true;
    await make({ pushBatch: 2 }).syncNow();
    expect(server.pushes.map((p) => p.groups.length)).toEqual([2, 2, 2, 1]);
    expect(server.maxInFlight).toBe(1);
    expect(store.pendingCount()).toBe(0);
  });

  it('sends again the groups of a push that overtook the one ahead of it, without halting', async () => {
    const { make, server, register, store } = await desk();
    for (let i = 0; i < 6; i++) register();
    server.ordered = true;
    const secondAnswered = deferred();
    let calls = 0;
    // The first request reaches the server only after the second has been answered (a gap there).
    const transport = pushingThrough(server, (request, options) => {
      calls += 1;
      if (calls === 1) {
        options?.onSendNext?.();
        return secondAnswered.promise.then(() => server.push(request));
      }
      const answer = server.push(request);
      if (calls === 2) void answer.finally(() => secondAnswered.resolve());
      return answer;
    });
    const engine = make({ pushBatch: 2, transport });
    await engine.syncNow();
    expect(server.pushes[0]?.groups.map((g) => g.seq)).toEqual([3, 4]);
    expect(server.applied).toHaveLength(6);
    expect(store.pendingCount()).toBe(0);
    expect(store.inbox()).toEqual([]);
    expect(engine.status().lastError).toBeNull();
  });

  it('keeps what the server decided of the next push when the one before fails, and sends the failed groups again', async () => {
    const { make, server, register, store } = await desk();
    for (let i = 0; i < 4; i++) register();
    server.pushHeads = true;
    server.ordered = true;
    let calls = 0;
    // The first answer is lost after the server decided it.
    const transport = pushingThrough(server, async (request, options) => {
      calls += 1;
      const call = calls;
      const answer = await server.push(request, options);
      if (call === 1) throw networkDown();
      return answer;
    });
    const engine = make({ pushBatch: 2, transport });
    await engine.syncNow();
    // The second request's groups were recorded; the first's wait for the next cycle.
    expect(store.pendingGroups(10).map((g) => g.seq)).toEqual([1, 2]);
    expect(engine.status().lastError?.kind).toBe('network');
    await engine.syncNow();
    expect(server.pushes.at(-1)?.groups.map((g) => g.seq)).toEqual([1, 2]);
    expect(store.pendingCount()).toBe(0);
    expect(server.applied).toHaveLength(4);
  });

  it('counts only real pushes as pushes: a cycle with nothing to send leaves the push time alone', async () => {
    const { engine, store } = await desk();
    engine.start();
    await settle();
    expect(store.cursorState().lastSyncAt).not.toBeNull();
    expect(store.syncState().lastPushAt).toBeNull();
  });
});

describe('sync engine: access', () => {
  it('turns read-only when the licence lease runs out offline, and writable again once a pull says so', async () => {
    const { engine, server, store, clock, statuses } = await desk();
    server.leaseDays = 1;
    engine.start();
    await settle();
    expect(store.readOnly()).toBeNull();

    server.offline = true;
    await clock.advance(2 * 86_400_000);
    await engine.syncNow();
    expect(statuses.at(-1)?.readOnly).toBe('licence_lapsed');
    expect(store.readOnly()?.reason).toBe('licence_lapsed');

    server.offline = false;
    await engine.syncNow();
    expect(engine.status().readOnly).toBeNull();
    expect(store.readOnly()).toBeNull();
  });

  it('lifts a read-only flag an earlier session left in the store once a pull says the clinic may write', async () => {
    const { store, make } = await desk();
    // The app started offline after the lease ran out and locked the store before the engine ran.
    store.setReadOnly('licence_lapsed');
    const engine = make();
    engine.start();
    await settle();
    expect(engine.status().readOnly).toBeNull();
    expect(store.readOnly()).toBeNull();
  });

  it('turns read-only while the subscription is expired, and writable when it is renewed', async () => {
    const { engine, server, store } = await desk();
    server.status = 'expired';
    engine.start();
    await settle();
    expect(engine.status().readOnly).toBe('subscription_inactive');
    expect(store.readOnly()?.reason).toBe('subscription_inactive');
    expect(server.leases).toHaveLength(0);
    server.status = 'active';
    await engine.syncNow();
    expect(engine.status().readOnly).toBeNull();
    expect(store.readOnly()).toBeNull();
  });

  it('on 426 turns read-only, keeps the outbox and stops syncing until the app is updated', async () => {
    const { engine, server, store, register, clock } = await desk();
    register();
    server.script(
      'push',
      new TransportError('server', 'This ClinicDesk app is too old to sync; please update it', {
        code: 'UPGRADE_REQUIRED',
        status: 426,
      }),
    );
    engine.start();
    await settle();
    expect(engine.status()).toMatchObject({
      readOnly: 'upgrade_required',
      lastError: { code: 'UPGRADE_REQUIRED' },
    });
    expect(store.readOnly()?.reason).toBe('upgrade_required');
    expect(store.pendingCount()).toBe(1);
    await engine.syncNow();
    await clock.advance(600_000);
    expect(server.pushes).toHaveLength(1);
    expect(server.pulls).toHaveLength(0);
    expect(store.pendingCount()).toBe(1);
  });

  it('does not spin when the server answers RESET_REQUIRED again during the new download', async () => {
    const { engine, server, store, clock } = await desk({ pullLimit: 1 });
    server.changes = [serverPatient(1), serverPatient(2), serverPatient(3)];
    engine.start();
    await settle();
    const reset = () =>
      new TransportError('server', 'Too far behind', { code: 'RESET_REQUIRED', status: 410 });
    server.script('pull', reset(), null, reset(), reset(), reset());
    await engine.syncNow();
    // From 3: reset; from 0: one page; from 1: reset again, and the cycle stops there.
    expect(server.pulls.slice(-3)).toEqual([3, 0, 1]);
    expect(engine.status().lastError).toMatchObject({ kind: 'server', code: 'RESET_REQUIRED' });
    await clock.advance(600_000);
    expect(server.pulls).toHaveLength(6);
    expect(store.cursorState()).toMatchObject({ cursor: 1, bootstrapped: false });
  });

  it('on RESET_REQUIRED downloads the clinic again from 0 and keeps the outbox and its rows', async () => {
    const { engine, server, store, register } = await desk();
    server.changes = [serverPatient(1), serverPatient(2)];
    engine.start();
    await settle();
    expect(store.cursorState()).toMatchObject({ cursor: 2, bootstrapped: true });

    // The server compacted its log past this device's cursor; a write lands while the pull is out.
    server.changes = [serverPatient(7, server.changes[1]?.id), serverPatient(8)];
    server.hold('pull');
    server.script(
      'pull',
      new TransportError('server', 'Too far behind', { code: 'RESET_REQUIRED', status: 410 }),
    );
    void engine.syncNow();
    await settle();
    const local = register();
    engine.notifyLocalWrite();
    const pending = store.pendingGroups(10)[0];
    server.release('pull');
    await settle();
    expect(store.patients.byId(local)).not.toBeNull();

    expect(server.pulls.slice(-3)).toEqual([2, 0, 8]);
    expect(store.cursorState()).toMatchObject({ cursor: 8, bootstrapped: true });
    // The first server patient is gone from the new snapshot; the local one reached the server.
    expect(store.patients.byCode('PT-SKH-2025-0001')).toBeNull();
    expect(store.patients.byCode('PT-SKH-2025-0008')).not.toBeNull();
    expect(server.pushes.at(-1)?.groups.map((g) => g.mutationId)).toEqual([pending?.mutationId]);
    expect(store.pendingCount()).toBe(0);
  });
});

describe('sync engine: pulling ahead', () => {
  /** The store as the engine sees it, with `applyPull` watched (and failing when `fail` says so). */
  function watched(
    store: LocalStore,
    server: ScriptedServer,
    fail: (cursor: number) => boolean = () => false,
  ) {
    const requestedBeforeApply: number[][] = [];
    const wrapped: SyncStore = {
      pendingGroups: (limit) => store.pendingGroups(limit),
      pendingCount: () => store.pendingCount(),
      recordPushResults: (results) => store.recordPushResults(results),
      applyPull(page) {
        requestedBeforeApply.push([...server.pulls]);
        if (fail(page.nextCursor)) throw new Error('disk full');
        store.applyPull(page);
      },
      cursorState: () => store.cursorState(),
      setCursorState: (patch) => store.setCursorState(patch),
      resetForRebootstrap: () => {
        store.resetForRebootstrap();
      },
      counterRemaining: (counter, scope) => store.counterRemaining(counter, scope),
      addCounterBlock: (lease) => {
        store.addCounterBlock(lease);
      },
      setReadOnly: (reason) => store.setReadOnly(reason),
    };
    return { wrapped, requestedBeforeApply };
  }

  it('asks for the next page before applying the current one', async () => {
    const { server, store, make } = await desk({ pullLimit: 1 });
    server.changes = [1, 2, 3].map((seq) => serverPatient(seq));
    const { wrapped, requestedBeforeApply } = watched(store, server);
    await make({ store: wrapped }).syncNow();
    expect(requestedBeforeApply).toEqual([
      [0, 1],
      [0, 1, 2],
      [0, 1, 2],
    ]);
    expect(store.cursorState()).toMatchObject({ cursor: 3, bootstrapped: true });
  });

  it("asks for the next page as soon as the answer's head says where this one ends", async () => {
    const { server, store, engine } = await desk({ pullLimit: 1 });
    server.changes = [1, 2, 3, 4, 5].map((seq) => serverPatient(seq));
    server.heads = true;
    server.hold('pull');
    engine.start();
    await settle();
    // Page 1's body has not arrived, yet pages 2 and 3 are already asked for; no further ahead.
    expect(server.pulls).toEqual([0, 1, 2]);
    expect(store.cursorState().cursor).toBe(0);
    server.release('pull');
    await settle();
    expect(server.pulls).toEqual([0, 1, 2, 3, 4]);
    expect(store.cursorState()).toMatchObject({ cursor: 5, bootstrapped: true });
  });

  it('drops a request made from a head that disagrees with its page, and asks again from the page', async () => {
    const { server, store, engine } = await desk({ pullLimit: 1 });
    server.changes = [1, 2].map((seq) => serverPatient(seq));
    server.heads = true;
    server.headSkew = 5;
    await engine.syncNow();
    expect(server.pulls).toEqual([0, 6, 1]);
    expect(store.cursorState()).toMatchObject({ cursor: 2, bootstrapped: true });
  });

  it('a page that fails to apply leaves the cursor at the page before and discards the page asked for ahead', async () => {
    const { server, store, make, clock } = await desk({ pullLimit: 1 });
    server.changes = [1, 2, 3].map((seq) => serverPatient(seq));
    let failures = 1;
    const { wrapped } = watched(store, server, (cursor) => cursor === 2 && failures-- > 0);
    const engine = make({ store: wrapped });
    await engine.syncNow();
    expect(engine.status().lastError).toMatchObject({ kind: 'network', message: 'disk full' });
    // Page 3 was asked for while page 2 was applied; it is not kept, and the cursor stays at 1.
    expect(server.pulls).toEqual([0, 1, 2]);
    expect(store.cursorState()).toMatchObject({ cursor: 1, bootstrapped: false });
    expect(store.patients.byCode('PT-SKH-2025-0002')).toBeNull();
    expect(store.patients.byCode('PT-SKH-2025-0003')).toBeNull();
    // The retry starts again from the stored cursor.
    await clock.advance(60_000);
    await settle();
    expect(server.pulls.slice(3)).toEqual([1, 2]);
    expect(store.cursorState()).toMatchObject({ cursor: 3, bootstrapped: true });
    expect(store.patients.byCode('PT-SKH-2025-0003')).not.toBeNull();
  });

  it('on RESET_REQUIRED for the page asked for ahead, downloads the clinic again from 0', async () => {
    const { server, store, engine } = await desk({ pullLimit: 1 });
    server.changes = [1, 2, 3].map((seq) => serverPatient(seq));
    server.script(
      'pull',
      null,
      new TransportError('server', 'Too far behind', { code: 'RESET_REQUIRED', status: 410 }),
    );
    await engine.syncNow();
    expect(engine.status().lastError).toBeNull();
    // Page 1 was applied while the request from 1 was out; that one answered RESET_REQUIRED.
    expect(server.pulls).toEqual([0, 1, 0, 1, 2]);
    expect(store.cursorState()).toMatchObject({ cursor: 3, bootstrapped: true });
    expect(store.patients.byCode('PT-SKH-2025-0003')).not.toBeNull();
  });

  it('a page cut off after its head (the server failed writing it) fails the cycle, keeps the cursor, and is asked for again', async () => {
    const { server, store, engine, clock } = await desk({ pullLimit: 1 });
    server.changes = [1, 2, 3, 4, 5].map((seq) => serverPatient(seq));
    server.heads = true;
    // Page 1 arrives whole; page 2's head arrives, then its body is cut off.
    server.script('pull', null, networkDown());
    await engine.syncNow();
    expect(engine.status().lastError).toMatchObject({ kind: 'network' });
    expect(store.cursorState()).toMatchObject({ cursor: 1, bootstrapped: false });
    expect(store.patients.byCode('PT-SKH-2025-0002')).toBeNull();
    await clock.advance(60_000);
    await settle();
    expect(server.pulls.at(-4)).toBe(1);
    expect(store.cursorState()).toMatchObject({ cursor: 5, bootstrapped: true });
    expect(store.patients.byCode('PT-SKH-2025-0005')).not.toBeNull();
  });

  it('a page that fails to apply drops both pages asked for ahead from heads, and resumes from the cursor', async () => {
    const { server, store, make, clock } = await desk({ pullLimit: 1 });
    server.changes = [1, 2, 3, 4, 5].map((seq) => serverPatient(seq));
    server.heads = true;
    let failures = 1;
    const { wrapped } = watched(store, server, (cursor) => cursor === 2 && failures-- > 0);
    const engine = make({ store: wrapped });
    await engine.syncNow();
    expect(engine.status().lastError).toMatchObject({ message: 'disk full' });
    // Pages 3 and 4 were asked for while page 2 was applied; neither is kept.
    expect(server.pulls).toEqual([0, 1, 2, 3]);
    expect(store.cursorState()).toMatchObject({ cursor: 1, bootstrapped: false });
    expect(store.patients.byCode('PT-SKH-2025-0003')).toBeNull();
    await clock.advance(60_000);
    await settle();
    expect(server.pulls.slice(4)).toEqual([1, 2, 3, 4]);
    expect(store.cursorState()).toMatchObject({ cursor: 5, bootstrapped: true });
  });
});
