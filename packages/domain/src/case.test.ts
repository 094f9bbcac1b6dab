import { describe, expect, it } from 'vitest';
import { keysToCamelCase, keysToSnakeCase, toCamelCase, toSnakeCase } from './case';

describe('case conversion', () => {
  it('maps field names to column names and back', () => {
    const pairs = [
      ['bloodSugarMgDl', 'blood_sugar_mg_dl'],
      ['icd10Code', 'icd10_code'],
      ['spo2', 'spo2'],
      ['temperatureC', 'temperature_c'],
      ['id', 'id'],
    ] as const;
    for (const [camel, snake] of pairs) {
      expect(toSnakeCase(camel)).toBe(snake);
      expect(toCamelCase(snake)).toBe(camel);
    }
  });

  it('converts only top-level keys, leaving JSON values alone', () => {
    const record = { dosePattern: { morning: 1 }, patientId: 'p' };
    const row = keysToSnakeCase(record);
    expect(row).toEqual({ dose_pattern: { morning: 1 }, patient_id: 'p' });
    expect(keysToCamelCase(row)).toEqual(record);
  });
});
