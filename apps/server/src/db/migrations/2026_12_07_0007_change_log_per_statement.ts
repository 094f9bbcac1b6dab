// biome-ignore-all lint/suspicious/noExplicitAny: migrations are frozen in time and use Kysely<any>
import { type Kysely, sql } from 'kysely';

/**
 * Inserts into a synced table are logged once per statement instead of once per row.
 *
 * A multi-row INSERT (a push writes a run of new records with one per table) took the clinic's
 * next sequence number and upserted its change-log entry row by row, two statements per row from
 * PL/pgSQL. Now an AFTER INSERT … FOR EACH STATEMENT trigger reads the statement's new rows from
 * its transition table, reserves one block of sequence numbers per clinic with one upsert of
 * `clinic_sync_state` (whose row lock is still held until commit, so numbers stay gapless and in
 * commit order), and writes every entry with one INSERT, numbered in the order the rows were
 * inserted. One NOTIFY per clinic and statement. Updates keep the per-row trigger, which fires
 * only when a row's version moved.
 */
const SYNCED_TABLES_QUERY = sql<{ table_name: string }>`
  SELECT c.table_name FROM information_schema.columns c
  JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
  WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.column_name IN ('clinic_id', 'version', 'deleted_at')
    AND c.table_name NOT IN ('devices')
  GROUP BY c.table_name HAVING count(*) = 3
  ORDER BY c.table_name`;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE OR REPLACE FUNCTION sync_track_inserts() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      clinic record;
      first_seq bigint;
    BEGIN
      FOR clinic IN SELECT n.clinic_id, count(*) AS rows FROM new_rows n GROUP BY n.clinic_id LOOP
        INSERT INTO clinic_sync_state AS s (clinic_id, last_seq) VALUES (clinic.clinic_id, clinic.rows)
          ON CONFLICT (clinic_id) DO UPDATE SET last_seq = s.last_seq + EXCLUDED.last_seq
          RETURNING s.last_seq - clinic.rows + 1 INTO first_seq;
        INSERT INTO change_log AS l (clinic_id, seq, entity, row_id, version, deleted, at)
          SELECT n.clinic_id, first_seq + row_number() OVER () - 1, TG_TABLE_NAME, n.id, n.version,
                 n.deleted_at IS NOT NULL, now()
          FROM new_rows n WHERE n.clinic_id = clinic.clinic_id
          ON CONFLICT (clinic_id, entity, row_id) DO UPDATE
            SET seq = EXCLUDED.seq, version = EXCLUDED.version, deleted = EXCLUDED.deleted, at = EXCLUDED.at;
        PERFORM pg_notify('clinicdesk_changes', clinic.clinic_id::text);
      END LOOP;
      RETURN NULL;
    END $$`.execute(db);

  await sql`
    CREATE OR REPLACE FUNCTION enable_sync_tracking(t text) RETURNS void LANGUAGE plpgsql AS $fn$
    BEGIN
      EXECUTE format('CREATE TRIGGER sync_bump_version BEFORE INSERT OR UPDATE ON %I
                        FOR EACH ROW EXECUTE FUNCTION sync_bump_version()', t);
      EXECUTE format('CREATE TRIGGER sync_track_insert AFTER INSERT ON %I
                        REFERENCING NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION sync_track_inserts()', t);
      EXECUTE format('CREATE TRIGGER sync_track_update AFTER UPDATE ON %I
                        FOR EACH ROW WHEN (OLD.version IS DISTINCT FROM NEW.version)
                        EXECUTE FUNCTION sync_track_change()', t);
    END
    $fn$`.execute(db);

  const { rows } = await SYNCED_TABLES_QUERY.execute(db);
  for (const { table_name } of rows) {
    await sql`DROP TRIGGER sync_track_insert ON ${sql.table(table_name)}`.execute(db);
    await sql`CREATE TRIGGER sync_track_insert AFTER INSERT ON ${sql.table(table_name)}
                REFERENCING NEW TABLE AS new_rows
                FOR EACH STATEMENT EXECUTE FUNCTION sync_track_inserts()`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
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
  const { rows } = await SYNCED_TABLES_QUERY.execute(db);
  for (const { table_name } of rows) {
    await sql`DROP TRIGGER sync_track_insert ON ${sql.table(table_name)}`.execute(db);
    await sql`CREATE TRIGGER sync_track_insert AFTER INSERT ON ${sql.table(table_name)}
                FOR EACH ROW EXECUTE FUNCTION sync_track_change()`.execute(db);
  }
  await sql`DROP FUNCTION IF EXISTS sync_track_inserts()`.execute(db);
}
