/**
 * A test ordered for a patient, usually from a visit or a prescription; the lab's worklist is the
 * open orders. Status follows `labOrderTransitions`.
 */
import { z } from 'zod';
import { IsoDateTime, optionalText, orNull, requiredText, Uuid } from './common.schema';
import { LabCategory } from './lab-test.schema';
import { entityInput, entityPatch, entitySchema } from './sync-columns.schema';
import { LabOrderStatus } from './workflow-status';

/** How soon the lab should act. */
export const LabPriority = z.enum(['routine', 'urgent', 'stat']);
export type LabPriority = z.infer<typeof LabPriority>;

const labOrderFields = {
  visitId: orNull(Uuid),
  prescriptionId: orNull(Uuid),
  patientId: Uuid,
  orderedBy: Uuid,
  testId: orNull(Uuid),
  testName: requiredText(200),
  category: LabCategory,
  priority: LabPriority.default('routine'),
  status: LabOrderStatus.default('ordered'),
  orderedAt: IsoDateTime,
  sampleCollectedAt: orNull(IsoDateTime),
  resultedAt: orNull(IsoDateTime),
  notes: optionalText(1000),
};

/** A lab order. */
export const LabOrder = entitySchema(labOrderFields);
export type LabOrder = z.infer<typeof LabOrder>;

/** Ordering a test. */
export const LabOrderInput = entityInput(labOrderFields);
export type LabOrderInput = z.input<typeof LabOrderInput>;

/** Editing a lab order (status changes must follow `labOrderTransitions`). */
export const LabOrderPatch = entityPatch(labOrderFields);
export type LabOrderPatch = z.infer<typeof LabOrderPatch>;
