/**
 * Phone numbers are stored in E.164 (`+919876543210`) so duplicate checks and search compare like
 * with like. `normalizePhone` turns what a receptionist types into that form; numbers written
 * without a country code are taken as Indian, the market ClinicDesk starts in.
 */
import { z } from 'zod';

/** A phone number in E.164 form: `+`, country code, subscriber number; 8 to 15 digits in all. */
export const Phone = z
  .string()
  .regex(/^\+[1-9]\d{7,14}$/, 'Phone must be in international form, e.g. +919876543210');
export type Phone = z.infer<typeof Phone>;

/** Turns a typed phone number into E.164, assuming India (+91) when no country code is given; null if it cannot be one. */
export function normalizePhone(raw: string): string | null {
  const compact = raw.trim().replace(/[\s().-]/g, '');
  if (compact.length === 0) return null;
  let digits: string;
  if (compact.startsWith('+')) {
    digits = compact.slice(1);
  } else if (compact.startsWith('00')) {
    digits = compact.slice(2);
  } else if (/^\d{10}$/.test(compact)) {
    digits = `91${compact}`;
  } else if (/^0\d{10}$/.test(compact)) {
    // Indian trunk prefix: 0 + STD code + number, or 0 + mobile number.
    digits = `91${compact.slice(1)}`;
  } else if (/^91\d{10}$/.test(compact)) {
    digits = compact;
  } else {
    return null;
  }
  if (!/^[1-9]\d{7,14}$/.test(digits)) return null;
  if (digits.startsWith('91') && digits.length !== 12) return null;
  return `+${digits}`;
}

/** True when the number (typed or E.164) is an Indian mobile number: +91 followed by 10 digits starting 6–9. */
export function isIndianMobile(raw: string): boolean {
  const normalized = normalizePhone(raw);
  return normalized !== null && /^\+91[6-9]\d{9}$/.test(normalized);
}
