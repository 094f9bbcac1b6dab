import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../lib/secrets';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../../testing/test-app';
import {
  createClinicViaApi,
  createStaffRequest,
  doctorBody,
  type Headers,
  redeem,
  setStatus,
  signInSuperAdmin,
  tokenOf,
  uniqueTag,
} from './admin.test-support';

let t: TestApp;
let sa: Headers;

beforeAll(async () => {
  t = await createTestApp();
  sa = await signInSuperAdmin(t);
});
afterAll(async () => {
  await t?.close();
});

function clinicPayload(extra: Record<string, unknown> = {}) {
  const tag = uniqueTag();
  return {
    name: `Clinic ${tag}`,
    code: `A${tag}`.toUpperCase().slice(0, 8),
    slug: `a-${tag}`,
    admin: { username: 'admin', displayName: 'Asha Patil' },
    ...extra,
  };
}

const post = (url: string, headers: Headers, payload?: unknown) =>
  t.app.inject({
    method: 'POST',
    url,
    headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
const get = (url: string, headers: Headers) => t.app.inject({ method: 'GET', url, headers });

describe('creating a clinic', () => {
  it('gives the first admin a one-time setup link; they choose a password, sign in without a device and add a doctor', async () => {
    const payload = clinicPayload({
      city: 'Pune',
      state: 'Maharashtra',
      limits: { maxDoctors: 3 },
      plan: 'standard',
    });
    const res = await post('/v1/admin/clinics', sa, payload);
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.clinic).toMatchObject({
      slug: payload.slug,
      code: payload.code,
      subscriptionStatus: 'trial',
      access: 'full',
    });
    expect(body.clinic.limits).toEqual({
      maxPatients: null,
      maxDoctors: 3,
      maxReceptionists: null,
      maxLabTechs: null,
    });
    expect(Date.parse(body.clinic.trialEndsAt) - t.clock.now.getTime()).toBe(14 * 86_400_000);
    expect(body.admin).toMatchObject({ username: 'admin', role: 'admin', passwordSet: false });
    expect(body.setupLink.url.startsWith(`${t.config.publicUrl}/setup#token=`)).toBe(true);
    expect(Date.parse(body.setupLink.expiresAt) - t.clock.now.getTime()).toBe(72 * 3_600_000);

    // Stored hashed only; the admin has no password until they use the link.
    const token = tokenOf(body.setupLink.url);
    const stored = await t.tdb.db.owner
      .selectFrom('password_setup_tokens')
      .select(['token_hash', 'purpose'])
      .where('clinic_id', '=', body.clinic.id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ token_hash: hashSecret(token.split('.')[1] ?? ''), purpose: 'setup' });
    const login = () =>
      t.app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { clinicSlug: payload.slug, username: 'admin', password: TEST_PASSWORD },
      });
    expect((await login()).statusCode).toBe(401);

    const weak = await redeem(t, payload.slug, token, 'short');
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.details).toEqual({ field: 'newPassword' });
    const redeemed = await redeem(t, payload.slug, token);
    expect(redeemed.statusCode).toBe(200);
    expect(redeemed.json()).toEqual({ username: 'admin', clinicSlug: payload.slug });
    expect((await redeem(t, payload.slug, token, 'another good passphrase')).statusCode).toBe(400);

    const session = await login();
    expect(session.statusCode).toBe(200);
    expect(session.json().user).toMatchObject({ role: 'admin', clinicId: body.clinic.id });
    const admin = { authorization: `Bearer ${session.json().accessToken}` };
    const doctor = await createStaffRequest(t, admin, doctorBody());
    expect(doctor.statusCode).toBe(201);
    expect(doctor.json().member).toMatchObject({
      role: 'doctor',
      isActive: true,
      doctor: { specialization: 'General Medicine' },
    });

    const detail = await get(`/v1/admin/clinics/${body.clinic.id}`, sa);
    expect(detail.json().usage).toMatchObject({ doctors: 1 });
    expect(detail.json().usageLines.find((l: { resource: string }) => l.resource === 'doctors').text).toBe(
      '1 of 3 doctors',
    );
  });

  it('refuses a setup link after 72 hours and a token of another clinic', async () => {
    const res = await post('/v1/admin/clinics', sa, clinicPayload());
    const { clinic, setupLink } = res.json();
    const other = await createClinicViaApi(t, sa);
    expect((await redeem(t, other.slug, tokenOf(setupLink.url))).statusCode).toBe(400);
    t.clock.advance(72 * 3_600_000 + 1000);
    try {
      const late = await redeem(t, clinic.slug, tokenOf(setupLink.url));
      expect(late.statusCode).toBe(400);
      expect(late.json().error.message).toMatch(/expired/);
    } finally {
      t.clock.set(new Date());
    }
    const failures = await t.tdb.db.owner
      .selectFrom('audit_events')
      .select('details')
      .where('clinic_id', '=', clinic.id)
      .where('action', '=', 'staff.password_setup.failed')
      .execute();
    expect(failures.map((f) => (f.details as { reason: string }).reason)).toEqual(['expired']);
  });

  it('answers 409 CONFLICT for a taken slug, code, username or licence number', async () => {
    const first = clinicPayload();
    expect((await post('/v1/admin/clinics', sa, first)).statusCode).toBe(201);
    const sameSlug = await post('/v1/admin/clinics', sa, clinicPayload({ slug: first.slug }));
    expect(sameSlug.statusCode).toBe(409);
    expect(sameSlug.json().error).toMatchObject({ code: 'CONFLICT', details: { field: 'slug' } });
    expect(sameSlug.json().error.message).toContain(first.slug);
    const sameCode = await post('/v1/admin/clinics', sa, clinicPayload({ code: first.code }));
    expect(sameCode.json().error).toMatchObject({ code: 'CONFLICT', details: { field: 'code' } });

    const clinic = await createClinicViaApi(t, sa);
    const headers = clinic.adminSession.headers;
    const doctor = doctorBody();
    expect((await createStaffRequest(t, headers, doctor)).statusCode).toBe(201);
    const sameUsername = await createStaffRequest(t, headers, { ...doctorBody(), username: doctor.username });
    expect(sameUsername.statusCode).toBe(409);
    expect(sameUsername.json().error.details).toEqual({ field: 'username' });
    const sameLicence = await createStaffRequest(t, headers, doctorBody({ doctor: doctor.doctor }));
    expect(sameLicence.statusCode).toBe(409);
    expect(sameLicence.json().error.details).toEqual({ field: 'doctor.licenceNumber' });
    // Another clinic may use the same username and licence.
    const elsewhere = await createClinicViaApi(t, sa);
    expect((await createStaffRequest(t, elsewhere.adminSession.headers, doctor)).statusCode).toBe(201);
  });

  it('answers 400 VALIDATION_FAILED for invalid and unknown fields', async () => {
    const cases = [
      clinicPayload({ code: 'ab' }),
      clinicPayload({ slug: 'Not A Slug' }),
      clinicPayload({ limits: { maxDoctors: -1 } }),
      clinicPayload({ subscriptionStatus: 'active' }),
      clinicPayload({ admin: { username: 'admin', displayName: 'A', password: 'plain-text-password' } }),
      { ...clinicPayload(), admin: undefined },
    ];
    for (const payload of cases) {
      const res = await post('/v1/admin/clinics', sa, payload);
      expect({ status: res.statusCode, code: res.json().error.code }).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
    const clinic = await createClinicViaApi(t, sa);
    const staffCases = [
      { ...doctorBody(), clinicId: clinic.id },
      { ...doctorBody(), doctor: undefined },
      { username: `rec.${uniqueTag()}`, displayName: 'R', role: 'receptionist', doctor: doctorBody().doctor },
      { username: `rec.${uniqueTag()}`, displayName: 'R', role: 'super_admin' },
      { username: `rec.${uniqueTag()}`, displayName: 'R', role: 'receptionist', password: 'password123' },
    ];
    for (const payload of staffCases) {
      const res = await createStaffRequest(t, clinic.adminSession.headers, payload);
      expect({ status: res.statusCode, code: res.json().error.code }).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/v1/admin/clinics/${clinic.id}`,
      headers: sa,
      payload: { code: 'NEWCODE' },
    });
    expect(patch.statusCode).toBe(400);
  });
});

describe('the clinic list', () => {
  it('filters by status and search, sorts, pages, and shows usage and last sync in one answer', async () => {
    const tag = uniqueTag();
    const made = [];
    for (const [i, city] of ['Nashik', 'Nagpur', 'Nashik'].entries()) {
      made.push(
        await createClinicViaApi(t, sa, { name: `Zeta ${tag} ${i}`, city, limits: { maxDoctors: 5 } }),
      );
    }
    const [first, second, third] = made;
    if (!first || !second || !third) throw new Error('clinics missing');
    await createStaffRequest(t, first.adminSession.headers, doctorBody());
    const device = await t.createDevice(first.id);
    const syncedAt = new Date('2026-11-20T10:00:00.000Z');
    await t.tdb.db.owner
      .updateTable('devices')
      .set({ last_sync_at: syncedAt })
      .where('clinic_id', '=', first.id)
      .where('id', '=', device.deviceId)
      .execute();
    await setStatus(t, sa, second.id, 'expired');

    const all = await get(
      `/v1/admin/clinics?search=${encodeURIComponent(`zeta ${tag}`)}&sort=name&order=desc`,
      sa,
    );
    expect(all.statusCode).toBe(200);
    expect(all.json().total).toBe(3);
    expect(all.json().clinics.map((c: { id: string }) => c.id)).toEqual([third.id, second.id, first.id]);
    const one = all.json().clinics[2];
    expect(one).toMatchObject({
      usage: { doctors: 1, receptionists: 0, labTechs: 0, patients: 0 },
      limits: { maxDoctors: 5 },
    });
    expect(one.lastSyncAt).toBe(syncedAt.toISOString());

    const expired = await get(`/v1/admin/clinics?search=${encodeURIComponent(tag)}&status=expired`, sa);
    expect(expired.json().clinics.map((c: { id: string }) => c.id)).toEqual([second.id]);
    expect(expired.json().clinics[0]).toMatchObject({ subscriptionStatus: 'expired', access: 'read_only' });

    const paged = await get(`/v1/admin/clinics?search=${encodeURIComponent(tag)}&limit=2&offset=2`, sa);
    expect(paged.json()).toMatchObject({ total: 3, limit: 2, offset: 2 });
    expect(paged.json().clinics.map((c: { id: string }) => c.id)).toEqual([third.id]);

    const byCode = await get(`/v1/admin/clinics?search=${first.code.toLowerCase()}`, sa);
    expect(byCode.json().clinics.map((c: { id: string }) => c.id)).toContain(first.id);
    expect((await get('/v1/admin/clinics?sort=size', sa)).statusCode).toBe(400);
    expect((await get('/v1/admin/clinics?unknown=1', sa)).statusCode).toBe(400);
  });
});

describe('editing a clinic', () => {
  it('updates profile, letterhead, logo, plan, limits and dates, and records old and new terms', async () => {
    const clinic = await createClinicViaApi(t, sa);
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/v1/admin/clinics/${clinic.id}`,
      headers: sa,
      payload: {
        name: 'Renamed Clinic',
        letterheadHeader: 'Renamed Clinic, Pune',
        logoUrl: 'https://cdn.example.in/logo.png',
        phone: '+919822012345',
        plan: 'premium',
        limits: { maxDoctors: 4, maxPatients: 1000 },
        paidUntil: '2027-12-31T18:30:00.000Z',
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      name: 'Renamed Clinic',
      letterheadHeader: 'Renamed Clinic, Pune',
      logoUrl: 'https://cdn.example.in/logo.png',
      plan: 'premium',
      limits: { maxDoctors: 4, maxPatients: 1000, maxReceptionists: null },
      paidUntil: '2027-12-31T18:30:00.000Z',
    });
    const own = await get('/v1/clinic/', clinic.adminSession.headers);
    expect(own.json()).toMatchObject({ name: 'Renamed Clinic', phone: '+919822012345' });
    const event = await t.tdb.db.owner
      .selectFrom('platform_audit_events')
      .select('details')
      .where('subject_clinic_id', '=', clinic.id)
      .where('action', '=', 'clinic.updated')
      .executeTakeFirstOrThrow();
    expect(event.details).toMatchObject({
      plan: { from: 'trial', to: 'premium' },
      limits: { maxDoctors: { from: null, to: 4 } },
    });
  });

  it('keeps a status history with reasons', async () => {
    const clinic = await createClinicViaApi(t, sa);
    await setStatus(t, sa, clinic.id, 'active');
    const noReason = await post(`/v1/admin/clinics/${clinic.id}/status`, sa, { status: 'expired' });
    expect(noReason.statusCode).toBe(400);
    await post(`/v1/admin/clinics/${clinic.id}/active`, sa, {
      isActive: false,
      reason: 'Clinic closed for renovation',
    });
    const detail = await get(`/v1/admin/clinics/${clinic.id}`, sa);
    expect(detail.json().statusHistory.map((e: { action: string }) => e.action)).toEqual([
      'clinic.status.deactivated',
      'clinic.status.changed',
    ]);
    expect(detail.json().statusHistory[1].details).toMatchObject({
      from: 'trial',
      to: 'active',
      reason: 'Test: set to active',
    });
    expect((await get(`/v1/admin/clinics/${crypto.randomUUID()}`, sa)).statusCode).toBe(404);
  });
});

describe('support actions', () => {
  it("lists a clinic's users and devices and revokes a device, ending its sessions", async () => {
    const clinic = await createClinicViaApi(t, sa);
    await createStaffRequest(t, clinic.adminSession.headers, doctorBody());
    const users = await get(`/v1/admin/clinics/${clinic.id}/users`, sa);
    expect(
      users
        .json()
        .staff.map((s: { role: string }) => s.role)
        .sort(),
    ).toEqual(['admin', 'doctor']);
    const device = await t.createDevice(clinic.id);
    const onDevice = await t.login(clinic.admin, device);
    const devices = await get(`/v1/admin/clinics/${clinic.id}/devices`, sa);
    expect(devices.json().devices.map((d: { id: string }) => d.id)).toContain(device.deviceId);
    const revoked = await post(`/v1/admin/clinics/${clinic.id}/devices/${device.deviceId}/revoke`, sa);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().status).toBe('revoked');
    expect((await get('/v1/clinic/', onDevice.headers)).statusCode).toBe(401);
    expect(
      (await post(`/v1/admin/clinics/${clinic.id}/devices/${crypto.randomUUID()}/revoke`, sa)).statusCode,
    ).toBe(404);
  });

  it("resets a clinic admin's access: old password and sessions end, the new link works once", async () => {
    const clinic = await createClinicViaApi(t, sa);
    const res = await post(`/v1/admin/clinics/${clinic.id}/users/${clinic.admin.id}/reset-access`, sa);
    expect(res.statusCode).toBe(200);
    expect(res.json().username).toBe('admin');
    expect((await get('/v1/clinic/', clinic.adminSession.headers)).statusCode).toBe(401);
    await expect(t.login(clinic.admin, null)).rejects.toThrow(/401/);
    const newPassword = 'a brand new passphrase';
    expect((await redeem(t, clinic.slug, tokenOf(res.json().url), newPassword)).statusCode).toBe(200);
    await expect(t.login({ ...clinic.admin, password: newPassword }, null)).resolves.toBeDefined();

    const doctor = await createStaffRequest(
      t,
      (await t.login({ ...clinic.admin, password: newPassword }, null)).headers,
      doctorBody(),
    );
    const refused = await post(
      `/v1/admin/clinics/${clinic.id}/users/${doctor.json().member.id}/reset-access`,
      sa,
    );
    expect(refused.statusCode).toBe(409);
    const platform = await t.tdb.db.owner
      .selectFrom('platform_audit_events')
      .select('action')
      .where('subject_clinic_id', '=', clinic.id)
      .where('action', '=', 'clinic.admin.access_reset')
      .execute();
    expect(platform).toHaveLength(1);
  });
});

describe('who may use /v1/admin', () => {
  it('answers 403 to clinic admins and doctors on every /v1/admin route, and 401 without a token', async () => {
    const clinic = await createClinicViaApi(t, sa);
    const doctor = await t.createUser(clinic.id, 'doctor');
    const doctorSession = await t.login(doctor);
    const routes = t.app.routeTable.filter((r) => r.url.startsWith('/v1/admin'));
    expect(routes.length).toBeGreaterThanOrEqual(12);
    for (const route of routes) {
      const url = route.url.replace(/:[A-Za-z]+/g, clinic.id);
      for (const [who, headers] of [
        ['clinic admin', clinic.adminSession.headers],
        ['doctor', doctorSession.headers],
      ] as const) {
        const res = await t.app.inject({ method: route.method as 'GET', url, headers, payload: {} });
        expect({
          route: `${route.method} ${route.url}`,
          who,
          status: res.statusCode,
          code: res.json().error?.code,
        }).toEqual({
          route: `${route.method} ${route.url}`,
          who,
          status: 403,
          code: 'FORBIDDEN',
        });
      }
      const anonymous = await t.app.inject({ method: route.method as 'GET', url });
      expect(anonymous.statusCode).toBe(401);
    }
  });
});
