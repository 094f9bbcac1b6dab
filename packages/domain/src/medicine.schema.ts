/**
 * The clinic's medicine catalogue. Its defaults (pattern, food instruction, days) pre-fill a
 * prescription line when the doctor picks the medicine. Catalogue edits take the later write.
 */
import { z } from 'zod';
import { optionalText, orNull, requiredText } from './common.schema';
import { DosePattern, FoodInstruction } from './dose-pattern';
import { entityInput, entityPatch, entitySchema } from './sync-columns.schema';

/** Form of a medicine. */
export const MedicineType = z.enum([
  'tablet',
  'capsule',
  'syrup',
  'injection',
  'ointment',
  'drops',
  'soap',
  'lotion',
  'powder',
  'inhaler',
  'other',
]);
export type MedicineType = z.infer<typeof MedicineType>;

const medicineFields = {
  name: requiredText(200),
  genericName: optionalText(200),
  type: MedicineType,
  strength: optionalText(100),
  defaultDosePattern: orNull(DosePattern),
  defaultFoodInstruction: orNull(FoodInstruction),
  defaultDays: orNull(z.number().int().min(0).max(365)),
  isActive: z.boolean().default(true),
};

/** A catalogue medicine. */
export const Medicine = entitySchema(medicineFields);
export type Medicine = z.infer<typeof Medicine>;

/** Adding a catalogue medicine. */
export const MedicineInput = entityInput(medicineFields);
export type MedicineInput = z.input<typeof MedicineInput>;

/** Editing a catalogue medicine. */
export const MedicinePatch = entityPatch(medicineFields);
export type MedicinePatch = z.infer<typeof MedicinePatch>;
