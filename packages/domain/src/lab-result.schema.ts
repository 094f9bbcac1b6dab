/**
 * One measured parameter of a lab order (a CBC has many). `value` is what the lab wrote;
 * `numericValue` is that value as a number when it is one, kept for charts and flags. The
 * reference range is copied as printed, so a later catalogue edit never changes an old report.
 * Immutable once final; corrected by a new result with `amendsId`.
 */
import { z } from 'zod';
import { IsoDateTime, optionalText, orNull, requiredText, Uuid } from './common.schema';
import { DraftStatus, finalizedAtMatchesStatus, finalizedAtMessage } from './finalization';
import { entityInput, entityPatch, entitySchema } from './sync-columns.schema';

/** How a result compares with its reference range. */
export const LabFlag = z.enum(['low', 'normal', 'high', 'critical_low', 'critical_high', 'abnormal', 'none']);
export type LabFlag = z.infer<typeof LabFlag>;

const labResultFields = {
  labOrderId: Uuid,
  patientId: Uuid,
  position: z.number().int().min(0).default(0),
  parameter: requiredText(200),
  value: z.string().trim().max(2000),
  numericValue: orNull(z.number()),
  unit: optionalText(50),
  referenceRange: optionalText(200),
  flag: LabFlag.default('none'),
  enteredBy: Uuid,
  status: DraftStatus.default('draft'),
  finalizedAt: orNull(IsoDateTime),
  amendsId: orNull(Uuid),
};

/** A lab result. */
export const LabResult = entitySchema(labResultFields).refine(finalizedAtMatchesStatus, finalizedAtMessage);
export type LabResult = z.infer<typeof LabResult>;

/** Entering a lab result. */
export const LabResultInput = entityInput(labResultFields).refine(
  finalizedAtMatchesStatus,
  finalizedAtMessage,
);
export type LabResultInput = z.input<typeof LabResultInput>;

/** Editing a draft lab result. */
export const LabResultPatch = entityPatch(labResultFields);
export type LabResultPatch = z.infer<typeof LabResultPatch>;
