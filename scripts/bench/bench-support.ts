/**
 * What the benchmarks behind `npm run bench` share (see docs/benchmarks.md): figures and
 * percentiles, `BENCH_SCALE`, a real server on a fresh PostgreSQL database, devices wired as the
 * desktop wires them, and the patient-search query mix with its raw FTS5 baseline.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LocalStore, openLocalStore, patientMatchExpression } from '@clinicdesk/local-store';
import {
  createAuthClient,
  createHttpTransport,
  createSyncEngine,
  createTokenKeeper,
  observeSyncStore,
  type SyncEngine,
  type SyncStore,
  type SyncTransport,
  systemClock,
} from '@clinicdesk/sync-client';
import type { GroupResult, PullResponse } from '@clinicdesk/sync-protocol';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { buildApp } from '../../apps/server/src/app';
import { deriveAppUrl, loadConfig } from '../../apps/server/src/config';
import { openDatabase } from '../../apps/server/src/db/database';
import { migrateToLatest } from '../../apps/server/src/db/migrate';
import { hashPassword } from '../../apps/server/src/lib/passwords';
import { seededRandom } from '../../apps/server/src/testing/seeded-random';

/** Percentile of a sorted-on-demand sample (nearest rank). */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

/** Prints one figure line: `<name>: <figure>`. */
export function report(name: string, figure: string): void {
  console.log(`${name}: ${figure}`);
}

/**
 * `BENCH_SCALE` (default 1, full scale): every row and sample count is multiplied by it, so
 * `BENCH_SCALE=0.01 npm run bench` is a quick smoke run of the same code.
 */
export function benchScale(): number {
  const raw = process.env.BENCH_SCALE;
  if (raw === undefined || raw === '') return 1;
  const scale = Number(raw);
  if (!(scale > 0)) throw new RangeError(`BENCH_SCALE must be a positive number, got ${raw}`);
  return scale;
}

/** `full` at the current scale, never below `min`. */
export function scaled(full: number, min = 1): number {
  return Math.max(min, Math.round(full * benchScale()));
}

/** A progress line on stderr, so stdout holds only figure lines. */
export function progress(message: string): void {
  process.stderr.write(`  … ${message}\n`);
}

/** Milliseconds taken by `fn`. */
export async function timed(fn: () => unknown): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/** A temporary folder removed by `cleanup()`. */
export function tempDir(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A server on a fresh PostgreSQL database (DATABASE_URL's server, default the local one), listening
 * on loopback. Benchmarks always use real PostgreSQL.
 */
export async function benchServer() {
  const baseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `clinicdesk_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const database = { kind: 'postgres', url: url.toString(), appUrl: deriveAppUrl(url.toString()) } as const;
  const db = await openDatabase(database);
  await migrateToLatest(db.owner);
  const config = { ...loadConfig(BENCH_SERVER_ENV), database };
  const app = await buildApp({ config, db, logger: false });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    app,
    db,
    url: address,
    databaseUrl: url.toString(),
    async close() {
      await app.close();
      await db.close();
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export type BenchServer = Awaited<ReturnType<typeof benchServer>>;

/** The settings of a benchmark's server: no rate limits to speak of, room for large pushes. */
const BENCH_SERVER_ENV = {
  NODE_ENV: 'test',
  RATE_LIMIT_PER_MINUTE: '1000000',
  LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
  BODY_LIMIT_BYTES: String(64 * 1024 * 1024),
};

/** A TCP port free on loopback a moment ago. */
async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  probe.close();
  if (address === null || typeof address === 'string') throw new Error('No port for the server');
  return address.port;
}

/**
 * `server`'s database served by the production server in a Node process of its own
 * (`apps/server/src/server.ts`, the settings of `benchServer`), as a clinic's device meets it: the
 * device's thread then does only the device's work, where in one process it also ran the server's
 * (reading each page from PostgreSQL, encoding and sending it). Resolves once the server answers.
 */
export async function serverProcess(server: BenchServer): Promise<{ url: string; close(): Promise<void> }> {
  const port = await freePort();
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'apps/server/src/server.ts')], {
    cwd: root,
    env: {
      ...process.env,
      ...BENCH_SERVER_ENV,
      DATABASE_URL: server.databaseUrl,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = once(child, 'exit');
  const url = `http://127.0.0.1:${port}`;
  for (let waited = 0; ; waited += 100) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`The server process exited (${child.exitCode ?? child.signalCode})`);
    const ok = await fetch(`${url}/health`).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) break;
    if (waited > 60_000) {
      child.kill();
      throw new Error('The server process did not answer within a minute');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Refreshes the planner's statistics after a bulk load, as autovacuum does on a running server.
 * Without it (autovacuum off, or not yet run) PostgreSQL plans the pull's change-log query for an
 * empty table and each page sorts every remaining entry: a load artefact, not a clinic's reality.
 */
export async function analyzeDatabase(server: BenchServer): Promise<void> {
  await sql`ANALYZE`.execute(server.db.owner);
}

/** Adds a clinic admin through the owner connection, as the platform does when it creates a clinic. */
export async function createClinicAdmin(server: BenchServer, clinicId: string, password: string) {
  const id = randomUUID();
  const username = `admin-${id.slice(0, 8)}`;
  await server.db.owner
    .insertInto('users')
    .values({
      clinic_id: clinicId,
      id,
      username,
      display_name: 'Benchmark admin',
      role: 'admin',
      password_hash: await hashPassword(password),
    })
    .execute();
  return { id, username };
}

/** What a benchmark watches as the engine drives the store. */
export interface StoreObserver {
  /** After a pull page was applied, with the time applyPull took. */
  readonly pulled?: (page: PullResponse, applyMs: number) => void;
  /** After push results were recorded. */
  readonly pushed?: (results: readonly GroupResult[]) => void;
}

/** The store as the sync engine sees it, telling `observer` about pulls and push results. */
export function observedStore(store: LocalStore, observer: StoreObserver): SyncStore {
  return observeSyncStore(store, {
    afterPush: (results) => observer.pushed?.(results),
    afterPull: (page, applyMs) => observer.pulled?.(page, applyMs),
  });
}

export interface BenchDeviceOptions {
  readonly clinicSlug: string;
  readonly username: string;
  readonly password: string;
  /** The device's SQLite file. */
  readonly file: string;
  /** Keep the live event stream open (default false: only explicit cycles). */
  readonly live?: boolean;
  /** Changes per pull page (default: the engine's, as the desktop runs it). */
  readonly pullLimit?: number;
  /** Watches pulls and push results as the engine drives the store. */
  readonly observer?: StoreObserver;
}

export interface BenchDevice {
  readonly store: LocalStore;
  readonly engine: SyncEngine;
  /** The engine's transport, for requests a benchmark makes itself (e.g. larger counter leases). */
  readonly transport: SyncTransport;
  readonly deviceId: string;
  readonly clinicId: string;
  readonly userId: string;
  close(): Promise<void>;
}

/**
 * A desktop as the desktop app wires one, without its UI: registers over HTTP, is approved through
 * the owner connection (what a clinic admin's approval writes), signs in over HTTP, and runs the
 * real sync engine with the HTTP transport over a real local store. The engine is not started.
 */
export async function enrolDevice(server: BenchServer, options: BenchDeviceOptions): Promise<BenchDevice> {
  const auth = createAuthClient({ baseUrl: server.url });
  const device = await auth.registerDevice({
    clinicSlug: options.clinicSlug,
    name: `Benchmark ${randomUUID().slice(0, 4)}`,
    platform: process.platform,
    appVersion: 'bench',
  });
  await server.db.owner
    .updateTable('devices')
    .set({ status: 'approved' })
    .where('id', '=', device.deviceId)
    .execute();
  const login = await auth.login({
    clinicSlug: options.clinicSlug,
    username: options.username,
    password: options.password,
    deviceId: device.deviceId,
    deviceSecret: device.deviceSecret,
  });
  if (login.clinic === null) throw new Error(`${options.username} is not a clinic user`);
  const clinic = login.clinic;
  const store = await openLocalStore({ file: options.file });
  store.setIdentity({ deviceId: device.deviceId, clinicId: clinic.id });
  store.setClinicProfile({ id: clinic.id, code: clinic.code, name: clinic.name });
  const clock = systemClock();
  const keeper = createTokenKeeper({ auth, initial: login, now: () => clock.now() });
  const transport = createHttpTransport({ baseUrl: server.url, auth: keeper });
  const engine = createSyncEngine({
    store: options.observer ? observedStore(store, options.observer) : store,
    transport,
    clock,
    live: options.live ?? false,
    ...(options.pullLimit === undefined ? {} : { pullLimit: options.pullLimit }),
  });
  return {
    store,
    engine,
    transport,
    deviceId: device.deviceId,
    clinicId: clinic.id,
    userId: login.user.id,
    async close() {
      await engine.stop();
      await store.close();
    },
  };
}

/** Runs one sync cycle now and fails loudly if it failed (a benchmark must not time a retry loop). */
export async function syncOnce(engine: SyncEngine): Promise<void> {
  await engine.syncNow();
  const error = engine.status().lastError;
  if (error !== null) throw new Error(`Sync failed: ${error.message}`);
}

export interface SearchablePatient {
  readonly firstName: string;
  readonly lastName: string | null;
  readonly phone: string | null;
  readonly patientCode: string;
}

export type SearchQueryKind = 'name' | 'phone' | 'code';

/**
 * What reception types into patient search, drawn from real patients of the store: half names
 * (a first-name prefix, a whole first name, first name plus the start of the surname, a surname
 * prefix), three in ten phone fragments (last four digits, five from the middle, the whole mobile
 * number as written on a form) and one in five patient codes (whole, or the number at its end).
 */
export function searchQueryMix(
  patients: readonly SearchablePatient[],
  count: number,
  seed: number,
): { kind: SearchQueryKind; query: string }[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => {
    const item = items[Math.floor(random() * items.length)];
    if (item === undefined) throw new Error('Nothing to pick from');
    return item;
  };
  const prefix = (word: string, min: number, max: number) =>
    word.slice(0, min + Math.floor(random() * (max - min + 1))).toLowerCase();
  return Array.from({ length: count }, () => {
    const patient = pick(patients);
    const roll = random();
    const last = patient.lastName ?? patient.firstName;
    if (roll < 0.5) {
      const query = pick([
        () => prefix(patient.firstName, 3, 5),
        () => patient.firstName.toLowerCase(),
        () => `${patient.firstName.toLowerCase()} ${prefix(last, 2, 3)}`,
        () => prefix(last, 4, 6),
      ])();
      return { kind: 'name', query };
    }
    const mobile = (patient.phone ?? '').replace(/\D/g, '').slice(-10);
    if (roll < 0.8 && mobile.length === 10) {
      const query = pick([
        () => mobile.slice(-4),
        () => mobile.slice(3, 8),
        () => `${mobile.slice(0, 5)} ${mobile.slice(5)}`,
      ])();
      return { kind: 'phone', query };
    }
    const query = random() < 0.75 ? patient.patientCode : (patient.patientCode.split('-').at(-1) ?? '');
    return { kind: 'code', query };
  });
}

/**
 * The raw FTS5 query behind patient search — the same MATCH expression, join, bm25 ranking and
 * limit as `store.searchPatients`' full-text step — as one prepared statement on its own read-only
 * connection to a store's file. `time(query)` runs it and returns the milliseconds it took.
 */
export function rawPatientSearch(
  file: string,
  limit: number,
): { time(query: string): number; close(): void } {
  const sqlite = new Database(file, { readonly: true });
  const statement = sqlite.prepare(
    `SELECT p.* FROM patients_fts f JOIN patients p ON p.id = f.patient_id
     WHERE patients_fts MATCH ? AND p.deleted_at IS NULL
     ORDER BY bm25(patients_fts, 10.0, 5.0, 1.0), p.first_name LIMIT ?`,
  );
  return {
    time(query: string): number {
      const expression = patientMatchExpression(query);
      const started = performance.now();
      if (expression !== null) statement.all(expression, limit);
      return performance.now() - started;
    },
    close() {
      sqlite.close();
    },
  };
}

/** The desk's patient search screen asks for up to 200 results. */
export const DESK_SEARCH_LIMIT = 200;
