/*
 * Micro-benchmark: `store.applyPull` against a plain better-sqlite3 bulk insert of the same rows.
 *
 * applyPull writes N patient rows (as a snapshot pull sends them) in pages of `pageSize`, one
 * transaction per page, with everything a real pull does: version checks, key mapping, value
 * encoding, indexes and the full-text search index. It is compared with the fastest plain code:
 * one prepared INSERT, values already in column order, one transaction for all rows, into
 * - `sameTable`: the `patients` table of a fresh store (same indexes and search triggers), and
 * - `bareTable`: a table with the same columns and nothing else (no indexes, no search index).
 * Each ratio is baseline time / applyPull time: 1.0 = as fast as the plain insert; the target is
 * ≥ 0.33 for 100k+ rows.
 *
 * Run: `npx tsx packages/local-store/bench/apply-pull.bench.ts [rows] [pageSize]`
 * (prints `<name>: <figure>` lines), or call `benchApplyPull()`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { createUuidv7Generator, syncedColumns, toCamelCase } from '@clinicdesk/domain';
import { type LocalStore, openLocalStore } from '../src/local-store';
import { type PulledChange, type PullPage, runsOfChanges } from '../src/sync-messages';

export interface ApplyPullBenchOptions {
  /** Rows to apply (default 100 000). */
  readonly rows?: number;
  /** Changes per pull page, one transaction each (default 5 000, the server's page size ceiling). */
  readonly pageSize?: number;
}

export interface ApplyPullBenchResult {
  readonly rows: number;
  readonly pageSize: number;
  readonly applyPullMs: number;
  /** Plain insert into the store's own `patients` table. */
  readonly sameTableMs: number;
  /** Plain insert into a table with the same columns and no indexes or triggers. */
  readonly bareTableMs: number;
  /** sameTableMs / applyPullMs. */
  readonly relativeSpeedSameTable: number;
  /** bareTableMs / applyPullMs. */
  readonly relativeSpeedBareTable: number;
  readonly applyPullRowsPerSecond: number;
}

const CLINIC_ID = '01936b2e-0000-7000-8000-000000000001';
const RECEPTIONIST_ID = '01936b2e-0000-7000-8000-000000000003';
const FIRST_NAMES = [
  'Asha',
  'Ravi',
  'Priya',
  'Suresh',
  'Meena',
  'Arjun',
  'Kavita',
  'Imran',
  'Neha',
  'Vikram',
];
const LAST_NAMES = [
  'Patil',
  'Kumar',
  'Sharma',
  'Deshmukh',
  'Khan',
  'Iyer',
  'Reddy',
  'Joshi',
  'Nair',
  'Gupta',
];

/** Patient rows as the server sends them in a snapshot pull (camelCase, every column). */
function makePatientChanges(count: number): PulledChange[] {
  const newId = createUuidv7Generator({ now: () => 1_773_000_000_000 });
  return Array.from({ length: count }, (_, index) => {
    const id = newId();
    const data = {
      id,
      clinicId: CLINIC_ID,
      version: 1,
      createdAt: '2026-03-01T08:00:00.000Z',
      updatedAt: '2026-03-01T08:00:00.000Z',
      deletedAt: null,
      patientCode: `PT-SKH-2026-${String(index + 1).padStart(4, '0')}`,
      firstName: FIRST_NAMES[index % FIRST_NAMES.length] ?? 'Asha',
      lastName: LAST_NAMES[Math.floor(index / FIRST_NAMES.length) % LAST_NAMES.length] ?? null,
      dateOfBirth: null,
      ageYears: 20 + (index % 60),
      sex: index % 2 === 0 ? 'female' : 'male',
      phone: `+91${String(9_000_000_000 + index)}`,
      altPhone: null,
      email: null,
      address: `${index % 200} MG Road`,
      city: 'Pune',
      bloodGroup: null,
      allergies: null,
      weightKg: 50 + (index % 40),
      status: 'registered',
      registeredBy: RECEPTIONIST_ID,
    };
    return { seq: index + 1, entity: 'patient', id, version: 1, op: 'create', data };
  });
}

function page(changes: PulledChange[], hasMore: boolean): PullPage {
  return {
    runs: runsOfChanges(changes),
    hasMore,
    nextCursor: changes.at(-1)?.seq ?? 0,
    ackSeq: 0,
    decisions: [],
    clinic: {
      status: 'active',
      limits: { patients: null, doctors: null, receptionists: null, labTechs: null },
      usage: { patients: 0, doctors: 0, receptionists: 0, labTechs: 0 },
      lease: { issuedAt: '2026-03-14T09:00:00.000Z', expiresAt: '2026-03-21T09:00:00.000Z', token: 'bench' },
    },
  };
}

function timeApplyPull(store: LocalStore, changes: PulledChange[], pageSize: number): number {
  const start = performance.now();
  for (let offset = 0; offset < changes.length; offset += pageSize) {
    store.applyPull(page(changes.slice(offset, offset + pageSize), offset + pageSize < changes.length));
  }
  return performance.now() - start;
}

function timePlainInsert(store: LocalStore, table: string, changes: PulledChange[]): number {
  const columns = syncedColumns('patient');
  const fields = columns.map(toCamelCase);
  const values = changes.map((change) => fields.map((field) => change.data[field] ?? null));
  const insert = store.sqlite.prepare(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
  );
  const start = performance.now();
  store.sqlite.transaction(() => {
    for (const row of values) insert.run(row);
  })();
  return performance.now() - start;
}

/** Measures applyPull against a plain bulk insert of the same rows; see the header. */
export async function benchApplyPull(options: ApplyPullBenchOptions = {}): Promise<ApplyPullBenchResult> {
  const rows = options.rows ?? 100_000;
  const pageSize = options.pageSize ?? 5_000;
  const changes = makePatientChanges(rows);
  const dir = mkdtempSync(join(tmpdir(), 'clinicdesk-bench-'));
  try {
    const sameStore = await openLocalStore({ file: join(dir, 'same-table.sqlite') });
    const sameTableMs = timePlainInsert(sameStore, 'patients', changes);
    await sameStore.close();

    const bareStore = await openLocalStore({ file: join(dir, 'bare-table.sqlite') });
    const columns = syncedColumns('patient').map((column) =>
      column === 'id' ? 'id TEXT PRIMARY KEY' : column,
    );
    bareStore.sqlite.exec(`CREATE TABLE bare_patients (${columns.join(', ')})`);
    const bareTableMs = timePlainInsert(bareStore, 'bare_patients', changes);
    await bareStore.close();

    const store = await openLocalStore({ file: join(dir, 'apply-pull.sqlite') });
    const applyPullMs = timeApplyPull(store, changes, pageSize);
    const applied = Number(store.sqlite.prepare('SELECT count(*) FROM patients').pluck().get());
    await store.close();
    if (applied !== rows) throw new Error(`applyPull stored ${applied} of ${rows} rows`);

    return {
      rows,
      pageSize,
      applyPullMs,
      sameTableMs,
      bareTableMs,
      relativeSpeedSameTable: sameTableMs / applyPullMs,
      relativeSpeedBareTable: bareTableMs / applyPullMs,
      applyPullRowsPerSecond: Math.round(rows / (applyPullMs / 1000)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const invokedPath = process.argv[1];
if (invokedPath !== undefined && import.meta.url === pathToFileURL(invokedPath).href) {
  const rows = Number(process.argv[2] ?? 100_000);
  const pageSize = Number(process.argv[3] ?? 5_000);
  const result = await benchApplyPull({ rows, pageSize });
  console.log(`applyPull-rows: ${result.rows}`);
  console.log(`applyPull-ms: ${result.applyPullMs.toFixed(0)}`);
  console.log(`applyPull-plain-insert-same-table-ms: ${result.sameTableMs.toFixed(0)}`);
  console.log(`applyPull-plain-insert-bare-table-ms: ${result.bareTableMs.toFixed(0)}`);
  console.log(`applyPull-rows-per-second: ${result.applyPullRowsPerSecond}`);
  console.log(`applyPull-relative-speed-same-table: ${result.relativeSpeedSameTable.toFixed(2)}`);
  console.log(`applyPull-relative-speed-bare-table: ${result.relativeSpeedBareTable.toFixed(2)}`);
}
