/**
 * A prescription written during a visit, and its medicine lines. Immutable once final; a
 * correction is a new prescription with `amendsId` set. Lines are separate records (so two desks
 * can never lose each other's lines) ordered by `position`.
 */
import { z } from 'zod';
import { IsoDate, IsoDateTime, optionalText, orNull, requiredText, Uuid } from './common.schema';
import { DosePattern, FoodInstruction } from './dose-pattern';
import { finalizedAtMatchesStatus, finalizedAtMessage } from './finalization';
import { MedicineType } from './medicine.schema';
import { entityInput, entityPatch, entitySchema } from './sync-columns.schema';

/** Status of a prescription. */
export const PrescriptionStatus = z.enum(['draft', 'final', 'cancelled']);
export type PrescriptionStatus = z.infer<typeof PrescriptionStatus>;

const prescriptionFields = {
  visitId: Uuid,
  patientId: Uuid,
  doctorId: Uuid,
  status: PrescriptionStatus.default('draft'),
  admissionRecommended: z.boolean().default(false),
  admissionReason: optionalText(1000),
  followUpDate: orNull(IsoDate),
  advice: optionalText(4000),
  finalizedAt: orNull(IsoDateTime),
  amendsId: orNull(Uuid),
};

/** A prescription. */
export const Prescription = entitySchema(prescriptionFields).refine(
  finalizedAtMatchesStatus,
  finalizedAtMessage,
);
export type Prescription = z.infer<typeof Prescription>;

/** Writing a prescription. */
export const PrescriptionInput = entityInput(prescriptionFields).refine(
  finalizedAtMatchesStatus,
  finalizedAtMessage,
);
export type PrescriptionInput = z.input<typeof PrescriptionInput>;

/** Editing a draft prescription. */
export const PrescriptionPatch = entityPatch(prescriptionFields);
export type PrescriptionPatch = z.infer<typeof PrescriptionPatch>;

/** The fields of one medicine line, shared by prescriptions and prescription templates. */
export const prescriptionLineFields = {
  medicineName: requiredText(200),
  medicineType: MedicineType,
  /** Strength of the product, e.g. `500 mg`. */
  strength: optionalText(100),
  /** Amount per administration when not a count of units, e.g. `5 ml`, `2 puffs`. */
  dosage: optionalText(100),
  dosePattern: DosePattern,
  foodInstruction: FoodInstruction.default('after_food'),
  days: orNull(z.number().int().min(0).max(365)),
  /** Units to dispense; null when it cannot be counted (syrups, ointments, SOS). */
  quantity: orNull(z.number().int().min(0).max(10_000)),
  instructions: optionalText(500),
  catalogueMedicineId: orNull(Uuid),
};

/** A medicine line without ids, as stored inside a template. */
export const PrescriptionLine = z.object(prescriptionLineFields).strict();
export type PrescriptionLine = z.infer<typeof PrescriptionLine>;

const prescriptionItemFields = {
  prescriptionId: Uuid,
  position: z.number().int().min(0).default(0),
  ...prescriptionLineFields,
};

/** A medicine line of a prescription. */
export const PrescriptionItem = entitySchema(prescriptionItemFields);
export type PrescriptionItem = z.infer<typeof PrescriptionItem>;

/** Adding a medicine line. */
export const PrescriptionItemInput = entityInput(prescriptionItemFields);
export type PrescriptionItemInput = z.input<typeof PrescriptionItemInput>;

/** Editing a medicine line of a draft prescription. */
export const PrescriptionItemPatch = entityPatch(prescriptionItemFields);
export type PrescriptionItemPatch = z.infer<typeof PrescriptionItemPatch>;
