// biome-ignore-all lint/suspicious/noExplicitAny: migrations are frozen in time and use Kysely<any>
import { type Kysely, sql } from 'kysely';

/**
 * The sync machinery in the database.
 *
 * Invariants:
 * - Every insert or update of a synced table bumps the row's `version` and moves the row's single
 *   `change_log` entry to the clinic's next sequence number. The number comes from an upsert on
 *   the clinic's `clinic_sync_state` row, whose row lock is held until commit, so numbers are
 *   gapless and in commit order per clinic (never a plain sequence, whose order is not commit order).
 * - `change_log` keeps one entry per row (the latest), so a pull from cursor 0 is a snapshot.
 * - `sync_groups` remembers every decided push group (applied or refused) by mutation id, and
 *   `device_sync_state` each device's last decided group sequence: a retried group is answered
 *   from here, never applied twice.
 * - `counters` / `counter_leases`: blocks of patient-code and queue-token numbers leased to devices.
 */
const SYNCED_TABLES_QUERY = sql<{ table_name: string }>`
  SELECT c.table_name FROM information_schema.columns c
  JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
  WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.column_name IN ('clinic_id', 'version', 'deleted_at')
    AND c.table_name NOT IN ('devices')
  GROUP BY c.table_name HAVING count(*) = 3
  ORDER BY c.table_name`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('clinic_sync_state')
    .addColumn('clinic_id', 'uuid', (c) => c.primaryKey().references('clinics.id'))
    .addColumn('last_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('min_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('change_log')
    .addColumn('clinic_id', 'uuid', (c) => c.notNull().references('clinics.id'))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('row_id', 'uuid', (c) => c.notNull())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .addColumn('deleted', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('change_log_pkey', ['clinic_id', 'seq'])
    .addUniqueConstraint('change_log_row_key', ['clinic_id', 'entity', 'row_id'])
    .execute();

  await db.schema
    .createTable('device_sync_state')
    .addColumn('clinic_id', 'uuid', (c) => c.notNull().references('clinics.id'))
    .addColumn('device_id', 'uuid', (c) => c.notNull())
    .addColumn('last_group_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('last_pull_cursor', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('last_push_at', 'timestamptz')
    .addColumn('last_pull_at', 'timestamptz')
    .addPrimaryKeyConstraint('device_sync_state_pkey', ['clinic_id', 'device_id'])
    .addForeignKeyConstraint('device_sync_state_device_fkey', ['clinic_id', 'device_id'], 'devices', [
      'clinic_id',
      'id',
    ])
    .execute();

  await db.schema
    .createTable('sync_groups')
    .addColumn('clinic_id', 'uuid', (c) => c.notNull().references('clinics.id'))
    .addColumn('mutation_id', 'uuid', (c) => c.notNull())
    .addColumn('device_id', 'uuid', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('applied', 'refused')`))
    .addColumn('code', 'text')
    .addColumn('message', 'text')
    .addColumn('result', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('decided_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('sync_groups_pkey', ['clinic_id', 'mutation_id'])
    .addUniqueConstraint('sync_groups_device_seq_key', ['clinic_id', 'device_id', 'seq'])
    .execute();
  await db.schema
    .createIndex('sync_groups_refused_idx')
    .on('sync_groups')
    .columns(['clinic_id', 'decided_at'])
    .where(sql.ref('status'), '=', 'refused')
    .execute();

  await db.schema
    .createTable('counters')
    .addColumn('clinic_id', 'uuid', (c) => c.notNull().references('clinics.id'))
    .addColumn('counter', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('next_value', 'bigint', (c) => c.notNull().defaultTo(1))
    .addPrimaryKeyConstraint('counters_pkey', ['clinic_id', 'counter', 'scope'])
    .execute();
  await db.schema
    .createTable('counter_leases')
    .addColumn('clinic_id', 'uuid', (c) => c.notNull().references('clinics.id'))
    .addColumn('id', 'uuid', (c) => c.notNull())
    .addColumn('device_id', 'uuid', (c) => c.notNull())
    .addColumn('counter', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('from_value', 'bigint', (c) => c.notNull())
    .addColumn('to_value', 'bigint', (c) => c.notNull())
    .addColumn('issued_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('counter_leases_pkey', ['clinic_id', 'id'])
    .execute();
  await db.schema
    .createIndex('counter_leases_lookup_idx')
    .on('counter_leases')
    .columns(['clinic_id', 'counter', 'scope', 'from_value'])
    .execute();

  await sql`
    CREATE OR REPLACE FUNCTION sync_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE untracked text[] := ARRAY['version', 'updated_at', 'failed_login_count', 'locked_until',
                                     'password_hash', 'password_changed_at'];
    BEGIN
      IF TG_OP = 'INSERT' THEN
        NEW.version := 1;
      ELSIF (to_jsonb(NEW) - untracked) IS DISTINCT FROM (to_jsonb(OLD) - untracked) THEN
        NEW.version := OLD.version + 1;
      ELSE
        -- Only sign-in bookkeeping changed: not a change any device needs.
        NEW.version := OLD.version;
        RETURN NEW;
      END IF;
      NEW.updated_at := now();
      RETURN NEW;
    END $$`.execute(db);

  await sql`
    CREATE OR REPLACE FUNCTION sync_track_change() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE next_seq bigint;
    BEGIN
      INSERT INTO clinic_sync_state AS s (clinic_id, last_seq) VALUES (NEW.clinic_id, 1)
        ON CONFLICT (clinic_id) DO UPDATE SET last_seq = s.last_seq + 1
        RETURNING last_seq INTO next_seq;
      INSERT INTO change_log AS l (clinic_id, seq, entity, row_id, version, deleted, at)
        VALUES (NEW.clinic_id, next_seq, TG_TABLE_NAME, NEW.id, NEW.version, NEW.deleted_at IS NOT NULL, now())
        ON CONFLICT (clinic_id, entity, row_id) DO UPDATE
          SET seq = EXCLUDED.seq, version = EXCLUDED.version, deleted = EXCLUDED.deleted, at = EXCLUDED.at;
      -- Delivered at commit, once per transaction and clinic (PostgreSQL folds identical notifications):
      -- every server replica pokes that clinic's connected devices.
      PERFORM pg_notify('clinicdesk_changes', NEW.clinic_id::text);
      RETURN NULL;
    END $$`.execute(db);

  // Tenant isolation for the new tables, then triggers on every synced table that exists now.
  for (const t of ['change_log', 'device_sync_state', 'sync_groups', 'counters', 'counter_leases']) {
    await sql`SELECT enable_tenant_isolation(${t})`.execute(db);
  }
  await sql`ALTER TABLE clinic_sync_state ENABLE ROW LEVEL SECURITY`.execute(db);
  await sql`ALTER TABLE clinic_sync_state FORCE ROW LEVEL SECURITY`.execute(db);
  await sql`CREATE POLICY tenant_isolation ON clinic_sync_state FOR ALL TO clinicdesk_app
              USING (clinic_id = app_current_clinic()) WITH CHECK (clinic_id = app_current_clinic())`.execute(
    db,
  );
  await sql`CREATE POLICY platform_access ON clinic_sync_state FOR ALL TO clinicdesk_platform
              USING (true) WITH CHECK (true)`.execute(db);
  await sql`GRANT SELECT, INSERT, UPDATE ON clinic_sync_state TO clinicdesk_app`.execute(db);

  // Later migrations that add a synced table call this for it.
  await sql`
    CREATE OR REPLACE FUNCTION enable_sync_tracking(t text) RETURNS void LANGUAGE plpgsql AS $fn$
    BEGIN
      EXECUTE format('CREATE TRIGGER sync_bump_version BEFORE INSERT OR UPDATE ON %I
                        FOR EACH ROW EXECUTE FUNCTION sync_bump_version()', t);
      EXECUTE format('CREATE TRIGGER sync_track_insert AFTER INSERT ON %I
                        FOR EACH ROW EXECUTE FUNCTION sync_track_change()', t);
      EXECUTE format('CREATE TRIGGER sync_track_update AFTER UPDATE ON %I
                        FOR EACH ROW WHEN (OLD.version IS DISTINCT FROM NEW.version)
                        EXECUTE FUNCTION sync_track_change()', t);
    END
    $fn$`.execute(db);
  await sql`REVOKE ALL ON FUNCTION enable_sync_tracking(text) FROM PUBLIC`.execute(db);

  const { rows } = await SYNCED_TABLES_QUERY.execute(db);
  for (const { table_name } of rows) {
    await sql`SELECT enable_sync_tracking(${table_name})`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  const { rows } = await SYNCED_TABLES_QUERY.execute(db);
  for (const { table_name } of rows) {
    for (const trigger of ['sync_bump_version', 'sync_track_insert', 'sync_track_update']) {
      await sql.raw(`DROP TRIGGER IF EXISTS ${trigger} ON "${table_name}"`).execute(db);
    }
  }
  for (const t of [
    'counter_leases',
    'counters',
    'sync_groups',
    'device_sync_state',
    'change_log',
    'clinic_sync_state',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
  await sql`DROP FUNCTION IF EXISTS enable_sync_tracking(text)`.execute(db);
  await sql`DROP FUNCTION IF EXISTS sync_track_change()`.execute(db);
  await sql`DROP FUNCTION IF EXISTS sync_bump_version()`.execute(db);
}
