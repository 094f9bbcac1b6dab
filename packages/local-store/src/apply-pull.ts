/*
 * Applying one pull page: the whole page in ONE SQLite transaction (DESIGN §5).
 *
 * Invariants:
 * - Decisions first (they may move groups out of the outbox), then the changes, then the clinic
 *   snapshot, then the cursor: if anything fails nothing of the page is kept and the same page is
 *   pulled again.
 * - The cursor, acknowledged seq and first-sync progress (rows done, and done + `remaining` as the
 *   total) commit with the rows they describe, so a restarted first sync resumes at the next page.
 */
import { type ApplyChangesReport, applyChanges } from './change-applier';
import { applyClinicSnapshot } from './clinic-info';
import { pendingRowKeys } from './outbox';
import { type PushOutcome, recordDecisions } from './push-results';
import type { StoreContext } from './store-context';
import { type PullPage, runChangeCount } from './sync-messages';

/** What applying a pull page did. */
export interface ApplyPullReport extends ApplyChangesReport {
  /** The decisions the page carried. */
  readonly decisions: PushOutcome;
  /** The cursor now stored. */
  readonly cursor: number;
  readonly hasMore: boolean;
}

/** Applies one pull page in one transaction; see the header for the order and guarantees. */
export function applyPull(ctx: StoreContext, page: PullPage): ApplyPullReport {
  if (!Number.isSafeInteger(page.nextCursor) || page.nextCursor < 0)
    throw new RangeError(`Invalid pull cursor: ${page.nextCursor}`);
  return ctx.sqlite
    .transaction((): ApplyPullReport => {
      const at = ctx.now().toISOString();
      const decisions = recordDecisions(ctx, page.decisions, at);
      const report = applyChanges(ctx, page.runs, pendingRowKeys(ctx), at);
      applyClinicSnapshot(ctx, page.clinic, at);
      ctx
        .statement(
          `UPDATE sync_state SET
             pull_cursor = @cursor, acked_seq = max(acked_seq, @ackSeq), last_pull_at = @at,
             bootstrap_rows_done = CASE WHEN bootstrap_status = 'done' THEN bootstrap_rows_done
                                        ELSE bootstrap_rows_done + @rows END,
             bootstrap_rows_total = CASE WHEN bootstrap_status = 'done' OR @remaining IS NULL
                                         THEN bootstrap_rows_total
                                         ELSE bootstrap_rows_done + @rows + @remaining END,
             bootstrap_status = CASE WHEN bootstrap_status = 'done' THEN 'done'
                                     WHEN @hasMore THEN 'running' ELSE 'done' END
           WHERE id = 1`,
        )
        .run({
          cursor: page.nextCursor,
          ackSeq: page.ackSeq,
          at,
          rows: runChangeCount(page.runs),
          remaining: page.remaining ?? null,
          hasMore: page.hasMore ? 1 : 0,
        });
      return { ...report, decisions, cursor: page.nextCursor, hasMore: page.hasMore };
    })
    .immediate();
}
