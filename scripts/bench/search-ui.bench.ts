/**
 * `search-ui`: search-as-you-type over 100k patients (full scale) in the desktop, through its web
 * host in Chromium.
 *
 * The clinic is generated on a real server on real PostgreSQL; a desk (the desktop's own services,
 * web host and renderer) is enrolled by a clinic admin, does its first sync, and opens patient
 * search (`openDeskForBench`). Queries from a realistic mix (`searchQueryMix`: name prefixes, phone
 * fragments, patient codes) are typed one key at a time; each keystroke is timed inside the page
 * from the input event to the frame after the results for that text are rendered
 * (`measureSearchAsYouType`). Target: p95 < 50 ms.
 *
 * Baseline, same process: every text the keystrokes produced, searched directly in the desk's
 * store file with `store.searchPatients` and the screen's limit (the store query the keystroke
 * ends in), and with the raw FTS5 query. Ratios are baseline p95 / keystroke p95.
 */
import { join } from 'node:path';
import { openLocalStore } from '@clinicdesk/local-store';
import { type Browser, chromium, type Page } from 'playwright-core';
import { generateClinic } from '../../apps/server/src/generator/clinic-generator';
import {
  analyzeDatabase,
  benchServer,
  createClinicAdmin,
  DESK_SEARCH_LIMIT,
  percentile,
  progress,
  rawPatientSearch,
  report,
  type SearchablePatient,
  scaled,
  searchQueryMix,
  tempDir,
} from './bench-support';

/**
 * The desktop's benchmark hooks (`@clinicdesk/desktop`, `src/bench/search-ui.bench-hook.ts`).
 * This project's tsconfig does not reference the desktop project (DOM lib, JSX), so the package is
 * loaded at run time and the hooks' signatures are restated here.
 */
interface DeskBenchHooks {
  openDeskForBench(options: {
    readonly browser: Browser;
    readonly serverUrl: string;
    readonly clinicSlug: string;
    readonly username: string;
    readonly password: string;
    readonly dataDir: string;
  }): Promise<{ readonly page: Page; close(): Promise<void> }>;
  measureSearchAsYouType(page: Page, queries: readonly string[]): Promise<number[]>;
}
const DESKTOP_PACKAGE = '@clinicdesk/desktop';

const ADMIN_PASSWORD = 'bench-admin-pass-2026';
const STORE_FILE = 'clinicdesk.sqlite';

/** Every non-empty text the search box holds while `query` is typed key by key. */
function typedTexts(query: string): string[] {
  return Array.from({ length: query.length }, (_, i) => query.slice(0, i + 1));
}

export async function run(): Promise<void> {
  const patients = scaled(100_000, 300);
  const queries = scaled(60, 6);
  const server = await benchServer();
  const temp = tempDir('clinicdesk-search-ui-');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    progress(`generating ${patients} patients on PostgreSQL`);
    const clinic = await generateClinic(server.db.owner, {
      patients,
      visitsPerPatient: 0,
      labOrdersPerPatient: 0,
      seed: 23,
    });
    await analyzeDatabase(server);
    const admin = await createClinicAdmin(server, clinic.clinicId, ADMIN_PASSWORD);
    const dataDir = join(temp.dir, 'desk');
    progress('desk: enrol, sign in, first sync');
    const { openDeskForBench, measureSearchAsYouType } = (await import(DESKTOP_PACKAGE)) as DeskBenchHooks;
    const desk = await openDeskForBench({
      browser,
      serverUrl: server.url,
      clinicSlug: clinic.slug,
      username: admin.username,
      password: ADMIN_PASSWORD,
      dataDir,
    });
    let mix: string[];
    let keystrokeMs: number[];
    try {
      const store = await openLocalStore({ file: join(dataDir, STORE_FILE) });
      const rows = store.sqlite
        .prepare(
          'SELECT first_name AS firstName, last_name AS lastName, phone, patient_code AS patientCode FROM patients',
        )
        .all() as SearchablePatient[];
      await store.close();
      mix = searchQueryMix(rows, queries, 29).map((q) => q.query);
      progress(`typing ${queries} queries (${mix.join('').length} keystrokes)`);
      await measureSearchAsYouType(desk.page, mix.slice(0, 2));
      keystrokeMs = await measureSearchAsYouType(desk.page, mix);
    } finally {
      await desk.close();
    }

    const texts = mix.flatMap(typedTexts);
    if (keystrokeMs.length !== texts.length) {
      throw new Error(`${keystrokeMs.length} keystrokes timed for ${texts.length} typed`);
    }
    const file = join(dataDir, STORE_FILE);
    const store = await openLocalStore({ file });
    const raw = rawPatientSearch(file, DESK_SEARCH_LIMIT);
    const storeMs: number[] = [];
    const rawMs: number[] = [];
    for (const text of texts.slice(0, 20)) store.searchPatients(text, { limit: DESK_SEARCH_LIMIT });
    for (const text of texts) {
      const started = performance.now();
      store.searchPatients(text, { limit: DESK_SEARCH_LIMIT });
      storeMs.push(performance.now() - started);
      rawMs.push(raw.time(text));
    }
    raw.close();
    await store.close();

    report('search-ui-patients', String(patients));
    report('search-ui-keystrokes', String(keystrokeMs.length));
    report('search-ui-p50-ms', percentile(keystrokeMs, 50).toFixed(1));
    report('search-ui-p95-ms', percentile(keystrokeMs, 95).toFixed(1));
    // Where the time goes: the first two keys of a query match a large share of the clinic.
    const fromThirdKey = keystrokeMs.filter((_, i) => (texts[i] ?? '').trim().length >= 3);
    report('search-ui-p95-ms-from-third-key', percentile(fromThirdKey, 95).toFixed(1));
    report('search-ui-store-query-p95-ms', percentile(storeMs, 95).toFixed(1));
    report('search-ui-raw-fts5-p95-ms', percentile(rawMs, 95).toFixed(1));
    report('search-ui-ratio-p95', (percentile(storeMs, 95) / percentile(keystrokeMs, 95)).toFixed(3));
    report('search-ui-ratio-raw-fts5-p95', (percentile(rawMs, 95) / percentile(keystrokeMs, 95)).toFixed(3));
  } finally {
    await browser.close();
    await server.close();
    temp.cleanup();
  }
}
