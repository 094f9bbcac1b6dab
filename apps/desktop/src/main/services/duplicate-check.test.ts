import { describe, expect, it } from 'vitest';
import { duplicateReasons, editDistance, normalizeName } from './duplicate-check';

const existing = {
  id: 'p1',
  firstName: 'Sunita',
  lastName: 'Deshmukh',
  ageYears: 42,
  phone: '+919822012345',
  altPhone: '+919822099999',
};

describe('duplicate check', () => {
  it('flags the same mobile number, main or alternate', () => {
    const probe = { firstName: 'Ravi', lastName: 'Deshmukh', ageYears: 12, phone: '+919822012345' };
    expect(duplicateReasons(probe, existing)).toEqual(['same_phone']);
    expect(duplicateReasons({ ...probe, phone: '+919822099999' }, existing)).toEqual(['same_phone']);
  });

  it('flags a similar name with a similar age, spelling variants included', () => {
    for (const [firstName, lastName, ageYears] of [
      ['Sunita', 'Deshmukh', 42],
      ['sunitha', 'deshmuk', 41],
      ['SUNITA', '', 44],
      ['Sunita ', 'Desh-mukh', 40],
    ] as const) {
      expect(duplicateReasons({ firstName, lastName, ageYears, phone: null }, existing)).toEqual([
        'similar_name_age',
      ]);
    }
  });

  it('does not flag a similar name at a different age, or a different name at the same age', () => {
    expect(
      duplicateReasons({ firstName: 'Sunita', lastName: 'Deshmukh', ageYears: 12, phone: null }, existing),
    ).toEqual([]);
    expect(
      duplicateReasons({ firstName: 'Anita', lastName: 'Kulkarni', ageYears: 42, phone: null }, existing),
    ).toEqual([]);
    expect(
      duplicateReasons({ firstName: 'Sunita', lastName: 'Deshmukh', ageYears: null, phone: null }, existing),
    ).toEqual([]);
  });

  it('reports both reasons when both hold', () => {
    const probe = { firstName: 'Sunita', lastName: 'Deshmukh', ageYears: 43, phone: '+919822012345' };
    expect(duplicateReasons(probe, existing)).toEqual(['same_phone', 'similar_name_age']);
  });

  it('compares Devanagari names by letters and marks', () => {
    expect(normalizeName('सुनीता  देशमुख')).toBe('सुनीतादेशमुख');
    const devanagari = { ...existing, firstName: 'सुनीता', lastName: 'देशमुख' };
    expect(
      duplicateReasons({ firstName: 'सुनीता', lastName: 'देशमुख', ageYears: 42, phone: null }, devanagari),
    ).toEqual(['similar_name_age']);
  });

  it('measures edit distance and stops early', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('a', 'abcdefgh', 2)).toBe(3);
  });
});
