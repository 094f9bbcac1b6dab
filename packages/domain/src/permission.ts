/**
 * The permission matrix: one table, read by the server (which decides) and the desktop (which hides
 * what the user cannot do). Three scopes keep the walls of the design:
 * - `platform`: super admins manage clinics and subscriptions but get no patient-data permission.
 * - `clinic`: staff act on their own clinic's records (the clinic comes from the verified token).
 * - `self`: patients read only their own records through the portal (`portal.*`); the server
 *   filters by the patient linked to the user, never by an id from the request.
 */
import { z } from 'zod';
import type { Role } from './role.schema';

/** Everything a role can be allowed to do. */
export const Permission = z.enum([
  // platform
  'platform.manage',
  'platform.audit.read',
  // clinic administration
  'clinic.settings',
  'clinic.audit.read',
  'staff.manage',
  'device.manage',
  'catalogue.write',
  'report.read',
  // patients and front desk
  'patient.read',
  'patient.write',
  'patient.delete',
  'visit.checkin',
  'visit.status',
  'appointment.write',
  'follow_up.write',
  'document.write',
  // clinical records
  'clinical.read',
  'vitals.write',
  'note.write',
  'diagnosis.write',
  'prescription.write',
  'prescription.finalize',
  'template.write',
  'lab_order.read',
  'lab_order.write',
  'lab_result.write',
  'lab_result.finalize',
  'admission.write',
  'treatment.write',
  'discharge.write',
  // patient portal (own records only)
  'portal.read',
  'portal.document.upload',
]);
export type Permission = z.infer<typeof Permission>;

/** Where a role's permissions apply. */
export type PermissionScope = 'platform' | 'clinic' | 'self';

const frontDesk = [
  'patient.read',
  'patient.write',
  'visit.checkin',
  'visit.status',
  'appointment.write',
  'follow_up.write',
  'document.write',
] as const satisfies readonly Permission[];

/** The matrix itself: each role's permissions. */
export const rolePermissions = {
  super_admin: ['platform.manage', 'platform.audit.read'],
  admin: [
    'clinic.settings',
    'clinic.audit.read',
    'staff.manage',
    'device.manage',
    'catalogue.write',
    'report.read',
    ...frontDesk,
    'patient.delete',
    'clinical.read',
    'lab_order.read',
  ],
  doctor: [
    ...frontDesk,
    'clinical.read',
    'vitals.write',
    'note.write',
    'diagnosis.write',
    'prescription.write',
    'prescription.finalize',
    'template.write',
    'lab_order.read',
    'lab_order.write',
    // Small clinics have no lab technician: the doctor records point-of-care results.
    'lab_result.write',
    'lab_result.finalize',
    'admission.write',
    'treatment.write',
    'discharge.write',
  ],
  // Reception records vitals at the desk (BP, weight) as Indian outpatient clinics commonly do.
  receptionist: [...frontDesk, 'vitals.write'],
  lab_tech: [
    'patient.read',
    'visit.status',
    'document.write',
    'lab_order.read',
    'lab_result.write',
    'lab_result.finalize',
  ],
  patient: ['portal.read', 'portal.document.upload'],
} as const satisfies Record<Role, readonly Permission[]>;

const roleScopes = {
  super_admin: 'platform',
  admin: 'clinic',
  doctor: 'clinic',
  receptionist: 'clinic',
  lab_tech: 'clinic',
  patient: 'self',
} as const satisfies Record<Role, PermissionScope>;

/** True when `role` holds `permission`. */
export function can(role: Role, permission: Permission): boolean {
  const granted: readonly Permission[] = rolePermissions[role];
  return granted.includes(permission);
}

/** All permissions of `role`, without duplicates, in matrix order. */
export function permissionsFor(role: Role): readonly Permission[] {
  return Permission.options.filter((permission) => can(role, permission));
}

/** The scope a role's permissions apply to: platform, its own clinic, or the patient's own records. */
export function roleScope(role: Role): PermissionScope {
  return roleScopes[role];
}
