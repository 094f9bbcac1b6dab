/**
 * A diagnosis made during a visit: free-text description with an optional ICD-10 code. A visit
 * may have several; at most one is meant to be primary (the screen enforces it, the record only
 * carries the flag).
 */
import { z } from 'zod';
import { orNull, requiredText, Uuid } from './common.schema';
import { entityInput, entityPatch, entitySchema } from './sync-columns.schema';

const ICD10_PATTERN = /^[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?$/;

/** An ICD-10 code such as `E11.9` or `J45` (WHO and ICD-10-CM shapes; uppercase). */
export const Icd10Code = z.string().regex(ICD10_PATTERN, 'ICD-10 code looks like E11 or E11.9');
export type Icd10Code = z.infer<typeof Icd10Code>;

/** True when `value` has the shape of an ICD-10 code (after trimming and uppercasing). */
export function isIcd10Code(value: string): boolean {
  return ICD10_PATTERN.test(value.trim().toUpperCase());
}

const diagnosisFields = {
  visitId: Uuid,
  patientId: Uuid,
  description: requiredText(500),
  icd10Code: orNull(Icd10Code),
  isPrimary: z.boolean().default(false),
};

/** A diagnosis. */
export const Diagnosis = entitySchema(diagnosisFields);
export type Diagnosis = z.infer<typeof Diagnosis>;

/** Recording a diagnosis. */
export const DiagnosisInput = entityInput(diagnosisFields);
export type DiagnosisInput = z.input<typeof DiagnosisInput>;

/** Editing a diagnosis. */
export const DiagnosisPatch = entityPatch(diagnosisFields);
export type DiagnosisPatch = z.infer<typeof DiagnosisPatch>;
