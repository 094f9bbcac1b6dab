import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolAuthenticator } from '../testing/sessions';
import { createTestApp, type TestApp } from '../testing/test-app';
import { DEMO_STAFF_PASSWORD, DEMO_SUPER_ADMIN, seedDemo } from './seed-demo';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const login = (payload: Record<string, string>) =>
  t.app.inject({ method: 'POST', url: '/v1/auth/login', payload });

describe('seed:demo', () => {
  it('creates the demo super admin and two clinics with their staff, and changes nothing on a second run', async () => {
    const first = await seedDemo(t.tdb.db, { now: () => t.clock.now });
    expect(first).toContain('super admin superadmin');
    expect(first).toContain('santkrupa/dr.kulkarni (doctor)');
    expect(await seedDemo(t.tdb.db, { now: () => t.clock.now })).toEqual([]);

    const sa = await login({ username: DEMO_SUPER_ADMIN.username, password: DEMO_SUPER_ADMIN.password });
    expect(sa.statusCode).toBe(200);
    // The demo super admin enrols an authenticator at the first sign-in, as the console demands.
    const headers = { authorization: `Bearer ${sa.json().accessToken}` };
    await enrolAuthenticator(t.app, headers, t.clock.now);
    const clinics = await t.app.inject({ method: 'GET', url: '/v1/admin/clinics?sort=name', headers });
    expect(
      clinics
        .json()
        .clinics.map((c: { slug: string; subscriptionStatus: string; usage: unknown }) => [
          c.slug,
          c.subscriptionStatus,
          c.usage,
        ]),
    ).toEqual([
      ['santkrupa', 'active', { patients: 0, doctors: 2, receptionists: 2, labTechs: 1 }],
      ['sunrise', 'trial', { patients: 0, doctors: 1, receptionists: 1, labTechs: 0 }],
    ]);
    for (const clinicSlug of ['santkrupa', 'sunrise']) {
      const admin = await login({ clinicSlug, username: 'admin', password: DEMO_STAFF_PASSWORD });
      expect(admin.statusCode).toBe(200);
    }
    const staff = await t.app.inject({
      method: 'GET',
      url: '/v1/clinic/staff',
      headers: {
        authorization: `Bearer ${(await login({ clinicSlug: 'santkrupa', username: 'admin', password: DEMO_STAFF_PASSWORD })).json().accessToken}`,
      },
    });
    const doctor = staff.json().staff.find((s: { username: string }) => s.username === 'dr.kulkarni');
    expect(doctor.doctor).toMatchObject({
      licenceNumber: 'MMC/2011/04/1234',
      registrationCouncil: 'Maharashtra Medical Council',
    });
  });
});
