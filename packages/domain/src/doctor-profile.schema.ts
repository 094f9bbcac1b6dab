/** Professional details of a doctor account, printed on the letterhead and prescriptions. */
import type { z } from 'zod';
import { optionalText, Uuid } from './common.schema';
import { entityInput, entityPatch, entitySchema } from './sync-columns.schema';

const doctorProfileFields = {
  userId: Uuid,
  specialization: optionalText(200),
  /** Medical licence number; unique within a clinic. */
  licenceNumber: optionalText(100),
  qualification: optionalText(200),
  registrationCouncil: optionalText(200),
};

/** A doctor's profile. */
export const DoctorProfile = entitySchema(doctorProfileFields);
export type DoctorProfile = z.infer<typeof DoctorProfile>;

/** Creating a doctor's profile. */
export const DoctorProfileInput = entityInput(doctorProfileFields);
export type DoctorProfileInput = z.input<typeof DoctorProfileInput>;

/** Editing a doctor's profile. */
export const DoctorProfilePatch = entityPatch(doctorProfileFields);
export type DoctorProfilePatch = z.infer<typeof DoctorProfilePatch>;
