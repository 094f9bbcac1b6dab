/**
 * The registry of records that devices create and edit offline and sync through push and pull.
 * The server, the local store and the sync engine iterate over it instead of keeping their own
 * lists. Keys are entity names (used on the wire); `table` is the table name on both PostgreSQL and
 * SQLite, whose columns are the snake_case of the schema's fields (see `case.ts`).
 *
 * Order matters: a record comes after every record it references, so applying a snapshot in this
 * order never meets a missing parent. Clinics, users, doctor profiles and devices are not here:
 * they change online only, through REST, and reach devices through pull.
 */
import { z } from 'zod';
import { Admission, AdmissionInput, AdmissionPatch } from './admission.schema';
import { Appointment, AppointmentInput, AppointmentPatch } from './appointment.schema';
import { toSnakeCase } from './case';
import { ConsultationNote, ConsultationNoteInput, ConsultationNotePatch } from './consultation-note.schema';
import { Diagnosis, DiagnosisInput, DiagnosisPatch } from './diagnosis.schema';
import { DischargeSummary, DischargeSummaryInput, DischargeSummaryPatch } from './discharge-summary.schema';
import { PatientDocument, PatientDocumentInput, PatientDocumentPatch } from './document.schema';
import { FollowUp, FollowUpInput, FollowUpPatch } from './follow-up.schema';
import { LabOrder, LabOrderInput, LabOrderPatch } from './lab-order.schema';
import { LabResult, LabResultInput, LabResultPatch } from './lab-result.schema';
import { LabTest, LabTestInput, LabTestPatch } from './lab-test.schema';
import { Medicine, MedicineInput, MedicinePatch } from './medicine.schema';
import { Patient, PatientInput, PatientPatch } from './patient.schema';
import { Pharmacy, PharmacyInput, PharmacyPatch } from './pharmacy.schema';
import {
  Prescription,
  PrescriptionInput,
  PrescriptionItem,
  PrescriptionItemInput,
  PrescriptionItemPatch,
  PrescriptionPatch,
} from './prescription.schema';
import {
  PrescriptionTemplate,
  PrescriptionTemplateInput,
  PrescriptionTemplatePatch,
} from './prescription-template.schema';
import { TreatmentLog, TreatmentLogInput, TreatmentLogPatch } from './treatment-log.schema';
import { Visit, VisitInput, VisitPatch } from './visit.schema';
import { Vitals, VitalsInput, VitalsPatch } from './vitals.schema';

/** Names of the synced entities, parents before children. */
export const SyncedEntityName = z.enum([
  'patient',
  'medicine',
  'labTest',
  'pharmacy',
  'appointment',
  'visit',
  'vitals',
  'consultationNote',
  'diagnosis',
  'prescription',
  'prescriptionItem',
  'labOrder',
  'labResult',
  'prescriptionTemplate',
  'admission',
  'treatmentLog',
  'dischargeSummary',
  'followUp',
  'document',
]);
export type SyncedEntityName = z.infer<typeof SyncedEntityName>;

/** What the registry knows about one synced entity. */
export interface SyncedEntityDefinition {
  /** Table name (snake_case plural), the same on the server and the device. */
  readonly table: string;
  /** The full record: sync columns + fields. */
  readonly schema: z.ZodObject;
  /** The strict create input: `id` + fields. */
  readonly input: z.ZodObject;
  /** The strict partial update: any subset of the fields. */
  readonly patch: z.ZodObject;
}

/** Every synced entity by name, parents before children. */
export const syncedEntities = {
  patient: { table: 'patients', schema: Patient, input: PatientInput, patch: PatientPatch },
  medicine: { table: 'medicines', schema: Medicine, input: MedicineInput, patch: MedicinePatch },
  labTest: { table: 'lab_tests', schema: LabTest, input: LabTestInput, patch: LabTestPatch },
  pharmacy: { table: 'pharmacies', schema: Pharmacy, input: PharmacyInput, patch: PharmacyPatch },
  appointment: {
    table: 'appointments',
    schema: Appointment,
    input: AppointmentInput,
    patch: AppointmentPatch,
  },
  visit: { table: 'visits', schema: Visit, input: VisitInput, patch: VisitPatch },
  vitals: { table: 'vitals', schema: Vitals, input: VitalsInput, patch: VitalsPatch },
  consultationNote: {
    table: 'consultation_notes',
    schema: ConsultationNote,
    input: ConsultationNoteInput,
    patch: ConsultationNotePatch,
  },
  diagnosis: { table: 'diagnoses', schema: Diagnosis, input: DiagnosisInput, patch: DiagnosisPatch },
  prescription: {
    table: 'prescriptions',
    schema: Prescription,
    input: PrescriptionInput,
    patch: PrescriptionPatch,
  },
  prescriptionItem: {
    table: 'prescription_items',
    schema: PrescriptionItem,
    input: PrescriptionItemInput,
    patch: PrescriptionItemPatch,
  },
  labOrder: { table: 'lab_orders', schema: LabOrder, input: LabOrderInput, patch: LabOrderPatch },
  labResult: { table: 'lab_results', schema: LabResult, input: LabResultInput, patch: LabResultPatch },
  prescriptionTemplate: {
    table: 'prescription_templates',
    schema: PrescriptionTemplate,
    input: PrescriptionTemplateInput,
    patch: PrescriptionTemplatePatch,
  },
  admission: { table: 'admissions', schema: Admission, input: AdmissionInput, patch: AdmissionPatch },
  treatmentLog: {
    table: 'treatment_logs',
    schema: TreatmentLog,
    input: TreatmentLogInput,
    patch: TreatmentLogPatch,
  },
  dischargeSummary: {
    table: 'discharge_summaries',
    schema: DischargeSummary,
    input: DischargeSummaryInput,
    patch: DischargeSummaryPatch,
  },
  followUp: { table: 'follow_ups', schema: FollowUp, input: FollowUpInput, patch: FollowUpPatch },
  document: {
    table: 'documents',
    schema: PatientDocument,
    input: PatientDocumentInput,
    patch: PatientDocumentPatch,
  },
} as const satisfies Record<SyncedEntityName, SyncedEntityDefinition>;

/** The table name of each synced entity. */
export type SyncedTable = (typeof syncedEntities)[SyncedEntityName]['table'];

/** The record type of a synced entity, e.g. `SyncedRecord<'patient'>` is `Patient`. */
export type SyncedRecord<N extends SyncedEntityName> = z.infer<(typeof syncedEntities)[N]['schema']>;

/** Entity names in dependency order (parents first); reverse it to delete children first. */
export const syncedEntityNames: readonly SyncedEntityName[] = SyncedEntityName.options;

/** The entity stored in `table`, or null if no synced entity uses it. */
export function syncedEntityForTable(table: string): SyncedEntityName | null {
  return syncedEntityNames.find((name) => syncedEntities[name].table === table) ?? null;
}

/** The snake_case column names of a synced entity's table, in schema order. */
export function syncedColumns(name: SyncedEntityName): string[] {
  return Object.keys(syncedEntities[name].schema.shape).map(toSnakeCase);
}
