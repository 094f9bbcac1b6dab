import { describe, expect, it } from 'vitest';
import { type ReferenceRange, ReferenceRange as ReferenceRangeSchema } from './lab-test.schema';
import { describeReferenceRange, labFlag, parseNumericResult, referenceRangeFor } from './reference-range';

const haemoglobin: ReferenceRange[] = [
  { low: 11, high: 16 },
  { sex: 'male', low: 13, high: 17 },
  { sex: 'female', low: 12, high: 15 },
  { ageMaxYears: 12, low: 11.5, high: 15.5 },
  { sex: 'female', ageMinYears: 60, low: 11.5, high: 15 },
  { ageMaxYears: 1, low: 10, high: 14 },
];

describe('referenceRangeFor', () => {
  it('prefers a sex-specific range over a generic one', () => {
    expect(referenceRangeFor(haemoglobin, { sex: 'male', ageYears: 30 })).toEqual(haemoglobin[1]);
    expect(referenceRangeFor(haemoglobin, { sex: 'female', ageYears: 30 })).toEqual(haemoglobin[2]);
  });

  it('prefers sex and age together over either alone', () => {
    expect(referenceRangeFor(haemoglobin, { sex: 'female', ageYears: 65 })).toEqual(haemoglobin[4]);
    expect(referenceRangeFor(haemoglobin, { sex: 'male', ageYears: 65 })).toEqual(haemoglobin[1]);
  });

  it('prefers the narrower age band when specificity ties', () => {
    expect(referenceRangeFor(haemoglobin, { sex: 'other', ageYears: 0.5 })).toEqual(haemoglobin[5]);
    expect(referenceRangeFor(haemoglobin, { sex: 'other', ageYears: 5 })).toEqual(haemoglobin[3]);
  });

  it('treats the minimum age as inclusive and the maximum as exclusive', () => {
    expect(referenceRangeFor(haemoglobin, { sex: 'other', ageYears: 12 })).toEqual(haemoglobin[0]);
    expect(referenceRangeFor(haemoglobin, { sex: 'female', ageYears: 60 })).toEqual(haemoglobin[4]);
    expect(referenceRangeFor(haemoglobin, { sex: 'female', ageYears: 59.9 })).toEqual(haemoglobin[2]);
  });

  it('matches only ranges that do not ask for what is unknown', () => {
    expect(referenceRangeFor(haemoglobin, { sex: null, ageYears: null })).toEqual(haemoglobin[0]);
    expect(referenceRangeFor(haemoglobin, { sex: 'other', ageYears: 40 })).toEqual(haemoglobin[0]);
    expect(referenceRangeFor([{ sex: 'male', low: 1 }], { sex: 'other', ageYears: 40 })).toBeNull();
    expect(referenceRangeFor([{ ageMinYears: 18, low: 1 }], { sex: 'male', ageYears: null })).toBeNull();
  });

  it('counts sex "any" as generic and keeps list order on full ties', () => {
    const ranges: ReferenceRange[] = [{ sex: 'any', low: 1 }, { low: 2 }];
    expect(referenceRangeFor(ranges, { sex: 'male', ageYears: 30 })).toEqual(ranges[0]);
  });

  it('returns null for no ranges', () => {
    expect(referenceRangeFor([], { sex: 'male', ageYears: 30 })).toBeNull();
  });
});

describe('labFlag', () => {
  const range: ReferenceRange = { low: 12, high: 15, criticalLow: 7, criticalHigh: 20 };

  it('flags each band, with boundaries in the milder band', () => {
    expect(labFlag(6.9, range)).toBe('critical_low');
    expect(labFlag(7, range)).toBe('low');
    expect(labFlag('11.9', range)).toBe('low');
    expect(labFlag('12', range)).toBe('normal');
    expect(labFlag(15, range)).toBe('normal');
    expect(labFlag(15.1, range)).toBe('high');
    expect(labFlag(20, range)).toBe('high');
    expect(labFlag('20.5', range)).toBe('critical_high');
  });

  it('works with one-sided ranges', () => {
    expect(labFlag(250, { high: 200 })).toBe('high');
    expect(labFlag(150, { high: 200 })).toBe('normal');
    expect(labFlag(30, { low: 40 })).toBe('low');
    expect(labFlag(-5, { criticalLow: 0 })).toBe('critical_low');
  });

  it('is none without a range, limits or a number', () => {
    expect(labFlag(5, null)).toBe('none');
    expect(labFlag('Positive', range)).toBe('none');
    expect(labFlag('<0.5', range)).toBe('none');
    expect(labFlag(null, range)).toBe('none');
    expect(labFlag('', range)).toBe('none');
    expect(labFlag(Number.NaN, range)).toBe('none');
    expect(labFlag(5, { text: 'Negative' })).toBe('none');
  });
});

describe('parseNumericResult', () => {
  it('reads plain decimals and nothing else', () => {
    expect(parseNumericResult(' 4.50 ')).toBe(4.5);
    expect(parseNumericResult('-0.5')).toBe(-0.5);
    expect(parseNumericResult('+3')).toBe(3);
    expect(parseNumericResult('.5')).toBe(0.5);
    expect(parseNumericResult('12.')).toBe(12);
    expect(parseNumericResult('1e3')).toBeNull();
    expect(parseNumericResult('12 mg')).toBeNull();
    expect(parseNumericResult(Number.POSITIVE_INFINITY)).toBeNull();
  });
});

describe('describeReferenceRange', () => {
  it('prints ranges as reports show them', () => {
    expect(describeReferenceRange({ low: 3.5, high: 5 }, 'mmol/L')).toBe('3.5–5 mmol/L');
    expect(describeReferenceRange({ high: 200 }, 'mg/dL')).toBe('< 200 mg/dL');
    expect(describeReferenceRange({ low: 40 })).toBe('> 40');
    expect(describeReferenceRange({ text: 'Negative', low: 0 })).toBe('Negative');
    expect(describeReferenceRange({})).toBe('');
  });
});

describe('ReferenceRange schema', () => {
  it('requires limits in order and a sensible age band', () => {
    expect(
      ReferenceRangeSchema.safeParse({ criticalLow: 7, low: 12, high: 15, criticalHigh: 20 }).success,
    ).toBe(true);
    expect(ReferenceRangeSchema.safeParse({ low: 15, high: 12 }).success).toBe(false);
    expect(ReferenceRangeSchema.safeParse({ criticalLow: 13, low: 12 }).success).toBe(false);
    expect(ReferenceRangeSchema.safeParse({ high: 15, criticalHigh: 14 }).success).toBe(false);
    expect(ReferenceRangeSchema.safeParse({ ageMinYears: 18, ageMaxYears: 18 }).success).toBe(false);
    expect(ReferenceRangeSchema.safeParse({ low: 1, unknown: true }).success).toBe(false);
  });
});
