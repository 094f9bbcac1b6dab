/** A scheduled follow-up: the patient should come back to a doctor by `dueDate`. */
import type { z } from 'zod';
import { IsoDate, optionalText, orNull, Uuid } from './common.schema';
import { entityInput, entityPatch, entitySchema } from './sync-columns.schema';
import { FollowUpStatus } from './workflow-status';

const followUpFields = {
  patientId: Uuid,
  doctorId: Uuid,
  visitId: orNull(Uuid),
  dueDate: IsoDate,
  reason: optionalText(1000),
  status: FollowUpStatus.default('pending'),
};

/** A follow-up. */
export const FollowUp = entitySchema(followUpFields);
export type FollowUp = z.infer<typeof FollowUp>;

/** Scheduling a follow-up. */
export const FollowUpInput = entityInput(followUpFields);
export type FollowUpInput = z.input<typeof FollowUpInput>;

/** Editing a follow-up (status changes must follow `followUpTransitions`). */
export const FollowUpPatch = entityPatch(followUpFields);
export type FollowUpPatch = z.infer<typeof FollowUpPatch>;
