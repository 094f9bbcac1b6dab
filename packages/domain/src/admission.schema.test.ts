import { describe, expect, it } from 'vitest';
import { AdmissionInput } from './admission.schema';
import { exampleInput } from './test-support';

describe('Admission', () => {
  const base = exampleInput('admission');

  it('cannot end before it began', () => {
    expect(AdmissionInput.safeParse({ ...base, dischargedAt: base.admittedAt }).success).toBe(true);
    expect(AdmissionInput.safeParse({ ...base, dischargedAt: null, status: 'admitted' }).success).toBe(true);
    expect(AdmissionInput.safeParse({ ...base, dischargedAt: '2026-11-27T00:00:00.000Z' }).success).toBe(
      false,
    );
  });

  it('knows its admission types', () => {
    for (const type of ['general', 'icu', 'emergency', 'day_care', 'isolation']) {
      expect(AdmissionInput.safeParse({ ...base, type }).success, type).toBe(true);
    }
    expect(AdmissionInput.safeParse({ ...base, type: 'ward' }).success).toBe(false);
  });
});
