import { sql } from 'kysely';
import { allTableSpecs, buildLocalTableSpecs, createIndexSql, createTableSql } from '../local-tables';
import type { Migration, UntypedKysely } from '../migration.runner';

/*
 * The records themselves and the bookkeeping around them.
 *
 * Unlike other migrations this one reads the domain registry: the record tables are generated from
 * the entity schemas (`local-tables.ts`) so their columns can never drift from the entities. It
 * stays safe to re-run on any later build because every later change to those tables is additive
 * and applied on each open by `reconcileLocalTables`. Everything else below is frozen text.
 *
 * Patient search: `patients_search_source` is the one definition of what gets indexed (name,
 * code, phone digits with and without the country code); the triggers, the bulk indexing of large
 * pull pages and the rebuild all read it.
 */
const PATIENT_SEARCH_DDL = [
  `CREATE VIRTUAL TABLE patients_fts USING fts5(
     name, code, phone, patient_id UNINDEXED,
     content='', contentless_delete=1, contentless_unindexed=1,
     tokenize='unicode61 remove_diacritics 2')`,
  `CREATE VIEW patients_search_source AS
     SELECT rowid AS row_id,
            concat_ws(' ', first_name, last_name) AS name,
            patient_code AS code,
            concat_ws(' ', ltrim(phone, '+'), substr(phone, -10), ltrim(alt_phone, '+'), substr(alt_phone, -10)) AS phone,
            id AS patient_id
     FROM patients`,
  `CREATE TRIGGER patients_fts_insert AFTER INSERT ON patients BEGIN
     INSERT INTO patients_fts (rowid, name, code, phone, patient_id)
       SELECT row_id, name, code, phone, patient_id FROM patients_search_source WHERE row_id = new.rowid;
   END`,
  `CREATE TRIGGER patients_fts_update
     AFTER UPDATE OF first_name, last_name, patient_code, phone, alt_phone ON patients BEGIN
     DELETE FROM patients_fts WHERE rowid = old.rowid;
     INSERT INTO patients_fts (rowid, name, code, phone, patient_id)
       SELECT row_id, name, code, phone, patient_id FROM patients_search_source WHERE row_id = new.rowid;
   END`,
  `CREATE TRIGGER patients_fts_delete AFTER DELETE ON patients BEGIN
     DELETE FROM patients_fts WHERE rowid = old.rowid;
   END`,
];

export const localRecords: Migration = {
  name: '20261201090000-local-records',
  async up(db: UntypedKysely) {
    const run = (statement: string) => sql.raw(statement).execute(db);

    for (const spec of allTableSpecs(buildLocalTableSpecs())) {
      await run(createTableSql(spec));
      for (const statement of createIndexSql(spec)) await run(statement);
    }
    for (const statement of PATIENT_SEARCH_DDL) await run(statement);

    // Which rows each outbox group touches, so a pull can tell in O(1) whether a row has local
    // changes still waiting, and a capacity pre-check can count creates not yet pushed.
    await run(`CREATE TABLE outbox_rows (
      group_id TEXT NOT NULL REFERENCES outbox (group_id) ON DELETE CASCADE,
      table_name TEXT NOT NULL,
      row_id TEXT NOT NULL,
      op TEXT NOT NULL CHECK (op IN ('create', 'update', 'delete')),
      PRIMARY KEY (group_id, table_name, row_id, op)
    ) STRICT, WITHOUT ROWID`);
    await run('CREATE INDEX outbox_rows_row_idx ON outbox_rows (table_name, row_id)');
    await run('ALTER TABLE outbox ADD COLUMN actor_id TEXT');

    await run('ALTER TABLE sync_inbox ADD COLUMN created_at TEXT');
    await run('ALTER TABLE sync_inbox ADD COLUMN actor_id TEXT');
    await run(
      'ALTER TABLE sync_inbox ADD COLUMN details TEXT CHECK (details IS NULL OR json_valid(details))',
    );
    await run(
      "ALTER TABLE sync_inbox ADD COLUMN resolution TEXT CHECK (resolution IN ('dismissed', 'resubmitted'))",
    );
    await run('ALTER TABLE sync_inbox ADD COLUMN resubmitted_as TEXT');

    await run('ALTER TABLE sync_state ADD COLUMN last_sync_at TEXT');
    await run(
      'ALTER TABLE sync_state ADD COLUMN last_error TEXT CHECK (last_error IS NULL OR json_valid(last_error))',
    );
    await run(
      "ALTER TABLE sync_state ADD COLUMN bootstrap_status TEXT NOT NULL DEFAULT 'pending' CHECK (bootstrap_status IN ('pending', 'running', 'done'))",
    );
    await run('ALTER TABLE sync_state ADD COLUMN bootstrap_rows_done INTEGER NOT NULL DEFAULT 0');
    await run('ALTER TABLE sync_state ADD COLUMN bootstrap_rows_total INTEGER');
    await run('ALTER TABLE sync_state ADD COLUMN read_only_reason TEXT');
    await run('ALTER TABLE sync_state ADD COLUMN read_only_since TEXT');

    await run(`CREATE TABLE clinic_info (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      clinic_id TEXT,
      code TEXT,
      name TEXT,
      timezone TEXT,
      profile TEXT CHECK (profile IS NULL OR json_valid(profile)),
      profile_version INTEGER NOT NULL DEFAULT 0,
      status TEXT,
      limits TEXT CHECK (limits IS NULL OR json_valid(limits)),
      usage TEXT CHECK (usage IS NULL OR json_valid(usage)),
      lease TEXT CHECK (lease IS NULL OR json_valid(lease)),
      lease_expires_at TEXT,
      snapshot_at TEXT
    ) STRICT`);
    await run('INSERT INTO clinic_info (id) VALUES (1)');

    await run(`CREATE TABLE counter_blocks (
      lease_id TEXT PRIMARY KEY,
      counter TEXT NOT NULL CHECK (counter IN ('patient_code', 'queue_token')),
      scope TEXT NOT NULL,
      from_value INTEGER NOT NULL CHECK (from_value >= 1),
      to_value INTEGER NOT NULL,
      next_value INTEGER NOT NULL,
      issued_at TEXT NOT NULL,
      added_at TEXT NOT NULL,
      CHECK (to_value >= from_value),
      CHECK (next_value BETWEEN from_value AND to_value + 1)
    ) STRICT`);
    await run('CREATE INDEX counter_blocks_lookup_idx ON counter_blocks (counter, scope, from_value)');
  },
};
