import { describe, expect, it } from 'vitest';
import { StaffUserInput, User, Username } from './user.schema';

const base = {
  id: '01936b2e-0000-7000-8000-000000000002',
  clinicId: '01936b2e-0000-7000-8000-000000000001',
  version: 0,
  createdAt: '2026-11-28T04:30:00.000Z',
  updatedAt: '2026-11-28T04:30:00.000Z',
  deletedAt: null,
  username: 'dr.patil',
  displayName: 'Dr. Patil',
  role: 'doctor',
  isActive: true,
  phone: null,
  email: null,
  patientId: null,
};

describe('User', () => {
  it('ties roles to clinics: super admins have none, everyone else one', () => {
    expect(User.safeParse(base).success).toBe(true);
    expect(User.safeParse({ ...base, clinicId: null }).success).toBe(false);
    expect(User.safeParse({ ...base, role: 'super_admin', clinicId: null }).success).toBe(true);
    expect(User.safeParse({ ...base, role: 'super_admin' }).success).toBe(false);
  });

  it('links patient accounts, and only them, to a patient record', () => {
    const patientId = '01936b2e-0000-7000-8000-000000000010';
    expect(User.safeParse({ ...base, role: 'patient', patientId }).success).toBe(true);
    expect(User.safeParse({ ...base, role: 'patient' }).success).toBe(false);
    expect(User.safeParse({ ...base, patientId }).success).toBe(false);
  });

  it('never carries a password', () => {
    expect(User.parse({ ...base, passwordHash: 'x' })).not.toHaveProperty('passwordHash');
    expect(
      StaffUserInput.safeParse({
        username: 'reception',
        displayName: 'Desk',
        role: 'receptionist',
        password: 'x',
      }).success,
    ).toBe(false);
  });

  it('lets clinic admins create staff roles only', () => {
    expect(StaffUserInput.safeParse({ username: 'lab1', displayName: 'Lab', role: 'lab_tech' }).success).toBe(
      true,
    );
    expect(
      StaffUserInput.safeParse({ username: 'boss', displayName: 'Boss', role: 'super_admin' }).success,
    ).toBe(false);
  });

  it('keeps usernames lowercase and simple', () => {
    for (const good of ['dr.patil', 'reception-1', 'lab_tech'])
      expect(Username.safeParse(good).success, good).toBe(true);
    for (const bad of ['ab', 'Dr.Patil', '.hidden', 'with space', 'a'.repeat(33)])
      expect(Username.safeParse(bad).success, bad).toBe(false);
  });
});
