/**
 * `search`: reception's patient search over 100k patients (full scale) in a local store.
 *
 * The store is filled as a first sync fills it (pull pages through `applyPull`, so the FTS5 index
 * is built the way a device builds it) with patients made like the server's generator makes them
 * (Indian names and mobile numbers, real patient codes). Then a realistic mix of queries (name
 * prefixes, phone fragments, patient codes; see `searchQueryMix`) runs through
 * `store.searchPatients` with the desk's result limit, each timed alone.
 *
 * Baseline, same process, same queries interleaved: the raw FTS5 query — the same MATCH expression
 * (`patientMatchExpression`), join, bm25 ranking and limit — as one prepared statement on a second
 * connection to the same SQLite file. Ratios are baseline time / search time at p50 and p99
 * (1.0 = no cost beyond the FTS5 query itself).
 */
import { join } from 'node:path';
import { createUuidv7Generator, formatPatientCode } from '@clinicdesk/domain';
import { openLocalStore, type PulledChange, runsOfChanges } from '@clinicdesk/local-store';
import { en, en_IN, Faker } from '@faker-js/faker';
import {
  DESK_SEARCH_LIMIT,
  percentile,
  progress,
  rawPatientSearch,
  report,
  type SearchablePatient,
  type SearchQueryKind,
  scaled,
  searchQueryMix,
  tempDir,
} from './bench-support';

const CLINIC_ID = '01936b2e-0000-7000-8000-000000000001';
const RECEPTIONIST_ID = '01936b2e-0000-7000-8000-000000000003';
const CLINIC_CODE = 'SKH';
const PAGE = 5_000;

/** Patients as a snapshot pull sends them, made the way the server's generator makes them. */
function patientChanges(count: number): PulledChange[] {
  const f = new Faker({ locale: [en_IN, en] });
  f.seed(42);
  const newId = createUuidv7Generator({ now: () => 1_773_000_000_000 });
  const perYear = new Map<number, number>();
  return Array.from({ length: count }, (_, index) => {
    const id = newId();
    const sex = f.helpers.arrayElement(['male', 'female'] as const);
    const year = f.helpers.arrayElement([2025, 2026]);
    const seq = (perYear.get(year) ?? 0) + 1;
    perYear.set(year, seq);
    const data = {
      id,
      clinicId: CLINIC_ID,
      version: 1,
      createdAt: '2026-03-01T08:00:00.000Z',
      updatedAt: '2026-03-01T08:00:00.000Z',
      deletedAt: null,
      patientCode: formatPatientCode(CLINIC_CODE, year, seq),
      firstName: f.person.firstName(sex),
      lastName: f.person.lastName(),
      dateOfBirth: null,
      ageYears: f.number.int({ min: 1, max: 90 }),
      sex,
      phone: `+91${f.helpers.arrayElement(['6', '7', '8', '9'])}${f.string.numeric(9)}`,
      altPhone: null,
      email: null,
      address: f.location.streetAddress(),
      city: f.location.city(),
      bloodGroup: null,
      allergies: null,
      weightKg: f.number.int({ min: 8, max: 110 }),
      status: 'registered',
      registeredBy: RECEPTIONIST_ID,
    };
    return { seq: index + 1, entity: 'patient', id, version: 1, op: 'create', data };
  });
}

function snapshotPage(changes: PulledChange[], hasMore: boolean) {
  return {
    runs: runsOfChanges(changes),
    hasMore,
    nextCursor: changes.at(-1)?.seq ?? 0,
    ackSeq: 0,
    decisions: [],
    clinic: {
      status: 'active' as const,
      limits: { patients: null, doctors: null, receptionists: null, labTechs: null },
      usage: { patients: 0, doctors: 0, receptionists: 0, labTechs: 0 },
      lease: { issuedAt: '2026-03-14T09:00:00.000Z', expiresAt: '2026-03-21T09:00:00.000Z', token: 'bench' },
    },
  };
}

export async function run(): Promise<void> {
  const patients = scaled(100_000, 1_000);
  const queries = scaled(2_000, 100);
  const temp = tempDir('clinicdesk-search-');
  try {
    const file = join(temp.dir, 'desk.sqlite');
    const store = await openLocalStore({ file });
    progress(`loading ${patients} patients through applyPull`);
    const changes = patientChanges(patients);
    for (let offset = 0; offset < changes.length; offset += PAGE) {
      store.applyPull(snapshotPage(changes.slice(offset, offset + PAGE), offset + PAGE < changes.length));
    }
    const mix = searchQueryMix(
      changes.map((c) => c.data as unknown as SearchablePatient),
      queries,
      17,
    );

    const raw = rawPatientSearch(file, DESK_SEARCH_LIMIT);
    const timeStore = (query: string) => {
      const started = performance.now();
      store.searchPatients(query, { limit: DESK_SEARCH_LIMIT });
      return performance.now() - started;
    };
    const timeRaw = (query: string) => raw.time(query);

    progress(`${queries} queries, store search and raw FTS5 interleaved`);
    for (const { query } of mix.slice(0, 50)) {
      timeStore(query);
      timeRaw(query);
    }
    const storeMs: number[] = [];
    const rawMs: number[] = [];
    const byKind = new Map<SearchQueryKind, number[]>();
    for (const [index, { kind, query }] of mix.entries()) {
      // Alternate which runs first, so neither always gets the warmer cache.
      const rawFirst = index % 2 === 1 ? timeRaw(query) : null;
      const storeTime = timeStore(query);
      const rawTime = rawFirst ?? timeRaw(query);
      storeMs.push(storeTime);
      rawMs.push(rawTime);
      byKind.set(kind, [...(byKind.get(kind) ?? []), storeTime]);
    }
    raw.close();
    await store.close();

    report('search-patients', String(patients));
    report('search-queries', String(queries));
    report('search-p50-ms', percentile(storeMs, 50).toFixed(2));
    report('search-p99-ms', percentile(storeMs, 99).toFixed(2));
    for (const [kind, samples] of byKind) {
      report(`search-${kind}-p50-ms`, percentile(samples, 50).toFixed(2));
      report(`search-${kind}-p99-ms`, percentile(samples, 99).toFixed(2));
    }
    report('search-raw-fts5-p50-ms', percentile(rawMs, 50).toFixed(2));
    report('search-raw-fts5-p99-ms', percentile(rawMs, 99).toFixed(2));
    report('search-ratio-p50', (percentile(rawMs, 50) / percentile(storeMs, 50)).toFixed(3));
    report('search-ratio-p99', (percentile(rawMs, 99) / percentile(storeMs, 99)).toFixed(3));
  } finally {
    temp.cleanup();
  }
}
