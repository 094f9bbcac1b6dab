import { sql } from 'kysely';
import type { Migration, UntypedKysely } from '../migration.runner';

/*
 * Patient search that stays fast while reception types, over 100 000 patients.
 *
 * What `patients_fts` holds is redefined: its source view and triggers are re-created with the
 * same names and columns (the bulk indexing of pull pages and the rebuild insert
 * `rowid, name, code, phone, patient_id` from `patients_search_source`, and pause the triggers by
 * name), then the index is refilled from the view. The FTS5 table itself stays: dropping a
 * contentless table with `contentless_unindexed` leaves its `_content` shadow table behind, which a
 * defensive connection can neither drop nor reuse.
 * - Only live patients are indexed (the view skips tombstones; the update trigger also fires on
 *   `deleted_at`), so ranking and limits never spend work on deleted rows.
 * - `code` holds only the number after the code's last dash (`0042`, or a provisional `P…` tag):
 *   every code of a clinic shares `PT-<CLINIC>-<YEAR>-`, tokens that matched the whole clinic.
 *   Whole and partial codes are answered from the `patient_code` index instead.
 * - `phone` keeps each number with its country code and as its last ten digits, plus every ending
 *   of the last ten digits from nine down to four digits, so four or more digits from the middle
 *   or the end of a number are a prefix query rather than a scan of every patient.
 * - A partial index of live patients by first and last name (case-insensitive) lists the patients
 *   whose first name starts with one or two typed letters in name order, where full-text search
 *   would have to merge and rank the entries of most of the clinic.
 */
const PHONE_FORMS = (column: string) =>
  [`ltrim(${column}, '+')`, ...[10, 9, 8, 7, 6, 5, 4].map((digits) => `substr(${column}, -${digits})`)].join(
    ', ',
  );

const PATIENT_SEARCH_DDL = [
  'DROP TRIGGER patients_fts_insert',
  'DROP TRIGGER patients_fts_update',
  'DROP TRIGGER patients_fts_delete',
  'DROP VIEW patients_search_source',
  `CREATE VIEW patients_search_source AS
     SELECT rowid AS row_id,
            concat_ws(' ', first_name, last_name) AS name,
            substr(patient_code, length(rtrim(patient_code, replace(patient_code, '-', ''))) + 1) AS code,
            concat_ws(' ', ${PHONE_FORMS('phone')}, ${PHONE_FORMS('alt_phone')}) AS phone,
            id AS patient_id
     FROM patients
     WHERE deleted_at IS NULL`,
  `CREATE TRIGGER patients_fts_insert AFTER INSERT ON patients BEGIN
     INSERT INTO patients_fts (rowid, name, code, phone, patient_id)
       SELECT row_id, name, code, phone, patient_id FROM patients_search_source WHERE row_id = new.rowid;
   END`,
  `CREATE TRIGGER patients_fts_update
     AFTER UPDATE OF first_name, last_name, patient_code, phone, alt_phone, deleted_at ON patients BEGIN
     DELETE FROM patients_fts WHERE rowid = old.rowid;
     INSERT INTO patients_fts (rowid, name, code, phone, patient_id)
       SELECT row_id, name, code, phone, patient_id FROM patients_search_source WHERE row_id = new.rowid;
   END`,
  `CREATE TRIGGER patients_fts_delete AFTER DELETE ON patients BEGIN
     DELETE FROM patients_fts WHERE rowid = old.rowid;
   END`,
  // One or two letters match a large share of the clinic: those list first names in order instead.
  `CREATE INDEX patients_first_name_search_idx
     ON patients (first_name COLLATE NOCASE, last_name COLLATE NOCASE) WHERE deleted_at IS NULL`,
  "INSERT INTO patients_fts (patients_fts) VALUES ('delete-all')",
  `INSERT INTO patients_fts (rowid, name, code, phone, patient_id)
     SELECT row_id, name, code, phone, patient_id FROM patients_search_source`,
];

export const patientSearchIndex: Migration = {
  name: '20261202090000-patient-search-index',
  async up(db: UntypedKysely) {
    for (const statement of PATIENT_SEARCH_DDL) await sql.raw(statement).execute(db);
  },
};
