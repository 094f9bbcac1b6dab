/**
 * A visit: one patient's entry in one doctor's queue on one clinic day, from check-in to done.
 * `visitDate` is the clinic's local date; `tokenNumber` is unique per doctor and day (null only
 * when no token could be given, e.g. an offline device without a leased block).
 */
import type { z } from 'zod';
import { IsoDate, IsoDateTime, optionalText, orNull, Uuid } from './common.schema';
import { TokenNumber } from './queue-token';
import { entityInput, entityPatch, entitySchema } from './sync-columns.schema';
import { VisitStatus } from './workflow-status';

const visitFields = {
  patientId: Uuid,
  doctorId: Uuid,
  visitDate: IsoDate,
  tokenNumber: orNull(TokenNumber),
  purpose: optionalText(500),
  status: VisitStatus.default('waiting'),
  checkedInAt: IsoDateTime,
  startedAt: orNull(IsoDateTime),
  completedAt: orNull(IsoDateTime),
  appointmentId: orNull(Uuid),
  notes: optionalText(2000),
};

/** A visit (queue entry). */
export const Visit = entitySchema(visitFields);
export type Visit = z.infer<typeof Visit>;

/** Checking a patient in. */
export const VisitInput = entityInput(visitFields);
export type VisitInput = z.input<typeof VisitInput>;

/** Editing a visit (status changes must follow `visitTransitions`). */
export const VisitPatch = entityPatch(visitFields);
export type VisitPatch = z.infer<typeof VisitPatch>;
