/*
 * POST /v1/sync/push — a device sends its outbox groups; the server decides each one.
 *
 * Invariants:
 * - A group is one local SQLite transaction: a mutation id (UUID, the idempotency key) and a
 *   per-device sequence number that grows by exactly one per group. A batch carries consecutive
 *   groups in order, so the server can refuse a gap (SEQUENCE_GAP) without guessing.
 * - The server applies a group's operations all or none. Every group gets exactly one result, in
 *   request order: `applied`, `refused` (with the code, recorded so the queue moves on) or
 *   `duplicate` (already decided; the stored result comes back, `code` set if it was a refusal).
 * - `create` carries the whole row, `update` the changed fields with the values they had before the
 *   edit (same field names in both) and, when the user gave one, the reason for the edit (the
 *   server's audit records it), `delete` only the row's identity.
 * - An infrastructure failure is a 5xx with nothing recorded; the device resends the same groups.
 */
import { z } from 'zod';
import { changeSchema } from './change.schema';
import {
  entityNameSchema,
  jsonObjectSchema,
  rowDataSchema,
  seqSchema,
  timestampSchema,
  uuidSchema,
  versionNumberSchema,
} from './common.schema';
import { errorCodeSchema } from './error-code.schema';

/**
 * Most groups one push may carry. A device draining a long outbox sends this many per request (each
 * request costs a round trip, a transaction and the clinic's lock once, whatever its size); the
 * clinic's lock is then held for about 0.1 s per request on the benchmark machine (up to about
 * 0.4 s on a slow evening), which another device's push of that clinic may wait during a drain.
 */
export const PUSH_MAX_GROUPS = 2000;

/**
 * Most bytes of row operations a device puts in one push request (its groups' `ops` as JSON), well
 * under the server's default body limit (5 MB): a request carries fewer groups when they are large,
 * and always at least one.
 */
export const PUSH_MAX_BYTES = 2 * 1024 * 1024;

/**
 * Request header (`true`) of a push the device means to follow with another at once: the server
 * then sends its answer's head as soon as it holds the clinic's write lock for this request, with
 * PUSH_SEND_NEXT_HEADER, and the body when the groups are decided. A request sent after that head
 * reaches the lock after this one, so it cannot overtake it (and be refused with SEQUENCE_GAP).
 */
export const PUSH_MORE_FOLLOWS_HEADER = 'x-clinicdesk-more-follows';

/**
 * Answer header (`true`) sent early, as described above: the device may send its next push now. A
 * server that sends it may still cut the answer off if the request fails after it; the device then
 * treats it as a dropped connection (nothing of a failed request is recorded).
 */
export const PUSH_SEND_NEXT_HEADER = 'x-clinicdesk-send-next';

/** Most row operations one group may carry. */
export const GROUP_MAX_OPS = 1000;

/** Longest reason an edit may carry (e.g. why a patient's name was corrected). */
export const EDIT_REASON_MAX_LENGTH = 500;

const rowRef = { entity: entityNameSchema, id: uuidSchema };

const createOpSchema = z.strictObject({ op: z.literal('create'), ...rowRef, data: rowDataSchema });

const updateOpSchema = z
  .strictObject({
    op: z.literal('update'),
    ...rowRef,
    changed: rowDataSchema,
    before: rowDataSchema,
    reason: z.string().trim().min(1).max(EDIT_REASON_MAX_LENGTH).optional(),
  })
  .superRefine((op, ctx) => {
    const changed = Object.keys(op.changed).sort();
    const before = Object.keys(op.before).sort();
    if (changed.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['changed'], message: 'an update changes at least one field' });
    }
    if (changed.join('\u0000') !== before.join('\u0000')) {
      ctx.addIssue({
        code: 'custom',
        path: ['before'],
        message: 'before must name exactly the changed fields',
      });
    }
  });

const deleteOpSchema = z.strictObject({ op: z.literal('delete'), ...rowRef });

export const rowOperationSchema = z.discriminatedUnion('op', [
  createOpSchema,
  updateOpSchema,
  deleteOpSchema,
]);
export type RowOperation = z.infer<typeof rowOperationSchema>;

export const mutationGroupSchema = z.strictObject({
  mutationId: uuidSchema,
  seq: seqSchema,
  createdAt: timestampSchema,
  ops: z.array(rowOperationSchema).min(1).max(GROUP_MAX_OPS),
});
export type MutationGroup = z.infer<typeof mutationGroupSchema>;

export const pushRequestSchema = z
  .strictObject({
    protocolVersion: versionNumberSchema,
    schemaVersion: versionNumberSchema,
    groups: z.array(mutationGroupSchema).min(1).max(PUSH_MAX_GROUPS),
  })
  .superRefine((request, ctx) => {
    const seen = new Set<string>();
    request.groups.forEach((group, index) => {
      const previous = request.groups[index - 1];
      if (previous !== undefined && group.seq !== previous.seq + 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['groups', index, 'seq'],
          message: 'groups must have consecutive seq',
        });
      }
      if (seen.has(group.mutationId)) {
        ctx.addIssue({
          code: 'custom',
          path: ['groups', index, 'mutationId'],
          message: 'duplicate mutationId',
        });
      }
      seen.add(group.mutationId);
    });
  });
export type PushRequest = z.infer<typeof pushRequestSchema>;

const resultBase = { mutationId: uuidSchema, seq: seqSchema };

/** Applied; `code` is only a notice such as CODE_REASSIGNED, `changes` the rows as recorded. */
export const appliedResultSchema = z.strictObject({
  ...resultBase,
  status: z.literal('applied'),
  code: errorCodeSchema.optional(),
  message: z.string().optional(),
  changes: z.array(changeSchema).optional(),
});

/** Refused for good: the group goes to the device's sync inbox with this reason. */
export const refusedResultSchema = z.strictObject({
  ...resultBase,
  status: z.literal('refused'),
  code: errorCodeSchema,
  message: z.string().min(1),
  details: jsonObjectSchema.optional(),
});

/** Decided before; `code` and `message` repeat the stored refusal, absent when it was applied. */
export const duplicateResultSchema = z.strictObject({
  ...resultBase,
  status: z.literal('duplicate'),
  code: errorCodeSchema.optional(),
  message: z.string().optional(),
});

export const groupResultSchema = z.discriminatedUnion('status', [
  appliedResultSchema,
  refusedResultSchema,
  duplicateResultSchema,
]);
export type GroupResult = z.infer<typeof groupResultSchema>;

export const pushResponseSchema = z.strictObject({
  results: z.array(groupResultSchema),
  /** The highest group seq of this device the server has decided. */
  ackSeq: z.int().min(0),
});
export type PushResponse = z.infer<typeof pushResponseSchema>;
