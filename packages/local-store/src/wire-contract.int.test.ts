// The one place this package touches sync-protocol: proving that what the store hands the sync
// engine is exactly what the server accepts, and that what the server sends fits the store.
import { join } from 'node:path';
import {
  PROTOCOL_VERSION,
  type PullResponse,
  type PushResponse,
  pullResponseSchema,
  pushRequestSchema,
  SCHEMA_VERSION,
} from '@clinicdesk/sync-protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalStore } from './local-store';
import {
  makeTempDir,
  openReadyStore,
  patientInput,
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
});
afterEach(async () => {
  await store.close();
  temp.cleanup();
});

describe('the wire contract', () => {
  it('pending groups form a valid push request', () => {
    store.write(reception, (w) => w.create('patient', patientInput(uuid(1))));
    store.write(reception, (w) => {
      w.update('patient', uuid(1), { city: 'Pune', weightKg: 61.5 });
      w.create('labTest', {
        id: uuid(2),
        name: 'CBC',
        category: 'blood',
        referenceRanges: [{ low: 1, high: 2 }],
      });
      w.create('prescriptionTemplate', {
        id: uuid(3),
        doctorId: testIds.doctor,
        keyword: 'fever',
        name: 'Fever',
        items: [{ medicineName: 'Paracetamol', medicineType: 'tablet', dosePattern: 'sos' }],
      });
    });
    store.write(reception, (w) => w.delete('patient', uuid(1)));

    const request = {
      protocolVersion: PROTOCOL_VERSION,
      schemaVersion: SCHEMA_VERSION,
      groups: store.pendingGroups(200),
    };
    expect(pushRequestSchema.safeParse(request).error?.issues).toBeUndefined();
  });

  it('accepts a parsed pull response and push response as they are', () => {
    const patient = serverPatient(uuid(1), 2);
    const fields = Object.keys(patient);
    const page: PullResponse = pullResponseSchema.parse({
      runs: [{ entity: 'patients', fields, rows: [[7, 2, 'create', ...fields.map((f) => patient[f])]] }],
      hasMore: false,
      nextCursor: 7,
      ackSeq: 0,
      decisions: [],
      clinic: {
        status: 'trial',
        limits: { patients: null, doctors: 2, receptionists: 2, labTechs: null },
        usage: { patients: 1, doctors: 1, receptionists: 1, labTechs: 0 },
        lease: { issuedAt: '2026-03-14T09:00:00.000Z', expiresAt: '2026-03-21T09:00:00.000Z', token: 't' },
      },
    });
    expect(store.applyPull(page)).toMatchObject({ written: 1, cursor: 7 });

    const response: PushResponse = { results: [], ackSeq: 0 };
    expect(store.recordPushResults(response.results, { ackSeq: response.ackSeq }).applied).toBe(0);
  });
});
