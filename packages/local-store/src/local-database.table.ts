import type { Generated } from 'kysely';

// Row shapes of the fixed local SQLite tables as Kysely sees them. Repositories convert rows to
// domain types explicitly; these interfaces never leave the package's data layer. The record tables
// (patients, visits, …, staff, doctor_profiles) are generated from the domain schemas instead; see
// `local-tables.ts`.

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
  /** The user whose action produced the group (information for the sync centre). */
  actor_id: string | null;
}

/** Which rows an outbox group touches; removed with its group. */
export interface OutboxRowsTable {
  group_id: string;
  table_name: string;
  row_id: string;
  op: 'create' | 'update' | 'delete';
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
  /** When the group was written locally. */
  created_at: string | null;
  actor_id: string | null;
  /** JSON object: the refusal's details, if the server sent any. */
  details: string | null;
  resolution: 'dismissed' | 'resubmitted' | null;
  /** The mutation id of the group that resubmitted this one. */
  resubmitted_as: string | null;
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
  last_sync_at: string | null;
  /** JSON `SyncErrorRecord` of the last failed attempt, null after a success. */
  last_error: string | null;
  bootstrap_status: Generated<'pending' | 'running' | 'done'>;
  bootstrap_rows_done: Generated<number>;
  bootstrap_rows_total: number | null;
  /** Why writes are refused (licence lapsed, subscription expired…); null when writable. */
  read_only_reason: string | null;
  read_only_since: string | null;
}

/** The single row (`id` 1) describing this install's clinic: profile, status, limits, licence lease. */
export interface ClinicInfoTable {
  id: Generated<1>;
  clinic_id: string | null;
  code: string | null;
  name: string | null;
  timezone: string | null;
  /** JSON: the clinic record as last received. */
  profile: string | null;
  profile_version: Generated<number>;
  status: string | null;
  /** JSON: `ClinicSnapshot['limits']`. */
  limits: string | null;
  /** JSON: `ClinicSnapshot['usage']`. */
  usage: string | null;
  /** JSON: `ClinicSnapshot['lease']`. */
  lease: string | null;
  lease_expires_at: string | null;
  snapshot_at: string | null;
}

/** A block of counter numbers leased from the server; `next_value` is the next one to hand out. */
export interface CounterBlocksTable {
  lease_id: string;
  counter: 'patient_code' | 'queue_token';
  scope: string;
  from_value: number;
  to_value: number;
  next_value: number;
  issued_at: string;
  added_at: string;
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
  outbox_rows: OutboxRowsTable;
  clinic_info: ClinicInfoTable;
  counter_blocks: CounterBlocksTable;
  sync_inbox: SyncInboxTable;
  sync_state: SyncStateTable;
  _migrations: MigrationsTable;
}
