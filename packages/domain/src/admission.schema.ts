/**
 * An in-patient admission: where the patient lies, why, and until when. Status follows
 * `admissionTransitions`; `dischargedAt` records when the patient left (discharged, shifted or
 * deceased).
 */
import { z } from 'zod';
import { IsoDateTime, optionalText, orNull, Uuid } from './common.schema';
import { entityInput, entityPatch, entitySchema } from './sync-columns.schema';
import { AdmissionStatus } from './workflow-status';

/** Kind of admission. */
export const AdmissionType = z.enum(['general', 'icu', 'emergency', 'day_care', 'isolation']);
export type AdmissionType = z.infer<typeof AdmissionType>;

const admissionFields = {
  patientId: Uuid,
  doctorId: Uuid,
  visitId: orNull(Uuid),
  type: AdmissionType.default('general'),
  ward: optionalText(100),
  room: optionalText(50),
  bed: optionalText(50),
  reason: optionalText(2000),
  history: optionalText(4000),
  allergies: optionalText(1000),
  status: AdmissionStatus.default('admitted'),
  admittedAt: IsoDateTime,
  dischargedAt: orNull(IsoDateTime),
};

function leftAfterAdmission(admission: { admittedAt: string; dischargedAt: string | null }): boolean {
  return (
    admission.dischargedAt === null || Date.parse(admission.dischargedAt) >= Date.parse(admission.admittedAt)
  );
}
const dischargeOrder = { message: 'dischargedAt cannot be before admittedAt', path: ['dischargedAt'] };

/** An admission. */
export const Admission = entitySchema(admissionFields).refine(leftAfterAdmission, dischargeOrder);
export type Admission = z.infer<typeof Admission>;

/** Admitting a patient. */
export const AdmissionInput = entityInput(admissionFields).refine(leftAfterAdmission, dischargeOrder);
export type AdmissionInput = z.input<typeof AdmissionInput>;

/** Editing an admission (status changes must follow `admissionTransitions`). */
export const AdmissionPatch = entityPatch(admissionFields);
export type AdmissionPatch = z.infer<typeof AdmissionPatch>;
