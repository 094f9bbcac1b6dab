/**
 * `first-sync`: a large clinic's first sync from real PostgreSQL to a fresh device, end to end.
 *
 * The clinic is built on the server by the data generator (full scale: 100k patients, 200k visits
 * with vitals, notes and diagnoses, 200k prescriptions with 600k items, 100k lab orders with
 * results) and the database's statistics are refreshed as autovacuum would. The production server
 * serves it from a Node process of its own (`BENCH_SERVER=in-process`: from this process). A device
 * registers, is approved and signs in over HTTP, then its real sync engine (HTTP transport, gzip,
 * the desktop's page size unless BENCH_PULL_LIMIT says otherwise) pulls every page into a real
 * local store. Timed: from the first pull request until the store is bootstrapped.
 *
 * Baseline, same process: the same rows (read back from the synced device) inserted with the
 * fastest plain better-sqlite3 code — one prepared INSERT per table, values in column order, one
 * transaction — into tables with the same columns and a primary key and nothing else. A second
 * baseline inserts them into a fresh store's own tables (its indexes and search triggers).
 * Ratios are baseline time / first-sync time (1.0 = as fast as the plain insert); target ≥ 0.33.
 */
import { join } from 'node:path';
import {
  buildLocalTableSpecs,
  type LocalStore,
  openLocalStore,
  runChangeCount,
} from '@clinicdesk/local-store';
import Database from 'better-sqlite3';
import { generateClinic } from '../../apps/server/src/generator/clinic-generator';
import {
  analyzeDatabase,
  benchServer,
  enrolDevice,
  progress,
  report,
  scaled,
  serverProcess,
  syncOnce,
  tempDir,
  timed,
} from './bench-support';

type TableRows = { table: string; columns: string[]; rows: unknown[][] };

/** Every record table of the device with its rows, as plain arrays in column order. */
function readRecordTables(store: LocalStore): TableRows[] {
  const specs = buildLocalTableSpecs();
  const tables = [...Object.values(specs.synced), ...Object.values(specs.pulledOnly)];
  return tables
    .map((spec) => {
      const columns = spec.columns.map((c) => c.column);
      const rows = store.sqlite
        .prepare(`SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM "${spec.table}"`)
        .raw()
        .all() as unknown[][];
      return { table: spec.table, columns, rows };
    })
    .filter((t) => t.rows.length > 0);
}

/** One prepared INSERT per table, one transaction for everything. */
function plainInsert(sqlite: Database.Database, tables: readonly TableRows[]): void {
  const inserts = tables.map((t) => ({
    rows: t.rows,
    statement: sqlite.prepare(
      `INSERT INTO "${t.table}" (${t.columns.map((c) => `"${c}"`).join(', ')}) VALUES (${t.columns.map(() => '?').join(', ')})`,
    ),
  }));
  sqlite.transaction(() => {
    for (const { rows, statement } of inserts) for (const row of rows) statement.run(row);
  })();
}

export async function run(): Promise<void> {
  const patients = scaled(100_000, 20);
  // The desktop runs the engine's default page size; BENCH_PULL_LIMIT tries another (≤ 5000).
  const pullLimit = process.env.BENCH_PULL_LIMIT ? Number(process.env.BENCH_PULL_LIMIT) : undefined;
  const server = await benchServer();
  const temp = tempDir('clinicdesk-first-sync-');
  let remote: Awaited<ReturnType<typeof serverProcess>> | null = null;
  try {
    progress(`generating a clinic of ${patients} patients on PostgreSQL`);
    let shown = 0;
    const clinic = await generateClinic(server.db.owner, {
      patients,
      seed: 7,
      onProgress(done) {
        if (done - shown < 100_000) return;
        shown = done;
        progress(`generated ${done} rows`);
      },
    });
    const receptionist = clinic.staff.find((s) => s.role === 'receptionist');
    if (!receptionist) throw new Error('The generator made no receptionist');
    await analyzeDatabase(server);

    // The server in a process of its own, as a device meets it; BENCH_SERVER=in-process measures
    // it in this process instead (the device's thread then also runs the server's Node work).
    remote = process.env.BENCH_SERVER === 'in-process' ? null : await serverProcess(server);
    progress(remote ? `server in its own process at ${remote.url}` : 'server in this process');
    let pulledChanges = 0;
    let applyMs = 0;
    let pages = 0;
    const device = await enrolDevice(remote ? { ...server, url: remote.url } : server, {
      clinicSlug: clinic.slug,
      username: receptionist.username,
      password: clinic.staffPassword,
      file: join(temp.dir, 'device.sqlite'),
      ...(pullLimit === undefined ? {} : { pullLimit }),
      observer: {
        pulled(page, ms) {
          applyMs += ms;
          pulledChanges += runChangeCount(page.runs);
          pages += 1;
        },
      },
    });
    progress('first sync');
    const syncMs = await timed(() => syncOnce(device.engine));
    if (!device.store.cursorState().bootstrapped) throw new Error('The device did not finish its first sync');
    const tables = readRecordTables(device.store);
    const rows = tables.reduce((n, t) => n + t.rows.length, 0);
    await device.close();
    await remote?.close();
    remote = null;

    progress(`baseline: plain inserts of ${rows} rows`);
    const bare = new Database(join(temp.dir, 'bare.sqlite'));
    bare.pragma('journal_mode = WAL');
    for (const t of tables) {
      bare.exec(
        `CREATE TABLE "${t.table}" (${t.columns.map((c) => (c === 'id' ? '"id" TEXT PRIMARY KEY' : `"${c}"`)).join(', ')})`,
      );
    }
    const bareMs = await timed(() => plainInsert(bare, tables));
    bare.close();
    const same = await openLocalStore({ file: join(temp.dir, 'same.sqlite') });
    const sameMs = await timed(() => plainInsert(same.sqlite, tables));
    await same.close();

    report('first-sync-rows', String(rows));
    report('first-sync-pulled-changes', String(pulledChanges));
    report('first-sync-pages', String(pages));
    report('first-sync-apply-share', (applyMs / syncMs).toFixed(2));
    report('first-sync-seconds', (syncMs / 1000).toFixed(1));
    report('first-sync-rows-per-second', String(Math.round(rows / (syncMs / 1000))));
    report('first-sync-plain-insert-rows-per-second', String(Math.round(rows / (bareMs / 1000))));
    report('first-sync-ratio', (bareMs / syncMs).toFixed(3));
    report('first-sync-ratio-same-tables', (sameMs / syncMs).toFixed(3));
  } finally {
    await remote?.close();
    await server.close();
    temp.cleanup();
  }
}
