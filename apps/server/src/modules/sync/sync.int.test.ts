import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { formatPatientCode, formatProvisionalPatientCode, uuidv7 } from '@clinicdesk/domain';
import { PROTOCOL_VERSION, SCHEMA_VERSION } from '@clinicdesk/sync-protocol';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPullBody } from '../../testing/pull-body';
import {
  createTestApp,
  type SignedIn,
  type TestApp,
  type TestClinic,
  type TestUser,
} from '../../testing/test-app';
import { LICENCE_LEASE_DAYS } from './push.service';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const versions = { protocolVersion: PROTOCOL_VERSION, schemaVersion: SCHEMA_VERSION };
type Op = Record<string, unknown>;

/** One device of a clinic: signs in and pushes numbered groups, like the sync engine does. */
async function device(clinic: TestClinic, user: TestUser) {
  const session: SignedIn = await t.login(user);
  let seq = 0;
  /** Pushes groups the device dated `createdAt` (its clock when they were written). */
  const pushDated = async (createdAt: Date, ...groups: Op[][]) => {
    const body = {
      ...versions,
      groups: groups.map((ops) => ({
        mutationId: randomUUID(),
        seq: ++seq,
        createdAt: createdAt.toISOString(),
        ops,
      })),
    };
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/sync/push',
      headers: session.headers,
      payload: body,
    });
    return { res, body, json: res.json() };
  };
  const push = (...groups: Op[][]) => pushDated(new Date(), ...groups);
  /** A pull; `json()` checks a 200 body against the protocol's schema and gives its changes as objects. */
  const pull = async (cursor = 0, limit = 1000) => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/v1/sync/pull?cursor=${cursor}&limit=${limit}&protocolVersion=${versions.protocolVersion}&schemaVersion=${versions.schemaVersion}`,
      headers: session.headers,
    });
    return {
      statusCode: res.statusCode,
      json: () => (res.statusCode === 200 ? readPullBody(res.json(), versions.protocolVersion) : res.json()),
    };
  };
  const lease = async (counter: 'patient_code' | 'queue_token', scope: string, size = 10) =>
    (
      await t.app.inject({
        method: 'POST',
        url: '/v1/sync/leases',
        headers: session.headers,
        payload: { ...versions, counter, scope, size },
      })
    ).json();
  return { session, push, pushDated, pull, lease, clinic, user, setSeq: (n: number) => (seq = n) };
}

function patient(registeredBy: string, code: string, fields: Record<string, unknown> = {}): Op {
  const id = uuidv7();
  return {
    op: 'create',
    entity: 'patient',
    id,
    data: {
      patientCode: code,
      firstName: 'Asha',
      lastName: 'Patil',
      ageYears: 34,
      sex: 'female',
      phone: '+919876543210',
      registeredBy,
      ...fields,
    },
  };
}

async function clinicWithStaff(fields: Partial<{ max_patients: number }> = {}) {
  const clinic = await t.createClinic();
  if (fields.max_patients !== undefined) {
    await t.tdb.db.owner
      .updateTable('clinics')
      .set({ max_patients: fields.max_patients })
      .where('id', '=', clinic.id)
      .execute();
  }
  const receptionist = await t.createUser(clinic.id, 'receptionist');
  const doctor = await t.createUser(clinic.id, 'doctor');
  return { clinic, receptionist, doctor };
}

describe('push', () => {
  it('applies a group, answers a retry from memory, and pulls it back with a version', async () => {
    const { clinic, receptionist } = await clinicWithStaff();
    const d = await device(clinic, receptionist);
    const block = await d.lease('patient_code', '2026');
    const op = patient(receptionist.id, formatPatientCode(clinic.code, 2026, block.from));
    const first = await d.push([op]);
    expect(first.res.statusCode).toBe(200);
    expect(first.json).toMatchObject({ ackSeq: 1, results: [{ status: 'applied', seq: 1 }] });
    // The same group again (response lost): a duplicate, not a second patient.
    const retry = await t.app.inject({
      method: 'POST',
      url: '/v1/sync/push',
      headers: d.session.headers,
      payload: first.body,
    });
    expect(retry.json()).toMatchObject({ ackSeq: 1, results: [{ status: 'duplicate' }] });
    const pulled = (await d.pull()).json();
    const rows = pulled.changes.filter((c: { entity: string }) => c.entity === 'patient');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: op.id,
      version: 1,
      op: 'create',
      data: { firstName: 'Asha', patientCode: (op.data as Op).patientCode },
    });
    expect(
      pulled.changes.some(
        (c: { entity: string; data: Op }) => c.entity === 'staff' && c.data.id === receptionist.id,
      ),
    ).toBe(true);
    expect(JSON.stringify(pulled)).not.toContain('password');
    expect(pulled.clinic).toMatchObject({ status: 'trial', usage: { patients: 1 } });
  });

  it('stops at a gap without recording it, and keeps going after a refused group', async () => {
    const { clinic, receptionist } = await clinicWithStaff();
    const d = await device(clinic, receptionist);
    d.setSeq(2);
    const gap = await d.push([
      patient(receptionist.id, formatProvisionalPatientCode(clinic.code, 2026, uuidv7())),
    ]);
    expect(gap.json).toMatchObject({ ackSeq: 0, results: [{ status: 'refused', code: 'SEQUENCE_GAP' }] });
    d.setSeq(0);
    const bad = patient(receptionist.id, 'PT-X-1');
    const good = patient(receptionist.id, formatProvisionalPatientCode(clinic.code, 2026, uuidv7()));
    const res = await d.push([{ ...bad, data: { ...(bad.data as Op), sex: 'unknown' } }], [good]);
    expect(res.json.ackSeq).toBe(2);
    expect(res.json.results[0]).toMatchObject({ status: 'refused', code: 'VALIDATION_FAILED' });
    expect(res.json.results[1]).toMatchObject({ status: 'applied', code: 'CODE_REASSIGNED' });
    const stored = await t.tdb.db.owner
      .selectFrom('sync_groups')
      .select(['seq', 'status'])
      .where('clinic_id', '=', clinic.id)
      .orderBy('seq')
      .execute();
    expect(stored).toEqual([
      { seq: 1, status: 'refused' },
      { seq: 2, status: 'applied' },
    ]);
  });

  it('pulls back each decision as the push answered it; a plain applied one is kept as its columns', async () => {
    const { clinic, receptionist } = await clinicWithStaff();
    const d = await device(clinic, receptionist);
    const block = await d.lease('patient_code', '2026');
    const plain = patient(receptionist.id, formatPatientCode(clinic.code, 2026, block.from));
    const noticed = patient(receptionist.id, formatProvisionalPatientCode(clinic.code, 2026, uuidv7()));
    const bad = patient(receptionist.id, formatPatientCode(clinic.code, 2026, block.from + 1));
    const res = await d.push([plain], [noticed], [{ ...bad, data: { ...(bad.data as Op), sex: 'unknown' } }]);
    expect(res.json.results.map((r: { status: string }) => r.status)).toEqual([
      'applied',
      'applied',
      'refused',
    ]);
    expect(res.json.results[0]).toEqual({
      mutationId: res.body.groups[0]?.mutationId,
      seq: 1,
      status: 'applied',
    });
    expect(res.json.results[1]).toMatchObject({ status: 'applied', code: 'CODE_REASSIGNED' });

    const stored = await t.tdb.db.owner
      .selectFrom('sync_groups')
      .select(['seq', 'status', 'code', 'result'])
      .where('clinic_id', '=', clinic.id)
      .orderBy('seq')
      .execute();
    expect(stored).toEqual([
      { seq: 1, status: 'applied', code: null, result: null },
      { seq: 2, status: 'applied', code: 'CODE_REASSIGNED', result: res.json.results[1] },
      { seq: 3, status: 'refused', code: 'VALIDATION_FAILED', result: res.json.results[2] },
    ]);
    expect((await d.pull()).json().decisions).toEqual(res.json.results);
  });

  it('answers a retried group that was applied with a notice as a plain duplicate, not a refusal', async () => {
    const { clinic, receptionist } = await clinicWithStaff();
    const d = await device(clinic, receptionist);
    const first = await d.push([
      patient(receptionist.id, formatProvisionalPatientCode(clinic.code, 2026, uuidv7())),
    ]);
    expect(first.json.results[0]).toMatchObject({ status: 'applied', code: 'CODE_REASSIGNED' });
    const retry = await t.app.inject({
      method: 'POST',
      url: '/v1/sync/push',
      headers: d.session.headers,
      payload: first.body,
    });
    expect(retry.json().results).toEqual([
      { mutationId: first.body.groups[0]?.mutationId, seq: 1, status: 'duplicate' },
    ]);
  });

  it('replaces a provisional patient code with the next final one', async () => {
    const { clinic, receptionist } = await clinicWithStaff();
    const d = await device(clinic, receptionist);
    const op = patient(receptionist.id, formatProvisionalPatientCode(clinic.code, 2026, uuidv7()));
    const res = await d.push([op]);
    expect(res.json.results[0]).toMatchObject({ status: 'applied', code: 'CODE_REASSIGNED' });
    const row = await t.tdb.db.owner
      .selectFrom('change_log')
      .select('seq')
      .where('clinic_id', '=', clinic.id)
      .where('row_id', '=', op.id as string)
      .executeTakeFirst();
    expect(row).toBeDefined();
    const pulled = (await d.pull()).json();
    const p = pulled.changes.find((c: { id: string }) => c.id === op.id);
    expect(p.data.patientCode).toBe(formatPatientCode(clinic.code, 2026, 1));
  });

  it('merges contact fields, refuses conflicting identity edits, and follows the visit state machine', async () => {
    const { clinic, receptionist, doctor } = await clinicWithStaff();
    const a = await device(clinic, receptionist);
    const b = await device(clinic, receptionist);
    const op = patient(receptionist.id, formatProvisionalPatientCode(clinic.code, 2026, uuidv7()));
    await a.push([op]);
    const id = op.id;
    // Both devices edited offline from the same starting point.
    const fromA = await a.push([
      {
        op: 'update',
        entity: 'patient',
        id,
        changed: { city: 'Pune', firstName: 'Aasha' },
        before: { city: null, firstName: 'Asha' },
        reason: 'Spelling on the card',
      },
    ]);
    expect(fromA.json.results[0].status).toBe('applied');
    const contact = await b.push([
      {
        op: 'update',
        entity: 'patient',
        id,
        changed: { phone: '+919812345678' },
        before: { phone: '+919876543210' },
      },
    ]);
    expect(contact.json.results[0].status).toBe('applied');
    const identity = await b.push([
      { op: 'update', entity: 'patient', id, changed: { firstName: 'Ashaa' }, before: { firstName: 'Asha' } },
    ]);
    expect(identity.json.results[0]).toMatchObject({ status: 'refused', code: 'CONFLICT' });
    // The audit names each applied edit's fields and the user's reason, never the values.
    const editedByA = fromA.body.groups[0]?.mutationId;
    const audited = await t.tdb.db.owner
      .selectFrom('audit_events')
      .select('details')
      .where('clinic_id', '=', clinic.id)
      .where('action', '=', 'sync.push.applied')
      .execute();
    type Audited = { groups: { mutationId: string }[] };
    const event = audited.find((e) => (e.details as Audited).groups.some((g) => g.mutationId === editedByA));
    expect(event?.details).toEqual({
      groups: [
        {
          mutationId: editedByA,
          seq: 2,
          ops: [
            {
              op: 'update',
              entity: 'patient',
              id,
              fields: ['city', 'firstName'],
              reason: 'Spelling on the card',
            },
          ],
        },
      ],
    });
    const row = await t.tdb.db.owner
      .selectFrom('change_log')
      .select('version')
      .where('row_id', '=', id as string)
      .executeTakeFirstOrThrow();
    expect(row.version).toBe(3);
    const pulled = (await b.pull()).json().changes.find((c: { id: string }) => c.id === id);
    expect(pulled.data).toMatchObject({ firstName: 'Aasha', city: 'Pune', phone: '+919812345678' });

    const visitId = uuidv7();
    const today = new Date().toISOString().slice(0, 10);
    await a.push([
      {
        op: 'create',
        entity: 'visit',
        id: visitId,
        data: {
          patientId: id,
          doctorId: doctor.id,
          visitDate: today,
          tokenNumber: null,
          checkedInAt: new Date().toISOString(),
        },
      },
    ]);
    const done = await a.push([
      {
        op: 'update',
        entity: 'visit',
        id: visitId,
        changed: { status: 'done' },
        before: { status: 'waiting' },
      },
    ]);
    expect(done.json.results[0]).toMatchObject({ status: 'refused', code: 'CONFLICT' });
    const start = await a.push([
      {
        op: 'update',
        entity: 'visit',
        id: visitId,
        changed: { status: 'with_doctor' },
        before: { status: 'waiting' },
      },
    ]);
    expect(start.json.results[0].status).toBe('applied');
  });

  it('logs the rows of a refused group again, so the device that sent it pulls the server copy back', async () => {
    const { clinic, receptionist } = await clinicWithStaff();
    const d = await device(clinic, receptionist);
    const op = patient(receptionist.id, formatProvisionalPatientCode(clinic.code, 2026, uuidv7()));
    await d.push([op]);
    const before = (await d.pull()).json();
    const refused = await d.push(
      [{ op: 'delete', entity: 'patient', id: op.id }],
      [patient(receptionist.id, 'PT-NOPE', { sex: 'robot' })],
    );
    expect(refused.json.results.map((r: { code: string }) => r.code)).toEqual([
      'FORBIDDEN',
      'VALIDATION_FAILED',
    ]);
    const after = (await d.pull(before.nextCursor)).json();
    // The same version again, at a new position; nothing for the create the server never had.
    expect(after.changes.map((c: { id: string; version: number }) => [c.id, c.version])).toEqual([
      [op.id, 1],
    ]);
    expect(after.nextCursor).toBeGreaterThan(before.nextCursor);
    const entries = await t.tdb.db.owner
      .selectFrom('change_log')
      .select('seq')
      .where('clinic_id', '=', clinic.id)
      .where('row_id', '=', op.id as string)
      .execute();
    expect(entries).toHaveLength(1);
  });

  it('makes a finalized prescription immutable and accepts an amendment', async () => {
    const { clinic, receptionist, doctor } = await clinicWithStaff();
    const desk = await device(clinic, receptionist);
    const dr = await device(clinic, doctor);
    const p = patient(receptionist.id, formatProvisionalPatientCode(clinic.code, 2026, uuidv7()));
    const visitId = uuidv7();
    await desk.push([
      p,
      {
        op: 'create',
        entity: 'visit',
        id: visitId,
        data: {
          patientId: p.id,
          doctorId: doctor.id,
          visitDate: new Date().toISOString().slice(0, 10),
          tokenNumber: null,
          checkedInAt: new Date().toISOString(),
        },
      },
    ]);
    const rxId = uuidv7();
    const finalizedAt = new Date().toISOString();
    const rx = { visitId, patientId: p.id, doctorId: doctor.id };
    const created = await dr.push([
      {
        op: 'create',
        entity: 'prescription',
        id: rxId,
        data: { ...rx, status: 'final', finalizedAt, advice: 'Rest' },
      },
    ]);
    expect(created.json.results[0].status).toBe('applied');
    const edit = await dr.push([
      {
        op: 'update',
        entity: 'prescription',
        id: rxId,
        changed: { advice: 'More rest' },
        before: { advice: 'Rest' },
      },
    ]);
    expect(edit.json.results[0]).toMatchObject({ status: 'refused', code: 'IMMUTABLE' });
    const amendment = await dr.push([
      {
        op: 'create',
        entity: 'prescription',
        id: uuidv7(),
        data: { ...rx, status: 'final', finalizedAt, advice: 'More rest', amendsId: rxId },
      },
    ]);
    expect(amendment.json.results[0].status).toBe('applied');
    // A receptionist may not write prescriptions at all.
    const forbidden = await desk.push([
      { op: 'create', entity: 'prescription', id: uuidv7(), data: { ...rx } },
    ]);
    expect(forbidden.json.results[0]).toMatchObject({ status: 'refused', code: 'FORBIDDEN' });
  });

  it('writes new records of one table with different fields, JSON values as JSON (an SOS dose too), defaults where a field is left out', async () => {
    const { clinic, receptionist, doctor } = await clinicWithStaff();
    const desk = await device(clinic, receptionist);
    const dr = await device(clinic, doctor);
    const withCity = patient(receptionist.id, formatProvisionalPatientCode(clinic.code, 2026, uuidv7()), {
      city: 'Pune',
    });
    const without = patient(receptionist.id, formatProvisionalPatientCode(clinic.code, 2026, uuidv7()));
    const visitId = uuidv7();
    const registered = await desk.push(
      [withCity],
      [without],
      [
        {
          op: 'create',
          entity: 'visit',
          id: visitId,
          data: {
            patientId: without.id,
            doctorId: doctor.id,
            visitDate: new Date().toISOString().slice(0, 10),
            tokenNumber: null,
            checkedInAt: new Date().toISOString(),
          },
        },
      ],
    );
    expect(registered.json.results.map((r: { status: string }) => r.status)).toEqual([
      'applied',
      'applied',
      'applied',
    ]);
    const rxId = uuidv7();
    const line = (position: number, dosePattern: unknown) => ({
      op: 'create',
      entity: 'prescriptionItem',
      id: uuidv7(),
      data: {
        prescriptionId: rxId,
        position,
        medicineName: 'Paracetamol',
        medicineType: 'tablet',
        strength: '500 mg',
        dosePattern,
        days: 3,
        quantity: position === 0 ? 6 : null,
      },
    });
    const slots = { morning: 1, afternoon: 0, evening: 1, night: 0 };
    const first = line(0, slots);
    const written = await dr.push(
      [
        {
          op: 'create',
          entity: 'prescription',
          id: rxId,
          data: { visitId, patientId: without.id, doctorId: doctor.id, advice: 'Rest' },
        },
      ],
      [first],
      [line(1, 'sos')],
    );
    expect(written.json.results.map((r: { status: string }) => r.status)).toEqual([
      'applied',
      'applied',
      'applied',
    ]);
    const { rows } = await sql<{ position: number; kind: string; pattern: unknown }>`
      SELECT position, jsonb_typeof(dose_pattern) AS kind, dose_pattern AS pattern
      FROM prescription_items WHERE prescription_id = ${rxId} ORDER BY position`.execute(t.tdb.db.owner);
    expect(rows).toEqual([
      { position: 0, kind: 'object', pattern: slots },
      { position: 1, kind: 'string', pattern: 'sos' },
    ]);
    // An edit to an SOS dose is written as JSON too.
    const edited = await dr.push([
      {
        op: 'update',
        entity: 'prescriptionItem',
        id: first.id,
        changed: { dosePattern: 'sos' },
        before: { dosePattern: slots },
      },
    ]);
    expect(edited.json.results[0].status).toBe('applied');
    const { rows: after } = await sql<{ pattern: unknown }>`
      SELECT dose_pattern AS pattern FROM prescription_items WHERE id = ${first.id}`.execute(t.tdb.db.owner);
    expect(after).toEqual([{ pattern: 'sos' }]);
    const { rows: patients } = await sql<{ id: string; city: string | null; status: string }>`
      SELECT id, city, status FROM patients WHERE id IN (${withCity.id}, ${without.id})`.execute(
      t.tdb.db.owner,
    );
    expect(patients.find((r) => r.id === withCity.id)).toMatchObject({ city: 'Pune', status: 'registered' });
    expect(patients.find((r) => r.id === without.id)).toMatchObject({ city: null, status: 'registered' });
  });

  it('decides a request of new records group by group: applied, duplicate and refused each get their own result', async () => {
    const { clinic, receptionist, doctor } = await clinicWithStaff();
    const d = await device(clinic, receptionist);
    const codes = await d.lease('patient_code', '2026');
    const first = patient(receptionist.id, formatPatientCode(clinic.code, 2026, codes.from));
    const earlier = await d.push([first]);
    expect(earlier.json.results[0]).toMatchObject({ status: 'applied' });
    const p2 = patient(receptionist.id, formatPatientCode(clinic.code, 2026, codes.from + 1));
    const sameCode = patient(receptionist.id, formatPatientCode(clinic.code, 2026, codes.from + 1));
    const visit = {
      op: 'create',
      entity: 'visit',
      id: uuidv7(),
      data: {
        patientId: p2.id,
        doctorId: doctor.id,
        visitDate: '2026-03-02',
        tokenNumber: null,
        checkedInAt: new Date().toISOString(),
      },
    };
    const invalid = patient(receptionist.id, formatPatientCode(clinic.code, 2026, codes.from + 2), {
      sex: 'unknown',
    });
    const group = (seq: number, ops: Op[], mutationId: string = randomUUID()) => ({
      mutationId,
      seq,
      createdAt: new Date().toISOString(),
      ops,
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/sync/push',
      headers: d.session.headers,
      payload: {
        ...versions,
        groups: [
          earlier.body.groups[0],
          group(2, [invalid]),
          group(3, [p2, visit]),
          group(4, [first]),
          group(5, [sameCode]),
        ],
      },
    });
    expect(res.json().ackSeq).toBe(5);
    expect(res.json().results).toMatchObject([
      { seq: 1, status: 'duplicate' },
      { seq: 2, status: 'refused', code: 'VALIDATION_FAILED' },
      { seq: 3, status: 'applied', code: 'CODE_REASSIGNED' },
      { seq: 4, status: 'refused', code: 'CONFLICT' },
      { seq: 5, status: 'applied', code: 'CODE_REASSIGNED' },
    ]);
    const { rows } = await sql<{ id: string; patient_code: string }>`
      SELECT id, patient_code FROM patients WHERE clinic_id = ${clinic.id}`.execute(t.tdb.db.owner);
    expect(rows.map((r) => r.id).sort()).toEqual([first.id, p2.id, sameCode.id].sort());
    expect(new Set(rows.map((r) => r.patient_code)).size).toBe(3);
    const decided = await t.tdb.db.owner
      .selectFrom('sync_groups')
      .select(['seq', 'status'])
      .where('clinic_id', '=', clinic.id)
      .orderBy('seq')
      .execute();
    expect(decided.map((r) => r.status)).toEqual(['applied', 'refused', 'applied', 'refused', 'applied']);
  });

  it('refuses only the group the database rejects, and a reference to a record of a later group', async () => {
    const { clinic, receptionist, doctor } = await clinicWithStaff();
    const d = await device(clinic, receptionist);
    const p1 = patient(receptionist.id, formatProvisionalPatientCode(clinic.code, 2026, uuidv7()));
    const p2 = patient(receptionist.id, formatProvisionalPatientCode(clinic.code, 2026, uuidv7()));
    const visitOf = (patientId: unknown) => ({
      op: 'create',
      entity: 'visit',
      id: uuidv7(),
      data: {
        patientId,
        doctorId: doctor.id,
        visitDate: '2026-03-02',
        tokenNumber: null,
        checkedInAt: new Date().toISOString(),
      },
    });
    // The database refuses a visit of an unknown patient.
    const unknown = await d.push([p1], [visitOf(uuidv7())], [visitOf(p1.id)]);
    expect(unknown.json.ackSeq).toBe(3);
    expect(unknown.json.results).toMatchObject([
      { status: 'applied' },
      { status: 'refused', code: 'NOT_FOUND' },
      { status: 'applied' },
    ]);
    // A visit of a patient registered only in a later group: refused as if pushed one at a time.
    const later = await d.push([visitOf(p2.id)], [p2]);
    expect(later.json.ackSeq).toBe(5);
    expect(later.json.results).toMatchObject([
      { status: 'refused', code: 'NOT_FOUND' },
      { status: 'applied' },
    ]);
    const { rows: visits } = await sql<{ patient_id: string; token_number: number }>`
      SELECT patient_id, token_number FROM visits WHERE clinic_id = ${clinic.id}`.execute(t.tdb.db.owner);
    expect(visits).toEqual([{ patient_id: p1.id, token_number: 1 }]);
    const log = await t.tdb.db.owner
      .selectFrom('change_log')
      .select('seq')
      .where('clinic_id', '=', clinic.id)
      .orderBy('seq')
      .execute();
    const seqs = log.map((r) => Number(r.seq));
    expect(seqs).toEqual(seqs.map((_, i) => (seqs[0] ?? 0) + i));
  });

  it('refuses timestamps far in the future', async () => {
    const { clinic, receptionist } = await clinicWithStaff();
    const d = await device(clinic, receptionist);
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/sync/push',
      headers: d.session.headers,
      payload: {
        ...versions,
        groups: [
          {
            mutationId: randomUUID(),
            seq: 1,
            createdAt: future,
            ops: [patient(receptionist.id, 'PT-X-2026-0001')],
          },
        ],
      },
    });
    expect(res.json().results[0]).toMatchObject({ status: 'refused', code: 'VALIDATION_FAILED' });
  });
});

describe('push of new records written together', () => {
  const date = '2026-03-02';
  const visitOf = (doctorId: string, patientId: unknown, tokenNumber: number | null): Op => ({
    op: 'create',
    entity: 'visit',
    id: uuidv7(),
    data: { patientId, doctorId, visitDate: date, tokenNumber, checkedInAt: new Date().toISOString() },
  });

  /** The device's leased patient codes and queue tokens, handed out in order like the desktop does. */
  async function leased(d: Awaited<ReturnType<typeof device>>) {
    const codes = await d.lease('patient_code', '2026', 50);
    const tokens = await d.lease('queue_token', date, 50);
    let code = codes.from;
    let token = tokens.from;
    return {
      patient: (fields: Record<string, unknown> = {}) =>
        patient(d.user.id, formatPatientCode(d.clinic.code, 2026, code++), fields),
      token: () => token++,
    };
  }

  async function changeLog(clinicId: string) {
    return t.tdb.db.owner
      .selectFrom('change_log')
      .select(['seq', 'row_id'])
      .where('clinic_id', '=', clinicId)
      .orderBy('seq')
      .execute();
  }

  it('writes text with quotes, backslashes and other scripts as typed, and decides each group once', async () => {
    const { clinic, receptionist } = await clinicWithStaff();
    const d = await device(clinic, receptionist);
    const next = await leased(d);
    const names = ["D'Souza", 'C:\\clinic\\', 'रमेश "Ramesh" पाटील', "O''Brien \\' end"];
    const ops = names.map((lastName) => next.patient({ lastName }));
    const res = await d.push(...ops.map((op) => [op]));
    expect(res.json.results.map((r: { status: string }) => r.status)).toEqual(names.map(() => 'applied'));
    const { rows } = await sql<{ id: string; last_name: string }>`
      SELECT id, last_name FROM patients WHERE clinic_id = ${clinic.id}`.execute(t.tdb.db.owner);
    expect(new Map(rows.map((r) => [r.id, r.last_name]))).toEqual(
      new Map(ops.map((op, i) => [op.id, names[i]])),
    );
    const decided = await t.tdb.db.owner
      .selectFrom('sync_groups')
      .select('seq')
      .where('clinic_id', '=', clinic.id)
      .execute();
    expect(decided).toHaveLength(names.length);
  });

  it('applies registrations and check-ins without notices, logs each row once and audits every group', async () => {
    const { clinic, receptionist, doctor } = await clinicWithStaff();
    const d = await device(clinic, receptionist);
    const next = await leased(d);
    const groups: Op[][] = [];
    for (let i = 0; i < 6; i++) {
      const p = next.patient();
      groups.push([p], [visitOf(doctor.id, p.id, next.token())]);
    }
    const before = (await changeLog(clinic.id)).length;
    const res = await d.push(...groups);
    expect(res.json.ackSeq).toBe(12);
    expect(res.json.results).toEqual(
      res.body.groups.map((g) => ({ mutationId: g.mutationId, seq: g.seq, status: 'applied' })),
    );
    const log = await changeLog(clinic.id);
    const seqs = log.map((r) => Number(r.seq));
    expect(seqs).toEqual(seqs.map((_, i) => (seqs[0] ?? 0) + i));
    const ids = groups.map((ops) => (ops[0] as { id: string }).id);
    expect(
      log
        .slice(before)
        .map((r) => r.row_id)
        .sort(),
    ).toEqual([...ids].sort());
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM visits WHERE clinic_id = ${clinic.id}`.execute(t.tdb.db.owner);
    expect(rows[0]?.n).toBe(6);
    const audit = await t.tdb.db.owner
      .selectFrom('audit_events')
      .select(['details'])
      .where('clinic_id', '=', clinic.id)
      .where('action', '=', 'sync.push.applied')
      .execute();
    expect(audit).toHaveLength(1);
    type Audited = { groups: { mutationId: string; ops: { id: string }[] }[] };
    const audited = (audit[0]?.details as Audited | undefined)?.groups ?? [];
    expect(audited.map((g) => g.mutationId)).toEqual(res.body.groups.map((g) => g.mutationId));
    expect(audited.map((g) => g.ops[0]?.id)).toEqual(ids);
  });

  it('refuses only the group the database rejects when the others of the request are written together', async () => {
    const { clinic, receptionist, doctor } = await clinicWithStaff();
    const d = await device(clinic, receptionist);
    const next = await leased(d);
    const p1 = next.patient();
    const p2 = next.patient();
    const p3 = next.patient();
    const orphanToken = next.token();
    const res = await d.push(
      [p1],
      [visitOf(doctor.id, p1.id, next.token())],
      [visitOf(doctor.id, uuidv7(), orphanToken)],
      [p2],
      [visitOf(doctor.id, p2.id, next.token())],
      // A visit of a patient registered only in a later group of the same request.
      [visitOf(doctor.id, p3.id, next.token())],
      [p3],
    );
    expect(res.json.ackSeq).toBe(7);
    expect(res.json.results.map((r: { status: string; code?: string }) => r.code ?? r.status)).toEqual([
      'applied',
      'applied',
      'NOT_FOUND',
      'applied',
      'applied',
      'NOT_FOUND',
      'applied',
    ]);
    const { rows: visits } = await sql<{ patient_id: string }>`
      SELECT patient_id FROM visits WHERE clinic_id = ${clinic.id} ORDER BY token_number`.execute(
      t.tdb.db.owner,
    );
    expect(visits.map((v) => v.patient_id)).toEqual([p1.id, p2.id]);
    const seqs = (await changeLog(clinic.id)).map((r) => Number(r.seq));
    expect(seqs).toEqual(seqs.map((_, i) => (seqs[0] ?? 0) + i));
    // The refused visit's token is still free: a later check-in may use it.
    const later = await d.push([visitOf(doctor.id, p3.id, orphanToken)]);
    expect(later.json.results[0]).toEqual({
      mutationId: later.body.groups[0]?.mutationId,
      seq: 8,
      status: 'applied',
    });
  });

  it('refuses a registration of a record the server already has, the others of the request applying', async () => {
    const { clinic, receptionist } = await clinicWithStaff();
    const d = await device(clinic, receptionist);
    const next = await leased(d);
    const p1 = next.patient();
    await d.push([p1]);
    const again = {
      ...p1,
      data: { ...(p1.data as Op), patientCode: (next.patient().data as Op).patientCode },
    };
    const p2 = next.patient();
    const p3 = next.patient();
    const res = await d.push([p2], [again], [p3]);
    expect(res.json.results.map((r: { status: string; code?: string }) => r.code ?? r.status)).toEqual([
      'applied',
      'CONFLICT',
      'applied',
    ]);
    const { rows } = await sql<{ id: string }>`
      SELECT id FROM patients WHERE clinic_id = ${clinic.id}`.execute(t.tdb.db.owner);
    expect(rows.map((r) => r.id).sort()).toEqual([p1.id, p2.id, p3.id].sort());
  });

  it('applies a group that registers and checks in together, and refuses one that checks in before registering', async () => {
    const { clinic, receptionist, doctor } = await clinicWithStaff();
    const d = await device(clinic, receptionist);
    const next = await leased(d);
    const p1 = next.patient();
    const p2 = next.patient();
    const p3 = next.patient();
    const res = await d.push(
      [p1, visitOf(doctor.id, p1.id, next.token())],
      [visitOf(doctor.id, p2.id, next.token()), p2],
      [p3, visitOf(doctor.id, p3.id, next.token())],
    );
    expect(res.json.results.map((r: { status: string; code?: string }) => r.code ?? r.status)).toEqual([
      'applied',
      'NOT_FOUND',
      'applied',
    ]);
    const { rows } = await sql<{ patient_id: string }>`
      SELECT patient_id FROM visits WHERE clinic_id = ${clinic.id} ORDER BY token_number`.execute(
      t.tdb.db.owner,
    );
    expect(rows.map((r) => r.patient_id)).toEqual([p1.id, p3.id]);
  });

  it('refuses a check-in dated on a day that does not exist, and only that group', async () => {
    const { clinic, receptionist, doctor } = await clinicWithStaff();
    const d = await device(clinic, receptionist);
    const next = await leased(d);
    const p = next.patient();
    const res = await d.push(
      [p],
      [
        {
          ...visitOf(doctor.id, p.id, 7),
          data: { ...(visitOf(doctor.id, p.id, 7).data as Op), visitDate: '2026-02-30' },
        },
      ],
      [visitOf(doctor.id, p.id, next.token())],
    );
    expect(res.res.statusCode).toBe(200);
    expect(res.json.results.map((r: { status: string; code?: string }) => r.code ?? r.status)).toEqual([
      'applied',
      'VALIDATION_FAILED',
      'applied',
    ]);
  });

  it('refuses the registrations past the capacity and the check-ins of those patients', async () => {
    const { clinic, receptionist, doctor } = await clinicWithStaff({ max_patients: 3 });
    const d = await device(clinic, receptionist);
    const next = await leased(d);
    const first = next.patient();
    await d.push([first]);
    const groups: Op[][] = [];
    for (let i = 0; i < 4; i++) {
      const p = next.patient({ firstName: `P${i}` });
      groups.push([p], [visitOf(doctor.id, p.id, next.token())]);
    }
    const res = await d.push(...groups);
    expect(res.json.results.map((r: { status: string; code?: string }) => r.code ?? r.status)).toEqual([
      'applied',
      'applied',
      'applied',
      'applied',
      'CAPACITY_EXCEEDED',
      'NOT_FOUND',
      'CAPACITY_EXCEEDED',
      'NOT_FOUND',
    ]);
    expect(res.json.results[4]).toMatchObject({ details: { limit: 3, used: 3 } });
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM patients WHERE clinic_id = ${clinic.id}`.execute(t.tdb.db.owner);
    expect(rows[0]?.n).toBe(3);
  });

  it('answers duplicates mixed into a request from the stored decision and applies the new groups once', async () => {
    const { clinic, receptionist, doctor } = await clinicWithStaff();
    const d = await device(clinic, receptionist);
    const next = await leased(d);
    const p1 = next.patient();
    const p2 = next.patient();
    const first = await d.push([p1], [visitOf(doctor.id, uuidv7(), next.token())], [p2]);
    expect(first.json.results.map((r: { status: string }) => r.status)).toEqual([
      'applied',
      'refused',
      'applied',
    ]);
    const [, g2, g3] = first.body.groups;
    const p4 = next.patient();
    const group = (seq: number, ops: Op[]) => ({
      mutationId: randomUUID(),
      seq,
      createdAt: new Date().toISOString(),
      ops,
    });
    // A retried request whose first groups were decided (response lost), then new ones: the last
    // creates the same id as an earlier group of the request, a clash as if pushed one at a time.
    const retried = [
      g2,
      g3,
      group(4, [visitOf(doctor.id, p1.id, next.token())]),
      group(5, [p4]),
      group(6, [
        { ...p4, data: { ...(p4.data as Op), patientCode: (next.patient().data as Op).patientCode } },
      ]),
    ];
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/sync/push',
      headers: d.session.headers,
      payload: { ...versions, groups: retried },
    });
    expect(res.json(), res.body).toMatchObject({ ackSeq: 6 });
    expect(
      res.json().results.map((r: { status: string; code?: string }) => [r.status, r.code].join(' ').trim()),
    ).toEqual(['duplicate NOT_FOUND', 'duplicate', 'applied', 'applied', 'refused CONFLICT']);
    // The whole request again: every group answered from its stored decision, nothing applied twice.
    const again = await t.app.inject({
      method: 'POST',
      url: '/v1/sync/push',
      headers: d.session.headers,
      payload: { ...versions, groups: retried },
    });
    expect(again.json().results.map((r: { status: string }) => r.status)).toEqual(
      retried.map(() => 'duplicate'),
    );
    const applied = await t.tdb.db.owner
      .selectFrom('audit_events')
      .select(['details'])
      .where('clinic_id', '=', clinic.id)
      .where('action', '=', 'sync.push.applied')
      .execute();
    const auditedSeqs = applied.flatMap((a) =>
      (a.details as { groups: { seq: number }[] }).groups.map((g) => g.seq),
    );
    expect(auditedSeqs).toEqual([1, 3, 4, 5]);
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM visits WHERE clinic_id = ${clinic.id}`.execute(t.tdb.db.owner);
    expect(rows[0]?.n).toBe(1);
  });
});

describe('subscription and capacity', () => {
  it('refuses pushes of an expired clinic with SUBSCRIPTION_INACTIVE while pull still works', async () => {
    const { clinic, receptionist } = await clinicWithStaff();
    const d = await device(clinic, receptionist);
    await t.tdb.db.owner
      .updateTable('clinics')
      .set({ subscription_status: 'expired' })
      .where('id', '=', clinic.id)
      .execute();
    const res = await d.push([
      patient(receptionist.id, formatProvisionalPatientCode(clinic.code, 2026, uuidv7())),
    ]);
    expect(res.json.results[0]).toMatchObject({ status: 'refused', code: 'SUBSCRIPTION_INACTIVE' });
    const pulled = await d.pull();
    expect(pulled.statusCode).toBe(200);
    expect(pulled.json().clinic.status).toBe('expired');
  });

  it('takes writes dated before the trial ended for as long as a licence lease lasts, and none dated after', async () => {
    const day = 86_400_000;
    const { clinic, receptionist } = await clinicWithStaff();
    const d = await device(clinic, receptionist);
    const endTrial = (daysAgo: number) =>
      t.tdb.db.owner
        .updateTable('clinics')
        .set({ subscription_status: 'trial', trial_ends_at: new Date(Date.now() - daysAgo * day) })
        .where('id', '=', clinic.id)
        .execute();
    const code = () => formatProvisionalPatientCode(clinic.code, 2026, uuidv7());

    // Ended yesterday: a registration made offline two days ago still counts; one from this
    // morning was made after the end, when the desk's lease had already lapsed.
    await endTrial(1);
    const late = await d.pushDated(new Date(Date.now() - 2 * day), [patient(receptionist.id, code())]);
    expect(late.json.results[0].status).toBe('applied');
    const after = await d.pushDated(new Date(Date.now() - day / 2), [patient(receptionist.id, code())]);
    expect(after.json.results[0]).toMatchObject({ status: 'refused', code: 'SUBSCRIPTION_INACTIVE' });

    // Ended more than a lease ago: a write dated before the end is refused too, so a device whose
    // clock is set back cannot keep writing.
    await endTrial(LICENCE_LEASE_DAYS + 1);
    const backdated = await d.pushDated(new Date(Date.now() - (LICENCE_LEASE_DAYS + 2) * day), [
      patient(receptionist.id, code()),
    ]);
    expect(backdated.json.results[0]).toMatchObject({ status: 'refused', code: 'SUBSCRIPTION_INACTIVE' });
  });

  it('refuses the patient over the limit with CAPACITY_EXCEEDED and the record stays with the refusal', async () => {
    const { clinic, receptionist } = await clinicWithStaff({ max_patients: 1 });
    const d = await device(clinic, receptionist);
    const res = await d.push(
      [patient(receptionist.id, formatProvisionalPatientCode(clinic.code, 2026, uuidv7()))],
      [
        patient(receptionist.id, formatProvisionalPatientCode(clinic.code, 2026, uuidv7()), {
          firstName: 'Ravi',
        }),
      ],
    );
    expect(res.json.results[0].status).toBe('applied');
    expect(res.json.results[1]).toMatchObject({
      status: 'refused',
      code: 'CAPACITY_EXCEEDED',
      details: { limit: 1, used: 1 },
    });
  });
});

describe('tenancy and versions', () => {
  it("never gives clinic B's device a row of clinic A", async () => {
    const a = await clinicWithStaff();
    const b = await clinicWithStaff();
    const da = await device(a.clinic, a.receptionist);
    const db = await device(b.clinic, b.receptionist);
    const op = patient(a.receptionist.id, formatProvisionalPatientCode(a.clinic.code, 2026, uuidv7()));
    await da.push([op]);
    // B tries to edit A's patient by id: not found in B's world.
    const res = await db.push([
      { op: 'update', entity: 'patient', id: op.id, changed: { city: 'X' }, before: { city: null } },
    ]);
    expect(res.json.results[0]).toMatchObject({ status: 'refused', code: 'NOT_FOUND' });
    const pulled = (await db.pull()).json();
    expect(pulled.changes.every((c: { data: Op }) => c.data.clinicId === b.clinic.id)).toBe(true);
    expect(JSON.stringify(pulled)).not.toContain(op.id as string);
  });

  it('refuses a client with a protocol version the server does not know', async () => {
    const { clinic, receptionist } = await clinicWithStaff();
    const d = await device(clinic, receptionist);
    const res = await t.app.inject({
      method: 'GET',
      url: `/v1/sync/pull?cursor=0&protocolVersion=${PROTOCOL_VERSION + 5}&schemaVersion=1`,
      headers: d.session.headers,
    });
    expect(res.statusCode).toBe(400);
  });

  it('takes pushes from a client of the previous protocol and serves it the same changes as change objects', async () => {
    const { clinic, receptionist } = await clinicWithStaff();
    const d = await device(clinic, receptionist);
    const code = formatProvisionalPatientCode(clinic.code, 2026, uuidv7());
    const previous = PROTOCOL_VERSION - 1;
    const pushed = await t.app.inject({
      method: 'POST',
      url: '/v1/sync/push',
      headers: d.session.headers,
      payload: {
        protocolVersion: previous,
        schemaVersion: SCHEMA_VERSION,
        groups: [
          {
            mutationId: randomUUID(),
            seq: 1,
            createdAt: new Date().toISOString(),
            ops: [patient(receptionist.id, code)],
          },
        ],
      },
    });
    expect(pushed.json().results[0]).toMatchObject({ status: 'applied' });
    const pullAt = (protocolVersion: number) =>
      t.app.inject({
        method: 'GET',
        url: `/v1/sync/pull?cursor=0&protocolVersion=${protocolVersion}&schemaVersion=${SCHEMA_VERSION}`,
        headers: d.session.headers,
      });
    const old = await pullAt(previous);
    expect(old.statusCode).toBe(200);
    const oldBody = readPullBody(old.json(), previous);
    const current = readPullBody((await pullAt(PROTOCOL_VERSION)).json(), PROTOCOL_VERSION);
    expect(oldBody.changes).toEqual(current.changes);
    expect(oldBody.changes.some((c) => c.entity === 'patient' && c.data.patientCode !== undefined)).toBe(
      true,
    );
  });

  it('pages a snapshot with a gapless cursor and gzip', async () => {
    const { clinic, receptionist } = await clinicWithStaff();
    const d = await device(clinic, receptionist);
    await d.push(
      ...Array.from({ length: 5 }, () => [
        patient(receptionist.id, formatProvisionalPatientCode(clinic.code, 2026, uuidv7())),
      ]),
    );
    const seen: number[] = [];
    let cursor = 0;
    for (;;) {
      const page = (await d.pull(cursor, 2)).json();
      seen.push(...page.changes.map((c: { seq: number }) => c.seq));
      cursor = page.nextCursor;
      if (!page.hasMore) break;
    }
    expect(seen).toEqual([...seen].sort((x, y) => x - y));
    expect(new Set(seen).size).toBe(seen.length);
    const answer = (acceptEncoding: string, protocolVersion = PROTOCOL_VERSION) =>
      t.app.inject({
        method: 'GET',
        url: `/v1/sync/pull?cursor=0&protocolVersion=${protocolVersion}&schemaVersion=${SCHEMA_VERSION}`,
        headers: { ...d.session.headers, 'accept-encoding': acceptEncoding },
      });
    const plain = await answer('identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toContain('accept-encoding');
    // Gzip even where brotli is offered first (as fetch offers over HTTPS), for either protocol.
    for (const [acceptEncoding, protocolVersion] of [
      ['br, gzip, deflate', PROTOCOL_VERSION],
      ['gzip', PROTOCOL_VERSION - 1],
    ] as const) {
      const gz = await answer(acceptEncoding, protocolVersion);
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gz.headers.vary).toContain('accept-encoding');
      const text = gunzipSync(gz.rawPayload).toString('utf8');
      if (protocolVersion === PROTOCOL_VERSION) expect(JSON.parse(text).runs).toEqual(plain.json().runs);
      else expect(readPullBody(JSON.parse(text), protocolVersion).changes).toHaveLength(seen.length);
    }
  });
});
