import { randomBytes } from 'node:crypto';
import { createSuperAdmin } from '../../cli/create-super-admin';
import { enrolAuthenticator } from '../../testing/sessions';
import { type SignedIn, TEST_PASSWORD, type TestApp, type TestUser } from '../../testing/test-app';

/**
 * Helpers for the administration tests: a signed-in super admin, a clinic created through the API
 * with its first admin signed in through the real setup link, and short-hands for staff creation.
 */
export type Headers = { authorization: string };

let seq = 0;
/** A tag unique within the test run, for slugs, codes and usernames. */
export function uniqueTag(): string {
  seq += 1;
  return `${seq}${randomBytes(3).toString('hex')}`;
}

/** Creates a super admin (through the operator command's function), signs them in and enrols TOTP. */
export async function signInSuperAdmin(t: TestApp): Promise<Headers> {
  const username = `sa.${uniqueTag()}`;
  await createSuperAdmin(t.tdb.db.owner, { username, password: TEST_PASSWORD }, 'test');
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { username, password: TEST_PASSWORD },
  });
  if (res.statusCode !== 200) throw new Error(`super admin login failed: ${res.statusCode} ${res.body}`);
  const headers = { authorization: `Bearer ${res.json().accessToken}` };
  await enrolAuthenticator(t.app, headers, t.clock.now);
  return headers;
}

/** The token inside a setup link's fragment. */
export function tokenOf(url: string): string {
  return new URLSearchParams(new URL(url).hash.slice(1)).get('token') ?? '';
}

/** Redeems a setup link through the public route. */
export function redeem(t: TestApp, clinicSlug: string, token: string, newPassword = TEST_PASSWORD) {
  return t.app.inject({
    method: 'POST',
    url: '/v1/staff/setup-password',
    payload: { clinicSlug, token, newPassword },
  });
}

export type AdminClinic = {
  id: string;
  slug: string;
  code: string;
  admin: TestUser;
  adminSession: SignedIn;
};

/** Creates a clinic through POST /v1/admin/clinics; its admin redeems the link and signs in (no device). */
export async function createClinicViaApi(
  t: TestApp,
  superAdmin: Headers,
  extra: Record<string, unknown> = {},
): Promise<AdminClinic> {
  const tag = uniqueTag();
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/admin/clinics',
    headers: superAdmin,
    payload: {
      name: `Clinic ${tag}`,
      code: `T${tag}`.toUpperCase().slice(0, 8),
      slug: `clinic-${tag}`,
      city: 'Pune',
      admin: { username: 'admin', displayName: 'Clinic Admin' },
      ...extra,
    },
  });
  if (res.statusCode !== 201) throw new Error(`create clinic failed: ${res.statusCode} ${res.body}`);
  const body = res.json();
  const redeemed = await redeem(t, body.clinic.slug, tokenOf(body.setupLink.url));
  if (redeemed.statusCode !== 200) throw new Error(`setup failed: ${redeemed.statusCode} ${redeemed.body}`);
  const admin: TestUser = {
    id: body.admin.id,
    username: 'admin',
    password: TEST_PASSWORD,
    clinicId: body.clinic.id,
    role: 'admin',
  };
  return {
    id: body.clinic.id,
    slug: body.clinic.slug,
    code: body.clinic.code,
    admin,
    adminSession: await t.login(admin, null),
  };
}

/** The body of a doctor create (setup link, no password) with unique username and licence. */
export function doctorBody(extra: Record<string, unknown> = {}) {
  const tag = uniqueTag();
  return {
    username: `dr.${tag}`,
    displayName: `Dr. ${tag}`,
    role: 'doctor',
    doctor: { specialization: 'General Medicine', licenceNumber: `MMC/2020/${tag}` },
    ...extra,
  };
}

/** POST /v1/clinic/staff as the given clinic user. */
export function createStaffRequest(t: TestApp, headers: Headers, payload: Record<string, unknown>) {
  return t.app.inject({ method: 'POST', url: '/v1/clinic/staff', headers, payload });
}

/** POST a status change for a clinic as super admin. */
export function setStatus(t: TestApp, superAdmin: Headers, clinicId: string, status: string) {
  return t.app.inject({
    method: 'POST',
    url: `/v1/admin/clinics/${clinicId}/status`,
    headers: superAdmin,
    payload: { status, reason: `Test: set to ${status}` },
  });
}
