/*
 * Applies server changes (pull pages, applied push results) to the local tables.
 *
 * Invariants:
 * - A row is written only when the incoming version is newer than the stored one (local rows
 *   start at version 0), so replaying a page or receiving changes out of order never goes back.
 * - A tombstone is a row with `deleted_at` set; rows are never removed by a pull.
 * - Local edits still waiting in the outbox survive: after a newer server row lands on a row with
 *   pending ops, those ops' changed fields (and deletes) are re-applied on top, oldest first, so
 *   the screen keeps showing what the user typed until the server decides it.
 * - Unknown entities are skipped and reported (a newer server may send more than this build knows).
 * - Hot path: one cached prepared upsert per table, no per-row query building or string conversion.
 * - Large batches of patients are indexed for search in one statement: the two search triggers are
 *   dropped for the batch and re-created from their stored SQL in the same transaction (DDL is
 *   transactional, so a failed batch restores them too). FTS5 flushes its buffer at every statement,
 *   so per-row trigger indexing of a 100k-row snapshot would be several times slower.
 */
import { applyClinicChange } from './clinic-info';
import { quoteIdent } from './local-tables';
import { pendingOpsOnRow, rowKey } from './outbox';
import type { RecordTable } from './record-table';
import type { StoreContext } from './store-context';
import { type ChangeRun, changeOfRunRow, RUN_ROW_HEAD, type RunRow } from './sync-messages';

/** What applying a batch of changes did. */
export interface ApplyChangesReport {
  /** Rows inserted or replaced by a newer version. */
  written: number;
  /** Changes ignored because the stored row was as new or newer. */
  skipped: number;
  /** Written rows whose pending local edits were re-applied on top. */
  rebased: number;
  /** Entity names this build does not know, with how many changes named each. */
  unknownEntities: Record<string, number>;
}

/** An empty report to accumulate into. */
export function emptyApplyReport(): ApplyChangesReport {
  return { written: 0, skipped: 0, rebased: 0, unknownEntities: {} };
}

/** Re-applies the pending local ops on one row on top of the server's version of it. */
function rebase(ctx: StoreContext, table: RecordTable, id: string): void {
  for (const { op, createdAt } of pendingOpsOnRow(ctx, table.spec.table, id)) {
    switch (op.op) {
      case 'create':
        // The server has the row, so it applied this create; its version is the truth.
        break;
      case 'update': {
        const known = Object.fromEntries(
          Object.entries(op.changed).filter(([field]) =>
            table.spec.columns.some((column) => column.field === field),
          ),
        );
        table.update(id, known);
        break;
      }
      case 'delete': {
        const current = table.find(id);
        if (current !== null && current.deletedAt === null) table.update(id, { deletedAt: createdAt });
        break;
      }
      default:
        op satisfies never;
    }
  }
}

/** Patient rows in one batch from which search indexing switches to one bulk statement. */
const BULK_INDEX_THRESHOLD = 64;
const PAUSED_TRIGGERS = ['patients_fts_insert', 'patients_fts_update'];

interface PausedSearchIndex {
  /** The highest patients rowid before the batch: rows up to it may already be indexed. */
  readonly existedUpTo: number;
  readonly triggers: readonly { name: string; sql: string }[];
}

/** Drops the per-row search triggers for a bulk batch, remembering their SQL. */
function pauseSearchIndexing(ctx: StoreContext): PausedSearchIndex {
  const triggers = ctx.sqlite
    .prepare<string[], { name: string; sql: string }>(
      `SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'patients' AND name IN (${PAUSED_TRIGGERS.map(() => '?').join(', ')})`,
    )
    .all(...PAUSED_TRIGGERS);
  const existedUpTo = Number(
    ctx.statement('SELECT coalesce(max(rowid), 0) AS n FROM patients').get()?.n ?? 0,
  );
  for (const trigger of triggers) ctx.sqlite.exec(`DROP TRIGGER ${quoteIdent(trigger.name)}`);
  return { existedUpTo, triggers };
}

/** Indexes the batch's patients in one statement (re-indexing those that existed) and restores the triggers. */
function resumeSearchIndexing(ctx: StoreContext, paused: PausedSearchIndex, ids: readonly string[]): void {
  const json = JSON.stringify(ids);
  ctx
    .statement(
      `DELETE FROM patients_fts WHERE rowid IN (
         SELECT rowid FROM patients WHERE id IN (SELECT value FROM json_each(?)) AND rowid <= ?)`,
    )
    .run(json, paused.existedUpTo);
  ctx
    .statement(
      `INSERT INTO patients_fts (rowid, name, code, phone, patient_id)
       SELECT row_id, name, code, phone, patient_id FROM patients_search_source
       WHERE patient_id IN (SELECT value FROM json_each(?))`,
    )
    .run(json);
  for (const trigger of paused.triggers) ctx.sqlite.exec(trigger.sql);
}

/** The row's id (at `idAt`), after checking that the row has a string id and a version ≥ 0. */
function checkedId(row: RunRow, idAt: number): string {
  const id = row[idAt];
  const version = row[1];
  if (typeof id !== 'string' || !Number.isSafeInteger(version) || (version as number) < 0)
    throw new RangeError(`Invalid change at seq ${row[0]}: it needs a string id and a version ≥ 0.`);
  return id;
}

/**
 * Applies the changes of `runs` in order inside the caller's transaction. `pending` holds the keys
 * of rows with undecided local ops (`pendingRowKeys`); pass an empty set when the outbox is empty.
 */
export function applyChanges(
  ctx: StoreContext,
  runs: readonly ChangeRun[],
  pending: ReadonlySet<string>,
  at: string,
  report: ApplyChangesReport = emptyApplyReport(),
): ApplyChangesReport {
  const tables = new Map<string, RecordTable | 'clinic' | null>();
  const resolve = (entity: string): RecordTable | 'clinic' | null => {
    let resolved = tables.get(entity);
    if (resolved !== undefined) return resolved;
    const target = ctx.targets.get(entity);
    if (target === undefined) resolved = null;
    else if (target.kind === 'clinic') resolved = 'clinic';
    else if (target.kind === 'synced') resolved = ctx.synced(target.entity);
    else resolved = ctx.pulledOnly(target.kind);
    tables.set(entity, resolved);
    return resolved;
  };
  const checkPending = pending.size > 0;
  const patients = ctx.synced('patient');
  const patientChanges = runs.reduce(
    (count, run) => (resolve(run.entity) === patients ? count + run.rows.length : count),
    0,
  );
  const paused = patientChanges >= BULK_INDEX_THRESHOLD ? pauseSearchIndexing(ctx) : null;
  const writtenPatients: string[] = [];

  for (const run of runs) {
    const table = resolve(run.entity);
    if (table === null) {
      report.unknownEntities[run.entity] = (report.unknownEntities[run.entity] ?? 0) + run.rows.length;
      continue;
    }
    const idAt = RUN_ROW_HEAD + run.fields.indexOf('id');
    if (idAt < RUN_ROW_HEAD) throw new RangeError(`Invalid run of ${run.entity}: its fields name no id.`);
    if (table === 'clinic') {
      for (const row of run.rows) {
        checkedId(row, idAt);
        if (applyClinicChange(ctx, changeOfRunRow(run, row))) report.written++;
        else report.skipped++;
      }
      continue;
    }
    const valuesOf = table.runValues(run.fields);
    for (const row of run.rows) {
      const id = checkedId(row, idAt);
      if (!table.upsertIfNewer(valuesOf(row, at))) {
        report.skipped++;
        continue;
      }
      report.written++;
      if (paused !== null && table === patients) writtenPatients.push(id);
      if (checkPending && pending.has(rowKey(table.spec.table, id))) {
        rebase(ctx, table, id);
        report.rebased++;
      }
    }
  }
  if (paused !== null) resumeSearchIndexing(ctx, paused, writtenPatients);
  return report;
}
