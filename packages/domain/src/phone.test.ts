import { describe, expect, it } from 'vitest';
import { isIndianMobile, normalizePhone, Phone } from './phone';

describe('normalizePhone', () => {
  it('turns the ways Indian numbers are typed into E.164', () => {
    for (const typed of [
      '9876543210',
      '98765 43210',
      '+91 98765-43210',
      '09876543210',
      '919876543210',
      '0091 9876543210',
    ]) {
      expect(normalizePhone(typed), typed).toBe('+919876543210');
    }
  });

  it('keeps Indian landlines with their STD code', () => {
    expect(normalizePhone('020 2555 1234')).toBe('+912025551234');
    expect(normalizePhone('(022) 2345-6789')).toBe('+912223456789');
  });

  it('keeps other countries written with a country code', () => {
    expect(normalizePhone('+44 20 7946 0958')).toBe('+442079460958');
    expect(normalizePhone('+1 (415) 555-0100')).toBe('+14155550100');
    expect(normalizePhone('+977 9812345678')).toBe('+9779812345678');
  });

  it('returns null for what cannot be a phone number', () => {
    for (const bad of [
      '',
      '   ',
      '12345',
      'call me',
      '+0 123456789',
      '+91 98765',
      '+1234567890123456',
      '98765432101',
    ]) {
      expect(normalizePhone(bad), bad).toBeNull();
    }
  });
});

describe('isIndianMobile', () => {
  it('accepts 10-digit numbers starting 6 to 9, typed or normalized', () => {
    expect(isIndianMobile('9876543210')).toBe(true);
    expect(isIndianMobile('+916123456789')).toBe(true);
    expect(isIndianMobile('5876543210')).toBe(false);
    expect(isIndianMobile('020 2555 1234')).toBe(false);
    expect(isIndianMobile('+14155550100')).toBe(false);
  });
});

describe('Phone schema', () => {
  it('stores only E.164', () => {
    expect(Phone.safeParse('+919876543210').success).toBe(true);
    expect(Phone.safeParse('9876543210').success).toBe(false);
    expect(Phone.safeParse('+91 98765 43210').success).toBe(false);
  });
});
