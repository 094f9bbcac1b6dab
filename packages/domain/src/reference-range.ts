/**
 * Picking a reference range and flagging a result against it. The flag is computed when the lab
 * enters a value and stored with the result; `abnormal` is for qualitative results and is only
 * ever set by a person. Boundaries belong to the milder band: a value equal to `high` is normal,
 * equal to `criticalHigh` is high.
 */

import type { LabFlag } from './lab-result.schema';
import type { ReferenceRange } from './lab-test.schema';

/** The patient facts a range depends on; unknown values match only ranges that do not ask for them. */
export interface RangeSubject {
  sex: 'male' | 'female' | 'other' | null;
  ageYears: number | null;
}

function matches(range: ReferenceRange, subject: RangeSubject): boolean {
  if (range.sex !== undefined && range.sex !== 'any' && range.sex !== subject.sex) return false;
  const needsAge = range.ageMinYears !== undefined || range.ageMaxYears !== undefined;
  if (!needsAge) return true;
  if (subject.ageYears === null) return false;
  if (range.ageMinYears !== undefined && subject.ageYears < range.ageMinYears) return false;
  if (range.ageMaxYears !== undefined && subject.ageYears >= range.ageMaxYears) return false;
  return true;
}

function specificity(range: ReferenceRange): number {
  const sexSpecific = range.sex === 'male' || range.sex === 'female' ? 2 : 0;
  return sexSpecific + (range.ageMinYears === undefined ? 0 : 1) + (range.ageMaxYears === undefined ? 0 : 1);
}

function ageSpan(range: ReferenceRange): number {
  return (range.ageMaxYears ?? Number.POSITIVE_INFINITY) - (range.ageMinYears ?? 0);
}

/** The most specific range that fits the patient (sex beats age; then the narrower age band; then list order), or null. */
export function referenceRangeFor(
  ranges: readonly ReferenceRange[],
  subject: RangeSubject,
): ReferenceRange | null {
  let best: ReferenceRange | null = null;
  for (const range of ranges) {
    if (!matches(range, subject)) continue;
    if (
      best === null ||
      specificity(range) > specificity(best) ||
      (specificity(range) === specificity(best) && ageSpan(range) < ageSpan(best))
    ) {
      best = range;
    }
  }
  return best;
}

/** Reads a result as a number (`12`, `-0.5`, `4.50`, ` 7 `); null for anything else (`<0.5`, `Positive`). */
export function parseNumericResult(value: string | number | null): number | null {
  if (value === null) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  const text = value.trim();
  return /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/.test(text) ? Number(text) : null;
}

/** Flags a result against a range: low/normal/high/critical_low/critical_high, or none without a range, limits or number. */
export function labFlag(value: string | number | null, range: ReferenceRange | null): LabFlag {
  const number = parseNumericResult(value);
  if (number === null || range === null) return 'none';
  const { low, high, criticalLow, criticalHigh } = range;
  if (low === undefined && high === undefined && criticalLow === undefined && criticalHigh === undefined) {
    return 'none';
  }
  if (criticalLow !== undefined && number < criticalLow) return 'critical_low';
  if (criticalHigh !== undefined && number > criticalHigh) return 'critical_high';
  if (low !== undefined && number < low) return 'low';
  if (high !== undefined && number > high) return 'high';
  return 'normal';
}

/** A range as printed on a report: its text if it has one, else `3.5–5.0 mmol/L`, `< 200 mg/dL` or `> 40`. */
export function describeReferenceRange(range: ReferenceRange, unit?: string | null): string {
  if (range.text !== undefined && range.text !== '') return range.text;
  const suffix = unit ? ` ${unit}` : '';
  const { low, high } = range;
  if (low !== undefined && high !== undefined) return `${low}–${high}${suffix}`;
  if (high !== undefined) return `< ${high}${suffix}`;
  if (low !== undefined) return `> ${low}${suffix}`;
  return '';
}
