import { type Patient, patientFullName, type Visit } from '@clinicdesk/domain';
import { quoteIdent } from './local-tables';
import { asEntityRecord } from './record-table';
import { decodeRow } from './row-codec';
import type { StoreContext } from './store-context';

/** The patient details a queue or appointment list shows beside each row. */
export interface PatientSummary {
  readonly id: string;
  readonly fullName: string;
  readonly patientCode: string | null;
  readonly phone: string | null;
  readonly sex: Patient['sex'] | null;
  readonly dateOfBirth: string | null;
  readonly ageYears: number | null;
}

/** A visit in a doctor's queue, with its patient. */
export interface QueueEntry {
  readonly visit: Visit;
  /** Null only when the patient row has not arrived yet (pulled out of order). */
  readonly patient: PatientSummary | null;
}

/** Visit lookups for the doctor's queue and the patient's chart. Deleted visits are never returned. */
export interface VisitRepository {
  /** The visit with `id`, or null. */
  byId(id: string): Visit | null;
  /** A doctor's queue for one clinic day, by token (visits without a token last, by check-in time). */
  queueOfDoctor(doctorId: string, date: string): QueueEntry[];
  /** A patient's visits, newest first. */
  historyOfPatient(patientId: string, options?: { limit?: number }): Visit[];
}

/** SQL selecting the patient summary columns of `p` with a `p__` prefix (no record column has one). */
export const PATIENT_SUMMARY_COLUMNS = [
  'id',
  'first_name',
  'last_name',
  'patient_code',
  'phone',
  'sex',
  'date_of_birth',
  'age_years',
]
  .map((column) => `p.${quoteIdent(column)} AS ${quoteIdent(`p__${column}`)}`)
  .join(', ');

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** Reads the `p__`-prefixed summary columns of a joined row; null when no patient joined. */
export function patientSummaryOf(row: Readonly<Record<string, unknown>>): PatientSummary | null {
  const id = text(row.p__id);
  const firstName = text(row.p__first_name);
  if (id === null || firstName === null) return null;
  const sex = row.p__sex;
  return {
    id,
    fullName: patientFullName({ firstName, lastName: text(row.p__last_name) }),
    patientCode: text(row.p__patient_code),
    phone: text(row.p__phone),
    sex: sex === 'male' || sex === 'female' || sex === 'other' ? sex : null,
    dateOfBirth: text(row.p__date_of_birth),
    ageYears: typeof row.p__age_years === 'number' ? row.p__age_years : null,
  };
}

/** Creates the visit repository of an open store. */
export function createVisitRepository(ctx: StoreContext): VisitRepository {
  const columns = ctx.synced('visit').spec.columns;
  const toVisit = (row: Record<string, unknown>) => asEntityRecord('visit', decodeRow(columns, row));
  return {
    byId(id) {
      const record = ctx.synced('visit').findLive(id);
      return record === null ? null : asEntityRecord('visit', record);
    },
    queueOfDoctor(doctorId, date) {
      return ctx
        .statement(
          `SELECT v.*, ${PATIENT_SUMMARY_COLUMNS}
           FROM visits v LEFT JOIN patients p ON p.id = v.patient_id AND p.deleted_at IS NULL
           WHERE v.doctor_id = ? AND v.visit_date = ? AND v.deleted_at IS NULL
           ORDER BY v.token_number IS NULL, v.token_number, v.checked_in_at, v.id`,
        )
        .all(doctorId, date)
        .map((row) => ({ visit: toVisit(row), patient: patientSummaryOf(row) }));
    },
    historyOfPatient(patientId, options = {}) {
      const limit = Math.max(1, Math.min(1000, Math.floor(options.limit ?? 100)));
      return ctx
        .statement(
          `SELECT * FROM visits WHERE patient_id = ? AND deleted_at IS NULL
           ORDER BY visit_date DESC, checked_in_at DESC, id DESC LIMIT ?`,
        )
        .all(patientId, limit)
        .map(toVisit);
    },
  };
}
