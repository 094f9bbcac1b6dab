/**
 * A clinic's sync world for the end-to-end sync specs: the production server listening on
 * 127.0.0.1 (PGlite, or a fresh database on DATABASE_URL's PostgreSQL), and devices that each own
 * a real SQLite store file, a real sync engine and the HTTP transport, with a seeded faulty
 * network between the device and the server.
 *
 * The faulty network works at the fetch level, so the engine and transport see exactly what a
 * bad connection gives them: requests that never arrive, answers lost after the server committed,
 * requests sent twice (at once, or replayed much later, after newer ones), requests that arrive
 * only after the device gave up on them, 5xx from a proxy, and a process that dies after the
 * server committed a push but before the device recorded the answer.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EntityInput, type LocalStore, type LocalWriter, openLocalStore } from '@clinicdesk/local-store';
import {
  createAuthClient,
  createHttpTransport,
  createSyncEngine,
  createTokenKeeper,
  type SyncEngine,
  type SyncEngineOptions,
} from '@clinicdesk/sync-client';
import { type ErrorCode, errorBody } from '@clinicdesk/sync-protocol';
import {
  createTestApp,
  type TestApp,
  type TestClinic,
  type TestUser,
} from '../../apps/server/src/testing/test-app';
import { createFakeClock, type FakeClock } from '../../packages/sync-client/src/fake-clock';
import { changeLog } from './server-state';

export { seededRandom } from '../../apps/server/src/testing/seeded-random';

/** The real server, listening on a free port of 127.0.0.1. */
export interface SyncServer {
  readonly t: TestApp;
  readonly url: string;
  close(): Promise<void>;
}

/** Starts the production app on a throwaway database and listens on 127.0.0.1:0. */
export async function startSyncServer(): Promise<SyncServer> {
  const t = await createTestApp();
  const url = await t.app.listen({ host: '127.0.0.1', port: 0 });
  return { t, url, close: () => t.close() };
}

/** A clinic with an admin, a receptionist and a doctor, and an optional patient limit. */
export interface SyncClinic {
  readonly clinic: TestClinic;
  readonly admin: TestUser;
  readonly receptionist: TestUser;
  readonly doctor: TestUser;
}

/** Creates a clinic and its staff through the owner connection (the platform path). */
export async function createSyncClinic(
  server: SyncServer,
  options: { maxPatients?: number } = {},
): Promise<SyncClinic> {
  const { t } = server;
  const clinic = await t.createClinic();
  if (options.maxPatients !== undefined) {
    await t.tdb.db.owner
      .updateTable('clinics')
      .set({ max_patients: options.maxPatients })
      .where('id', '=', clinic.id)
      .execute();
  }
  const [admin, receptionist, doctor] = await Promise.all([
    t.createUser(clinic.id, 'admin'),
    t.createUser(clinic.id, 'receptionist'),
    t.createUser(clinic.id, 'doctor'),
  ]);
  return { clinic, admin, receptionist, doctor };
}

export type NetworkMode = 'online' | 'offline' | 'flaky';

export type Fault =
  | 'drop-request'
  | 'error-before'
  | 'drop-response'
  | 'error-after'
  | 'duplicate'
  | 'duplicate-concurrent'
  | 'replay-later'
  | 'arrive-late'
  | 'crash-after-commit';

/** Requests held back to be sent again later, shared by all devices so they arrive interleaved. */
export class ReplayQueue {
  readonly #held: (() => Promise<void>)[] = [];

  hold(send: () => Promise<void>): void {
    this.#held.push(send);
  }

  get size(): number {
    return this.#held.length;
  }

  /** Sends the held copies in an order chosen by `random`, one after another. */
  async flush(random: () => number): Promise<void> {
    while (this.#held.length > 0) {
      const index = Math.floor(random() * this.#held.length);
      const [send] = this.#held.splice(index, 1);
      await send?.();
    }
  }
}

function dropped(what: string): TypeError {
  // What undici throws when a connection goes away.
  return new TypeError(`fetch failed (${what})`);
}

function proxyError(status: number, code: ErrorCode = 'INTERNAL'): Response {
  return new Response(JSON.stringify(errorBody(code, `proxy answered ${status}`)), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

async function drain(response: Response): Promise<void> {
  await response.arrayBuffer().catch(() => undefined);
}

const FLAKY_FAULTS: readonly { fault: Fault; weight: number }[] = [
  { fault: 'drop-request', weight: 3 },
  { fault: 'error-before', weight: 2 },
  { fault: 'drop-response', weight: 3 },
  { fault: 'error-after', weight: 2 },
  { fault: 'duplicate', weight: 2 },
  { fault: 'duplicate-concurrent', weight: 2 },
  { fault: 'replay-later', weight: 3 },
  { fault: 'arrive-late', weight: 2 },
];

/**
 * The network between one device and the server. `flaky` turns each request into a fault with
 * probability `faultRate`; `nextPushFault` forces the fault of the next push.
 */
export class FaultyNetwork {
  mode: NetworkMode = 'online';
  faultRate = 0.35;
  nextPushFault: Fault | null = null;
  /** Set when the process "died" after the server committed a push; every request fails until restart. */
  crashed = false;
  /** Answers every sync request with this status and code (e.g. a newer server's 426). */
  answerSyncWith: { status: number; code: ErrorCode } | null = null;
  /** Called as each request leaves (a spec can act "while the request is on the wire"). */
  onRequest: ((url: string) => void) | null = null;
  readonly faults = new Map<Fault, number>();
  readonly #random: () => number;
  readonly #replays: ReplayQueue;

  constructor(random: () => number, replays: ReplayQueue) {
    this.#random = random;
    this.#replays = replays;
  }

  #pick(): Fault | null {
    if (this.mode !== 'flaky' || this.#random() >= this.faultRate) return null;
    const total = FLAKY_FAULTS.reduce((sum, f) => sum + f.weight, 0);
    let draw = this.#random() * total;
    for (const f of FLAKY_FAULTS) {
      draw -= f.weight;
      if (draw < 0) return f.fault;
    }
    return null;
  }

  /** The fetch the device's transport uses. */
  readonly fetch: typeof fetch = async (input, init) => {
    const url = String(input);
    this.onRequest?.(url);
    if (this.crashed) throw dropped('process is down');
    if (this.mode === 'offline') throw dropped('offline');
    if (this.answerSyncWith !== null && url.includes('/v1/sync/'))
      return proxyError(this.answerSyncWith.status, this.answerSyncWith.code);
    const isPush = url.endsWith('/v1/sync/push');
    let fault = this.#pick();
    if (isPush && this.nextPushFault !== null) {
      fault = this.nextPushFault;
      this.nextPushFault = null;
    }
    if (fault === null) return fetch(input, init);
    this.faults.set(fault, (this.faults.get(fault) ?? 0) + 1);
    // A copy without the caller's timeout signal, which may have fired by the time it is re-sent.
    const copy = (): Promise<Response> => fetch(url, { ...init, signal: null });
    switch (fault) {
      case 'drop-request':
        throw dropped('request lost');
      case 'error-before':
        return proxyError(503);
      case 'drop-response': {
        await drain(await fetch(input, init));
        throw dropped('answer lost');
      }
      case 'error-after': {
        await drain(await fetch(input, init));
        return proxyError(502);
      }
      case 'duplicate': {
        await drain(await copy());
        return fetch(input, init);
      }
      case 'duplicate-concurrent': {
        const [first, second] = await Promise.all([fetch(input, init), copy()]);
        await drain(second);
        return first;
      }
      case 'replay-later': {
        // Harmless by contract: pushes are answered from memory, leases only waste numbers.
        this.#replays.hold(async () => {
          await copy().then(drain, () => undefined);
        });
        return fetch(input, init);
      }
      case 'arrive-late': {
        // The device gives up waiting (a timeout); the request itself reaches the server much later.
        this.#replays.hold(async () => {
          await copy().then(drain, () => undefined);
        });
        throw dropped('timed out');
      }
      case 'crash-after-commit': {
        await drain(await fetch(input, init));
        this.crashed = true;
        throw dropped('process died');
      }
      default:
        return fault satisfies never;
    }
  };
}

/** One desk: a store file, an engine and its network. */
export class SyncDevice {
  readonly name: string;
  readonly user: TestUser;
  readonly file: string;
  readonly network: FaultyNetwork;
  readonly clock: FakeClock;
  /** Mutation ids of every group this device wrote (local writes and resubmits). */
  readonly groups = new Set<string>();
  store!: LocalStore;
  engine!: SyncEngine;
  restarts = 0;
  readonly #transportOptions: Parameters<typeof createHttpTransport>[0];
  readonly #engineOptions: Partial<SyncEngineOptions>;
  readonly #deviceId: string;

  private constructor(opts: {
    name: string;
    user: TestUser;
    file: string;
    network: FaultyNetwork;
    transport: Parameters<typeof createHttpTransport>[0];
    engine: Partial<SyncEngineOptions>;
    deviceId: string;
  }) {
    this.name = opts.name;
    this.user = opts.user;
    this.file = opts.file;
    this.network = opts.network;
    this.clock = createFakeClock(Date.now());
    this.#transportOptions = opts.transport;
    this.#engineOptions = opts.engine;
    this.#deviceId = opts.deviceId;
  }

  /** Registers a device for `user`, signs in over HTTP and opens its store and engine. */
  static async enrol(opts: {
    server: SyncServer;
    clinic: TestClinic;
    user: TestUser;
    name: string;
    dir: string;
    network: FaultyNetwork;
    engine?: Partial<SyncEngineOptions>;
  }): Promise<SyncDevice> {
    const { server, clinic, user } = opts;
    const credentials = await server.t.createDevice(clinic.id);
    const auth = createAuthClient({ baseUrl: server.url });
    const session = await auth.login({
      clinicSlug: clinic.slug,
      username: user.username,
      password: user.password,
      deviceId: credentials.deviceId,
      deviceSecret: credentials.deviceSecret,
    });
    // The session survives restarts, as the desktop keeps its refresh token.
    const keeper = createTokenKeeper({ auth, initial: session, now: () => Date.now() });
    const device = new SyncDevice({
      name: opts.name,
      user,
      file: join(opts.dir, `${opts.name}.sqlite`),
      network: opts.network,
      transport: { baseUrl: server.url, auth: keeper, fetch: opts.network.fetch, timeoutMs: 20_000 },
      engine: opts.engine ?? {},
      deviceId: credentials.deviceId,
    });
    // Registered first, as the desktop does before its engine runs: local writes need the clinic.
    const store = await openLocalStore({ file: device.file });
    store.setIdentity({ deviceId: credentials.deviceId, clinicId: clinic.id });
    store.setClinicProfile({ id: clinic.id, code: clinic.code, name: `Clinic ${clinic.code}` });
    await store.close();
    await device.open();
    return device;
  }

  get deviceId(): string {
    return this.#deviceId;
  }

  async open(): Promise<void> {
    this.store = await openLocalStore({ file: this.file });
    this.engine = createSyncEngine({
      store: this.store,
      transport: createHttpTransport(this.#transportOptions),
      clock: this.clock,
      live: false,
      ...this.#engineOptions,
    });
    this.engine.start();
  }

  /** Stops the engine (waiting for a cycle in flight) and closes the store file. */
  async close(): Promise<void> {
    await this.engine.stop();
    await this.store.close();
  }

  /** The app closes (or died) and starts again on the same file, with a new engine. */
  async restart(): Promise<void> {
    await this.close();
    this.network.crashed = false;
    this.restarts += 1;
    await this.open();
  }

  /** Runs a cycle now and waits until the engine is idle. */
  syncNow(): Promise<void> {
    return this.engine.syncNow();
  }

  /**
   * One local write as a screen makes it: one transaction, one outbox group; `notify` tells the
   * engine (which starts a cycle in the background). Returns null when the store refused the write.
   */
  write<T>(fn: (w: LocalWriter) => T, notify = true): T | null {
    let result: ReturnType<LocalStore['write']>;
    try {
      result = this.store.write({ userId: this.user.id }, fn);
    } catch (error) {
      if (error instanceof SkipWrite) return null;
      throw error;
    }
    if (result.group !== null) this.groups.add(result.group.mutationId);
    if (notify) this.engine.notifyLocalWrite();
    return result.value as T;
  }
}

/** Today's clinic day (UTC in these specs), year and instant, for check-ins and patient codes. */
export function today(): { date: string; year: number; at: string } {
  const now = new Date();
  return { date: now.toISOString().slice(0, 10), year: now.getUTCFullYear(), at: now.toISOString() };
}

/** Registers a patient inside a write, with the next patient code; returns the patient id. */
export function registerPatient(
  w: LocalWriter,
  registeredBy: string,
  fields: Partial<EntityInput<'patient'>> = {},
): string {
  const id = w.newId();
  w.create('patient', {
    id,
    patientCode: w.nextPatientCode(today().year, id).code,
    firstName: 'Asha',
    lastName: 'Patil',
    sex: 'female',
    ageYears: 34,
    phone: '+919876543210',
    registeredBy,
    ...fields,
  });
  return id;
}

/** Checks a patient in to a doctor's queue today inside a write, with the next token; returns the visit id. */
export function checkIn(w: LocalWriter, patientId: string, doctorId: string): string {
  const { date, at } = today();
  const id = w.newId();
  w.create('visit', {
    id,
    patientId,
    doctorId,
    visitDate: date,
    tokenNumber: w.nextQueueToken(doctorId, date).tokenNumber,
    checkedInAt: at,
  });
  return id;
}

/**
 * Syncs the desks one after another (restarting any that "died") until none has a group to send
 * and each has pulled up to the clinic's last change. False if that did not happen in `rounds`.
 */
export async function syncUntilQuiet(
  server: SyncServer,
  clinicId: string,
  devices: readonly SyncDevice[],
  rounds = 8,
): Promise<boolean> {
  for (let round = 0; round < rounds; round++) {
    // A background push may still have been on its way to a "crash" when the network healed.
    for (const d of devices) if (d.network.crashed) await d.restart();
    for (const d of devices) await d.syncNow();
    const { lastSeq } = await changeLog(server.t, clinicId);
    if (devices.every((d) => d.store.pendingCount() === 0 && d.store.cursorState().cursor === lastSeq))
      return true;
  }
  return false;
}

/** Thrown inside a write callback to leave it without writing (the screen refused the action). */
export class SkipWrite extends Error {}

/** A temporary folder for store files and a function that removes it. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
