import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app';
import {
  createClinicViaApi,
  createStaffRequest,
  doctorBody,
  type Headers,
  setStatus,
  signInSuperAdmin,
} from './admin.test-support';

// What each subscription state lets a clinic do (DESIGN §4), driven through the super-admin routes.

let t: TestApp;
let sa: Headers;

beforeAll(async () => {
  t = await createTestApp();
  sa = await signInSuperAdmin(t);
});
afterAll(async () => {
  await t?.close();
});
afterEach(() => {
  t.clock.set(new Date());
});

const ownClinic = (headers: Headers) => t.app.inject({ method: 'GET', url: '/v1/clinic/', headers });
const loginAdmin = (slug: string) =>
  t.app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { clinicSlug: slug, username: 'admin', password: 'correct horse battery staple' },
  });

describe('subscription states', () => {
  it('expired: sign-in and reads work, staff creation is refused with 402 SUBSCRIPTION_INACTIVE', async () => {
    const clinic = await createClinicViaApi(t, sa);
    expect((await setStatus(t, sa, clinic.id, 'expired')).statusCode).toBe(200);
    const login = await loginAdmin(clinic.slug);
    expect(login.statusCode).toBe(200);
    expect(login.json().clinic).toMatchObject({ subscriptionStatus: 'expired', access: 'read_only' });
    const headers = { authorization: `Bearer ${login.json().accessToken}` };
    expect((await ownClinic(headers)).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/v1/clinic/staff', headers })).statusCode).toBe(200);
    const create = await createStaffRequest(t, headers, doctorBody());
    expect(create.statusCode).toBe(402);
    expect(create.json().error.code).toBe('SUBSCRIPTION_INACTIVE');
  });

  it('a trial past its end date behaves as expired', async () => {
    const clinic = await createClinicViaApi(t, sa, {
      trialEndsAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect((await createStaffRequest(t, clinic.adminSession.headers, doctorBody())).statusCode).toBe(201);
    t.clock.set(new Date(Date.now() + 2 * 86_400_000));
    const login = await loginAdmin(clinic.slug);
    expect(login.statusCode).toBe(200);
    expect(login.json().clinic).toMatchObject({
      subscriptionStatus: 'trial',
      access: 'read_only',
      accessReason: 'trial_ended',
    });
    const headers = { authorization: `Bearer ${login.json().accessToken}` };
    expect((await ownClinic(headers)).statusCode).toBe(200);
    const create = await createStaffRequest(t, headers, doctorBody());
    expect(create.statusCode).toBe(402);
    expect(create.json().error.code).toBe('SUBSCRIPTION_INACTIVE');
    // Platform sessions last 12 hours; sign in again at the new time.
    const later = await signInSuperAdmin(t);
    const listed = await t.app.inject({
      method: 'GET',
      url: `/v1/admin/clinics/${clinic.id}`,
      headers: later,
    });
    expect(listed.json()).toMatchObject({ access: 'read_only', accessReason: 'trial_ended' });
  });

  it('suspended: sign-in is refused with 403 CLINIC_SUSPENDED and a live token stops at once; reactivation restores use', async () => {
    const clinic = await createClinicViaApi(t, sa);
    const doctor = await t.createUser(clinic.id, 'doctor');
    const doctorSession = await t.login(doctor);
    expect((await setStatus(t, sa, clinic.id, 'suspended')).statusCode).toBe(200);
    for (const headers of [clinic.adminSession.headers, doctorSession.headers]) {
      const res = await ownClinic(headers);
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('CLINIC_SUSPENDED');
    }
    const login = await loginAdmin(clinic.slug);
    expect(login.statusCode).toBe(403);
    expect(login.json().error.code).toBe('CLINIC_SUSPENDED');
    const refresh = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/refresh',
      payload: { refreshToken: doctorSession.refreshToken },
    });
    expect(refresh.statusCode).toBeGreaterThanOrEqual(401);
    const sessions = await t.tdb.db.owner
      .selectFrom('sessions')
      .select('revoked_reason')
      .where('clinic_id', '=', clinic.id)
      .execute();
    expect(sessions.map((s) => s.revoked_reason)).toEqual(sessions.map(() => 'clinic_suspended'));

    expect((await setStatus(t, sa, clinic.id, 'active')).statusCode).toBe(200);
    const again = await loginAdmin(clinic.slug);
    expect(again.statusCode).toBe(200);
    const headers = { authorization: `Bearer ${again.json().accessToken}` };
    expect((await ownClinic(headers)).statusCode).toBe(200);
    expect((await createStaffRequest(t, headers, doctorBody())).statusCode).toBe(201);
    // Sessions revoked by the suspension stay revoked.
    expect((await ownClinic(clinic.adminSession.headers)).statusCode).toBe(401);
  });

  it('deactivated (isActive false) behaves as suspended, and reactivating restores use', async () => {
    const clinic = await createClinicViaApi(t, sa);
    const deactivate = await t.app.inject({
      method: 'POST',
      url: `/v1/admin/clinics/${clinic.id}/active`,
      headers: sa,
      payload: { isActive: false, reason: 'Clinic asked to close its account' },
    });
    expect(deactivate.statusCode).toBe(200);
    expect(deactivate.json()).toMatchObject({
      isActive: false,
      access: 'blocked',
      accessReason: 'clinic_inactive',
    });
    const live = await ownClinic(clinic.adminSession.headers);
    expect(live.statusCode).toBe(403);
    expect(live.json().error.code).toBe('CLINIC_SUSPENDED');
    expect((await loginAdmin(clinic.slug)).json().error.code).toBe('CLINIC_SUSPENDED');

    await t.app.inject({
      method: 'POST',
      url: `/v1/admin/clinics/${clinic.id}/active`,
      headers: sa,
      payload: { isActive: true, reason: 'Account reopened' },
    });
    const login = await loginAdmin(clinic.slug);
    expect(login.statusCode).toBe(200);
    expect(login.json().clinic.access).toBe('full');
  });
});
