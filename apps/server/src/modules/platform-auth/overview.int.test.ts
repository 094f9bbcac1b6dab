import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSuperAdmin } from '../../cli/create-super-admin';
import { enrolAuthenticator } from '../../testing/sessions';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../../testing/test-app';
import { lastMonths } from './overview.repository';

let t: TestApp;
let sa: { authorization: string };

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set('2026-11-20T10:00:00.000Z');
  await createSuperAdmin(t.tdb.db.owner, { username: 'sa.overview', password: TEST_PASSWORD }, 'test');
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { username: 'sa.overview', password: TEST_PASSWORD },
  });
  sa = { authorization: `Bearer ${res.json().accessToken}` };
  await enrolAuthenticator(t.app, sa, t.clock.now);
});
afterAll(async () => {
  await t?.close();
});

const owner = () => t.tdb.db.owner;
const get = (url: string) => t.app.inject({ method: 'GET', url, headers: sa });

async function addPatient(clinicId: string, registeredBy: string, createdAt: string): Promise<string> {
  const id = randomUUID();
  await sql`INSERT INTO patients (clinic_id, id, patient_code, first_name, sex, age_years, registered_by, created_at)
            VALUES (${clinicId}, ${id}, ${`PT-${id.slice(0, 8)}`}, 'Test', 'female', 30, ${registeredBy}, ${createdAt})`.execute(
    owner(),
  );
  return id;
}

async function addVisit(clinicId: string, patientId: string, doctorId: string, day: string, status = 'done') {
  await sql`INSERT INTO visits (clinic_id, id, patient_id, doctor_id, visit_date, status, checked_in_at)
            VALUES (${clinicId}, ${randomUUID()}, ${patientId}, ${doctorId}, ${day}, ${status}, ${`${day}T09:00:00Z`})`.execute(
    owner(),
  );
}

async function refuseGroup(clinicId: string, deviceId: string, seq: number, code: string, decidedAt: string) {
  await owner()
    .insertInto('sync_groups')
    .values({
      clinic_id: clinicId,
      mutation_id: randomUUID(),
      device_id: deviceId,
      seq,
      status: 'refused',
      code,
      message: 'refused',
      result: '{}',
      decided_at: decidedAt,
    })
    .execute();
}

describe('platform overview', () => {
  it('counts clinics by status, devices, refused sync groups of the last 24 h, patients per month and clinics near a limit', async () => {
    const full = await t.createClinic({ name: 'Full Clinic' });
    const roomy = await t.createClinic({ name: 'Roomy Clinic' });
    const suspended = await t.createClinic({ name: 'Suspended Clinic' });
    await owner()
      .updateTable('clinics')
      .set({ subscription_status: 'suspended' })
      .where('id', '=', suspended.id)
      .execute();
    await owner()
      .updateTable('clinics')
      .set({ max_patients: 2, max_doctors: 10 })
      .where('id', '=', full.id)
      .execute();
    await owner()
      .updateTable('clinics')
      .set({ max_patients: 100, max_lab_techs: 0 })
      .where('id', '=', roomy.id)
      .execute();

    const doctor = await t.createUser(full.id, 'doctor');
    const p1 = await addPatient(full.id, doctor.id, '2026-11-02T08:00:00Z');
    await addPatient(full.id, doctor.id, '2026-09-15T08:00:00Z');
    const roomyAdmin = await t.createUser(roomy.id, 'admin');
    await addPatient(roomy.id, roomyAdmin.id, '2026-11-05T08:00:00Z');
    await addPatient(roomy.id, roomyAdmin.id, '2024-01-05T08:00:00Z'); // outside the 12 months
    await addVisit(full.id, p1, doctor.id, '2026-11-03');
    await addVisit(full.id, p1, doctor.id, '2026-11-04');
    await addVisit(full.id, p1, doctor.id, '2026-11-05', 'cancelled');
    await addVisit(full.id, p1, doctor.id, '2026-10-01');

    const synced = await t.createDevice(full.id);
    await owner()
      .updateTable('devices')
      .set({ last_sync_at: '2026-11-20T09:00:00Z' })
      .where('id', '=', synced.deviceId)
      .execute();
    await t.createDevice(roomy.id, 'pending');
    await refuseGroup(full.id, synced.deviceId, 1, 'CAPACITY_EXCEEDED', '2026-11-20T08:00:00Z');
    await refuseGroup(full.id, synced.deviceId, 2, 'CAPACITY_EXCEEDED', '2026-11-19T12:00:00Z');
    await refuseGroup(full.id, synced.deviceId, 3, 'CONFLICT', '2026-11-18T12:00:00Z'); // older than 24 h

    const res = await get('/v1/admin/overview');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.clinics.byStatus).toMatchObject({ trial: 2, suspended: 1 });
    expect(body.devices).toMatchObject({ syncedLast24h: 1, syncedLast7d: 1, pending: 1 });
    expect(body.syncErrors24h).toEqual({
      refusedGroups: 2,
      clinics: 1,
      byCode: [{ code: 'CAPACITY_EXCEEDED', count: 2 }],
      topClinics: [{ clinicId: full.id, name: 'Full Clinic', code: full.code, refused: 2 }],
    });
    expect(body.patientsPerMonth).toHaveLength(12);
    expect(body.patientsPerMonth.at(-1)).toEqual({ month: '2026-11', count: 2 });
    expect(body.patientsPerMonth.find((m: { month: string }) => m.month === '2026-09').count).toBe(1);
    expect(body.patientsPerMonth.reduce((n: number, m: { count: number }) => n + m.count, 0)).toBe(3);
    // 2 of 2 patients is at the limit; 1 of 10 doctors and a lab-tech limit of 0 with none are not.
    expect(body.nearLimits).toEqual([
      {
        clinicId: full.id,
        name: 'Full Clinic',
        code: full.code,
        resource: 'patients',
        used: 2,
        limit: 2,
        percent: 100,
      },
    ]);

    const usage = await get(`/v1/admin/overview/clinics/${full.id}/usage?months=3`);
    expect(usage.json()).toEqual({
      clinicId: full.id,
      months: [
        { month: '2026-09', patients: 1, visits: 0 },
        { month: '2026-10', patients: 0, visits: 1 },
        { month: '2026-11', patients: 1, visits: 2 },
      ],
    });
    expect((await get(`/v1/admin/overview/clinics/${randomUUID()}/usage`)).statusCode).toBe(404);
  });

  it('checks a slug and a code for format and uniqueness, each on its own', async () => {
    const taken = await t.createClinic({ slug: 'taken-slug', code: 'TAKEN' });
    const res = await get('/v1/admin/overview/identity?slug=taken-slug&code=FREE1');
    expect(res.json()).toEqual({
      slug: {
        value: 'taken-slug',
        valid: true,
        available: false,
        message: 'Another clinic already uses this slug',
      },
      code: { value: 'FREE1', valid: true, available: true, message: null },
    });
    const other = await get(`/v1/admin/overview/identity?slug=Bad_Slug&code=${taken.code}`);
    expect(other.json().slug).toMatchObject({ valid: false, available: false });
    expect(other.json().code).toMatchObject({ valid: true, available: false });
    expect((await get('/v1/admin/overview/identity?code=AB')).json()).toMatchObject({
      slug: null,
      code: { available: true },
    });
  });
});

describe('clinic names', () => {
  it('labels the clinics an audit page mentions, leaving unknown ids out', async () => {
    const a = await t.createClinic({ name: 'Alpha Clinic' });
    const res = await get(`/v1/admin/overview/clinic-names?ids=${a.id},${randomUUID()}`);
    expect(res.json()).toEqual({ clinics: [{ id: a.id, name: 'Alpha Clinic', code: a.code }] });
    expect((await get('/v1/admin/overview/clinic-names?ids=not-an-id')).statusCode).toBe(400);
  });
});

describe('lastMonths', () => {
  it('lists UTC months oldest first across a year boundary', () => {
    expect(lastMonths(new Date('2026-02-28T23:30:00Z'), 4)).toEqual([
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
    ]);
  });
});
