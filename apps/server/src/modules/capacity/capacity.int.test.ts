import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inClinic } from '../../plugins/tenancy.plugin';
import { createTestApp, type TestApp } from '../../testing/test-app';
import {
  createClinicViaApi,
  createStaffRequest,
  doctorBody,
  type Headers,
  signInSuperAdmin,
  uniqueTag,
} from '../admin/admin.test-support';
import { assertCapacity, clinicUsage } from './capacity.service';

let t: TestApp;
let sa: Headers;

beforeAll(async () => {
  t = await createTestApp();
  sa = await signInSuperAdmin(t);
});
afterAll(async () => {
  await t?.close();
});

const setLimits = (clinicId: string, limits: Record<string, number | null>) =>
  t.app.inject({ method: 'PATCH', url: `/v1/admin/clinics/${clinicId}`, headers: sa, payload: { limits } });
const staffAction = (headers: Headers, id: string, action: 'deactivate' | 'reactivate') =>
  t.app.inject({ method: 'POST', url: `/v1/clinic/staff/${id}/${action}`, headers });
const usage = (headers: Headers) => t.app.inject({ method: 'GET', url: '/v1/clinic/usage', headers });

describe('capacity limits', () => {
  it('refuses the doctor over the limit with CAPACITY_EXCEEDED; admins do not count', async () => {
    const clinic = await createClinicViaApi(t, sa, { limits: { maxDoctors: 2, maxReceptionists: 1 } });
    const headers = clinic.adminSession.headers;
    for (let i = 0; i < 2; i++)
      expect((await createStaffRequest(t, headers, doctorBody())).statusCode).toBe(201);
    const third = await createStaffRequest(t, headers, doctorBody());
    expect(third.statusCode).toBe(409);
    expect(third.json().error).toEqual({
      code: 'CAPACITY_EXCEEDED',
      message: 'This clinic has 2 of 2 doctors, the most its plan allows',
      details: { resource: 'doctors', limit: 2, used: 2 },
    });
    const admin = await createStaffRequest(t, headers, {
      username: `admin.${uniqueTag()}`,
      displayName: 'Second Admin',
      role: 'admin',
    });
    expect(admin.statusCode).toBe(201);
    const reception = { displayName: 'Front Desk', role: 'receptionist' };
    expect(
      (await createStaffRequest(t, headers, { ...reception, username: `rec.${uniqueTag()}` })).statusCode,
    ).toBe(201);
    const over = await createStaffRequest(t, headers, { ...reception, username: `rec.${uniqueTag()}` });
    expect(over.json().error.details).toEqual({ resource: 'receptionists', limit: 1, used: 1 });
  });

  it('keeps existing staff when a limit is lowered below usage, and blocks new ones and reactivations', async () => {
    const clinic = await createClinicViaApi(t, sa, { limits: { maxDoctors: 3 } });
    const headers = clinic.adminSession.headers;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push((await createStaffRequest(t, headers, doctorBody())).json().member.id);
    expect((await setLimits(clinic.id, { maxDoctors: 1 })).statusCode).toBe(200);

    const staff = await t.app.inject({ method: 'GET', url: '/v1/clinic/staff', headers });
    expect(
      staff
        .json()
        .staff.filter((s: { role: string; isActive: boolean }) => s.role === 'doctor' && s.isActive),
    ).toHaveLength(3);
    const lines = (await usage(headers)).json().lines;
    expect(lines.find((l: { resource: string }) => l.resource === 'doctors')).toMatchObject({
      text: '3 of 1 doctors',
      overLimit: true,
      remaining: 0,
    });
    expect((await createStaffRequest(t, headers, doctorBody())).json().error.code).toBe('CAPACITY_EXCEEDED');

    const [first, second] = ids as [string, string];
    expect((await staffAction(headers, first, 'deactivate')).statusCode).toBe(200);
    expect((await staffAction(headers, second, 'deactivate')).statusCode).toBe(200);
    const refused = await staffAction(headers, first, 'reactivate');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('CAPACITY_EXCEEDED');
    await setLimits(clinic.id, { maxDoctors: null });
    expect((await staffAction(headers, first, 'reactivate')).json().isActive).toBe(true);
  });

  it('ends 50 parallel doctor creates against a limit of 10 with exactly 10 doctors', async () => {
    const clinic = await createClinicViaApi(t, sa, { limits: { maxDoctors: 10 } });
    const results = await Promise.all(
      Array.from({ length: 50 }, () => createStaffRequest(t, clinic.adminSession.headers, doctorBody())),
    );
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(40);
    expect(
      results.filter((r) => r.statusCode === 409).every((r) => r.json().error.code === 'CAPACITY_EXCEEDED'),
    ).toBe(true);
    const doctors = await inClinic(t.tdb.db.app, clinic.id, (trx, id) => clinicUsage(trx, id));
    expect(doctors.doctors).toBe(10);
  });

  it('reports limits, usage and sentences to every clinic user', async () => {
    const clinic = await createClinicViaApi(t, sa, { limits: { maxDoctors: 10, maxPatients: 500 } });
    for (let i = 0; i < 2; i++) await createStaffRequest(t, clinic.adminSession.headers, doctorBody());
    const receptionist = await t.createUser(clinic.id, 'receptionist');
    const res = await usage((await t.login(receptionist)).headers);
    expect(res.statusCode).toBe(200);
    expect(res.json().limits).toEqual({
      maxPatients: 500,
      maxDoctors: 10,
      maxReceptionists: null,
      maxLabTechs: null,
    });
    expect(res.json().usage).toEqual({ patients: 0, doctors: 2, receptionists: 1, labTechs: 0 });
    expect(res.json().lines.map((l: { text: string }) => l.text)).toEqual([
      '0 of 500 patients',
      '2 of 10 doctors',
      '1 receptionists (no limit)',
      '0 lab technicians (no limit)',
    ]);
  });

  it('guards patients too, for the sync code that creates them', async () => {
    const clinic = await createClinicViaApi(t, sa, { limits: { maxPatients: 0 } });
    const check = (adding: number) =>
      inClinic(t.tdb.db.app, clinic.id, (trx, id) => assertCapacity(trx, id, 'patients', adding));
    await expect(check(1)).rejects.toMatchObject({
      code: 'CAPACITY_EXCEEDED',
      details: { resource: 'patients', limit: 0, used: 0 },
    });
    await expect(check(0)).resolves.toBeUndefined();
  });
});
