/**
 * Ages. A patient record holds a date of birth or, when the patient does not know it, an age in
 * years as told at registration. Ages are counted in completed years on the clinic's calendar;
 * someone born on 29 February turns a year older on 1 March in common years.
 */
import { calendarDate, DEFAULT_TIME_ZONE, daysBetween, parseIsoDate } from './calendar-date';

/** Completed years between `dateOfBirth` and `today` (both `YYYY-MM-DD`); RangeError if born after today. */
export function ageInYears(dateOfBirth: string, today: string): number {
  const birth = parseIsoDate(dateOfBirth);
  const now = parseIsoDate(today);
  if (dateOfBirth > today) throw new RangeError(`Date of birth ${dateOfBirth} is after ${today}`);
  const hadBirthday = now.month > birth.month || (now.month === birth.month && now.day >= birth.day);
  return now.year - birth.year - (hadBirthday ? 0 : 1);
}

/** Age in completed years at instant `now`, on the calendar of `timeZone`. */
export function ageFromDateOfBirth(
  dateOfBirth: string,
  now: Date,
  timeZone: string = DEFAULT_TIME_ZONE,
): number {
  return ageInYears(dateOfBirth, calendarDate(now, timeZone));
}

/** An approximate date of birth for someone `ageYears` old today: today's month and day, `ageYears` earlier. */
export function dateOfBirthFromAge(
  ageYears: number,
  now: Date,
  timeZone: string = DEFAULT_TIME_ZONE,
): string {
  if (!Number.isInteger(ageYears) || ageYears < 0) {
    throw new RangeError(`ageYears must be a non-negative integer, got ${ageYears}`);
  }
  const today = parseIsoDate(calendarDate(now, timeZone));
  const year = today.year - ageYears;
  const leapDayInCommonYear = today.month === 2 && today.day === 29 && !isLeapYear(year);
  const day = leapDayInCommonYear ? 28 : today.day;
  return `${String(year).padStart(4, '0')}-${String(today.month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** A patient's current age: from the date of birth when known, else the age recorded at registration. */
export function patientAge(
  patient: { dateOfBirth: string | null; ageYears: number | null },
  now: Date,
  timeZone: string = DEFAULT_TIME_ZONE,
): number | null {
  if (patient.dateOfBirth !== null) return ageFromDateOfBirth(patient.dateOfBirth, now, timeZone);
  return patient.ageYears;
}

/** Short display age: `34 y`, or `7 mo` under two years, or `12 d` under one month. */
export function formatAge(dateOfBirth: string, today: string): string {
  const years = ageInYears(dateOfBirth, today);
  if (years >= 2) return `${years} y`;
  const birth = parseIsoDate(dateOfBirth);
  const now = parseIsoDate(today);
  const months = (now.year - birth.year) * 12 + (now.month - birth.month) - (now.day >= birth.day ? 0 : 1);
  if (months >= 1) return `${months} mo`;
  return `${daysBetween(dateOfBirth, today)} d`;
}
