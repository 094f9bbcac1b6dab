import type { Generated } from 'kysely';

// Row shapes of the local SQLite tables as Kysely sees them. Repositories convert rows to domain
// types explicitly; these interfaces never leave the package's data layer.

/** Small settings of this install: device id, clinic id, bootstrap markers. */
export interface MetaTable {
  key: string;
  value: string;
}

export type OutboxStatus = 'pending' | 'sent';

/** One local transaction waiting to be pushed (or pushed and not yet acknowledged). */
export interface OutboxTable {
  /** The group's mutation id (UUID), the server's idempotency key. */
  group_id: string;
  /** Per-device sequence number, +1 per group. */
  seq: number;
  created_at: string;
  /** JSON array of row operations, as they will be pushed. */
  ops: string;
  status: Generated<OutboxStatus>;
}

/** A group the server refused, kept with its reason until the user resolves it. */
export interface SyncInboxTable {
  group_id: string;
  seq: number;
  code: string;
  message: string;
  ops: string;
  received_at: string;
  resolved_at: string | null;
}

/** The single row of sync bookkeeping (`id` is always 1). */
export interface SyncStateTable {
  id: Generated<1>;
  /** Last per-device group seq handed out to the outbox. */
  last_seq: Generated<number>;
  /** Highest group seq the server has acknowledged as decided. */
  acked_seq: Generated<number>;
  /** Where the next pull starts in the clinic's change sequence. */
  pull_cursor: Generated<number>;
  last_push_at: string | null;
  last_pull_at: string | null;
}

/** Bookkeeping of the migration runner. */
export interface MigrationsTable {
  position: number;
  name: string;
  applied_at: string;
}

export interface LocalDatabase {
  meta: MetaTable;
  outbox: OutboxTable;
  sync_inbox: SyncInboxTable;
  sync_state: SyncStateTable;
  _migrations: MigrationsTable;
}
