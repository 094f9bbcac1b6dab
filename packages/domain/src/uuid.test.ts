import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createUuidv7Generator, isUuid, isUuidV7, uuidv7, uuidv7Time } from './uuid';

const zeros = new Uint8Array(10);
const ones = new Uint8Array(10).fill(0xff);

describe('uuidv7', () => {
  it('lays out timestamp, version and variant as RFC 9562 specifies', () => {
    expect(uuidv7(0, zeros)).toBe('00000000-0000-7000-8000-000000000000');
    expect(uuidv7(2 ** 48 - 1, ones)).toBe('ffffffff-ffff-7fff-bfff-ffffffffffff');
    expect(uuidv7(0x0123456789ab, zeros)).toBe('01234567-89ab-7000-8000-000000000000');
  });

  it('embeds the millisecond timestamp it was given', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 48 - 1 }),
        fc.uint8Array({ minLength: 10, maxLength: 10 }),
        (ms, r) => {
          const id = uuidv7(ms, r);
          expect(isUuidV7(id)).toBe(true);
          expect(uuidv7Time(id)).toBe(ms);
        },
      ),
    );
  });

  it('uses crypto randomness by default, so two ids in the same millisecond differ', () => {
    const now = Date.UTC(2026, 10, 28);
    expect(uuidv7(now)).not.toBe(uuidv7(now));
    expect(uuidv7Time(uuidv7())).toBeGreaterThan(now - 1);
  });

  it('refuses timestamps outside 48 bits and short random input', () => {
    expect(() => uuidv7(-1, zeros)).toThrow(RangeError);
    expect(() => uuidv7(2 ** 48, zeros)).toThrow(RangeError);
    expect(() => uuidv7(1.5, zeros)).toThrow(RangeError);
    expect(() => uuidv7(0, new Uint8Array(9))).toThrow(RangeError);
  });

  it('orders ids by creation time when the milliseconds differ', () => {
    expect(uuidv7(1000, ones) < uuidv7(1001, zeros)).toBe(true);
  });
});

describe('createUuidv7Generator', () => {
  it('produces strictly increasing ids within one millisecond and when the clock steps back', () => {
    const times = [5000, 5000, 5000, 4000, 4000, 6000];
    let call = 0;
    const next = createUuidv7Generator({
      now: () => times[call++] ?? 6000,
      random: (n) => new Uint8Array(n).fill(0xff),
    });
    const ids = times.map(() => next());
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(uuidv7Time(ids[3] ?? '')).toBe(5000);
  });

  it('moves to the next millisecond when the 12-bit counter overflows', () => {
    const next = createUuidv7Generator({ now: () => 7000, random: (n) => new Uint8Array(n) });
    const ids = Array.from({ length: 4097 }, () => next());
    expect([...ids].sort()).toEqual(ids);
    expect(uuidv7Time(ids[4095] ?? '')).toBe(7000);
    expect(uuidv7Time(ids[4096] ?? '')).toBe(7001);
  });
});

describe('isUuid', () => {
  it('accepts canonical UUIDs of any version in either case', () => {
    expect(isUuid('123e4567-e89b-12d3-a456-426614174000')).toBe(true);
    expect(isUuid('550E8400-E29B-41D4-A716-446655440000')).toBe(true);
    expect(isUuid(uuidv7())).toBe(true);
  });

  it('rejects malformed strings, wrong variants and the nil UUID', () => {
    expect(isUuid('')).toBe(false);
    expect(isUuid('123e4567e89b12d3a456426614174000')).toBe(false);
    expect(isUuid('123e4567-e89b-12d3-c456-426614174000')).toBe(false);
    expect(isUuid('00000000-0000-0000-0000-000000000000')).toBe(false);
    expect(isUuidV7('123e4567-e89b-12d3-a456-426614174000')).toBe(false);
    expect(uuidv7Time('not-a-uuid')).toBeNull();
  });
});
