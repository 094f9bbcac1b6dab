/**
 * The clinic's test catalogue, with reference ranges. A test has several ranges when normal values
 * depend on sex or age; `referenceRangeFor` picks the one that fits a patient. Ages are in years,
 * `ageMinYears` inclusive and `ageMaxYears` exclusive, so `0–12` and `12–18` do not overlap.
 */
import { z } from 'zod';
import { optionalText, orNull, requiredText } from './common.schema';
import { entityInput, entityPatch, entitySchema } from './sync-columns.schema';

/** Kind of investigation. */
export const LabCategory = z.enum(['blood', 'urine', 'xray', 'ultrasound', 'ecg', 'ct', 'mri', 'other']);
export type LabCategory = z.infer<typeof LabCategory>;

function ordered(...values: (number | undefined)[]): boolean {
  const present = values.filter((value) => value !== undefined);
  return present.every((value, i) => i === 0 || (present[i - 1] ?? value) <= value);
}

/** One reference range of a test, optionally for one sex and an age band. */
export const ReferenceRange = z
  .object({
    sex: z.enum(['male', 'female', 'any']).optional(),
    ageMinYears: z.number().min(0).max(150).optional(),
    ageMaxYears: z.number().min(0).max(200).optional(),
    low: z.number().optional(),
    high: z.number().optional(),
    criticalLow: z.number().optional(),
    criticalHigh: z.number().optional(),
    text: z.string().trim().max(200).optional(),
  })
  .strict()
  .refine((r) => ordered(r.criticalLow, r.low, r.high, r.criticalHigh), {
    message: 'Limits must run criticalLow ≤ low ≤ high ≤ criticalHigh',
    path: ['low'],
  })
  .refine(
    (r) => r.ageMinYears === undefined || r.ageMaxYears === undefined || r.ageMinYears < r.ageMaxYears,
    {
      message: 'ageMinYears must be below ageMaxYears',
      path: ['ageMaxYears'],
    },
  );
export type ReferenceRange = z.infer<typeof ReferenceRange>;

const labTestFields = {
  name: requiredText(200),
  code: optionalText(50),
  category: LabCategory,
  unit: optionalText(50),
  referenceRanges: z.array(ReferenceRange).max(50).default([]),
  /** Price in the clinic's currency, two decimals; null when the clinic does not bill tests. */
  price: orNull(z.number().min(0).max(10_000_000).multipleOf(0.01)),
  isActive: z.boolean().default(true),
};

/** A catalogue test. */
export const LabTest = entitySchema(labTestFields);
export type LabTest = z.infer<typeof LabTest>;

/** Adding a catalogue test. */
export const LabTestInput = entityInput(labTestFields);
export type LabTestInput = z.input<typeof LabTestInput>;

/** Editing a catalogue test. */
export const LabTestPatch = entityPatch(labTestFields);
export type LabTestPatch = z.infer<typeof LabTestPatch>;
