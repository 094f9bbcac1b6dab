/** One entry of an admitted patient's treatment log: what was given, how, when and by whom. */
import { z } from 'zod';
import { IsoDateTime, optionalText, requiredText, Uuid } from './common.schema';
import { entityInput, entityPatch, entitySchema } from './sync-columns.schema';

/** Kind of treatment given. */
export const TreatmentKind = z.enum([
  'medication',
  'injection',
  'saline',
  'oxygen',
  'procedure',
  'monitoring',
  'therapy',
]);
export type TreatmentKind = z.infer<typeof TreatmentKind>;

const treatmentLogFields = {
  admissionId: Uuid,
  patientId: Uuid,
  kind: TreatmentKind,
  description: requiredText(1000),
  dosage: optionalText(100),
  /** Route of administration, e.g. oral, IV, IM, SC, inhaled. */
  route: optionalText(50),
  quantity: optionalText(100),
  /** Flow rate for saline or oxygen, e.g. `100 ml/h`, `2 L/min`. */
  flowRate: optionalText(100),
  givenAt: IsoDateTime,
  givenBy: Uuid,
  notes: optionalText(2000),
};

/** A treatment log entry. */
export const TreatmentLog = entitySchema(treatmentLogFields);
export type TreatmentLog = z.infer<typeof TreatmentLog>;

/** Logging a treatment. */
export const TreatmentLogInput = entityInput(treatmentLogFields);
export type TreatmentLogInput = z.input<typeof TreatmentLogInput>;

/** Correcting a treatment log entry. */
export const TreatmentLogPatch = entityPatch(treatmentLogFields);
export type TreatmentLogPatch = z.infer<typeof TreatmentLogPatch>;
