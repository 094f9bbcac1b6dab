import { describe, expect, it } from 'vitest';
import {
  addDays,
  calendarDate,
  calendarYear,
  daysBetween,
  isValidTimeZone,
  parseIsoDate,
} from './calendar-date';

describe('calendarDate', () => {
  it('gives the clinic-local date, which can differ from the UTC date', () => {
    const lateUtc = new Date('2026-11-27T20:00:00.000Z');
    expect(calendarDate(lateUtc)).toBe('2026-11-28');
    expect(calendarDate(lateUtc, 'UTC')).toBe('2026-11-27');
    expect(calendarDate(lateUtc, 'America/New_York')).toBe('2026-11-27');
  });

  it('gives the local year at new year', () => {
    const newYearInIndia = new Date('2026-12-31T19:00:00.000Z');
    expect(calendarYear(newYearInIndia)).toBe(2027);
    expect(calendarYear(newYearInIndia, 'UTC')).toBe(2026);
  });
});

describe('date arithmetic', () => {
  it('adds days across months, leap days and years', () => {
    expect(addDays('2026-11-28', 7)).toBe('2026-12-05');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-03-29', 0)).toBe('2026-03-29');
  });

  it('counts days between dates', () => {
    expect(daysBetween('2026-11-28', '2026-12-05')).toBe(7);
    expect(daysBetween('2026-12-05', '2026-11-28')).toBe(-7);
    expect(daysBetween('2028-01-01', '2029-01-01')).toBe(366);
  });

  it('refuses impossible dates and fractional days', () => {
    expect(() => parseIsoDate('2026-02-30')).toThrow(RangeError);
    expect(() => parseIsoDate('2026-13-01')).toThrow(RangeError);
    expect(() => parseIsoDate('26-01-01')).toThrow(RangeError);
    expect(() => addDays('2026-01-01', 1.5)).toThrow(RangeError);
    expect(parseIsoDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
  });
});

describe('isValidTimeZone', () => {
  it('knows IANA zones', () => {
    expect(isValidTimeZone('Asia/Kolkata')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});
