/**
 * The doctor's note for a visit: complaints, observations, findings, plan and advice. Immutable
 * once final; a later correction is a new note with `amendsId` set.
 */
import type { z } from 'zod';
import { IsoDateTime, optionalText, orNull, Uuid } from './common.schema';
import { DraftStatus, finalizedAtMatchesStatus, finalizedAtMessage } from './finalization';
import { entityInput, entityPatch, entitySchema } from './sync-columns.schema';

const consultationNoteFields = {
  visitId: Uuid,
  patientId: Uuid,
  doctorId: Uuid,
  complaints: optionalText(4000),
  observations: optionalText(4000),
  findings: optionalText(4000),
  treatmentPlan: optionalText(4000),
  advice: optionalText(4000),
  notes: optionalText(8000),
  status: DraftStatus.default('draft'),
  finalizedAt: orNull(IsoDateTime),
  amendsId: orNull(Uuid),
};

/** A consultation note. */
export const ConsultationNote = entitySchema(consultationNoteFields).refine(
  finalizedAtMatchesStatus,
  finalizedAtMessage,
);
export type ConsultationNote = z.infer<typeof ConsultationNote>;

/** Writing a consultation note. */
export const ConsultationNoteInput = entityInput(consultationNoteFields).refine(
  finalizedAtMatchesStatus,
  finalizedAtMessage,
);
export type ConsultationNoteInput = z.input<typeof ConsultationNoteInput>;

/** Editing a draft consultation note. */
export const ConsultationNotePatch = entityPatch(consultationNoteFields);
export type ConsultationNotePatch = z.infer<typeof ConsultationNotePatch>;
