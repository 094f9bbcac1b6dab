/*
 * Change-log compaction (DESIGN §5).
 *
 * The log keeps one entry per row, the latest, so it grows only with the rows themselves — except
 * for deletions: a deleted row's entry (its tombstone) stays so that devices learn of the deletion,
 * and a device needs it only until it has pulled past it. Compaction removes the entries of rows
 * deleted longer ago than the retention, and moves the clinic's `min_seq` to the newest entry it
 * removed: a device whose cursor is older may have missed one of those deletions, so its next pull
 * is answered RESET_REQUIRED and it downloads the clinic again (keeping its outbox). A download from
 * cursor 0 no longer carries rows deleted long ago. The rows themselves stay (deletes are soft).
 *
 * Invariants:
 * - Only entries with `deleted` and `at` before the cut are removed; live rows keep theirs.
 * - `min_seq` never moves back, and moves only when something was removed.
 * - Each clinic is compacted in its own transaction under the clinic's write lock (the lock pushes
 *   take), so a row deleted and restored at that moment keeps its entry.
 * - Retention must cover the longest time a device is expected to stay offline and still catch up
 *   without a new download; it is a server setting (CHANGE_LOG_RETENTION_DAYS).
 */
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/tables';

export type CompactionReport = {
  /** Clinics whose log lost at least one entry. */
  clinics: number;
  /** Entries removed in all. */
  removed: number;
};

/** Removes the log entries of rows deleted before `before`, clinic by clinic (owner connection). */
export async function compactChangeLog(owner: Kysely<DB>, before: Date): Promise<CompactionReport> {
  const { rows: candidates } = await sql<{ clinic_id: string }>`
    SELECT DISTINCT clinic_id FROM change_log WHERE deleted AND at < ${before}`.execute(owner);
  const report: CompactionReport = { clinics: 0, removed: 0 };
  for (const { clinic_id: clinicId } of candidates) {
    const removed = await owner.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtextextended(${clinicId}, 7))`.execute(trx);
      const { rows } = await sql<{ removed: number }>`
        WITH removed AS (
          DELETE FROM change_log WHERE clinic_id = ${clinicId} AND deleted AND at < ${before}
          RETURNING seq
        ),
        moved AS (
          UPDATE clinic_sync_state SET min_seq = greatest(min_seq, (SELECT max(seq) FROM removed))
          WHERE clinic_id = ${clinicId} AND EXISTS (SELECT 1 FROM removed)
        )
        SELECT count(*)::int AS removed FROM removed`.execute(trx);
      return rows[0]?.removed ?? 0;
    });
    if (removed > 0) {
      report.clinics += 1;
      report.removed += removed;
    }
  }
  return report;
}

/**
 * Runs `compact` every `everyMs` (first after `firstAfterMs`), one run at a time; a failed run is
 * reported and the next one tries again. Timers do not keep the process alive. Returns a stop
 * function that waits for a run in progress.
 */
export function scheduleCompaction(opts: {
  compact: () => Promise<CompactionReport>;
  everyMs: number;
  firstAfterMs: number;
  onResult: (result: { report: CompactionReport } | { error: unknown }) => void;
}): () => Promise<void> {
  let running: Promise<void> | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const run = () => {
    running = opts
      .compact()
      .then(
        (report) => opts.onResult({ report }),
        (error: unknown) => opts.onResult({ error }),
      )
      .finally(() => {
        running = null;
        if (!stopped) arm(opts.everyMs);
      });
  };
  const arm = (ms: number) => {
    timer = setTimeout(run, ms);
    timer.unref();
  };
  arm(opts.firstAfterMs);
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await running;
  };
}
