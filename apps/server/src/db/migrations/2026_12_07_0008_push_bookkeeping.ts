// biome-ignore-all lint/suspicious/noExplicitAny: migrations are frozen in time and use Kysely<any>
import { type Kysely, sql } from 'kysely';

/**
 * What a push writes besides the clinic's own rows costs less per row:
 *
 * - `change_log` and `sync_groups` lose their direct foreign key to `clinics`. Both are written only
 *   by the server for the clinic a request is bound to (`app.clinic_id`, checked by row-level
 *   security on every row): a change-log entry by the tracking triggers, from a row whose own
 *   foreign keys name the clinic; a decision by the push, for the authenticated device's clinic,
 *   whose row it has just read. Clinics are never deleted (they are suspended). The key cost one
 *   lookup and row lock of the clinic per entry and per decision, thousands per push.
 * - New rows are logged with a plain INSERT: a row that was just inserted cannot have an entry yet
 *   (rows are never deleted for good, so an id is never inserted twice). Should an entry exist all
 *   the same, the statement's entries are written again as upserts, as before.
 * - A decision's `result` is NULL when the group was applied without a notice or recorded changes:
 *   its result is then `{ mutationId, seq, status: 'applied' }`, all of which the row's columns
 *   hold. The pull rebuilds it from them. Refusals and applied groups with a notice keep their result.
 */

/** The statement's new rows of one clinic as change-log entries, numbered from `first_seq`. */
const NEW_ENTRIES = `
  INSERT INTO change_log AS l (clinic_id, seq, entity, row_id, version, deleted, at)
    SELECT n.clinic_id, first_seq + row_number() OVER () - 1, TG_TABLE_NAME, n.id, n.version,
           n.deleted_at IS NOT NULL, now()
    FROM new_rows n WHERE n.clinic_id = clinic.clinic_id`;

/** Migration 0007's logging: every entry an upsert. */
const UPSERT_ENTRIES = `${NEW_ENTRIES}
    ON CONFLICT (clinic_id, entity, row_id) DO UPDATE
      SET seq = EXCLUDED.seq, version = EXCLUDED.version, deleted = EXCLUDED.deleted, at = EXCLUDED.at;`;

/** This migration's: a plain INSERT, the upserts only if an entry exists. */
const LOG_NEW_ROWS = `
  BEGIN
    ${NEW_ENTRIES};
  EXCEPTION WHEN unique_violation THEN
    ${UPSERT_ENTRIES}
  END;`;

/** The statement trigger of inserts (see migration 0007), logging each clinic's rows with `log`. */
async function trackInsertsWith(db: Kysely<any>, log: string): Promise<void> {
  await sql
    .raw(`
    CREATE OR REPLACE FUNCTION sync_track_inserts() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      clinic record;
      first_seq bigint;
    BEGIN
      FOR clinic IN SELECT n.clinic_id, count(*) AS rows FROM new_rows n GROUP BY n.clinic_id LOOP
        INSERT INTO clinic_sync_state AS s (clinic_id, last_seq) VALUES (clinic.clinic_id, clinic.rows)
          ON CONFLICT (clinic_id) DO UPDATE SET last_seq = s.last_seq + EXCLUDED.last_seq
          RETURNING s.last_seq - clinic.rows + 1 INTO first_seq;
        ${log}
        PERFORM pg_notify('clinicdesk_changes', clinic.clinic_id::text);
      END LOOP;
      RETURN NULL;
    END $$`)
    .execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE change_log DROP CONSTRAINT change_log_clinic_id_fkey`.execute(db);
  await sql`ALTER TABLE sync_groups DROP CONSTRAINT sync_groups_clinic_id_fkey`.execute(db);
  await sql`ALTER TABLE sync_groups ALTER COLUMN result DROP NOT NULL, ALTER COLUMN result DROP DEFAULT`.execute(
    db,
  );
  await sql`
    UPDATE sync_groups SET result = NULL
    WHERE status = 'applied' AND result = jsonb_build_object('mutationId', mutation_id, 'seq', seq, 'status', status)`.execute(
    db,
  );

  await trackInsertsWith(db, LOG_NEW_ROWS);
}

export async function down(db: Kysely<any>): Promise<void> {
  await trackInsertsWith(db, UPSERT_ENTRIES);
  await sql`
    UPDATE sync_groups
    SET result = jsonb_build_object('mutationId', mutation_id, 'seq', seq, 'status', status)
    WHERE result IS NULL`.execute(db);
  await sql`ALTER TABLE sync_groups ALTER COLUMN result SET DEFAULT '{}'::jsonb, ALTER COLUMN result SET NOT NULL`.execute(
    db,
  );
  await sql`ALTER TABLE sync_groups ADD CONSTRAINT sync_groups_clinic_id_fkey FOREIGN KEY (clinic_id) REFERENCES clinics(id)`.execute(
    db,
  );
  await sql`ALTER TABLE change_log ADD CONSTRAINT change_log_clinic_id_fkey FOREIGN KEY (clinic_id) REFERENCES clinics(id)`.execute(
    db,
  );
}
