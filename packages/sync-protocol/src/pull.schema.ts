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
 *   header alone. When more pages follow, the server sends the head as soon as it knows where the
 *   page ends, before it writes the page; if writing it then fails, the answer is cut off (its
 *   status is out already), which a device takes as a dropped connection and asks again.
 * - Since protocol version 2 a page carries its changes as runs (`runs`): consecutive changes of
 *   one entity share one list of field names, and each change is an array — seq, version, op, then
 *   the row's values in the run's field order. The same changes in the same order as version 1's
 *   change objects (`changes`, still served to version-1 clients), in about half the bytes, and a
 *   device parses arrays instead of an object per row. `changesOfRuns` reads them back as changes.
 */
import { z } from 'zod';
import { type Change, changeListSchema, rowOpSchema } from './change.schema';
import { entityNameSchema, fieldNameSchema, timestampSchema, uuidSchema } from './common.schema';
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

/** The first protocol version whose pull pages carry change runs (`runs`) instead of `changes`. */
export const PULL_RUNS_SINCE_VERSION = 2;

/** Values at the head of every run row, before the row's field values: seq, version, op. */
export const RUN_ROW_HEAD = 3;

/** One change of a run: `[seq, version, op, ...values in the run's field order]`. */
export const runRowSchema = z.tuple([z.int().min(1), z.int().min(1), rowOpSchema], z.json());
export type RunRow = z.infer<typeof runRowSchema>;

/** Consecutive changes of one entity; `fields` name the values after each row's head and include `id`. */
export const changeRunSchema = z
  .strictObject({
    entity: entityNameSchema,
    fields: z.array(fieldNameSchema).min(1),
    rows: z.array(runRowSchema).min(1),
  })
  .superRefine((run, ctx) => {
    const idIndex = run.fields.indexOf('id');
    if (idIndex < 0) ctx.addIssue({ code: 'custom', path: ['fields'], message: 'a run names the id field' });
    if (new Set(run.fields).size !== run.fields.length)
      ctx.addIssue({ code: 'custom', path: ['fields'], message: 'field names repeat' });
    run.rows.forEach((row, index) => {
      if (row.length !== RUN_ROW_HEAD + run.fields.length)
        ctx.addIssue({ code: 'custom', path: ['rows', index], message: 'a row holds one value per field' });
      else if (idIndex >= 0 && !uuidSchema.safeParse(row[RUN_ROW_HEAD + idIndex]).success)
        ctx.addIssue({ code: 'custom', path: ['rows', index], message: 'a row id must be a UUID' });
    });
  });
export type ChangeRun = z.infer<typeof changeRunSchema>;

/** Runs whose changes' seq strictly ascends across the whole list. */
export const changeRunListSchema = z.array(changeRunSchema).superRefine((runs, ctx) => {
  let previous = 0;
  runs.forEach((run, index) => {
    for (const [seq] of run.rows) {
      if (seq <= previous) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'rows'],
          message: 'changes must be in ascending seq order',
        });
        return;
      }
      previous = seq;
    }
  });
});

/** The changes of `runs`, in order, as change objects (what a version-1 page carries). */
export function changesOfRuns(runs: readonly ChangeRun[]): Change[] {
  const changes: Change[] = [];
  for (const run of runs) {
    for (const row of run.rows) {
      const data: Change['data'] = {};
      run.fields.forEach((field, index) => {
        data[field] = row[RUN_ROW_HEAD + index] ?? null;
      });
      const [seq, version, op] = row;
      changes.push({ seq, entity: run.entity, id: String(data.id), version, op, data });
    }
  }
  return changes;
}

/** How many changes `runs` hold. */
export function runChangeCount(runs: readonly ChangeRun[]): number {
  return runs.reduce((count, run) => count + run.rows.length, 0);
}

const pullEnvelopeShape = {
  hasMore: z.boolean(),
  nextCursor: z.int().min(0),
  /** At most this many changes remain after `nextCursor` (an upper bound: for progress bars). */
  remaining: z.int().min(0).optional(),
  ackSeq: z.int().min(0),
  decisions: z.array(groupDecisionSchema),
  clinic: clinicSnapshotSchema,
};

/** A pull page for clients of protocol version 2 and later: changes as runs. */
export const pullResponseSchema = z
  .strictObject({ runs: changeRunListSchema, ...pullEnvelopeShape })
  .superRefine((response, ctx) => {
    const last = response.runs.at(-1)?.rows.at(-1)?.[0];
    if (last !== undefined && response.nextCursor < last) {
      ctx.addIssue({ code: 'custom', path: ['nextCursor'], message: 'nextCursor is before the last change' });
    }
  });
export type PullResponse = z.infer<typeof pullResponseSchema>;

/** A pull page as version-1 clients receive it: one object per change. */
export const pullResponseV1Schema = z
  .strictObject({
    changes: changeListSchema,
    ...pullEnvelopeShape,
  })
  .superRefine((response, ctx) => {
    const last = response.changes.at(-1);
    if (last !== undefined && response.nextCursor < last.seq) {
      ctx.addIssue({ code: 'custom', path: ['nextCursor'], message: 'nextCursor is before the last change' });
    }
  });
export type PullResponseV1 = z.infer<typeof pullResponseV1Schema>;
