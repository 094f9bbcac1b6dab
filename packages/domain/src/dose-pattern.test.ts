import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DosePattern,
  dosesPerDay,
  foodInstructionLabel,
  parseDosePattern,
  quantityFor,
  renderDoseAmount,
  renderDosePattern,
  unitsPerDay,
} from './dose-pattern';

const bd = { morning: 1, afternoon: 0, evening: 1, night: 0 };

describe('renderDosePattern', () => {
  it('writes three slots, or four when a night dose exists', () => {
    expect(renderDosePattern(bd)).toBe('1-0-1');
    expect(renderDosePattern({ morning: 1, afternoon: 1, evening: 1, night: 0 })).toBe('1-1-1');
    expect(renderDosePattern({ morning: 1, afternoon: 0, evening: 0, night: 1 })).toBe('1-0-0-1');
    expect(renderDosePattern({ morning: 0, afternoon: 0, evening: 0, night: 2 })).toBe('0-0-0-2');
  });

  it('writes fractions with vulgar fraction signs', () => {
    expect(renderDosePattern({ morning: 0.5, afternoon: 0, evening: 0.5, night: 0 })).toBe('½-0-½');
    expect(renderDoseAmount(1.5)).toBe('1½');
    expect(renderDoseAmount(0.25)).toBe('¼');
    expect(renderDoseAmount(2.75)).toBe('2¾');
    expect(renderDoseAmount(3)).toBe('3');
  });

  it('writes SOS', () => {
    expect(renderDosePattern('sos')).toBe('SOS');
  });
});

describe('parseDosePattern', () => {
  it('reads three- and four-slot patterns', () => {
    expect(parseDosePattern('1-0-1')).toEqual(bd);
    expect(parseDosePattern('1-0-0-1')).toEqual({ morning: 1, afternoon: 0, evening: 0, night: 1 });
  });

  it('reads fractions written in several ways, and loose spacing and dashes', () => {
    expect(parseDosePattern('½-0-1½')).toEqual({ morning: 0.5, afternoon: 0, evening: 1.5, night: 0 });
    expect(parseDosePattern('0.5 - 0 - 1/2')).toEqual({ morning: 0.5, afternoon: 0, evening: 0.5, night: 0 });
    expect(parseDosePattern(' 1–1–1 ')).toEqual({ morning: 1, afternoon: 1, evening: 1, night: 0 });
  });

  it('reads SOS and PRN in any case', () => {
    expect(parseDosePattern('sos')).toBe('sos');
    expect(parseDosePattern(' PRN ')).toBe('sos');
  });

  it('rejects what is not a pattern', () => {
    for (const bad of [
      '',
      '1-0',
      '1-0-1-0-1',
      '1-x-1',
      '0-0-0',
      '0.3-0-1',
      '1/0-0-1',
      '21-0-0',
      'bd',
      '-1-0-1',
    ]) {
      expect(parseDosePattern(bad), bad).toBeNull();
    }
  });

  it('round-trips every rendered pattern', () => {
    const amount = fc.integer({ min: 0, max: 80 }).map((n) => n / 4);
    const slots = fc
      .record({ morning: amount, afternoon: amount, evening: amount, night: amount })
      .filter((p) => p.morning + p.afternoon + p.evening + p.night > 0);
    fc.assert(
      fc.property(slots, (pattern) => {
        expect(parseDosePattern(renderDosePattern(pattern))).toEqual(pattern);
      }),
    );
  });
});

describe('DosePattern schema', () => {
  it('accepts slots or sos and refuses empty, negative or odd fractions', () => {
    expect(DosePattern.safeParse(bd).success).toBe(true);
    expect(DosePattern.safeParse('sos').success).toBe(true);
    expect(DosePattern.safeParse({ morning: 0, afternoon: 0, evening: 0, night: 0 }).success).toBe(false);
    expect(DosePattern.safeParse({ ...bd, night: -1 }).success).toBe(false);
    expect(DosePattern.safeParse({ ...bd, night: 0.3 }).success).toBe(false);
    expect(DosePattern.safeParse({ morning: 1, afternoon: 0, evening: 1 }).success).toBe(false);
    expect(DosePattern.safeParse('SOS').success).toBe(false);
  });
});

describe('daily counts', () => {
  it('counts administrations and units per day', () => {
    expect(dosesPerDay(bd)).toBe(2);
    expect(unitsPerDay({ morning: 1.5, afternoon: 0, evening: 0.5, night: 1 })).toBe(3);
    expect(dosesPerDay({ morning: 0.5, afternoon: 0, evening: 0, night: 0 })).toBe(1);
    expect(dosesPerDay('sos')).toBeNull();
    expect(unitsPerDay('sos')).toBeNull();
  });
});

describe('quantityFor', () => {
  it('multiplies units per day by days', () => {
    expect(quantityFor(bd, 5)).toBe(10);
    expect(
      quantityFor({ morning: 1, afternoon: 1, evening: 1, night: 1 }, 7, { medicineType: 'capsule' }),
    ).toBe(28);
  });

  it('rounds part-units up to whole units', () => {
    expect(quantityFor({ morning: 0.5, afternoon: 0, evening: 0, night: 0 }, 5)).toBe(3);
    expect(quantityFor({ morning: 1.5, afternoon: 0, evening: 0, night: 0 }, 3)).toBe(5);
  });

  it('applies units per dose', () => {
    expect(quantityFor(bd, 5, { unitsPerDose: 2 })).toBe(20);
    expect(quantityFor(bd, 5, { unitsPerDose: 0.1 })).toBe(1);
    expect(quantityFor({ morning: 1, afternoon: 1, evening: 1, night: 0 }, 10, { unitsPerDose: 0.1 })).toBe(
      3,
    );
  });

  it('is zero for zero days', () => {
    expect(quantityFor(bd, 0)).toBe(0);
    expect(quantityFor('sos', 0)).toBe(0);
  });

  it('leaves SOS and non-countable forms for a person to fill in', () => {
    expect(quantityFor('sos', 5)).toBeNull();
    for (const medicineType of [
      'syrup',
      'ointment',
      'drops',
      'lotion',
      'powder',
      'soap',
      'inhaler',
      'other',
    ] as const) {
      expect(quantityFor(bd, 5, { medicineType }), medicineType).toBeNull();
    }
    expect(quantityFor(bd, 5, { medicineType: 'injection' })).toBe(10);
  });

  it('refuses invalid days and units per dose', () => {
    expect(() => quantityFor(bd, -1)).toThrow(RangeError);
    expect(() => quantityFor(bd, 2.5)).toThrow(RangeError);
    expect(() => quantityFor(bd, 5, { unitsPerDose: 0 })).toThrow(RangeError);
    expect(() => quantityFor(bd, 5, { unitsPerDose: Number.NaN })).toThrow(RangeError);
  });
});

describe('food instructions', () => {
  it('have printed labels', () => {
    expect(foodInstructionLabel('before_food')).toBe('Before food');
    expect(foodInstructionLabel('after_food')).toBe('After food');
    expect(foodInstructionLabel('with_food')).toBe('With food');
    expect(foodInstructionLabel('any_time')).toBe('Any time');
  });
});
