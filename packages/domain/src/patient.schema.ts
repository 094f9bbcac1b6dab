/**
 * A patient of one clinic. Identity fields (names, date of birth, sex) refuse conflicting offline
 * edits on the server; contact fields merge field by field. When the patient does not know their
 * date of birth, reception records the age in years instead: one of the two is required.
 */
import { z } from 'zod';
import { Email, IsoDate, optionalText, orNull, requiredText, Uuid } from './common.schema';
import { PatientCode } from './patient-code';
import { Phone } from './phone';
import { entityInput, entityPatch, entitySchema } from './sync-columns.schema';

/** Sex as recorded on the chart. */
export const Sex = z.enum(['male', 'female', 'other']);
export type Sex = z.infer<typeof Sex>;

/** ABO/Rh blood group. */
export const BloodGroup = z.enum(['A+', 'A-', 'B+', 'B-', 'AB+', 'AB-', 'O+', 'O-']);
export type BloodGroup = z.infer<typeof BloodGroup>;

/** Where a patient is in their care at this clinic. */
export const PatientStatus = z.enum(['registered', 'in_diagnosis', 'treatment_started', 'discharged']);
export type PatientStatus = z.infer<typeof PatientStatus>;

const patientFields = {
  patientCode: PatientCode,
  firstName: requiredText(100),
  lastName: optionalText(100),
  dateOfBirth: orNull(IsoDate),
  ageYears: orNull(z.number().int().min(0).max(150)),
  sex: Sex,
  phone: orNull(Phone),
  altPhone: orNull(Phone),
  email: orNull(Email),
  address: optionalText(500),
  city: optionalText(100),
  bloodGroup: orNull(BloodGroup),
  allergies: optionalText(1000),
  weightKg: orNull(z.number().positive().max(500)),
  status: PatientStatus.default('registered'),
  registeredBy: Uuid,
};

function hasDobOrAge(patient: { dateOfBirth: string | null; ageYears: number | null }): boolean {
  return patient.dateOfBirth !== null || patient.ageYears !== null;
}
const dobOrAge = { message: 'Give a date of birth or an age in years', path: ['dateOfBirth'] };

/** A patient record. */
export const Patient = entitySchema(patientFields).refine(hasDobOrAge, dobOrAge);
export type Patient = z.infer<typeof Patient>;

/** Registering a patient. */
export const PatientInput = entityInput(patientFields).refine(hasDobOrAge, dobOrAge);
export type PatientInput = z.input<typeof PatientInput>;

/** Editing a patient. */
export const PatientPatch = entityPatch(patientFields);
export type PatientPatch = z.infer<typeof PatientPatch>;

/** A patient's display name: first and last name joined. */
export function patientFullName(patient: { firstName: string; lastName: string | null }): string {
  return patient.lastName === null || patient.lastName === ''
    ? patient.firstName
    : `${patient.firstName} ${patient.lastName}`;
}
