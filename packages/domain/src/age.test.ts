import { describe, expect, it } from 'vitest';
import { ageFromDateOfBirth, ageInYears, dateOfBirthFromAge, formatAge, patientAge } from './age';

describe('ageInYears', () => {
  it('counts completed years', () => {
    expect(ageInYears('1990-04-12', '2026-04-11')).toBe(35);
    expect(ageInYears('1990-04-12', '2026-04-12')).toBe(36);
    expect(ageInYears('2026-11-28', '2026-11-28')).toBe(0);
  });

  it('ages people born on 29 February on 1 March in common years', () => {
    expect(ageInYears('2000-02-29', '2027-02-28')).toBe(26);
    expect(ageInYears('2000-02-29', '2027-03-01')).toBe(27);
    expect(ageInYears('2000-02-29', '2028-02-29')).toBe(28);
  });

  it('refuses a birth date in the future', () => {
    expect(() => ageInYears('2030-01-01', '2026-01-01')).toThrow(RangeError);
  });
});

describe('ageFromDateOfBirth', () => {
  it('uses the clinic calendar: a birthday starts at local midnight', () => {
    const now = new Date('2026-04-11T19:00:00.000Z'); // 12 April 00:30 in Kolkata
    expect(ageFromDateOfBirth('1990-04-12', now)).toBe(36);
    expect(ageFromDateOfBirth('1990-04-12', now, 'UTC')).toBe(35);
  });
});

describe('dateOfBirthFromAge', () => {
  it('gives a date of birth that yields the same age today', () => {
    const now = new Date('2026-11-28T06:00:00.000Z');
    expect(dateOfBirthFromAge(34, now)).toBe('1992-11-28');
    expect(ageFromDateOfBirth(dateOfBirthFromAge(34, now), now)).toBe(34);
    expect(dateOfBirthFromAge(0, now)).toBe('2026-11-28');
  });

  it('moves 29 February to the 28th in a common year', () => {
    const leapDay = new Date('2028-02-29T06:00:00.000Z');
    expect(dateOfBirthFromAge(1, leapDay)).toBe('2027-02-28');
    expect(dateOfBirthFromAge(4, leapDay)).toBe('2024-02-29');
  });

  it('refuses negative or fractional ages', () => {
    expect(() => dateOfBirthFromAge(-1, new Date())).toThrow(RangeError);
    expect(() => dateOfBirthFromAge(2.5, new Date())).toThrow(RangeError);
  });
});

describe('patientAge', () => {
  const now = new Date('2026-11-28T06:00:00.000Z');

  it('prefers the date of birth, else the recorded age, else null', () => {
    expect(patientAge({ dateOfBirth: '1990-04-12', ageYears: 20 }, now)).toBe(36);
    expect(patientAge({ dateOfBirth: null, ageYears: 20 }, now)).toBe(20);
    expect(patientAge({ dateOfBirth: null, ageYears: null }, now)).toBeNull();
  });
});

describe('formatAge', () => {
  it('shows years, months for infants and days for newborns', () => {
    expect(formatAge('1990-04-12', '2026-11-28')).toBe('36 y');
    expect(formatAge('2024-11-28', '2026-11-28')).toBe('2 y');
    expect(formatAge('2025-01-15', '2026-11-28')).toBe('22 mo');
    expect(formatAge('2026-10-28', '2026-11-28')).toBe('1 mo');
    expect(formatAge('2026-10-29', '2026-11-28')).toBe('30 d');
    expect(formatAge('2026-11-28', '2026-11-28')).toBe('0 d');
  });
});
