/*
 * Patient search for reception: by name (prefix, any word order), phone digits or patient code.
 *
 * Invariants:
 * - `patients_fts` (FTS5, created by the local-records migration) is kept in step with `patients`
 *   by triggers (pull pages index their patients in one statement); results are joined back to
 *   `patients` by id, so they are always live rows.
 * - User input never reaches FTS5 syntax: the query is cut into letter/digit runs, each becomes a
 *   quoted prefix term (`"ravi"*`), so quotes, brackets, `AND`/`NEAR`, `*` or `:` typed by a user
 *   can neither fail nor change the query.
 * - Ranking: an exact patient code, then an exact phone number, then phone numbers containing the
 *   typed digits (any 4+ consecutive digits, a scan of the phone columns), then full-text matches
 *   by bm25 (names weigh most, then code, then phone).
 * - The FTS rowid is the patients rowid, which a plain VACUUM may renumber: run
 *   `rebuildPatientSearchIndex` after one (the store itself never vacuums).
 */
import { normalizePhone, type Patient, parsePatientCode } from '@clinicdesk/domain';
import { asEntityRecord } from './record-table';
import { decodeRow } from './row-codec';
import type { StoreContext } from './store-context';

/** How a patient matched a search. */
export type PatientMatch = 'code' | 'phone' | 'text';

/** One search result. */
export interface PatientSearchResult {
  readonly patient: Patient;
  readonly match: PatientMatch;
}

export interface PatientSearchOptions {
  /** Most results to return (1–200, default 20). */
  readonly limit?: number;
}

const MAX_TERMS = 8;
const MIN_PHONE_DIGITS = 4;
const MAX_TERM_LENGTH = 64;
const PHONE_LIKE = /^[\d\s()+.-]+$/u;
// Letters, digits and combining marks (Devanagari vowel signs are marks): FTS5's unicode61
// tokenizer keeps all of these inside tokens.
const TOKEN = /[\p{L}\p{N}\p{M}]+/gu;

/** The FTS5 MATCH expression for a user's query, or null when it has nothing to search for. */
export function patientMatchExpression(query: string): string | null {
  const normalized = query.normalize('NFKC').toLowerCase().trim();
  if (normalized === '') return null;
  // "+91 98765-43210" means one number, not three words.
  const terms = PHONE_LIKE.test(normalized)
    ? [normalized.replace(/\D/g, '')].filter((digits) => digits !== '')
    : (normalized.match(TOKEN) ?? []);
  if (terms.length === 0) return null;
  return terms
    .slice(0, MAX_TERMS)
    .map((term) => `"${term.slice(0, MAX_TERM_LENGTH).replace(/"/g, '""')}"*`)
    .join(' ');
}

function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return 20;
  return Math.min(200, Math.max(1, Math.floor(limit)));
}

/** Searches live patients; see the header for matching and ranking. */
export function searchPatients(
  ctx: StoreContext,
  query: string,
  options: PatientSearchOptions = {},
): PatientSearchResult[] {
  const limit = clampLimit(options.limit);
  const columns = ctx.synced('patient').spec.columns;
  const results: PatientSearchResult[] = [];
  const seen = new Set<string>();
  const add = (rows: Record<string, unknown>[], match: PatientMatch) => {
    for (const row of rows) {
      const id = String(row.id);
      if (seen.has(id) || results.length >= limit) continue;
      seen.add(id);
      results.push({ patient: asEntityRecord('patient', decodeRow(columns, row)), match });
    }
  };

  const code = parsePatientCode(query);
  if (code !== null) {
    add(
      ctx
        .statement('SELECT * FROM patients WHERE patient_code = ? AND deleted_at IS NULL ORDER BY id LIMIT ?')
        .all(query.trim().toUpperCase(), limit),
      'code',
    );
  }
  const phone = normalizePhone(query);
  if (phone !== null) {
    add(
      ctx
        .statement(
          `SELECT * FROM patients WHERE (phone = ? OR alt_phone = ?) AND deleted_at IS NULL
           ORDER BY first_name, last_name LIMIT ?`,
        )
        .all(phone, phone, limit),
      'phone',
    );
  }
  const normalized = query.normalize('NFKC').trim();
  const digits = PHONE_LIKE.test(normalized) ? normalized.replace(/\D/g, '') : '';
  if (digits.length >= MIN_PHONE_DIGITS && results.length < limit) {
    const pattern = `%${digits}%`;
    add(
      ctx
        .statement(
          `SELECT * FROM patients WHERE (phone LIKE ? OR alt_phone LIKE ?) AND deleted_at IS NULL
           ORDER BY first_name, last_name LIMIT ?`,
        )
        .all(pattern, pattern, limit + seen.size),
      'phone',
    );
  }
  const expression = patientMatchExpression(query);
  if (expression !== null && results.length < limit) {
    add(
      ctx
        .statement(
          `SELECT p.* FROM patients_fts f JOIN patients p ON p.id = f.patient_id
           WHERE patients_fts MATCH ? AND p.deleted_at IS NULL
           ORDER BY bm25(patients_fts, 10.0, 5.0, 1.0), p.first_name LIMIT ?`,
        )
        .all(expression, limit + seen.size),
      'text',
    );
  }
  return results;
}

/** Rebuilds the search index from the patients table (after a VACUUM, or to repair it). */
export function rebuildPatientSearchIndex(ctx: StoreContext): void {
  ctx.sqlite
    .transaction(() => {
      ctx.statement("INSERT INTO patients_fts (patients_fts) VALUES ('delete-all')").run();
      ctx
        .statement(
          `INSERT INTO patients_fts (rowid, name, code, phone, patient_id)
           SELECT row_id, name, code, phone, patient_id FROM patients_search_source`,
        )
        .run();
    })
    .immediate();
}
