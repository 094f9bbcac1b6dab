import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalStore, openLocalStore, runsOfChanges } from '@clinicdesk/local-store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReceptionService, type PatientFields, type ReceptionService } from './reception.service';

const CLINIC = '0193a1b2-0000-7000-8000-00000000c001';
const USER = '0193a1b2-0000-7000-8000-00000000a001';
const DOCTOR = '0193a1b2-0000-7000-8000-00000000b001';
const NOW = Date.parse('2026-11-28T05:00:00.000Z'); // 10:30 in Pune
const stamp = '2026-11-01T00:00:00.000Z';

let dir: string;
let store: LocalStore;
let reception: ReceptionService;
let now: number;
let writes: string[][];

function pullSetup(patientLimit: number | null) {
  store.applyPull({
    runs: runsOfChanges([
      {
        seq: 1,
        entity: 'staff',
        id: DOCTOR,
        version: 1,
        op: 'create',
        data: {
          id: DOCTOR,
          clinicId: CLINIC,
          version: 1,
          createdAt: stamp,
          updatedAt: stamp,
          deletedAt: null,
          username: 'dr.kulkarni',
          displayName: 'Dr. Sneha Kulkarni',
          role: 'doctor',
          isActive: true,
          phone: null,
          email: null,
          patientId: null,
        },
      },
    ]),
    hasMore: false,
    nextCursor: 1,
    ackSeq: 0,
    decisions: [],
    clinic: {
      status: 'active',
      limits: { patients: patientLimit, doctors: null, receptionists: null, labTechs: null },
      usage: { patients: 0, doctors: 1, receptionists: 1, labTechs: 0 },
      lease: { issuedAt: stamp, expiresAt: '2026-12-30T00:00:00.000Z', token: 'lease' },
    },
  });
}

const asha: PatientFields = {
  firstName: 'Asha',
  lastName: 'Pawar',
  sex: 'female',
  ageYears: 34,
  dateOfBirth: null,
  phone: '98220 12345',
  altPhone: '',
  email: '',
  address: '',
  city: 'Kothrud',
  bloodGroup: null,
  allergies: '',
  weightKg: null,
};

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cd-reception-'));
  now = NOW;
  store = await openLocalStore({ file: join(dir, 'store.sqlite'), now: () => new Date(now) });
  store.setIdentity({ deviceId: '0193a1b2-0000-7000-8000-00000000d001', clinicId: CLINIC });
  store.setClinicProfile({ id: CLINIC, code: 'SANT', name: 'Santkrupa Clinic', timezone: 'Asia/Kolkata' });
  for (const [counter, scope] of [
    ['patient_code', '2026'],
    ['queue_token', '2026-11-28'],
  ] as const) {
    store.addCounterBlock({ leaseId: crypto.randomUUID(), counter, scope, from: 1, to: 50, issuedAt: stamp });
  }
  pullSetup(null);
  writes = [];
  reception = createReceptionService({
    store,
    now: () => now,
    userId: () => USER,
    wrote: (entities) => writes.push([...entities]),
  });
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('registration', () => {
  it('registers with a leased patient code and a normalised phone, and tells sync', () => {
    const patient = reception.register(asha, []);
    expect(patient).toMatchObject({
      patientCode: 'PT-SANT-2026-0001',
      fullName: 'Asha Pawar',
      phone: '+919822012345',
    });
    expect(writes).toEqual([['patient']]);
    expect(store.pendingCount()).toBe(1);
    expect(reception.search('asha', 20).map((found) => found.id)).toEqual([patient.id]);
    expect(reception.search('12345', 20).map((found) => found.id)).toEqual([patient.id]);
  });

  it('warns about the same phone or a similar name and age until the user acknowledges', () => {
    const first = reception.register(asha, []);
    const twin = { ...asha, firstName: 'Aasha', phone: '' };
    expect(() => reception.register(twin, [])).toThrow(
      expect.objectContaining({ code: 'DUPLICATE_SUSPECTED' }),
    );
    try {
      reception.register({ ...asha, firstName: 'Ravi', ageYears: 8 }, []);
    } catch (error) {
      expect(error).toMatchObject({
        code: 'DUPLICATE_SUSPECTED',
        details: { candidates: [{ patient: { id: first.id }, reasons: ['same_phone'] }] },
      });
    }
    const second = reception.register(twin, [first.id]);
    expect(second.patientCode).toBe('PT-SANT-2026-0002');
  });

  it('stops at the plan limit, counting registrations still waiting to sync', () => {
    pullSetup(2);
    reception.register(asha, []);
    reception.register({ ...asha, firstName: 'Meena', ageYears: 60, phone: '' }, []);
    expect(reception.capacity()).toMatchObject({ used: 0, pending: 2, limit: 2, atLimit: true });
    expect(() => reception.register({ ...asha, firstName: 'Kiran', ageYears: 5, phone: '' }, [])).toThrow(
      expect.objectContaining({ code: 'CAPACITY_REACHED' }),
    );
  });

  it('refuses an invalid phone number naming the field', () => {
    expect(() => reception.register({ ...asha, phone: '12' }, [])).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED', details: { fields: ['phone'] } }),
    );
  });

  it('needs a reason to change identity fields and sends it with the edit, but not for contact fields', () => {
    const patient = reception.register(asha, []);
    expect(reception.update(patient.id, { city: 'Aundh' }, null).city).toBe('Aundh');
    expect(() => reception.update(patient.id, { lastName: 'Shinde' }, null)).toThrow(
      expect.objectContaining({ code: 'REASON_REQUIRED', details: { fields: ['lastName'] } }),
    );
    reception.update(patient.id, { lastName: 'Shinde' }, 'Name after marriage');
    expect(reception.detail(patient.id).summary.fullName).toBe('Asha Shinde');
    const edit = store.pendingGroups(100).at(-1)?.ops[0];
    expect(edit).toMatchObject({
      op: 'update',
      changed: { lastName: 'Shinde' },
      reason: 'Name after marriage',
    });
    expect(
      store
        .pendingGroups(100)
        .flatMap((g) => g.ops)
        .filter((op) => 'reason' in op),
    ).toHaveLength(1);
  });
});

describe('queue', () => {
  it('checks in with the next token and shows the queue with waiting time', () => {
    const patient = reception.register(asha, []);
    const { doctors } = reception.queue();
    expect(doctors.map((entry) => entry.doctor.displayName)).toEqual(['Dr. Sneha Kulkarni']);
    const visitId = reception.checkIn({
      patientId: patient.id,
      doctorId: DOCTOR,
      purpose: 'Fever',
      appointmentId: null,
    });
    now += 12 * 60_000;
    const [entry] = reception.queue().doctors[0]?.entries ?? [];
    expect(entry).toMatchObject({
      visitId,
      token: '001',
      status: 'waiting',
      waitingMinutes: 12,
      purpose: 'Fever',
    });
    expect(entry?.nextStatuses).toEqual(['with_doctor', 'cancelled', 'no_show']);
    expect(reception.queue().date).toBe('2026-11-28');
  });

  it('refuses a second check-in to the same doctor while the first is open', () => {
    const patient = reception.register(asha, []);
    reception.checkIn({ patientId: patient.id, doctorId: DOCTOR, purpose: '', appointmentId: null });
    expect(() =>
      reception.checkIn({ patientId: patient.id, doctorId: DOCTOR, purpose: '', appointmentId: null }),
    ).toThrow(expect.objectContaining({ code: 'ALREADY_CHECKED_IN' }));
  });

  it('moves visits only along the state machine', () => {
    const patient = reception.register(asha, []);
    const visitId = reception.checkIn({
      patientId: patient.id,
      doctorId: DOCTOR,
      purpose: '',
      appointmentId: null,
    });
    expect(() => reception.setVisitStatus(visitId, 'done')).toThrow(
      expect.objectContaining({ code: 'INVALID_TRANSITION' }),
    );
    reception.setVisitStatus(visitId, 'with_doctor');
    reception.setVisitStatus(visitId, 'in_lab');
    reception.setVisitStatus(visitId, 'done');
    expect(reception.detail(patient.id).visits[0]).toMatchObject({ status: 'done', token: '001' });
  });

  it('prints a slip with the token and how many wait ahead', () => {
    const first = reception.register(asha, []);
    const second = reception.register({ ...asha, firstName: 'Meena', ageYears: 60, phone: '' }, []);
    reception.checkIn({ patientId: first.id, doctorId: DOCTOR, purpose: '', appointmentId: null });
    now += 1000;
    const visitId = reception.checkIn({
      patientId: second.id,
      doctorId: DOCTOR,
      purpose: 'BP check',
      appointmentId: null,
    });
    expect(reception.slip(visitId)).toMatchObject({
      clinicName: 'Santkrupa Clinic',
      token: '002',
      ahead: 1,
      doctorName: 'Dr. Sneha Kulkarni',
      patientName: 'Meena Pawar',
      purpose: 'BP check',
    });
  });
});

describe('appointments', () => {
  it('books without double booking, moves, cancels, and turns an arrival into a check-in', () => {
    const patient = reception.register(asha, []);
    const other = reception.register({ ...asha, firstName: 'Meena', ageYears: 60, phone: '' }, []);
    const slot = { doctorId: DOCTOR, date: '2026-11-28', slotMinutes: 15, reason: 'Follow-up' };
    const id = reception.book({ ...slot, patientId: patient.id, startTime: '11:00' });
    expect(() => reception.book({ ...slot, patientId: other.id, startTime: '11:10' })).toThrow(
      expect.objectContaining({ code: 'SLOT_TAKEN' }),
    );
    const otherId = reception.book({ ...slot, patientId: other.id, startTime: '11:15' });
    expect(() =>
      reception.move({ id: otherId, date: '2026-11-28', startTime: '10:50', doctorId: null }),
    ).toThrow(expect.objectContaining({ code: 'SLOT_TAKEN' }));
    reception.move({ id: otherId, date: '2026-11-28', startTime: '12:00', doctorId: null });
    reception.cancel(otherId);
    // A cancelled slot is free again.
    reception.book({ ...slot, patientId: other.id, startTime: '12:00' });

    const visitId = reception.arrive(id, '');
    const day = reception.appointments('2026-11-28').doctors[0]?.appointments ?? [];
    expect(day.map((appointment) => [appointment.startTime, appointment.status])).toEqual([
      ['11:00', 'arrived'],
      ['12:00', 'cancelled'],
      ['12:00', 'booked'],
    ]);
    expect(reception.queue().doctors[0]?.entries[0]).toMatchObject({
      visitId,
      purpose: 'Follow-up',
      fromAppointment: true,
    });
    expect(() => reception.cancel(id)).toThrow(expect.objectContaining({ code: 'INVALID_TRANSITION' }));
  });
});
