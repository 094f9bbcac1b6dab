import { describe, expect, it } from 'vitest';
import { LabTestInput } from './lab-test.schema';
import { exampleInput } from './test-support';

describe('LabTest', () => {
  const base = exampleInput('labTest');

  it('prices in two decimals, or not at all', () => {
    expect(LabTestInput.safeParse({ ...base, price: 0.07 }).success).toBe(true);
    expect(LabTestInput.safeParse({ ...base, price: null }).success).toBe(true);
    expect(LabTestInput.safeParse({ ...base, price: 10.005 }).success).toBe(false);
    expect(LabTestInput.safeParse({ ...base, price: -1 }).success).toBe(false);
  });

  it('starts with no reference ranges and validates the ones given', () => {
    const { referenceRanges: _omitted, ...rest } = base;
    expect(LabTestInput.parse(rest).referenceRanges).toEqual([]);
    expect(LabTestInput.safeParse({ ...base, referenceRanges: [{ low: 5, high: 1 }] }).success).toBe(false);
  });
});
