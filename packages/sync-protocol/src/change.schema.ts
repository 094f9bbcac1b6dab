/*
 * A change as the server recorded it: one row's state after a committed write.
 *
 * Invariants:
 * - `seq` comes from the clinic's single commit-ordered, gapless sequence; a page of changes is in
 *   strictly ascending `seq` order (compaction to the latest entry per row may skip numbers).
 * - `version` is the row's server version after the change and only grows.
 * - `data` is the whole row after the change; for `delete` it is the tombstone (with `deleted_at`).
 */
import { z } from 'zod';
import { entityNameSchema, rowDataSchema, seqSchema, uuidSchema, versionNumberSchema } from './common.schema';

export const rowOpSchema = z.enum(['create', 'update', 'delete']);
export type RowOp = z.infer<typeof rowOpSchema>;

export const changeSchema = z.strictObject({
  seq: seqSchema,
  entity: entityNameSchema,
  id: uuidSchema,
  version: versionNumberSchema,
  op: rowOpSchema,
  data: rowDataSchema,
});
export type Change = z.infer<typeof changeSchema>;

/** A list of changes whose `seq` strictly ascends. */
export const changeListSchema = z.array(changeSchema).superRefine((changes, ctx) => {
  changes.forEach((change, index) => {
    const previous = changes[index - 1];
    if (previous !== undefined && change.seq <= previous.seq) {
      ctx.addIssue({
        code: 'custom',
        path: [index, 'seq'],
        message: 'changes must be in ascending seq order',
      });
    }
  });
});
