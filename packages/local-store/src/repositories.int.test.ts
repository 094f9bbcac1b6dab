import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalStore } from './local-store';
import {
  change,
  makeTempDir,
  openReadyStore,
  patientInput,
  pullPage,
  reception,
  serverPatient,
  testIds,
  uuid,
} from './test-support';

let temp: ReturnType<typeof makeTempDir>;
let store: LocalStore;
beforeEach(async () => {
  temp = makeTempDir();
  store = await openReadyStore(join(temp.dir, 'clinic.sqlite'));
  store.write(reception, (w) => {
    w.create(
      'patient',
      patientInput(uuid(1), { firstName: 'Asha', lastName: 'Patil', phone: '+919876543210' }),
    );
    w.create(
      'patient',
      patientInput(uuid(2), {
        firstName: 'Bala',
        lastName: null,
        phone: '+919000000000',
        altPhone: '+919876543210',
      }),
    );
    const visit = (
      n: number,
      patient: number,
      doctorId: string,
      date: string,
      token: number | null,
      at: string,
    ) =>
      w.create('visit', {
        id: uuid(n),
        patientId: uuid(patient),
        doctorId,
        visitDate: date,
        tokenNumber: token,
        checkedInAt: `${date}T${at}:00.000Z`,
      });
    visit(10, 1, testIds.doctor, '2026-03-14', 2, '09:10');
    visit(11, 2, testIds.doctor, '2026-03-14', 1, '09:20');
    visit(12, 2, testIds.doctor, '2026-03-14', null, '09:05');
    visit(13, 1, testIds.otherDoctor, '2026-03-14', 1, '09:00');
    visit(14, 1, testIds.doctor, '2026-02-01', 4, '11:00');
    w.create('appointment', {
      id: uuid(20),
      patientId: uuid(1),
      doctorId: testIds.doctor,
      date: '2026-03-15',
      startTime: '11:30',
    });
    w.create('appointment', {
      id: uuid(21),
      patientId: uuid(2),
      doctorId: testIds.doctor,
      date: '2026-03-15',
      startTime: '10:00',
    });
    w.create('appointment', {
      id: uuid(22),
      patientId: uuid(2),
      doctorId: testIds.otherDoctor,
      date: '2026-03-15',
      startTime: '10:00',
    });
  });
});
afterEach(async () => {
  await store.close();
  temp.cleanup();
});

describe('patients', () => {
  it('finds a patient by id and by code, never a deleted one', () => {
    expect(store.patients.byId(uuid(1))?.firstName).toBe('Asha');
    expect(store.patients.byCode('pt-skh-2026-0001 ')?.id).toBe(uuid(1));
    store.write(reception, (w) => w.delete('patient', uuid(1)));
    expect(store.patients.byId(uuid(1))).toBeNull();
  });

  it('finds possible duplicates by a phone number typed in any common form', () => {
    expect(store.patients.byPhone('98765 43210').map((patient) => patient.id)).toEqual([uuid(1), uuid(2)]);
    expect(store.patients.byPhone('+91 90000-00000').map((patient) => patient.id)).toEqual([uuid(2)]);
    expect(store.patients.byPhone('12')).toEqual([]);
  });
});

describe('visits', () => {
  it("lists a doctor's queue for a day by token, with patient names, untokened last", () => {
    const queue = store.visits.queueOfDoctor(testIds.doctor, '2026-03-14');
    expect(queue.map((entry) => [entry.visit.tokenNumber, entry.patient?.fullName])).toEqual([
      [1, 'Bala'],
      [2, 'Asha Patil'],
      [null, 'Bala'],
    ]);
    expect(queue[1]?.patient).toMatchObject({ id: uuid(1), patientCode: 'PT-SKH-2026-0001', sex: 'female' });
  });

  it('shows a visit whose patient has not arrived yet without a patient', () => {
    store.applyPull(
      pullPage([
        change(1, 'visits', {
          id: uuid(30),
          version: 1,
          patientId: uuid(99),
          doctorId: testIds.otherDoctor,
          visitDate: '2026-03-16',
          status: 'waiting',
          checkedInAt: '2026-03-16T09:00:00.000Z',
        }),
      ]),
    );
    expect(store.visits.queueOfDoctor(testIds.otherDoctor, '2026-03-16')).toEqual([
      { visit: expect.objectContaining({ id: uuid(30), patientId: uuid(99) }), patient: null },
    ]);
  });

  it("lists a patient's visits newest first", () => {
    expect(store.visits.historyOfPatient(uuid(1)).map((visit) => visit.id)).toEqual([
      uuid(10),
      uuid(13),
      uuid(14),
    ]);
    expect(store.visits.historyOfPatient(uuid(1), { limit: 1 })).toHaveLength(1);
  });
});

describe('appointments', () => {
  it("lists a doctor's appointments for a day by start time", () => {
    store.applyPull(pullPage([change(1, 'patients', serverPatient(uuid(3), 1))]));
    expect(
      store.appointments
        .byDoctorAndDay(testIds.doctor, '2026-03-15')
        .map((entry) => [entry.appointment.startTime, entry.patient?.fullName, entry.appointment.status]),
    ).toEqual([
      ['10:00', 'Bala', 'booked'],
      ['11:30', 'Asha Patil', 'booked'],
    ]);
    expect(store.appointments.byId(uuid(22))?.doctorId).toBe(testIds.otherDoctor);
  });
});
