import type { Appointment } from '@clinicdesk/domain';
import { asEntityRecord } from './record-table';
import { decodeRow } from './row-codec';
import type { StoreContext } from './store-context';
import { PATIENT_SUMMARY_COLUMNS, type PatientSummary, patientSummaryOf } from './visit.repository';

/** An appointment with its patient. */
export interface AppointmentEntry {
  readonly appointment: Appointment;
  /** Null only when the patient row has not arrived yet. */
  readonly patient: PatientSummary | null;
}

/** Appointment lookups for reception's day view. Deleted appointments are never returned. */
export interface AppointmentRepository {
  /** The appointment with `id`, or null. */
  byId(id: string): Appointment | null;
  /** A doctor's appointments on one day, by start time. */
  byDoctorAndDay(doctorId: string, date: string): AppointmentEntry[];
}

/** Creates the appointment repository of an open store. */
export function createAppointmentRepository(ctx: StoreContext): AppointmentRepository {
  const columns = ctx.synced('appointment').spec.columns;
  return {
    byId(id) {
      const record = ctx.synced('appointment').findLive(id);
      return record === null ? null : asEntityRecord('appointment', record);
    },
    byDoctorAndDay(doctorId, date) {
      return ctx
        .statement(
          `SELECT a.*, ${PATIENT_SUMMARY_COLUMNS}
           FROM appointments a LEFT JOIN patients p ON p.id = a.patient_id AND p.deleted_at IS NULL
           WHERE a.doctor_id = ? AND a.date = ? AND a.deleted_at IS NULL
           ORDER BY a.start_time, a.id`,
        )
        .all(doctorId, date)
        .map((row) => ({
          appointment: asEntityRecord('appointment', decodeRow(columns, row)),
          patient: patientSummaryOf(row),
        }));
    },
  };
}
