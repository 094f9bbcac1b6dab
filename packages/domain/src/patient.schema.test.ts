import { describe, expect, it } from 'vitest';
import { Patient, PatientInput, PatientPatch, patientFullName } from './patient.schema';
import { exampleInput, exampleRecord } from './test-support';

describe('Patient', () => {
  it('needs a date of birth or an age', () => {
    const noAge = { ...exampleInput('patient'), dateOfBirth: null, ageYears: null };
    const result = PatientInput.safeParse(noAge);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['dateOfBirth']);
    expect(PatientInput.safeParse({ ...noAge, ageYears: 42 }).success).toBe(true);
    expect(
      Patient.safeParse({ ...exampleRecord('patient'), dateOfBirth: null, ageYears: null }).success,
    ).toBe(false);
  });

  it('registers with only the essentials, the rest null', () => {
    const minimal = PatientInput.parse({
      id: exampleInput('patient').id,
      patientCode: 'PT-SKH-2026-0002',
      firstName: ' Ravi ',
      ageYears: 40,
      sex: 'male',
      registeredBy: exampleInput('patient').registeredBy,
    });
    expect(minimal).toMatchObject({ firstName: 'Ravi', lastName: null, phone: null, status: 'registered' });
  });

  it('refuses bad codes, phones, dates, ages and empty names', () => {
    const base = exampleInput('patient');
    for (const change of [
      { patientCode: 'SKH-1' },
      { phone: '98765 43210' },
      { dateOfBirth: '1990-02-30' },
      { ageYears: -1 },
      { ageYears: 151 },
      { firstName: '   ' },
      { sex: 'unknown' },
      { bloodGroup: 'C+' },
      { weightKg: 0 },
      { email: 'not-an-email' },
    ]) {
      expect(PatientInput.safeParse({ ...base, ...change }).success, JSON.stringify(change)).toBe(false);
    }
  });

  it('patches contact fields without touching the rest', () => {
    expect(PatientPatch.parse({ phone: '+919812345678', altPhone: null })).toEqual({
      phone: '+919812345678',
      altPhone: null,
    });
  });

  it('writes full names for single-name patients too', () => {
    expect(patientFullName({ firstName: 'Asha', lastName: 'Patil' })).toBe('Asha Patil');
    expect(patientFullName({ firstName: 'Asha', lastName: null })).toBe('Asha');
    expect(patientFullName({ firstName: 'Asha', lastName: '' })).toBe('Asha');
  });
});
