/**
 * A user account. Staff belong to one clinic; super admins to none (`clinicId` null); a patient's
 * portal account is linked to their patient record. The entity never carries a password or its
 * hash: those stay inside the server's auth module. Accounts change online only, through REST.
 */
import { z } from 'zod';
import { Email, IsoDateTime, orNull, requiredText, Uuid, Version } from './common.schema';
import { Phone } from './phone';
import { Role, StaffRole } from './role.schema';

/** Login name, unique per clinic: 3–32 lowercase letters, digits, `.`, `_` or `-`. */
export const Username = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{2,31}$/, 'Username is 3–32 lowercase letters, digits, ".", "_" or "-"');
export type Username = z.infer<typeof Username>;

const userFields = {
  username: Username,
  displayName: requiredText(100),
  role: Role,
  isActive: z.boolean().default(true),
  phone: orNull(Phone),
  email: orNull(Email),
  /** The patient record a `patient` account may see; null for every other role. */
  patientId: orNull(Uuid),
};

function clinicMatchesRole(user: { clinicId: string | null; role: Role; patientId: string | null }): boolean {
  if (user.role === 'super_admin') return user.clinicId === null && user.patientId === null;
  if (user.clinicId === null) return false;
  return user.role === 'patient' ? user.patientId !== null : user.patientId === null;
}

/** A user account (no credentials). */
export const User = z
  .object({
    id: Uuid,
    clinicId: Uuid.nullable(),
    version: Version,
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
    deletedAt: IsoDateTime.nullable(),
    ...userFields,
  })
  .refine(clinicMatchesRole, {
    message: 'Super admins have no clinic; staff and patients do; only patient accounts link a patient',
    path: ['role'],
  });
export type User = z.infer<typeof User>;

/** A clinic admin creating a staff account (the auth module adds the password). */
export const StaffUserInput = z
  .object({
    username: Username,
    displayName: requiredText(100),
    role: StaffRole,
    phone: orNull(Phone),
    email: orNull(Email),
  })
  .strict();
export type StaffUserInput = z.input<typeof StaffUserInput>;
