/** The discharge summary of an admission; immutable once final. */
import type { z } from 'zod';
import { IsoDate, IsoDateTime, optionalText, orNull, Uuid } from './common.schema';
import { DraftStatus, finalizedAtMatchesStatus, finalizedAtMessage } from './finalization';
import { entityInput, entityPatch, entitySchema } from './sync-columns.schema';

const dischargeSummaryFields = {
  admissionId: Uuid,
  patientId: Uuid,
  summary: optionalText(8000),
  dischargeNotes: optionalText(4000),
  /** Condition at discharge, e.g. improved, stable, referred. */
  condition: optionalText(200),
  followUpDate: orNull(IsoDate),
  followUpInstructions: optionalText(2000),
  status: DraftStatus.default('draft'),
  finalizedAt: orNull(IsoDateTime),
};

/** A discharge summary. */
export const DischargeSummary = entitySchema(dischargeSummaryFields).refine(
  finalizedAtMatchesStatus,
  finalizedAtMessage,
);
export type DischargeSummary = z.infer<typeof DischargeSummary>;

/** Writing a discharge summary. */
export const DischargeSummaryInput = entityInput(dischargeSummaryFields).refine(
  finalizedAtMatchesStatus,
  finalizedAtMessage,
);
export type DischargeSummaryInput = z.input<typeof DischargeSummaryInput>;

/** Editing a draft discharge summary. */
export const DischargeSummaryPatch = entityPatch(dischargeSummaryFields);
export type DischargeSummaryPatch = z.infer<typeof DischargeSummaryPatch>;
