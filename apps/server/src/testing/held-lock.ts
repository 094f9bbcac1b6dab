import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB } from '../db/tables';

/** A lock another connection holds until `release` (which waits for its transaction to end). */
export interface HeldLock {
  release(): Promise<void>;
}

/**
 * Takes a lock in a transaction of its own on `db` (`take`, e.g. a LOCK TABLE or an advisory lock)
 * and holds it until `release`: the statements of the app that need it wait meanwhile, which a
 * test can watch in `pg_stat_activity`. Needs a database with more than one connection.
 */
export async function holdLock(db: Kysely<DB>, take: RawBuilder<unknown>): Promise<HeldLock> {
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let locked = () => {};
  const taken = new Promise<void>((resolve) => {
    locked = resolve;
  });
  const done = db.transaction().execute(async (trx) => {
    await take.execute(trx);
    locked();
    await held;
  });
  await Promise.race([taken, done]);
  return {
    release: async () => {
      release();
      await done;
    },
  };
}

/**
 * An exclusive lock on `sync_groups`: a pull's page statement, which reads the device's recent
 * decisions, waits for it; reading where the page ends does not.
 */
export const LOCK_SYNC_GROUPS = sql`LOCK TABLE sync_groups IN ACCESS EXCLUSIVE MODE`;

/**
 * An exclusive lock on `change_log`: a push reads its clinic, decisions and codes, then waits for
 * it in its first INSERT (whose trigger logs the new rows).
 */
export const LOCK_CHANGE_LOG = sql`LOCK TABLE change_log IN ACCESS EXCLUSIVE MODE`;
