import { describe, expect, it } from 'vitest';
import { Icd10Code, isIcd10Code } from './diagnosis.schema';

describe('ICD-10 codes', () => {
  it('accepts WHO and ICD-10-CM shapes', () => {
    for (const code of ['J45', 'E11.9', 'B34.9', 'U07.1', 'S72.001A', 'Z00.00']) {
      expect(Icd10Code.safeParse(code).success, code).toBe(true);
    }
  });

  it('rejects other shapes, and lowercase in records', () => {
    for (const code of ['', 'E1', '11.9', 'E11.', 'E11.12345', 'E11-9', 'e11.9']) {
      expect(Icd10Code.safeParse(code).success, code).toBe(false);
    }
  });

  it('checks typed codes leniently', () => {
    expect(isIcd10Code(' e11.9 ')).toBe(true);
    expect(isIcd10Code('diabetes')).toBe(false);
  });
});
