/*
 * Recording the server's decisions on pushed groups (push responses and pull `decisions`).
 *
 * Invariants:
 * - applied → the group leaves the outbox; the rows the server recorded (`changes`, e.g. a patient
 *   code it reassigned) are applied like pulled changes, pending edits kept on top.
 * - refused → the group moves to the sync inbox with code, message, details and its full ops, in
 *   the same transaction. A row it created that the server never had (version 0) stays as typed
 *   until the user resubmits or dismisses the inbox item (dismissing removes it). Any other row it
 *   touched is marked as not synced (version 0), so the server's copy — which the server logs again
 *   when it refuses a group — replaces it on the next pull, later pending edits re-applied on top.
 *   Otherwise a refused edit or deletion would stay on this device for good.
 * - duplicate → treated as its stored decision: refused when it carries a code, applied otherwise.
 * - A decision on a group no longer in the outbox (already recorded) is ignored, so the engine may
 *   deliver the same decision twice, from a push and from a later pull.
 */
import { applyChanges, emptyApplyReport } from './change-applier';
import { syncedEntityFromWire } from './entity-names';
import { findGroup, pendingRowKeys, removeGroup, removeGroups } from './outbox';
import type { StoreContext } from './store-context';
import { type PulledChange, type PushGroupResult, type RowOperation, runsOfChanges } from './sync-messages';

/** A notice the server attached to an applied group (e.g. CODE_REASSIGNED). */
export interface PushNotice {
  readonly mutationId: string;
  readonly seq: number;
  readonly code: string;
  readonly message: string | null;
}

/** What recording a batch of decisions did. */
export interface PushOutcome {
  /** Groups removed from the outbox as applied. */
  applied: number;
  /** Groups moved to the sync inbox. */
  refused: number;
  /** Decisions on groups that were not in the outbox (already recorded). */
  ignored: number;
  notices: PushNotice[];
}

/** Marks the rows a refused group touched for the server's copy; see the header. */
function forgetRefusedRows(ctx: StoreContext, ops: readonly RowOperation[]): void {
  for (const op of ops) {
    const entity = syncedEntityFromWire(ctx.targets, op.entity);
    if (entity === null) continue;
    const table = ctx.synced(entity);
    const row = table.find(op.id);
    if (row === null || Number(row.version) === 0) continue;
    table.update(op.id, { version: 0 });
  }
}

/** Records decisions inside the caller's transaction. */
export function recordDecisions(
  ctx: StoreContext,
  results: readonly PushGroupResult[],
  at: string,
): PushOutcome {
  const outcome: PushOutcome = { applied: 0, refused: 0, ignored: 0, notices: [] };
  const recorded: PulledChange[] = [];
  const toInbox = ctx.statement(
    `INSERT INTO sync_inbox
       (group_id, seq, code, message, ops, received_at, created_at, actor_id, details)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (group_id) DO NOTHING`,
  );
  const isRefused = (result: PushGroupResult) =>
    result.status === 'refused' || (result.status === 'duplicate' && result.code !== undefined);
  // Applied groups only leave the outbox, all in one statement, without being read (a drain
  // applies thousands).
  const removed = removeGroups(
    ctx,
    results.filter((result) => !isRefused(result)).map((result) => result.mutationId),
  );
  for (const result of results) {
    if (!isRefused(result)) {
      const seq = removed.get(result.mutationId);
      // A decision delivered twice counts once.
      removed.delete(result.mutationId);
      if (seq === undefined) {
        outcome.ignored++;
        continue;
      }
      outcome.applied++;
      if (result.code !== undefined)
        outcome.notices.push({
          mutationId: result.mutationId,
          seq,
          code: result.code,
          message: result.message ?? null,
        });
      if (result.changes !== undefined) recorded.push(...result.changes);
      continue;
    }
    const group = findGroup(ctx, result.mutationId);
    if (group === null) {
      outcome.ignored++;
      continue;
    }
    const code = result.code ?? 'REFUSED';
    toInbox.run(
      group.mutationId,
      group.seq,
      code,
      result.message ?? code,
      JSON.stringify(group.ops),
      at,
      group.createdAt,
      group.actorId,
      result.details === undefined ? null : JSON.stringify(result.details),
    );
    forgetRefusedRows(ctx, group.ops);
    outcome.refused++;
    removeGroup(ctx, group.mutationId);
  }
  if (recorded.length > 0)
    applyChanges(ctx, runsOfChanges(recorded), pendingRowKeys(ctx), at, emptyApplyReport());
  return outcome;
}

/** Records a push response in one transaction: decisions, the acknowledged seq and the push time. */
export function recordPushResults(
  ctx: StoreContext,
  results: readonly PushGroupResult[],
  options: { readonly ackSeq?: number } = {},
): PushOutcome {
  return withoutWaitingForDisk(ctx.sqlite, () =>
    ctx.sqlite
      .transaction(() => {
        const at = ctx.now().toISOString();
        const outcome = recordDecisions(ctx, results, at);
        ctx
          .statement('UPDATE sync_state SET acked_seq = max(acked_seq, ?), last_push_at = ? WHERE id = 1')
          .run(options.ackSeq ?? 0, at);
        return outcome;
      })
      .immediate(),
  );
}

/**
 * Runs `work` (one or more transactions) with `synchronous = NORMAL`, then returns the connection
 * to `synchronous = FULL`, also when `work` throws.
 *
 * In WAL mode a NORMAL commit is written to the log without waiting for the disk: a power cut
 * can lose it, never corrupt the file, and the next FULL commit (any local write or pull page)
 * makes it durable with everything before it, because the log is written in order. Only what the
 * server can tell the device again may be recorded this way: a push's decisions are answered again,
 * as duplicates, when the lost groups are pushed again.
 */
function withoutWaitingForDisk<T>(sqlite: StoreContext['sqlite'], work: () => T): T {
  sqlite.pragma('synchronous = NORMAL');
  try {
    return work();
  } finally {
    sqlite.pragma('synchronous = FULL');
  }
}
