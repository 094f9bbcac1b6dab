/** Who a user is in ClinicDesk. What each role may do lives in `permission.ts`. */
import { z } from 'zod';

/** Every role: the platform owner, clinic staff, and patients using the portal. */
export const Role = z.enum(['super_admin', 'admin', 'doctor', 'receptionist', 'lab_tech', 'patient']);
export type Role = z.infer<typeof Role>;

/** Roles a clinic admin can give to staff accounts of their clinic. */
export const StaffRole = z.enum(['admin', 'doctor', 'receptionist', 'lab_tech']);
export type StaffRole = z.infer<typeof StaffRole>;

/** Human-readable role names for screens and audit views. */
export const roleLabels = {
  super_admin: 'Super admin',
  admin: 'Clinic admin',
  doctor: 'Doctor',
  receptionist: 'Receptionist',
  lab_tech: 'Lab technician',
  patient: 'Patient',
} as const satisfies Record<Role, string>;
