/**
 * Vitals taken during a visit. Every measurement is optional, but a record holds at least one.
 * Bounds are wide plausibility limits that catch typing slips (a BP of 1200), not clinical norms.
 * Temperature is stored in °C; `fahrenheitToCelsius` converts what a °F thermometer shows.
 */
import { z } from 'zod';
import { IsoDateTime, orNull, Uuid } from './common.schema';
import { entityInput, entityPatch, entitySchema } from './sync-columns.schema';

const measurement = (min: number, max: number) => orNull(z.number().min(min).max(max));
const wholeMeasurement = (min: number, max: number) => orNull(z.number().int().min(min).max(max));

const vitalsFields = {
  visitId: Uuid,
  patientId: Uuid,
  bpSystolic: wholeMeasurement(40, 300),
  bpDiastolic: wholeMeasurement(20, 200),
  pulse: wholeMeasurement(20, 250),
  temperatureC: measurement(25, 45),
  spo2: wholeMeasurement(30, 100),
  bloodSugarMgDl: measurement(10, 1500),
  weightKg: measurement(0.2, 500),
  heightCm: measurement(20, 272),
  respiratoryRate: wholeMeasurement(4, 80),
  recordedAt: IsoDateTime,
  recordedBy: Uuid,
};

const measurementKeys = [
  'bpSystolic',
  'bpDiastolic',
  'pulse',
  'temperatureC',
  'spo2',
  'bloodSugarMgDl',
  'weightKg',
  'heightCm',
  'respiratoryRate',
] as const;

type Measurements = { [K in (typeof measurementKeys)[number]]: number | null };

function hasMeasurement(vitals: Measurements): boolean {
  return measurementKeys.some((key) => vitals[key] !== null);
}

function bloodPressureConsistent(vitals: Measurements): boolean {
  const { bpSystolic, bpDiastolic } = vitals;
  if (bpSystolic === null && bpDiastolic === null) return true;
  return bpSystolic !== null && bpDiastolic !== null && bpSystolic > bpDiastolic;
}

const atLeastOne = { message: 'Record at least one measurement', path: ['bpSystolic'] };
const bpPair = { message: 'Blood pressure needs systolic above diastolic', path: ['bpDiastolic'] };

/** A set of vitals. */
export const Vitals = entitySchema(vitalsFields)
  .refine(hasMeasurement, atLeastOne)
  .refine(bloodPressureConsistent, bpPair);
export type Vitals = z.infer<typeof Vitals>;

/** Recording vitals. */
export const VitalsInput = entityInput(vitalsFields)
  .refine(hasMeasurement, atLeastOne)
  .refine(bloodPressureConsistent, bpPair);
export type VitalsInput = z.input<typeof VitalsInput>;

/** Correcting vitals before they are part of a finalized record. */
export const VitalsPatch = entityPatch(vitalsFields);
export type VitalsPatch = z.infer<typeof VitalsPatch>;

/** Converts °F to °C, rounded to one decimal. */
export function fahrenheitToCelsius(fahrenheit: number): number {
  return Math.round((((fahrenheit - 32) * 5) / 9) * 10) / 10;
}

/** Body-mass index (kg/m²) rounded to one decimal, or null when weight or height is missing. */
export function bodyMassIndex(weightKg: number | null, heightCm: number | null): number | null {
  if (weightKg === null || heightCm === null || heightCm <= 0) return null;
  const metres = heightCm / 100;
  return Math.round((weightKg / (metres * metres)) * 10) / 10;
}

/** Blood pressure as written on a chart: `120/80`, or null when either value is missing. */
export function formatBloodPressure(vitals: {
  bpSystolic: number | null;
  bpDiastolic: number | null;
}): string | null {
  return vitals.bpSystolic === null || vitals.bpDiastolic === null
    ? null
    : `${vitals.bpSystolic}/${vitals.bpDiastolic}`;
}
