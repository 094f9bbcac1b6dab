import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalStore } from './local-store';
import {
  change,
  countRows,
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
});
afterEach(async () => {
  await store.close();
  temp.cleanup();
});

describe('store.applyPull', () => {
  it('inserts new rows and replaces them only with newer versions', () => {
    store.applyPull(pullPage([change(1, 'patients', serverPatient(uuid(1), 3, { city: 'Pune' }))]));
    const stale = store.applyPull(
      pullPage([change(2, 'patients', serverPatient(uuid(1), 2, { city: 'Old' }))]),
    );
    const same = store.applyPull(
      pullPage([change(3, 'patients', serverPatient(uuid(1), 3, { city: 'Same' }))]),
    );
    expect([stale.skipped, same.skipped]).toEqual([1, 1]);
    expect(store.patients.byId(uuid(1))).toMatchObject({ version: 3, city: 'Pune', ageYears: 40 });

    const newer = store.applyPull(
      pullPage([change(4, 'patients', serverPatient(uuid(1), 4, { city: 'Nashik' }))]),
    );
    expect(newer).toMatchObject({ written: 1, skipped: 0, cursor: 4 });
    expect(store.patients.byId(uuid(1))).toMatchObject({ version: 4, city: 'Nashik' });
  });

  it('accepts snake_case rows and every spelling of the entity name, ignoring unknown columns', () => {
    const snake = {
      id: uuid(2),
      clinic_id: testIds.clinic,
      version: 1,
      name: 'Haemoglobin',
      category: 'blood',
      reference_ranges: [{ sex: 'female', low: 12, high: 15 }],
      price: '150.50',
      is_active: false,
      created_at: '2026-03-01T08:00:00.000Z',
      updated_at: '2026-03-01T08:00:00.000Z',
      deleted_at: null,
      colour_of_tube: 'purple',
    };
    const report = store.applyPull(
      pullPage([
        change(1, 'lab_tests', snake),
        change(2, 'labTest', { ...snake, id: uuid(3), version: 1 }),
        change(3, 'lab_test', { ...snake, id: uuid(4), version: 1 }),
        change(4, 'gadgets', { id: uuid(5), version: 1 }),
      ]),
    );
    expect(report.written).toBe(3);
    expect(report.unknownEntities).toEqual({ gadgets: 1 });
    expect(store.get('labTest', uuid(2))).toMatchObject({
      referenceRanges: [{ sex: 'female', low: 12, high: 15 }],
      price: 150.5,
      isActive: false,
    });
  });

  it('indexes pulled patients for search, following renames', () => {
    store.applyPull(
      pullPage([
        change(1, 'patients', serverPatient(uuid(1), 1)),
        change(2, 'patients', serverPatient(uuid(2), 1, { firstName: 'Sunita' })),
      ]),
    );
    expect(store.searchPatients('ravi kumar').map((result) => result.patient.id)).toEqual([uuid(1)]);
    store.applyPull(pullPage([change(3, 'patients', serverPatient(uuid(1), 2, { firstName: 'Rahul' }))]));
    expect(store.searchPatients('ravi')).toEqual([]);
    expect(store.searchPatients('rahul').map((result) => result.patient.id)).toEqual([uuid(1)]);
    expect(store.searchPatients('sunita').map((result) => result.patient.id)).toEqual([uuid(2)]);
    // Per-row indexing is back on for local writes.
    store.write(reception, (w) => w.update('patient', uuid(2), { firstName: 'Savita' }));
    expect(store.searchPatients('savita').map((result) => result.patient.id)).toEqual([uuid(2)]);
    expect(store.searchPatients('sunita')).toEqual([]);
  });

  it('indexes a large page of patients in bulk, then searches as usual', () => {
    const many = (version: number, firstName: (n: number) => string) =>
      Array.from({ length: 150 }, (_, n) =>
        change(n + 1, 'patient', serverPatient(uuid(n + 1), version, { firstName: firstName(n) })),
      );
    store.applyPull(pullPage(many(1, (n) => `Alpha${n}`)));
    expect(store.searchPatients('alpha7').map((result) => result.patient.firstName)).toEqual(
      expect.arrayContaining(['Alpha7', 'Alpha70']),
    );
    store.applyPull(pullPage(many(2, (n) => `Beta${n}`)));
    expect(store.searchPatients('alpha')).toEqual([]);
    expect(store.searchPatients('beta149').map((result) => result.patient.id)).toEqual([uuid(150)]);
    expect(Number(store.sqlite.prepare('SELECT count(*) FROM patients_fts').pluck().get())).toBe(150);
    // The per-row triggers are back for local writes.
    store.write(reception, (w) => w.update('patient', uuid(1), { firstName: 'Gamma' }));
    expect(store.searchPatients('gamma').map((result) => result.patient.id)).toEqual([uuid(1)]);
    expect(store.searchPatients('beta0')).toEqual([]);
  });

  it('turns a tombstone into a soft-deleted row', () => {
    store.applyPull(pullPage([change(1, 'patients', serverPatient(uuid(1), 1))]));
    store.applyPull(
      pullPage([
        change(
          2,
          'patients',
          { ...serverPatient(uuid(1), 2), deleted_at: '2026-03-02T10:00:00.000Z' },
          'delete',
        ),
      ]),
    );
    expect(store.patients.byId(uuid(1))).toBeNull();
    expect(countRows(store, 'patients')).toBe(1);
    expect(store.searchPatients('Ravi')).toEqual([]);
  });

  it('keeps local edits still in the outbox on top of a newer server row', () => {
    store.applyPull(pullPage([change(1, 'patients', serverPatient(uuid(1), 1, { city: 'Pune' }))]));
    store.write(reception, (w) => w.update('patient', uuid(1), { phone: '+919800000001', city: 'Satara' }));
    store.write(reception, (w) => w.update('patient', uuid(1), { city: 'Wai' }));

    // Another desk changed the email and the city meanwhile.
    const report = store.applyPull(
      pullPage([
        change(2, 'patients', serverPatient(uuid(1), 2, { city: 'Mumbai', email: 'ravi@example.com' })),
      ]),
    );
    expect(report.rebased).toBe(1);
    expect(store.patients.byId(uuid(1))).toMatchObject({
      version: 2,
      email: 'ravi@example.com',
      phone: '+919800000001',
      city: 'Wai',
    });
    // The outbox is untouched: the server still has to decide those groups.
    expect(store.pendingCount()).toBe(2);
  });

  it('keeps a pending local delete, and a local create the server does not have yet', () => {
    store.applyPull(pullPage([change(1, 'patients', serverPatient(uuid(1), 1))]));
    store.write(reception, (w) => {
      w.delete('patient', uuid(1));
      w.create('patient', patientInput(uuid(2)));
    });
    store.applyPull(pullPage([change(2, 'patients', serverPatient(uuid(1), 2, { city: 'Mumbai' }))]));
    expect(store.patients.byId(uuid(1))).toBeNull();
    expect(store.patients.byId(uuid(2))).toMatchObject({ firstName: 'Asha', version: 0 });
  });

  it('stores staff without secrets, doctor profiles and the clinic snapshot, and moves the cursor', () => {
    const staff = {
      id: testIds.doctor,
      clinicId: testIds.clinic,
      version: 1,
      createdAt: '2026-03-01T08:00:00.000Z',
      updatedAt: '2026-03-01T08:00:00.000Z',
      deletedAt: null,
      username: 'dr.mehta',
      displayName: 'Dr. Mehta',
      role: 'doctor',
      isActive: true,
      phone: null,
      email: 'mehta@example.com',
      patientId: null,
      passwordHash: '$argon2id$v=19$secret',
      password_hash: '$argon2id$v=19$secret',
    };
    const profile = {
      id: uuid(7),
      clinicId: testIds.clinic,
      version: 1,
      userId: testIds.doctor,
      specialization: 'General medicine',
      licenceNumber: 'MH-123',
      qualification: 'MBBS',
      registrationCouncil: null,
    };
    const report = store.applyPull(
      pullPage([change(5, 'users', staff), change(6, 'doctor_profiles', profile)], {
        nextCursor: 9,
        ackSeq: 0,
        hasMore: true,
      }),
    );
    expect(report).toMatchObject({ written: 2, cursor: 9, hasMore: true });
    const stored = store.sqlite.prepare('SELECT * FROM staff').all();
    expect(stored).toEqual([expect.objectContaining({ username: 'dr.mehta', role: 'doctor', is_active: 1 })]);
    expect(JSON.stringify(stored)).not.toContain('argon2');
    expect(store.sqlite.prepare('SELECT specialization FROM doctor_profiles').pluck().get()).toBe(
      'General medicine',
    );
    expect(store.clinicInfo()).toMatchObject({
      code: 'SKH',
      status: 'active',
      limits: { patients: 500, doctors: 5, receptionists: 5, labTechs: null },
      usage: { patients: 10 },
      leaseExpiresAt: '2026-03-21T09:00:00.000Z',
      snapshotAt: '2026-03-14T09:30:00.000Z',
    });
    expect(store.syncState()).toMatchObject({
      cursor: 9,
      lastPullAt: '2026-03-14T09:30:00.000Z',
      bootstrap: { status: 'running', rowsDone: 2 },
    });
  });

  it('counts first-sync progress page by page and finishes on the last page', () => {
    store.setSyncState({ bootstrap: { status: 'running', rowsTotal: 3 } });
    store.applyPull(pullPage([change(1, 'patients', serverPatient(uuid(1), 1))], { hasMore: true }));
    expect(store.syncState().bootstrap).toEqual({ status: 'running', rowsDone: 1, rowsTotal: 3 });
    store.applyPull(
      pullPage([
        change(2, 'patients', serverPatient(uuid(2), 1)),
        change(3, 'patients', serverPatient(uuid(3), 1)),
      ]),
    );
    expect(store.syncState()).toMatchObject({ cursor: 3, bootstrap: { status: 'done', rowsDone: 3 } });
    store.applyPull(pullPage([change(4, 'patients', serverPatient(uuid(4), 1))]));
    expect(store.syncState().bootstrap.rowsDone).toBe(3);
  });

  it('updates the clinic profile from a pulled clinic row only when it is newer', () => {
    const clinicRow = (version: number, name: string) => ({
      id: testIds.clinic,
      version,
      code: 'SKH',
      name,
      timezone: 'Asia/Kolkata',
      letterhead_header: 'Santkrupa',
    });
    store.applyPull(pullPage([change(1, 'clinics', clinicRow(2, 'Santkrupa Hospital & Lab'))]));
    store.applyPull(pullPage([change(2, 'clinics', clinicRow(1, 'Old name'))]));
    expect(store.clinicInfo()).toMatchObject({
      name: 'Santkrupa Hospital & Lab',
      profileVersion: 2,
      profile: expect.objectContaining({ letterheadHeader: 'Santkrupa' }),
    });
  });

  it('applies the whole page or nothing of it', () => {
    const bad = { ...serverPatient(uuid(2), 1), id: uuid(2) };
    const page = pullPage([
      change(1, 'patients', serverPatient(uuid(1), 1)),
      { ...change(2, 'patients', bad), version: Number.NaN },
    ]);
    expect(() => store.applyPull(page)).toThrow(/Invalid change at seq 2/);
    expect(countRows(store, 'patients')).toBe(0);
    expect(store.syncState().cursor).toBe(0);
  });

  it("maps a run's fields to columns whatever their order, skipping fields this build does not know", () => {
    const patient = serverPatient(uuid(1), 2, { city: 'Satara' });
    const fields = ['tubeColour', ...Object.keys(patient).reverse()];
    const values = (record: Record<string, unknown>) => ['purple', ...fields.slice(1).map((f) => record[f])];
    const deleted = serverPatient(uuid(2), 3, { firstName: 'Meera', updatedAt: '2026-03-02T10:00:00.000Z' });
    const report = store.applyPull(
      pullPage([], {
        runs: [
          {
            entity: 'patient',
            fields,
            rows: [
              [1, 2, 'update', ...values(patient)],
              [2, 3, 'delete', ...values(deleted)],
            ],
          },
        ],
        nextCursor: 2,
      }),
    );
    expect(report).toMatchObject({ written: 2, cursor: 2 });
    expect(store.patients.byId(uuid(1))).toMatchObject({ version: 2, city: 'Satara', firstName: 'Ravi' });
    // A tombstone without its deletion time is deleted as of its last update.
    expect(
      store.sqlite.prepare('SELECT first_name, deleted_at FROM patients WHERE id = ?').get(uuid(2)),
    ).toEqual({
      first_name: 'Meera',
      deleted_at: '2026-03-02T10:00:00.000Z',
    });
    expect(store.syncState().bootstrap.rowsDone).toBe(2);
  });

  it('refuses a run that names no id field, keeping nothing of the page', () => {
    const patient = serverPatient(uuid(1), 1);
    const fields = Object.keys(patient).filter((f) => f !== 'id');
    const page = pullPage([change(1, 'patients', serverPatient(uuid(2), 1))], {
      runs: [
        ...pullPage([change(1, 'patients', serverPatient(uuid(2), 1))]).runs,
        { entity: 'patient', fields, rows: [[2, 1, 'create', ...fields.map((f) => patient[f])]] },
      ],
      nextCursor: 2,
    });
    expect(() => store.applyPull(page)).toThrow(/Invalid run of patient: its fields name no id/);
    expect(countRows(store, 'patients')).toBe(0);
    expect(store.syncState().cursor).toBe(0);
  });
});
