import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.policy';

const options = (random: () => number) => ({ baseMs: 1000, maxMs: 60_000, random });

describe('backoffDelay', () => {
  it('doubles the jitter window with each attempt until it reaches the cap', () => {
    const nearlyOne = () => 0.999_999;
    expect(
      [0, 1, 2, 3, 4, 5, 6, 7, 30, 5000].map((attempt) => backoffDelay(attempt, options(nearlyOne))),
    ).toEqual([999, 1999, 3999, 7999, 15_999, 31_999, 59_999, 59_999, 59_999, 59_999]);
  });

  it('is deterministic given the random source', () => {
    expect(
      backoffDelay(
        3,
        options(() => 0.25),
      ),
    ).toBe(2000);
    expect(
      backoffDelay(
        3,
        options(() => 0),
      ),
    ).toBe(0);
  });

  it('stays within [0, min(maxMs, baseMs·2^attempt)) for any attempt and draw', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 2000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (attempt, draw, baseMs, extra) => {
          const maxMs = baseMs + extra;
          const delay = backoffDelay(attempt, { baseMs, maxMs, random: () => draw });
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThan(Math.min(maxMs, baseMs * 2 ** attempt));
        },
      ),
    );
  });

  it.each([
    ['a negative attempt', -1, options(() => 0.5)],
    ['a fractional attempt', 1.5, options(() => 0.5)],
    ['a zero base', 0, { baseMs: 0, maxMs: 10, random: () => 0.5 }],
    ['a cap below the base', 0, { baseMs: 100, maxMs: 10, random: () => 0.5 }],
    ['a random source returning 1', 0, options(() => 1)],
    ['a random source returning NaN', 0, options(() => Number.NaN)],
  ])('refuses %s', (_label, attempt, opts) => {
    expect(() => backoffDelay(attempt, opts)).toThrow(RangeError);
  });
});
