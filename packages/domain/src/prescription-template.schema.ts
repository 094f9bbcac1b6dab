/**
 * A doctor's prescription template: typing its keyword in the prescription writer loads its
 * medicine lines, tests and advice; a finished prescription can be saved as one.
 */
import { z } from 'zod';
import { optionalText, requiredText, Uuid } from './common.schema';
import { PrescriptionLine } from './prescription.schema';
import { entityInput, entityPatch, entitySchema } from './sync-columns.schema';

const prescriptionTemplateFields = {
  doctorId: Uuid,
  keyword: z
    .string()
    .trim()
    .regex(/^[\p{L}\p{N}][\p{L}\p{M}\p{N}_-]{0,39}$/u, 'Keyword is one word of up to 40 letters or digits'),
  name: requiredText(200),
  items: z.array(PrescriptionLine).max(50).default([]),
  tests: z.array(requiredText(200)).max(50).default([]),
  advice: optionalText(4000),
};

/** A prescription template. */
export const PrescriptionTemplate = entitySchema(prescriptionTemplateFields);
export type PrescriptionTemplate = z.infer<typeof PrescriptionTemplate>;

/** Saving a new template. */
export const PrescriptionTemplateInput = entityInput(prescriptionTemplateFields);
export type PrescriptionTemplateInput = z.input<typeof PrescriptionTemplateInput>;

/** Editing a template. */
export const PrescriptionTemplatePatch = entityPatch(prescriptionTemplateFields);
export type PrescriptionTemplatePatch = z.infer<typeof PrescriptionTemplatePatch>;
