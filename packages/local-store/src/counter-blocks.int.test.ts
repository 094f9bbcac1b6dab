import { join } from 'node:path';
import { isProvisionalCode } from '@clinicdesk/domain';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalStore } from './local-store';
import type { CounterLease } from './sync-messages';
import { makeTempDir, openReadyStore, patientInput, reception, testIds, uuid } from './test-support';

let temp: ReturnType<typeof makeTempDir>;
let store: LocalStore;
beforeEach(async () => {
  temp = makeTempDir();
  store = await openReadyStore(join(temp.dir, 'clinic.sqlite'));
});
afterEach(async () => {
  await store.close();
  temp.cleanup();
});

function lease(
  n: number,
  counter: CounterLease['counter'],
  scope: string,
  from: number,
  to: number,
): CounterLease {
  return { leaseId: uuid(9000 + n), counter, scope, from, to, issuedAt: '2026-03-14T09:00:00.000Z' };
}

/** Registers a patient whose code comes from the counter, as reception does. */
function register(n: number) {
  return store.write(reception, (w) => {
    const id = uuid(n);
    const assigned = w.nextPatientCode(2026, id);
    w.create('patient', patientInput(id, { patientCode: assigned.code }));
    return assigned;
  }).value;
}

describe('patient codes', () => {
  it('come from leased blocks in order, then turn provisional when the blocks run out', () => {
    expect(store.addCounterBlock(lease(1, 'patient_code', '2026', 41, 42))).toBe(true);
    expect(store.addCounterBlock(lease(2, 'patient_code', '2026', 7, 7))).toBe(true);
    expect(store.counterRemaining('patient_code', '2026')).toBe(3);

    expect([register(1), register(2), register(3)]).toEqual([
      { code: 'PT-SKH-2026-0007', provisional: false, seq: 7 },
      { code: 'PT-SKH-2026-0041', provisional: false, seq: 41 },
      { code: 'PT-SKH-2026-0042', provisional: false, seq: 42 },
    ]);
    expect(store.counterRemaining('patient_code', '2026')).toBe(0);

    const provisional = register(4);
    expect(provisional).toEqual({
      code: expect.stringMatching(/^PT-SKH-2026-P[0-9A-Z]{8}$/),
      provisional: true,
      seq: null,
    });
    expect(isProvisionalCode(provisional.code)).toBe(true);
    expect(store.patients.byId(uuid(4))?.patientCode).toBe(provisional.code);
  });

  it('gives the number back when the write that took it rolls back', () => {
    store.addCounterBlock(lease(1, 'patient_code', '2026', 1, 10));
    expect(() =>
      store.write(reception, (w) => {
        w.nextPatientCode(2026, uuid(1));
        throw new Error('cancelled at the desk');
      }),
    ).toThrow();
    expect(store.counterRemaining('patient_code', '2026')).toBe(10);
    expect(register(2).code).toBe('PT-SKH-2026-0001');
  });

  it('keeps scopes apart and ignores a lease stored twice', () => {
    store.addCounterBlock(lease(1, 'patient_code', '2026', 1, 5));
    expect(store.addCounterBlock(lease(1, 'patient_code', '2026', 1, 5))).toBe(false);
    expect(store.counterRemaining('patient_code', '2026')).toBe(5);
    expect(store.counterRemaining('patient_code', '2027')).toBe(0);
    expect(() => store.counterRemaining('patient_code', '26')).toThrow(RangeError);
    expect(() => store.addCounterBlock(lease(3, 'queue_token', '2026-03-14', 5, 4))).toThrow(RangeError);
  });
});

describe('queue tokens', () => {
  const checkIn = (n: number, doctorId: string) =>
    store.write(reception, (w) => {
      const token = w.nextQueueToken(doctorId, '2026-03-14');
      w.create('visit', {
        id: uuid(n),
        patientId: uuid(1),
        doctorId,
        visitDate: '2026-03-14',
        tokenNumber: token.tokenNumber,
        checkedInAt: '2026-03-14T09:30:00.000Z',
      });
      return token;
    }).value;

  it('come from the day’s block, then are left to the server with a queue position for the slip', () => {
    store.addCounterBlock(lease(1, 'queue_token', '2026-03-14', 1, 2));
    expect(checkIn(10, testIds.doctor)).toEqual({ tokenNumber: 1, provisional: false });
    expect(checkIn(11, testIds.otherDoctor)).toEqual({ tokenNumber: 2, provisional: false });
    expect(store.counterRemaining('queue_token', '2026-03-14')).toBe(0);
    expect(checkIn(12, testIds.doctor)).toEqual({ tokenNumber: null, provisional: true, queuePosition: 2 });
    expect(store.visits.byId(uuid(12))?.tokenNumber).toBeNull();
  });
});
