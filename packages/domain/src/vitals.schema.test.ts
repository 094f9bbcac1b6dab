import { describe, expect, it } from 'vitest';
import { exampleInput } from './test-support';
import { bodyMassIndex, fahrenheitToCelsius, formatBloodPressure, VitalsInput } from './vitals.schema';

const empty = {
  ...exampleInput('vitals'),
  bpSystolic: null,
  bpDiastolic: null,
  pulse: null,
  temperatureC: null,
  spo2: null,
  bloodSugarMgDl: null,
  weightKg: null,
  heightCm: null,
  respiratoryRate: null,
};

describe('Vitals', () => {
  it('needs at least one measurement', () => {
    expect(VitalsInput.safeParse(empty).success).toBe(false);
    expect(VitalsInput.safeParse({ ...empty, pulse: 72 }).success).toBe(true);
  });

  it('needs both blood pressure values, systolic above diastolic', () => {
    expect(VitalsInput.safeParse({ ...empty, bpSystolic: 120 }).success).toBe(false);
    expect(VitalsInput.safeParse({ ...empty, bpSystolic: 80, bpDiastolic: 120 }).success).toBe(false);
    expect(VitalsInput.safeParse({ ...empty, bpSystolic: 120, bpDiastolic: 80 }).success).toBe(true);
  });

  it('catches typing slips with plausibility bounds', () => {
    expect(VitalsInput.safeParse({ ...empty, bpSystolic: 1200, bpDiastolic: 80 }).success).toBe(false);
    expect(VitalsInput.safeParse({ ...empty, temperatureC: 101 }).success).toBe(false);
    expect(VitalsInput.safeParse({ ...empty, spo2: 101 }).success).toBe(false);
    expect(VitalsInput.safeParse({ ...empty, pulse: 72.5 }).success).toBe(false);
  });
});

describe('vitals helpers', () => {
  it('converts °F to °C', () => {
    expect(fahrenheitToCelsius(98.6)).toBe(37);
    expect(fahrenheitToCelsius(101)).toBe(38.3);
  });

  it('computes BMI when weight and height are known', () => {
    expect(bodyMassIndex(58.5, 160)).toBe(22.9);
    expect(bodyMassIndex(null, 160)).toBeNull();
    expect(bodyMassIndex(60, 0)).toBeNull();
  });

  it('formats blood pressure', () => {
    expect(formatBloodPressure({ bpSystolic: 120, bpDiastolic: 80 })).toBe('120/80');
    expect(formatBloodPressure({ bpSystolic: 120, bpDiastolic: null })).toBeNull();
  });
});
