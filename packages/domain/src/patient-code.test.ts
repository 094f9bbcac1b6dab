import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatPatientCode,
  formatProvisionalPatientCode,
  isProvisionalCode,
  PatientCode,
  parsePatientCode,
} from './patient-code';

describe('formatPatientCode', () => {
  it('pads the sequence to four digits', () => {
    expect(formatPatientCode('SKH', 2026, 1)).toBe('PT-SKH-2026-0001');
    expect(formatPatientCode('AB12', 2026, 9999)).toBe('PT-AB12-2026-9999');
  });

  it('grows past 9999 without truncating', () => {
    expect(formatPatientCode('SKH', 2026, 10000)).toBe('PT-SKH-2026-10000');
    expect(formatPatientCode('SKH', 2026, 1234567)).toBe('PT-SKH-2026-1234567');
  });

  it('refuses invalid parts', () => {
    expect(() => formatPatientCode('skh', 2026, 1)).toThrow(RangeError);
    expect(() => formatPatientCode('S', 2026, 1)).toThrow(RangeError);
    expect(() => formatPatientCode('TOOLONGXX', 2026, 1)).toThrow(RangeError);
    expect(() => formatPatientCode('SK-H', 2026, 1)).toThrow(RangeError);
    expect(() => formatPatientCode('SKH', 26, 1)).toThrow(RangeError);
    expect(() => formatPatientCode('SKH', 2026, 0)).toThrow(RangeError);
    expect(() => formatPatientCode('SKH', 2026, 1.5)).toThrow(RangeError);
  });
});

describe('parsePatientCode', () => {
  it('round-trips every final code', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Z0-9]{2,8}$/),
        fc.integer({ min: 1000, max: 9999 }),
        fc.integer({ min: 1, max: 2 ** 40 }),
        (clinicCode, year, seq) => {
          const code = formatPatientCode(clinicCode, year, seq);
          expect(parsePatientCode(code)).toEqual({ clinicCode, year, seq, provisional: false });
          expect(PatientCode.safeParse(code).success).toBe(true);
        },
      ),
    );
  });

  it('forgives letter case and surrounding spaces', () => {
    expect(parsePatientCode('  pt-skh-2026-0042 ')).toEqual({
      clinicCode: 'SKH',
      year: 2026,
      seq: 42,
      provisional: false,
    });
  });

  it('rejects non-canonical and malformed codes', () => {
    for (const bad of [
      '',
      'PT-SKH-2026-042',
      'PT-SKH-2026-0000',
      'PT-SKH-2026-00042',
      'PT-SKH-26-0042',
      'PX-SKH-2026-0042',
      'PT-S-2026-0042',
      'PT-SKH-2026-0042-1',
      'PT-SKH-0999-0042',
      'PT-SKH-2026-PABCDEFG',
      'PT-SKH-2026-PABCDEFGI',
    ]) {
      expect(parsePatientCode(bad), bad).toBeNull();
    }
  });

  it('requires the canonical uppercase spelling in stored records', () => {
    expect(PatientCode.safeParse('pt-skh-2026-0042').success).toBe(false);
    expect(PatientCode.safeParse(' PT-SKH-2026-0042').success).toBe(false);
  });
});

describe('provisional codes', () => {
  const id = '01936b2e-1234-7abc-8def-0123456789ab';

  it('derive a stable Crockford base32 tag from the record id', () => {
    const code = formatProvisionalPatientCode('SKH', 2026, id);
    expect(code).toMatch(/^PT-SKH-2026-P[0-9A-HJKMNP-TV-Z]{8}$/);
    expect(formatProvisionalPatientCode('SKH', 2026, id)).toBe(code);
    expect(formatProvisionalPatientCode('SKH', 2026, id.toUpperCase())).toBe(code);
    expect(formatProvisionalPatientCode('SKH', 2026, '01936b2e-1234-7abc-8def-0123456789ac')).not.toBe(code);
  });

  it('parse as provisional and never as a final code', () => {
    const code = formatProvisionalPatientCode('SKH', 2026, id);
    expect(parsePatientCode(code)).toMatchObject({
      clinicCode: 'SKH',
      year: 2026,
      seq: null,
      provisional: true,
    });
    expect(isProvisionalCode(code)).toBe(true);
    expect(isProvisionalCode('PT-SKH-2026-0042')).toBe(false);
    expect(isProvisionalCode('garbage')).toBe(false);
    expect(PatientCode.safeParse(code).success).toBe(true);
  });

  it('need a UUID', () => {
    expect(() => formatProvisionalPatientCode('SKH', 2026, 'abc')).toThrow(RangeError);
  });
});
