/*
 * GET /v1/sync/pull?cursor=&limit=&protocolVersion=&schemaVersion= — changes after a cursor.
 *
 * Invariants:
 * - The cursor is a position in the clinic's commit-ordered change sequence; 0 means "from the
 *   start" and yields a full snapshot (one entry per row, its latest).
 * - Changes arrive in ascending `seq`, all after the cursor; `nextCursor` is at least the last seq
 *   of the page and is what the device sends next. `hasMore` says another page is waiting.
 * - A device applies one page per local transaction and stores `nextCursor` in the same one.
 * - A cursor older than the change log kept answers RESET_REQUIRED; the device re-bootstraps from 0
 *   and keeps its outbox.
 * - Every page carries the device's acknowledged group seq, the decisions on its groups the
 *   device may have missed, and the clinic's status, limits, usage and signed licence lease.
 * - A 200 answer also states `nextCursor` and `hasMore` in its headers (PULL_NEXT_CURSOR_HEADER,
 *   PULL_HAS_MORE_HEADER), equal to the body's, so a device can ask for the next page while this
 *   one's body is still arriving. The body is the truth; a device never moves its cursor on a
 *   header alone.
 */
import { z } from 'zod';
import { changeListSchema } from './change.schema';
import { timestampSchema } from './common.schema';
import { appliedResultSchema, refusedResultSchema } from './push.schema';

/** Page size when the request names none. */
export const PULL_DEFAULT_LIMIT = 1000;

/** Largest page a device may ask for. */
export const PULL_MAX_LIMIT = 5000;

/** Header of a pull answer holding its `nextCursor` (decimal). */
export const PULL_NEXT_CURSOR_HEADER = 'x-clinicdesk-next-cursor';

/** Header of a pull answer holding its `hasMore` (`true` or `false`). */
export const PULL_HAS_MORE_HEADER = 'x-clinicdesk-has-more';

/** A whole number given either as a JSON number or as a query-string digit run. */
function queryInt(min: number, max: number) {
  return z
    .union([
      z.int(),
      z
        .string()
        .regex(/^\d{1,15}$/, 'expected a whole number')
        .transform(Number),
    ])
    .pipe(z.int().min(min).max(max));
}

export const pullRequestSchema = z.strictObject({
  cursor: queryInt(0, Number.MAX_SAFE_INTEGER),
  limit: queryInt(1, PULL_MAX_LIMIT).default(PULL_DEFAULT_LIMIT),
  protocolVersion: queryInt(1, Number.MAX_SAFE_INTEGER),
  schemaVersion: queryInt(1, Number.MAX_SAFE_INTEGER),
});
/** The pull query as the server sees it after parsing (numbers, limit filled in). */
export type PullRequest = z.output<typeof pullRequestSchema>;

export const clinicStatusSchema = z.enum(['trial', 'active', 'expired', 'suspended']);
export type ClinicStatus = z.infer<typeof clinicStatusSchema>;

const limitSchema = z.int().min(0).nullable();
const countSchema = z.int().min(0);

export const clinicSnapshotSchema = z.strictObject({
  status: clinicStatusSchema,
  /** Most active records allowed; null means no limit. */
  limits: z.strictObject({
    patients: limitSchema,
    doctors: limitSchema,
    receptionists: limitSchema,
    labTechs: limitSchema,
  }),
  /** Active records the server counts now. */
  usage: z.strictObject({
    patients: countSchema,
    doctors: countSchema,
    receptionists: countSchema,
    labTechs: countSchema,
  }),
  /** The signed licence lease that lets the device keep writing offline until `expiresAt`. */
  lease: z
    .strictObject({ issuedAt: timestampSchema, expiresAt: timestampSchema, token: z.string().min(1) })
    .refine((lease) => lease.expiresAt > lease.issuedAt, {
      path: ['expiresAt'],
      message: 'a lease expires after it is issued',
    }),
});
export type ClinicSnapshot = z.infer<typeof clinicSnapshotSchema>;

export const groupDecisionSchema = z.discriminatedUnion('status', [appliedResultSchema, refusedResultSchema]);
export type GroupDecision = z.infer<typeof groupDecisionSchema>;

export const pullResponseSchema = z
  .strictObject({
    changes: changeListSchema,
    hasMore: z.boolean(),
    nextCursor: z.int().min(0),
    /** At most this many changes remain after `nextCursor` (an upper bound: for progress bars). */
    remaining: z.int().min(0).optional(),
    ackSeq: z.int().min(0),
    decisions: z.array(groupDecisionSchema),
    clinic: clinicSnapshotSchema,
  })
  .superRefine((response, ctx) => {
    const last = response.changes.at(-1);
    if (last !== undefined && response.nextCursor < last.seq) {
      ctx.addIssue({ code: 'custom', path: ['nextCursor'], message: 'nextCursor is before the last change' });
    }
  });
export type PullResponse = z.infer<typeof pullResponseSchema>;
