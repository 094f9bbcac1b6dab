import { describe, expect, it } from 'vitest';
import { can, Permission, permissionsFor, rolePermissions, roleScope } from './permission';
import { Role } from './role.schema';

const patientData = Permission.options.filter((p) => !p.startsWith('platform.'));

describe('permission matrix', () => {
  it('gives super admins platform permissions and no access to clinic or patient data', () => {
    expect(permissionsFor('super_admin')).toEqual(['platform.manage', 'platform.audit.read']);
    for (const permission of patientData) expect(can('super_admin', permission)).toBe(false);
    expect(roleScope('super_admin')).toBe('platform');
  });

  it('limits patients to their own records through the portal', () => {
    expect(permissionsFor('patient')).toEqual(['portal.read', 'portal.document.upload']);
    expect(can('patient', 'patient.read')).toBe(false);
    expect(roleScope('patient')).toBe('self');
  });

  it('gives no one but super admins a platform permission', () => {
    for (const role of Role.options.filter((r) => r !== 'super_admin')) {
      expect(can(role, 'platform.manage')).toBe(false);
      expect(roleScope(role)).not.toBe('platform');
    }
  });

  it('lets only doctors write and finalize prescriptions and notes', () => {
    for (const role of Role.options) {
      const isDoctor = role === 'doctor';
      expect(can(role, 'prescription.write')).toBe(isDoctor);
      expect(can(role, 'prescription.finalize')).toBe(isDoctor);
      expect(can(role, 'note.write')).toBe(isDoctor);
    }
  });

  it('lets lab technicians enter results but not read clinical notes or prescribe', () => {
    expect(can('lab_tech', 'lab_result.write')).toBe(true);
    expect(can('lab_tech', 'lab_order.read')).toBe(true);
    expect(can('lab_tech', 'clinical.read')).toBe(false);
    expect(can('lab_tech', 'prescription.write')).toBe(false);
  });

  it('keeps staff, devices and clinic settings with clinic admins', () => {
    for (const permission of [
      'staff.manage',
      'device.manage',
      'clinic.settings',
      'clinic.audit.read',
    ] as const) {
      expect(Role.options.filter((role) => can(role, permission))).toEqual(['admin']);
    }
  });

  it('lets reception register and check in patients but not see clinical records', () => {
    expect(can('receptionist', 'patient.write')).toBe(true);
    expect(can('receptionist', 'visit.checkin')).toBe(true);
    expect(can('receptionist', 'clinical.read')).toBe(false);
    expect(can('receptionist', 'patient.delete')).toBe(false);
  });

  it('lists every granted permission once, in enum order', () => {
    for (const role of Role.options) {
      const listed = permissionsFor(role);
      expect(new Set(listed).size).toBe(listed.length);
      expect([...listed].sort()).toEqual([...new Set(rolePermissions[role])].sort());
    }
  });
});
