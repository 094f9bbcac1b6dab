/*
 * Sync bookkeeping: the pull cursor, acknowledged seq, times, last error, first-sync progress and
 * the read-only flag, all in the single `sync_state` row.
 *
 * Invariants:
 * - The cursor moves only in the transaction that applied the page it came with (`applyPull`), so
 *   a crash between pages resumes from the last applied page, never skips one.
 * - The read-only flag is persisted: restarting the app offline does not lift it; only the sync
 *   engine does, once the licence or subscription allows writing again.
 * - A re-bootstrap clears pulled state (records, cursor) but never the outbox, the inbox, leased
 *   counter blocks or `last_seq`, so no local write is lost and seqs never repeat.
 */
import { allTableSpecs, quoteIdent } from './local-tables';
import type { StoreContext } from './store-context';

/** Why the last sync attempt failed. */
export interface SyncErrorRecord {
  readonly kind: 'network' | 'server';
  /** The server's error code (e.g. RESET_REQUIRED), null for network failures. */
  readonly code: string | null;
  readonly message: string;
  /** ISO time of the failure. */
  readonly at: string;
}

/** First-sync progress: pages are counted as they commit, so a restarted bootstrap resumes. */
export interface BootstrapProgress {
  readonly status: 'pending' | 'running' | 'done';
  readonly rowsDone: number;
  readonly rowsTotal: number | null;
}

/** Everything the sync engine and the sync centre need to know about the device's sync. */
export interface SyncState {
  /** Where the next pull starts. */
  readonly cursor: number;
  /** Highest group seq the server has acknowledged as decided. */
  readonly ackSeq: number;
  /** Last group seq handed out locally. */
  readonly lastSeq: number;
  readonly lastPushAt: string | null;
  readonly lastPullAt: string | null;
  readonly lastSyncAt: string | null;
  readonly lastError: SyncErrorRecord | null;
  readonly bootstrap: BootstrapProgress;
  readonly readOnly: { readonly reason: string; readonly since: string } | null;
}

/** Fields the sync engine may set directly; omitted fields are unchanged. */
export interface SyncStatePatch {
  readonly cursor?: number;
  readonly ackSeq?: number;
  readonly lastSyncAt?: string | null;
  readonly lastError?: SyncErrorRecord | null;
  readonly bootstrap?: Partial<BootstrapProgress>;
}

function text(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

function parseError(value: unknown): SyncErrorRecord | null {
  if (typeof value !== 'string') return null;
  const parsed: unknown = JSON.parse(value);
  if (typeof parsed !== 'object' || parsed === null) return null;
  const record: Record<string, unknown> = { ...parsed };
  return {
    kind: record.kind === 'network' ? 'network' : 'server',
    code: text(record.code),
    message: String(record.message ?? ''),
    at: String(record.at ?? ''),
  };
}

function bootstrapStatus(value: unknown): BootstrapProgress['status'] {
  return value === 'running' || value === 'done' ? value : 'pending';
}

/** Reads the sync bookkeeping. */
export function readSyncState(ctx: StoreContext): SyncState {
  const row = ctx.statement('SELECT * FROM sync_state WHERE id = 1').get() ?? {};
  const reason = text(row.read_only_reason);
  return {
    cursor: Number(row.pull_cursor ?? 0),
    ackSeq: Number(row.acked_seq ?? 0),
    lastSeq: Number(row.last_seq ?? 0),
    lastPushAt: text(row.last_push_at),
    lastPullAt: text(row.last_pull_at),
    lastSyncAt: text(row.last_sync_at),
    lastError: parseError(row.last_error),
    bootstrap: {
      status: bootstrapStatus(row.bootstrap_status),
      rowsDone: Number(row.bootstrap_rows_done ?? 0),
      rowsTotal: row.bootstrap_rows_total === null ? null : Number(row.bootstrap_rows_total),
    },
    readOnly: reason === null ? null : { reason, since: text(row.read_only_since) ?? '' },
  };
}

/** Updates the given sync bookkeeping fields in one statement. */
export function writeSyncState(ctx: StoreContext, patch: SyncStatePatch): void {
  const assignments: string[] = [];
  const values: (string | number | null)[] = [];
  const set = (column: string, value: string | number | null) => {
    assignments.push(`${quoteIdent(column)} = ?`);
    values.push(value);
  };
  if (patch.cursor !== undefined) set('pull_cursor', nonNegativeInteger('cursor', patch.cursor));
  if (patch.ackSeq !== undefined) set('acked_seq', nonNegativeInteger('ackSeq', patch.ackSeq));
  if (patch.lastSyncAt !== undefined) set('last_sync_at', patch.lastSyncAt);
  if (patch.lastError !== undefined)
    set('last_error', patch.lastError === null ? null : JSON.stringify(patch.lastError));
  const { bootstrap } = patch;
  if (bootstrap?.status !== undefined) set('bootstrap_status', bootstrap.status);
  if (bootstrap?.rowsDone !== undefined)
    set('bootstrap_rows_done', nonNegativeInteger('rowsDone', bootstrap.rowsDone));
  if (bootstrap?.rowsTotal !== undefined)
    set(
      'bootstrap_rows_total',
      bootstrap.rowsTotal === null ? null : nonNegativeInteger('rowsTotal', bootstrap.rowsTotal),
    );
  if (assignments.length === 0) return;
  ctx.statement(`UPDATE sync_state SET ${assignments.join(', ')} WHERE id = 1`).run(...values);
}

function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a whole number ≥ 0`);
  return value;
}

/** Turns read-only mode on with a reason, or off with null. */
export function writeReadOnly(ctx: StoreContext, reason: string | null): void {
  if (reason === null) {
    ctx.statement('UPDATE sync_state SET read_only_reason = NULL, read_only_since = NULL WHERE id = 1').run();
    return;
  }
  if (reason.trim() === '') throw new RangeError('A read-only reason must say why');
  // Keep the original start time when only the reason changes.
  ctx
    .statement(
      'UPDATE sync_state SET read_only_reason = ?, read_only_since = coalesce(read_only_since, ?) WHERE id = 1',
    )
    .run(reason, ctx.now().toISOString());
}

/** What a re-bootstrap removed and kept. */
export interface RebootstrapReport {
  /** Pulled rows removed. */
  readonly removedRows: number;
  /** Rows kept because local changes to them still wait in the outbox. */
  readonly keptRows: number;
}

/**
 * Prepares a full re-sync after RESET_REQUIRED: removes pulled records and resets the cursor, but
 * keeps every row with undecided local changes (its version reset to 0 so the snapshot replaces
 * the server part and the pending edits are re-applied on top), the outbox, the inbox and leases.
 */
export function resetForRebootstrap(ctx: StoreContext): RebootstrapReport {
  return ctx.sqlite
    .transaction(() => {
      let removedRows = 0;
      let keptRows = 0;
      for (const spec of allTableSpecs(ctx.specs).reverse()) {
        const table = quoteIdent(spec.table);
        const pending = 'SELECT row_id FROM outbox_rows WHERE table_name = ?';
        removedRows += ctx
          .statement(`DELETE FROM ${table} WHERE id NOT IN (${pending})`)
          .run(spec.table).changes;
        keptRows += ctx.statement(`UPDATE ${table} SET version = 0`).run().changes;
      }
      ctx
        .statement(
          `UPDATE sync_state SET pull_cursor = 0, last_pull_at = NULL, bootstrap_status = 'pending',
           bootstrap_rows_done = 0, bootstrap_rows_total = NULL WHERE id = 1`,
        )
        .run();
      return { removedRows, keptRows };
    })
    .immediate();
}

/** The sync engine's view of the cursor (sync-client's `SyncCursorState` port). */
export interface SyncCursorState {
  /** Last change seq applied from the server (0 = never pulled). */
  readonly cursor: number;
  /** True once a full pull from cursor 0 has completed. */
  readonly bootstrapped: boolean;
  /** Rows applied / expected during the first sync; null when not in one. */
  readonly progress: { readonly done: number; readonly total: number } | null;
  readonly lastSyncAt: string | null;
}

/** Reads the cursor state in the shape the sync engine's store port uses. */
export function readCursorState(ctx: StoreContext): SyncCursorState {
  const { cursor, lastSyncAt, bootstrap } = readSyncState(ctx);
  const idle = bootstrap.status === 'done' || (bootstrap.rowsDone === 0 && bootstrap.rowsTotal === null);
  return {
    cursor,
    bootstrapped: bootstrap.status === 'done',
    progress: idle ? null : { done: bootstrap.rowsDone, total: bootstrap.rowsTotal ?? bootstrap.rowsDone },
    lastSyncAt,
  };
}

/** Updates the cursor state from the sync engine's port shape (omitted fields are unchanged). */
export function writeCursorState(ctx: StoreContext, patch: Partial<SyncCursorState>): void {
  const progress =
    patch.progress === undefined
      ? {}
      : patch.progress === null
        ? { rowsDone: 0, rowsTotal: null }
        : { rowsDone: patch.progress.done, rowsTotal: patch.progress.total };
  const current = readSyncState(ctx).bootstrap.status;
  const status: BootstrapProgress['status'] | undefined =
    patch.bootstrapped === true
      ? 'done'
      : patch.bootstrapped === false
        ? patch.progress
          ? 'running'
          : 'pending'
        : patch.progress && current === 'pending'
          ? 'running'
          : undefined;
  writeSyncState(ctx, {
    ...(patch.cursor === undefined ? {} : { cursor: patch.cursor }),
    ...(patch.lastSyncAt === undefined ? {} : { lastSyncAt: patch.lastSyncAt }),
    bootstrap: { ...progress, ...(status === undefined ? {} : { status }) },
  });
}
