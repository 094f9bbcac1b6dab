import { describe, expect, it } from 'vitest';
import { AuditEvent } from './audit-event.schema';

const event = {
  id: '01936b2e-0000-7000-8000-0000000000a1',
  clinicId: '01936b2e-0000-7000-8000-000000000001',
  seq: 1,
  at: '2026-11-28T04:30:00.000Z',
  actorUserId: '01936b2e-0000-7000-8000-000000000002',
  actorRole: 'doctor',
  deviceId: null,
  action: 'patient.update',
  entity: 'patient',
  entityId: '01936b2e-0000-7000-8000-000000000010',
  details: { fields: ['phone'], nested: { ok: true } },
  prevHash: null,
  hash: 'f'.repeat(64),
};

describe('AuditEvent', () => {
  it('accepts clinic and platform events', () => {
    expect(AuditEvent.safeParse(event).success).toBe(true);
    expect(
      AuditEvent.safeParse({ ...event, clinicId: null, actorRole: 'super_admin', action: 'clinic.suspend' })
        .success,
    ).toBe(true);
  });

  it('checks the chain fields and the action name', () => {
    expect(AuditEvent.safeParse({ ...event, seq: 0 }).success).toBe(false);
    expect(AuditEvent.safeParse({ ...event, hash: 'F'.repeat(64) }).success).toBe(false);
    expect(AuditEvent.safeParse({ ...event, prevHash: 'abc' }).success).toBe(false);
    expect(AuditEvent.safeParse({ ...event, action: 'login' }).success).toBe(false);
    expect(AuditEvent.safeParse({ ...event, action: 'Patient.Update' }).success).toBe(false);
    expect(AuditEvent.safeParse({ ...event, details: [1, 2] }).success).toBe(false);
  });
});
