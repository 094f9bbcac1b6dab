/*
 * Leased counter blocks: patient-code and queue-token numbers this device may hand out offline.
 *
 * Invariants:
 * - A number is taken in the same transaction as the row that uses it; a rolled-back write gives
 *   its number back.
 * - Numbers come from the lowest block of the counter and scope first; each number is handed out
 *   once (`next_value` only grows) and a block is removed once it is used up.
 * - Adding the same lease twice is harmless (the lease id is the key), so the engine may retry.
 * - When no block has numbers left the caller gets null and uses a provisional value; the server
 *   assigns the final one at push (DESIGN §5).
 */
import type { StoreContext } from './store-context';
import type { CounterLease, CounterName } from './sync-messages';

const SCOPE_PATTERNS: Readonly<Record<CounterName, RegExp>> = {
  patient_code: /^\d{4}$/,
  queue_token: /^\d{4}-\d{2}-\d{2}$/,
};

/** Throws unless `scope` has the shape the counter uses (year, or clinic day). */
export function assertCounterScope(counter: CounterName, scope: string): void {
  const pattern = SCOPE_PATTERNS[counter];
  if (pattern === undefined) throw new RangeError(`Unknown counter: ${String(counter)}`);
  if (!pattern.test(scope)) throw new RangeError(`Invalid ${counter} scope: ${scope}`);
}

/** Stores a leased block; returns false when that lease was already stored. */
export function addCounterBlock(ctx: StoreContext, lease: CounterLease): boolean {
  assertCounterScope(lease.counter, lease.scope);
  if (
    !Number.isSafeInteger(lease.from) ||
    !Number.isSafeInteger(lease.to) ||
    lease.from < 1 ||
    lease.to < lease.from
  )
    throw new RangeError(`Invalid block ${lease.from}..${lease.to}`);
  const result = ctx
    .statement(
      `INSERT OR IGNORE INTO counter_blocks
         (lease_id, counter, scope, from_value, to_value, next_value, issued_at, added_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      lease.leaseId,
      lease.counter,
      lease.scope,
      lease.from,
      lease.to,
      lease.from,
      lease.issuedAt,
      ctx.now().toISOString(),
    );
  return result.changes > 0;
}

/** Takes the next number of a counter in a scope, or null when no leased block has one left. */
export function takeCounterNumber(ctx: StoreContext, counter: CounterName, scope: string): number | null {
  assertCounterScope(counter, scope);
  const block = ctx
    .statement(
      `SELECT lease_id, next_value, to_value FROM counter_blocks
       WHERE counter = ? AND scope = ? AND next_value <= to_value ORDER BY from_value LIMIT 1`,
    )
    .get(counter, scope);
  if (block === undefined) return null;
  const taken = Number(block.next_value);
  if (taken >= Number(block.to_value)) {
    ctx.statement('DELETE FROM counter_blocks WHERE lease_id = ?').run(block.lease_id);
  } else {
    ctx
      .statement('UPDATE counter_blocks SET next_value = next_value + 1 WHERE lease_id = ?')
      .run(block.lease_id);
  }
  return taken;
}

/** How many numbers of a counter in a scope are still available offline. */
export function counterRemaining(ctx: StoreContext, counter: CounterName, scope: string): number {
  assertCounterScope(counter, scope);
  const row = ctx
    .statement(
      `SELECT coalesce(sum(to_value - next_value + 1), 0) AS n FROM counter_blocks
       WHERE counter = ? AND scope = ? AND next_value <= to_value`,
    )
    .get(counter, scope);
  return Number(row?.n ?? 0);
}
