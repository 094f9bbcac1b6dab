/*
 * Patient search for reception: by name (prefix, any word order), phone digits or patient code,
 * fast enough to run on every keystroke over 100 000 patients.
 *
 * Invariants:
 * - `patients_fts` (FTS5; what it holds is defined by the patient-search-index migration) indexes
 *   live patients only and is kept in step with `patients` by triggers (pull pages index their
 *   patients in one statement); results are joined back to `patients` by id, so they are always
 *   live rows.
 * - User input never reaches FTS5 syntax: the query is cut into letter/digit runs, each becomes a
 *   quoted term (`"ravi"*`), so quotes, brackets, `AND`/`NEAR`, `*` or `:` typed by a user can
 *   neither fail nor change the query.
 * - Ranking: an exact patient code, then an exact phone number. A query shaped like the start of a
 *   patient code (`PT-…`) then lists codes in code order from the `patient_code` index, and
 *   nothing else. Digits then match a code's number or a phone number's last digits exactly, then
 *   numbers starting with them (the phone indexes), then numbers holding them anywhere (four or
 *   more digits: the index holds each number's endings). Words match in three tiers — every word
 *   whole, then the last word as a prefix, then every word as a prefix.
 * - Full-text tiers order by bm25 (names weigh most, then the code's number, then phone) and, on
 *   equal scores, newest first. Each ranks at most the newest `RANKED_CANDIDATES` patients it
 *   matches, so a letter or two never ranks the whole clinic; every other step is an index range
 *   read up to the limit.
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
const MAX_TERM_LENGTH = 64;
/**
 * Digits from which a term is looked up in the full-text index: the indexed phone endings are four
 * digits or more, and one to three digits would merge the entries of nearly every number.
 */
const MIN_INDEXED_DIGITS = 4;
/**
 * Most matches one full-text tier ranks. A query matching more (a letter or two, a common surname)
 * ranks its newest matches only: bm25 costs a few microseconds a match.
 */
const RANKED_CANDIDATES = 2_000;
/** Letters up to which a single word lists first names in order rather than ranking matches. */
const SHORT_PREFIX = 2;
const PHONE_LIKE = /^[\d\s()+.-]+$/u;
const DIGITS = /^\d+$/u;
const LETTERS = /^[\p{L}\p{M}]+$/u;
const ASTRAL = /[\u{10000}-\u{10FFFF}]/u;
// Letters, digits and combining marks (Devanagari vowel signs are marks): FTS5's unicode61
// tokenizer keeps all of these inside tokens.
const TOKEN = /[\p{L}\p{N}\p{M}]+/gu;
// The start of `PT-<CLINICCODE>-<YEAR>-<NNNN>` (or of a provisional `P…` tag), from `PT` on.
const CODE_PREFIX = /^PT(?:-[A-Z0-9]{0,8}(?:-\d{0,4}(?:-[0-9A-Z]{0,16})?)?)?$/;

/** The search terms of a user's query: letter/digit runs, or one run of digits for a phone number. */
function searchTerms(query: string): string[] {
  const normalized = query.normalize('NFKC').toLowerCase().trim();
  if (normalized === '') return [];
  // "+91 98765-43210" means one number, not three words.
  const terms = PHONE_LIKE.test(normalized)
    ? [normalized.replace(/\D/g, '')].filter((digits) => digits !== '')
    : (normalized.match(TOKEN) ?? []);
  return terms.slice(0, MAX_TERMS).map((term) => term.slice(0, MAX_TERM_LENGTH));
}

const quoted = (term: string) => `"${term.replace(/"/g, '""')}"`;

/** The FTS5 MATCH expression for a user's query, or null when it has nothing to search for. */
export function patientMatchExpression(query: string): string | null {
  const terms = searchTerms(query);
  return terms.length === 0 ? null : terms.map((term) => `${quoted(term)}*`).join(' ');
}

/** The MATCH expressions of the word tiers, best first: whole words, last word a prefix, all prefixes. */
function tierExpressions(terms: readonly string[]): string[] {
  const tier = (prefixFrom: number) =>
    terms.map((term, index) => (index >= prefixFrom ? `${quoted(term)}*` : quoted(term))).join(' ');
  const tiers = [tier(terms.length), tier(terms.length - 1), tier(0)];
  return tiers.filter((expression, index) => tiers.indexOf(expression) === index);
}

/** The first string after every string that starts with `prefix` (its last character outside astral planes). */
function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/** One or two letters (outside astral planes, for `prefixEnd`): too few for full-text ranking. */
function isShortWord(word: string): boolean {
  return word.length <= SHORT_PREFIX && LETTERS.test(word) && !ASTRAL.test(word);
}

function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return 20;
  return Math.min(200, Math.max(1, Math.floor(limit)));
}

// The newest candidates in rowid order (one pass over the matches), then ranked.
const RANKED_SQL = `SELECT p.* FROM (
    SELECT * FROM (
      SELECT rowid AS r, patient_id, bm25(patients_fts, 10.0, 5.0, 1.0) AS score FROM patients_fts
      WHERE patients_fts MATCH ? ORDER BY rowid DESC LIMIT ${RANKED_CANDIDATES})
    ORDER BY score, r DESC LIMIT ?) f
  JOIN patients p ON p.id = f.patient_id
  WHERE p.deleted_at IS NULL
  ORDER BY f.score, f.r DESC`;
const FIRST_NAME_SQL = `SELECT * FROM patients
  WHERE first_name >= ? COLLATE NOCASE AND first_name < ? COLLATE NOCASE AND deleted_at IS NULL
  ORDER BY first_name COLLATE NOCASE, last_name COLLATE NOCASE LIMIT ?`;

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
  /** Runs `sql` (its last parameter is the limit) unless the results are full, adding new rows. */
  const add = (match: PatientMatch, sql: string, ...params: unknown[]) => {
    if (results.length >= limit) return;
    // The rows still wanted plus those already found, which this step may find again.
    for (const row of ctx.statement(sql).all(...params, limit - results.length + seen.size)) {
      const id = String(row.id);
      if (seen.has(id) || results.length >= limit) continue;
      seen.add(id);
      results.push({ patient: asEntityRecord('patient', decodeRow(columns, row)), match });
    }
  };
  const addRanked = (expression: string | undefined) => {
    if (expression !== undefined) add('text', RANKED_SQL, expression);
  };

  const code = query.normalize('NFKC').trim().toUpperCase();
  if (parsePatientCode(code) !== null) {
    add(
      'code',
      'SELECT * FROM patients WHERE patient_code = ? AND deleted_at IS NULL ORDER BY id LIMIT ?',
      code,
    );
  }
  const phone = normalizePhone(query);
  if (phone !== null) {
    add(
      'phone',
      `SELECT * FROM patients WHERE (phone = ? OR alt_phone = ?) AND deleted_at IS NULL
       ORDER BY first_name, last_name LIMIT ?`,
      phone,
      phone,
    );
  }
  if (CODE_PREFIX.test(code)) {
    // Every code of a clinic starts `PT-<CLINIC>-<YEAR>-`: a range of the code index, in code order.
    add(
      'code',
      `SELECT * FROM patients WHERE patient_code >= ? AND patient_code < ? AND deleted_at IS NULL
       ORDER BY patient_code LIMIT ?`,
      code,
      prefixEnd(code),
    );
    return results;
  }

  const terms = searchTerms(query);
  if (terms.length === 0) return results;
  if (terms.every((term) => DIGITS.test(term))) {
    addDigits(terms.join(''));
    return results;
  }
  // Short runs of digits among words would merge nearly every phone entry; they wait for more.
  const words = terms.filter((term) => !DIGITS.test(term) || term.length >= MIN_INDEXED_DIGITS);
  // One or two letters: first names that start with them, in name order, from their index.
  const [word] = words;
  if (words.length === 1 && word !== undefined && isShortWord(word)) {
    add('text', FIRST_NAME_SQL, word, prefixEnd(word));
  }
  for (const expression of tierExpressions(words)) addRanked(expression);
  return results;

  /** A code's number or a phone number's last digits, numbers starting with them, numbers holding them. */
  function addDigits(digits: string): void {
    const [whole, prefix] = digits.length >= MIN_INDEXED_DIGITS ? tierExpressions([digits]) : [];
    addRanked(whole);
    // Numbers are saved in E.164 and, without a country code, as Indian (`normalizePhone`): typed
    // digits are the start of `+<digits>` after a `+`, else of `+91<digits>`. A range of each index.
    const start = code.startsWith('+') ? `+${digits}` : `+91${digits}`;
    for (const column of ['phone', 'alt_phone']) {
      add(
        'phone',
        `SELECT * FROM patients WHERE ${column} >= ? AND ${column} < ? AND deleted_at IS NULL
         ORDER BY ${column} LIMIT ?`,
        start,
        prefixEnd(start),
      );
    }
    addRanked(prefix);
  }
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
