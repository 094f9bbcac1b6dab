/*
 * The outbox: local transactions waiting for the server's decision.
 *
 * Invariants:
 * - A group is appended only inside the transaction that made its row changes, so a committed row
 *   change always has its outbox group and a rolled-back one never does.
 * - `sync_state.last_seq` is bumped in that same transaction: seqs are gapless and survive reopening
 *   and re-bootstraps; a failed write consumes no seq.
 * - `outbox_rows` lists the rows each group touches and disappears with the group (ON DELETE CASCADE).
 * - A group leaves the outbox only when the server has decided it (applied: dropped; refused: moved
 *   to the sync inbox with its full ops). Sending alone changes nothing: an undecided group is
 *   pushed again, and the server answers a repeat as `duplicate`.
 */
import type { SyncedEntityName } from '@clinicdesk/domain';
import { syncedEntityFromWire } from './entity-names';
import type { StoreContext } from './store-context';
import type { OutboxGroup, RowOperation } from './sync-messages';

/** Who made a local write; recorded with its group for the sync centre and the inbox. */
export interface Actor {
  readonly userId: string;
}

function parseOps(json: unknown): RowOperation[] {
  // The outbox column is CHECKed to hold a JSON array, and only this module writes ops into it.
  return JSON.parse(String(json)) as RowOperation[];
}

/** Appends one group with the next seq; call inside the transaction that made the row changes. */
export function appendGroup(
  ctx: StoreContext,
  actor: Actor | null,
  ops: readonly RowOperation[],
  createdAt: string,
): OutboxGroup {
  const bumped = ctx
    .statement('UPDATE sync_state SET last_seq = last_seq + 1 WHERE id = 1 RETURNING last_seq')
    .get();
  const seq = Number(bumped?.last_seq);
  const group: OutboxGroup = { mutationId: ctx.newId(), seq, createdAt, ops: [...ops] };
  ctx
    .statement('INSERT INTO outbox (group_id, seq, created_at, ops, actor_id) VALUES (?, ?, ?, ?, ?)')
    .run(group.mutationId, seq, createdAt, JSON.stringify(group.ops), actor?.userId ?? null);
  const touch = ctx.statement(
    'INSERT OR IGNORE INTO outbox_rows (group_id, table_name, row_id, op) VALUES (?, ?, ?, ?)',
  );
  for (const op of ops) {
    const entity = syncedEntityFromWire(ctx.targets, op.entity);
    if (entity !== null) touch.run(group.mutationId, ctx.synced(entity).spec.table, op.id, op.op);
  }
  return group;
}

/** A stored group with its bookkeeping. */
export interface StoredGroup extends OutboxGroup {
  actorId: string | null;
}

function toStoredGroup(row: Record<string, unknown>): StoredGroup {
  return {
    mutationId: String(row.group_id),
    seq: Number(row.seq),
    createdAt: String(row.created_at),
    ops: parseOps(row.ops),
    actorId: row.actor_id === null || row.actor_id === undefined ? null : String(row.actor_id),
  };
}

/** The oldest undecided groups after seq `afterSeq`, in seq order, exactly as they are pushed. */
export function pendingGroups(
  ctx: StoreContext,
  limit: number,
  maxBytes = Number.POSITIVE_INFINITY,
  afterSeq = 0,
): OutboxGroup[] {
  const rows = ctx
    .statement(
      `SELECT group_id, seq, created_at, ops, sum(length(CAST(ops AS BLOB))) OVER (ORDER BY seq) AS bytes
       FROM (SELECT group_id, seq, created_at, ops FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?) ORDER BY seq`,
    )
    .all(afterSeq, Math.max(0, Math.floor(limit)));
  const groups: OutboxGroup[] = [];
  for (const row of rows) {
    // The oldest group goes even when it alone is larger: the queue must move.
    if (groups.length > 0 && Number(row.bytes) > maxBytes) break;
    groups.push({
      mutationId: String(row.group_id),
      seq: Number(row.seq),
      createdAt: String(row.created_at),
      ops: parseOps(row.ops),
    });
  }
  return groups;
}

/** One group by mutation id, or null when it is not (or no longer) in the outbox. */
export function findGroup(ctx: StoreContext, mutationId: string): StoredGroup | null {
  const row = ctx.statement('SELECT * FROM outbox WHERE group_id = ?').get(mutationId);
  return row === undefined ? null : toStoredGroup(row);
}

/** Removes a decided group (its `outbox_rows` go with it); its seq, or null when it was not there. */
export function removeGroup(ctx: StoreContext, mutationId: string): number | null {
  const removed = ctx.statement('DELETE FROM outbox WHERE group_id = ? RETURNING seq').get(mutationId);
  return removed === undefined ? null : Number(removed.seq);
}

/**
 * Removes decided groups (their `outbox_rows` go with them) in one statement; the seq of each
 * removed group by mutation id (groups no longer there are missing from it).
 */
export function removeGroups(ctx: StoreContext, mutationIds: readonly string[]): Map<string, number> {
  const removed = new Map<string, number>();
  if (mutationIds.length === 0) return removed;
  const rows = ctx
    .statement(
      'DELETE FROM outbox WHERE group_id IN (SELECT value FROM json_each(?)) RETURNING group_id, seq',
    )
    .all(JSON.stringify(mutationIds));
  for (const row of rows) removed.set(String(row.group_id), Number(row.seq));
  return removed;
}

/** How many groups wait for a decision. */
export function pendingCount(ctx: StoreContext): number {
  return Number(ctx.statement('SELECT count(*) AS n FROM outbox').get()?.n ?? 0);
}

/** How many creates of `entity` wait for a decision (e.g. "498 of 500 patients, 2 waiting to sync"). */
export function pendingCreateCount(ctx: StoreContext, entity: SyncedEntityName): number {
  const table = ctx.synced(entity).spec.table;
  const row = ctx
    .statement("SELECT count(DISTINCT row_id) AS n FROM outbox_rows WHERE table_name = ? AND op = 'create'")
    .get(table);
  return Number(row?.n ?? 0);
}

/** Keys (`table \0 id`) of every row with an undecided local change. */
export function pendingRowKeys(ctx: StoreContext): Set<string> {
  const rows = ctx.statement('SELECT DISTINCT table_name, row_id FROM outbox_rows').all();
  return new Set(rows.map((row) => rowKey(String(row.table_name), String(row.row_id))));
}

/** The lookup key of a row in `pendingRowKeys`. */
export function rowKey(table: string, id: string): string {
  return `${table}\u0000${id}`;
}

/** The undecided ops on one row, oldest first, with the time their group was written. */
export function pendingOpsOnRow(
  ctx: StoreContext,
  table: string,
  id: string,
): { op: RowOperation; createdAt: string }[] {
  const groups = ctx
    .statement(
      `SELECT o.ops, o.created_at FROM outbox o
       WHERE o.group_id IN (SELECT group_id FROM outbox_rows WHERE table_name = ? AND row_id = ?)
       ORDER BY o.seq`,
    )
    .all(table, id);
  const ops: { op: RowOperation; createdAt: string }[] = [];
  for (const group of groups) {
    for (const op of parseOps(group.ops)) {
      const entity = syncedEntityFromWire(ctx.targets, op.entity);
      if (op.id === id && entity !== null && ctx.synced(entity).spec.table === table) {
        ops.push({ op, createdAt: String(group.created_at) });
      }
    }
  }
  return ops;
}
