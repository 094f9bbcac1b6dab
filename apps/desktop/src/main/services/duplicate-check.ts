/**
 * Does a patient being registered already exist? Two signals, as reception sees them: the same
 * mobile number (any family member may share it, so it is a warning, not a refusal), or a similar
 * name with a similar age (spelling varies: "Sunita"/"Sunitha", "Deshmukh"/"Deshmuk"). The user
 * can always register anyway after looking; the main process only insists they looked.
 */
import type { DuplicateReason } from '../../shared/reception-views';

/** What is known about the new patient. */
export interface DuplicateProbe {
  readonly firstName: string;
  readonly lastName: string | null;
  readonly ageYears: number | null;
  readonly phone: string | null;
}

/** An existing patient, as far as the check needs. */
export interface DuplicateCandidate {
  readonly id: string;
  readonly firstName: string;
  readonly lastName: string | null;
  readonly ageYears: number | null;
  readonly phone: string | null;
  readonly altPhone: string | null;
}

/** How many years apart two ages may be and still count as "similar". */
export const AGE_TOLERANCE_YEARS = 2;

/** Lowercase letters and marks only, so spacing, dots and case never matter. */
export function normalizeName(name: string | null): string {
  return (name ?? '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}]/gu, '');
}

/** Levenshtein distance, stopping early once it exceeds `limit`. */
export function editDistance(a: string, b: string, limit = 3): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
      current.push(value);
      best = Math.min(best, value);
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length] ?? limit + 1;
}

function namesAlike(a: string, b: string): boolean {
  if (a === b) return true;
  if (a === '' || b === '') return false;
  // One typo in a short name, two in a long one.
  const allowed = Math.min(a.length, b.length) >= 6 ? 2 : 1;
  return editDistance(a, b, allowed) <= allowed;
}

/** Why `existing` may be the same person as `probe` (empty when it is not). */
export function duplicateReasons(probe: DuplicateProbe, existing: DuplicateCandidate): DuplicateReason[] {
  const reasons: DuplicateReason[] = [];
  if (probe.phone !== null && (probe.phone === existing.phone || probe.phone === existing.altPhone)) {
    reasons.push('same_phone');
  }
  const lastA = normalizeName(probe.lastName);
  const lastB = normalizeName(existing.lastName);
  const sameName =
    namesAlike(normalizeName(probe.firstName), normalizeName(existing.firstName)) &&
    (lastA === '' || lastB === '' || namesAlike(lastA, lastB));
  const similarAge =
    probe.ageYears !== null &&
    existing.ageYears !== null &&
    Math.abs(probe.ageYears - existing.ageYears) <= AGE_TOLERANCE_YEARS;
  if (sameName && similarAge) reasons.push('similar_name_age');
  return reasons;
}
