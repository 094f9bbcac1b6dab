import { describe, expect, it } from 'vitest';
import {
  type CapacityLimits,
  capacityCheck,
  capacityResourceForRole,
  describeUsage,
  formatUsage,
  limitFor,
  usageSummary,
} from './capacity';

describe('capacityCheck', () => {
  it('allows additions up to the limit and reports the room left', () => {
    expect(capacityCheck({ limit: 500, used: 498 })).toEqual({
      ok: true,
      limit: 500,
      used: 498,
      adding: 1,
      remaining: 2,
    });
    expect(capacityCheck({ limit: 500, used: 498, adding: 2 }).ok).toBe(true);
  });

  it('refuses the addition that would pass the limit, with details', () => {
    expect(capacityCheck({ limit: 500, used: 500 })).toEqual({
      ok: false,
      code: 'CAPACITY_EXCEEDED',
      limit: 500,
      used: 500,
      adding: 1,
      remaining: 0,
      excess: 1,
    });
    expect(capacityCheck({ limit: 500, used: 498, adding: 5 })).toMatchObject({
      ok: false,
      remaining: 2,
      excess: 3,
    });
  });

  it('treats a null limit as unlimited', () => {
    expect(capacityCheck({ limit: null, used: 1_000_000, adding: 50 })).toEqual({
      ok: true,
      limit: null,
      used: 1_000_000,
      adding: 50,
      remaining: null,
    });
  });

  it('keeps existing records when a limit is lowered below usage but blocks new ones', () => {
    expect(capacityCheck({ limit: 3, used: 5, adding: 0 })).toMatchObject({ ok: true, remaining: 0 });
    expect(capacityCheck({ limit: 3, used: 5 })).toMatchObject({ ok: false, excess: 3 });
  });

  it('handles a zero limit', () => {
    expect(capacityCheck({ limit: 0, used: 0 })).toMatchObject({ ok: false, excess: 1 });
  });

  it('refuses nonsense counts', () => {
    expect(() => capacityCheck({ limit: 5, used: -1 })).toThrow(RangeError);
    expect(() => capacityCheck({ limit: 5, used: 1, adding: 1.5 })).toThrow(RangeError);
    expect(() => capacityCheck({ limit: -2, used: 1 })).toThrow(RangeError);
  });
});

describe('usage display', () => {
  const limits: CapacityLimits = { maxPatients: 500, maxDoctors: 2, maxReceptionists: 1, maxLabTechs: null };

  it('summarises every resource, counting pending creates against the limit', () => {
    const lines = usageSummary(
      limits,
      { patients: 498, doctors: 2, receptionists: 2, labTechs: 4 },
      { patients: 2 },
    );
    expect(lines.map((l) => l.resource)).toEqual(['patients', 'doctors', 'receptionists', 'labTechs']);
    expect(lines[0]).toEqual({
      resource: 'patients',
      limit: 500,
      used: 498,
      pending: 2,
      remaining: 0,
      atLimit: true,
      overLimit: false,
      label: '498 of 500',
    });
    expect(lines[1]).toMatchObject({ atLimit: true, overLimit: false, remaining: 0 });
    expect(lines[2]).toMatchObject({ atLimit: true, overLimit: true, remaining: 0, label: '2 of 1' });
    expect(lines[3]).toMatchObject({ limit: null, remaining: null, atLimit: false, label: '4 (no limit)' });
  });

  it('writes sentences for the sync banner', () => {
    const [patients, , , labTechs] = usageSummary(
      limits,
      { patients: 498, doctors: 0, receptionists: 0, labTechs: 1 },
      { patients: 2 },
    );
    expect(patients && describeUsage(patients)).toBe('498 of 500 patients, 2 waiting to sync');
    expect(labTechs && describeUsage(labTechs)).toBe('1 lab technicians (no limit)');
    expect(formatUsage(0, 0)).toBe('0 of 0');
  });

  it('maps roles and resources to their limits', () => {
    expect(limitFor(limits, 'doctors')).toBe(2);
    expect(limitFor(limits, 'labTechs')).toBeNull();
    expect(capacityResourceForRole('doctor')).toBe('doctors');
    expect(capacityResourceForRole('lab_tech')).toBe('labTechs');
    expect(capacityResourceForRole('receptionist')).toBe('receptionists');
    expect(capacityResourceForRole('admin')).toBeNull();
    expect(capacityResourceForRole('patient')).toBeNull();
  });
});
