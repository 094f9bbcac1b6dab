import { describe, expect, it } from 'vitest';
import { doctorTokenPrefix, formatToken, parseToken, TokenNumber } from './queue-token';

describe('formatToken', () => {
  it('pads to three digits and grows beyond', () => {
    expect(formatToken(7)).toBe('007');
    expect(formatToken(123)).toBe('123');
    expect(formatToken(1234)).toBe('1234');
  });

  it('adds a doctor prefix', () => {
    expect(formatToken(7, 'B')).toBe('B-007');
    expect(formatToken(7, '')).toBe('007');
  });

  it('refuses invalid numbers and prefixes', () => {
    expect(() => formatToken(0)).toThrow(RangeError);
    expect(() => formatToken(2.5)).toThrow(RangeError);
    expect(() => formatToken(100_000)).toThrow(RangeError);
    expect(() => formatToken(1, 'b')).toThrow(RangeError);
    expect(() => formatToken(1, 'ABCD')).toThrow(RangeError);
  });
});

describe('parseToken', () => {
  it('reads what the slip shows or what a person types', () => {
    expect(parseToken('007')).toEqual({ prefix: null, number: 7 });
    expect(parseToken(' b-7 ')).toEqual({ prefix: 'B', number: 7 });
    expect(parseToken(formatToken(42, 'AA'))).toEqual({ prefix: 'AA', number: 42 });
  });

  it('rejects anything else', () => {
    for (const bad of ['', '000', 'B-', '-7', 'B7', '1-7', 'token 7'])
      expect(parseToken(bad), bad).toBeNull();
  });
});

describe('doctorTokenPrefix', () => {
  it('letters doctors A to Z, then AA onwards', () => {
    expect([0, 1, 25, 26, 27, 51, 52].map(doctorTokenPrefix)).toEqual([
      'A',
      'B',
      'Z',
      'AA',
      'AB',
      'AZ',
      'BA',
    ]);
    expect(doctorTokenPrefix(701)).toBe('ZZ');
    expect(() => doctorTokenPrefix(702)).toThrow(RangeError);
    expect(() => doctorTokenPrefix(-1)).toThrow(RangeError);
  });
});

describe('TokenNumber', () => {
  it('is a positive integer', () => {
    expect(TokenNumber.safeParse(1).success).toBe(true);
    expect(TokenNumber.safeParse(0).success).toBe(false);
    expect(TokenNumber.safeParse(1.5).success).toBe(false);
  });
});
