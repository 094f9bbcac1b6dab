/**
 * Clinical documents (consultation notes, prescriptions, lab results, discharge summaries) are
 * drafted, then finalized. A finalized document is immutable; a correction is a new document whose
 * `amendsId` points at the one it replaces. These helpers keep the `status`/`finalizedAt` pair
 * consistent in every schema that uses them.
 */
import { z } from 'zod';

/** Draft or final. */
export const DraftStatus = z.enum(['draft', 'final']);
export type DraftStatus = z.infer<typeof DraftStatus>;

/** True when a final record has `finalizedAt` and a draft has none (other statuses, e.g. cancelled, may have either). */
export function finalizedAtMatchesStatus(record: { status: string; finalizedAt: string | null }): boolean {
  if (record.status === 'final') return record.finalizedAt !== null;
  if (record.status === 'draft') return record.finalizedAt === null;
  return true;
}

/** The refinement message for `finalizedAtMatchesStatus`. */
export const finalizedAtMessage = {
  message: 'A final record needs finalizedAt and a draft must not have it',
  path: ['finalizedAt'],
};

/** True when a record can no longer be edited (it was finalized; correct it with an amendment). */
export function isFinalized(record: { finalizedAt: string | null }): boolean {
  return record.finalizedAt !== null;
}
