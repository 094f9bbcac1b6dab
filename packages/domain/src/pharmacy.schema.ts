/** A pharmacy associated with the clinic; those marked are printed on the prescription strip. */
import { z } from 'zod';
import { optionalText, orNull, requiredText } from './common.schema';
import { Phone } from './phone';
import { entityInput, entityPatch, entitySchema } from './sync-columns.schema';

const pharmacyFields = {
  name: requiredText(200),
  address: optionalText(500),
  phone: orNull(Phone),
  licenceNumber: optionalText(100),
  printOnPrescription: z.boolean().default(true),
};

/** A pharmacy. */
export const Pharmacy = entitySchema(pharmacyFields);
export type Pharmacy = z.infer<typeof Pharmacy>;

/** Adding a pharmacy. */
export const PharmacyInput = entityInput(pharmacyFields);
export type PharmacyInput = z.input<typeof PharmacyInput>;

/** Editing a pharmacy. */
export const PharmacyPatch = entityPatch(pharmacyFields);
export type PharmacyPatch = z.infer<typeof PharmacyPatch>;
