import { normalizePhone, type Patient } from '@clinicdesk/domain';
import { asEntityRecord } from './record-table';
import { decodeRow } from './row-codec';
import type { StoreContext } from './store-context';

/** Patient lookups reception needs besides search. Deleted patients are never returned. */
export interface PatientRepository {
  /** The patient with `id`, or null. */
  byId(id: string): Patient | null;
  /** The patient with this exact code (any letter case), or null. */
  byCode(code: string): Patient | null;
  /** Patients whose phone or alternate phone is this number, typed in any common form (duplicate check). */
  byPhone(phone: string): Patient[];
}

/** Creates the patient repository of an open store. */
export function createPatientRepository(ctx: StoreContext): PatientRepository {
  const columns = ctx.synced('patient').spec.columns;
  const toPatient = (row: Record<string, unknown>) => asEntityRecord('patient', decodeRow(columns, row));
  return {
    byId(id) {
      const record = ctx.synced('patient').findLive(id);
      return record === null ? null : asEntityRecord('patient', record);
    },
    byCode(code) {
      const row = ctx
        .statement('SELECT * FROM patients WHERE patient_code = ? AND deleted_at IS NULL ORDER BY id LIMIT 1')
        .get(code.trim().toUpperCase());
      return row === undefined ? null : toPatient(row);
    },
    byPhone(phone) {
      const normalized = normalizePhone(phone);
      if (normalized === null) return [];
      return ctx
        .statement(
          `SELECT * FROM patients WHERE (phone = ? OR alt_phone = ?) AND deleted_at IS NULL
           ORDER BY created_at, id`,
        )
        .all(normalized, normalized)
        .map(toPatient);
    },
  };
}
