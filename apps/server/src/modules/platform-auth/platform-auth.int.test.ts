import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSuperAdmin } from '../../cli/create-super-admin';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../../testing/test-app';
import { totpCode } from '../auth/totp';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

type Headers = { authorization: string };

async function newSuperAdmin(username: string): Promise<void> {
  await createSuperAdmin(t.tdb.db.owner, { username, password: TEST_PASSWORD }, 'test');
}

function login(username: string, totp?: string) {
  return t.app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { username, password: TEST_PASSWORD, ...(totp ? { totp } : {}) },
  });
}

async function signIn(username: string, totp?: string): Promise<Headers> {
  const res = await login(username, totp);
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  return { authorization: `Bearer ${res.json().accessToken}` };
}

const call = (method: 'GET' | 'POST', url: string, headers: Headers, payload?: object) =>
  t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

describe('TOTP enrolment of a super admin', () => {
  it('signs in without a code until enrolment is confirmed, then demands one; each step is audited', async () => {
    await newSuperAdmin('sa.enrol');
    const first = await signIn('sa.enrol');
    const other = await signIn('sa.enrol');
    expect((await call('GET', '/v1/admin/totp', first)).json()).toEqual({ enabled: false, pending: false });

    const enrol = await call('POST', '/v1/admin/totp/enroll', first);
    expect(enrol.statusCode).toBe(200);
    const { secret, uri, account } = enrol.json();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(uri).toMatch(/^otpauth:\/\/totp\/ClinicDesk:sa\.enrol\?/);
    expect(uri).toContain(`secret=${secret}`);
    expect(account).toBe('sa.enrol');
    expect((await call('GET', '/v1/admin/totp', first)).json()).toEqual({ enabled: false, pending: true });
    // A pending secret changes nothing at sign-in: a typo in the phone app cannot lock anyone out.
    expect((await login('sa.enrol')).statusCode).toBe(200);

    const wrong = await call('POST', '/v1/admin/totp/confirm', first, { code: '000000' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'code' } });

    const confirmed = await call('POST', '/v1/admin/totp/confirm', first, {
      code: totpCode(secret, t.clock.now),
    });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toEqual({ enabled: true, pending: false });

    // The session that confirmed keeps working; the one opened without the factor has ended.
    expect((await call('GET', '/v1/admin/totp', first)).statusCode).toBe(200);
    expect((await call('GET', '/v1/admin/totp', other)).statusCode).toBe(401);

    const noCode = await login('sa.enrol');
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json().error.details).toEqual({ reason: 'totp_required' });
    // The code that confirmed enrolment is spent; the next one signs in.
    expect((await login('sa.enrol', totpCode(secret, t.clock.now))).statusCode).toBe(401);
    t.clock.advance(30_000);
    expect((await login('sa.enrol', totpCode(secret, t.clock.now))).statusCode).toBe(200);

    // Enrolling again would let a stolen session replace the factor.
    expect((await call('POST', '/v1/admin/totp/enroll', first)).statusCode).toBe(409);
    expect((await call('POST', '/v1/admin/totp/confirm', first, { code: '123456' })).statusCode).toBe(409);

    const admin = await t.tdb.db.owner
      .selectFrom('platform_admins')
      .select('id')
      .where('username', '=', 'sa.enrol')
      .executeTakeFirstOrThrow();
    const events = await t.tdb.db.owner
      .selectFrom('platform_audit_events')
      .select(['action', 'actor_id', 'details'])
      .where('entity_id', '=', admin.id)
      .where('action', 'like', 'auth.totp.%')
      .orderBy('seq')
      .execute();
    expect(events.map((e) => e.action)).toEqual([
      'auth.totp.enrolment_started',
      'auth.totp.confirm_failed',
      'auth.totp.enabled',
    ]);
    expect(events.every((e) => e.actor_id === admin.id)).toBe(true);
    // `other` and the sign-in made while the secret was pending.
    expect(events[2]?.details).toEqual({ otherSessionsEnded: 2 });
    expect(JSON.stringify(events)).not.toContain(secret);
  });

  it('restarting enrolment replaces the pending secret, so only the newest QR code works', async () => {
    await newSuperAdmin('sa.restart');
    const session = await signIn('sa.restart');
    const old = (await call('POST', '/v1/admin/totp/enroll', session)).json().secret;
    const fresh = (await call('POST', '/v1/admin/totp/enroll', session)).json().secret;
    expect(fresh).not.toBe(old);
    const stale = await call('POST', '/v1/admin/totp/confirm', session, { code: totpCode(old, t.clock.now) });
    expect(stale.statusCode).toBe(400);
    const ok = await call('POST', '/v1/admin/totp/confirm', session, { code: totpCode(fresh, t.clock.now) });
    expect(ok.statusCode).toBe(200);
  });
});

describe('the second factor', () => {
  it('keeps every console route but the enrolment closed until the authenticator is set up', async () => {
    await newSuperAdmin('sa.closed');
    const session = await signIn('sa.closed');
    const clinics = await call('GET', '/v1/admin/clinics', session);
    expect(clinics.statusCode).toBe(403);
    expect(clinics.json().error).toMatchObject({
      code: 'FORBIDDEN',
      details: { reason: 'second_factor_required' },
    });
    expect((await call('GET', '/v1/admin/overview', session)).statusCode).toBe(403);
    expect((await call('GET', '/v1/admin/totp', session)).statusCode).toBe(200);
    const { secret } = (await call('POST', '/v1/admin/totp/enroll', session)).json();
    const confirmed = await call('POST', '/v1/admin/totp/confirm', session, {
      code: totpCode(secret, t.clock.now),
    });
    expect(confirmed.statusCode).toBe(200);
    expect((await call('GET', '/v1/admin/clinics', session)).statusCode).toBe(200);
  });

  it('accepts each authenticator code once, so an overheard code cannot be replayed', async () => {
    await newSuperAdmin('sa.replay');
    const session = await signIn('sa.replay');
    const { secret } = (await call('POST', '/v1/admin/totp/enroll', session)).json();
    await call('POST', '/v1/admin/totp/confirm', session, { code: totpCode(secret, t.clock.now) });
    t.clock.advance(30_000);
    const code = totpCode(secret, t.clock.now);
    expect((await login('sa.replay', code)).statusCode).toBe(200);
    const replayed = await login('sa.replay', code);
    expect(replayed.statusCode).toBe(401);
    expect(replayed.json().error.details).toEqual({ reason: 'totp_required' });
    // Nor the previous step's code, though it is still inside the drift window.
    expect(
      (await login('sa.replay', totpCode(secret, new Date(t.clock.now.getTime() - 30_000)))).statusCode,
    ).toBe(401);
    t.clock.advance(30_000);
    expect((await login('sa.replay', totpCode(secret, t.clock.now))).statusCode).toBe(200);
  });
});

describe('who may use the console API', () => {
  it('answers 403 to a clinic admin and a doctor on every /v1/admin route, and 401 without a token', async () => {
    const clinic = await t.createClinic();
    const admin = await t.login(await t.createUser(clinic.id, 'admin'), null);
    const doctor = await t.login(await t.createUser(clinic.id, 'doctor'));
    // Enumerated from the route table, so a route added later is covered without touching this test.
    const routes = t.app.routeTable.filter((r) => r.url.startsWith('/v1/admin'));
    const urls = routes.map((r) => `${r.method} ${r.url}`);
    expect(urls).toEqual(
      expect.arrayContaining([
        'GET /v1/admin/clinics',
        'GET /v1/admin/totp',
        'POST /v1/admin/totp/enroll',
        'POST /v1/admin/totp/confirm',
        'GET /v1/admin/overview',
        'GET /v1/admin/overview/clinics/:id/usage',
        'GET /v1/admin/overview/identity',
        'GET /v1/admin/overview/clinic-names',
      ]),
    );
    const seen: string[] = [];
    for (const route of routes) {
      const url = route.url.replace(/:[A-Za-z]+/g, clinic.id);
      const method = route.method as 'GET';
      const payload = method === 'GET' || method === ('DELETE' as string) ? undefined : {};
      for (const [who, headers] of [
        ['clinic admin', admin.headers],
        ['doctor', doctor.headers],
      ] as const) {
        const res = await t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
        seen.push(`${route.method} ${route.url} ${who} ${res.statusCode} ${res.json().error?.code}`);
      }
      const anonymous = await t.app.inject({ method, url, ...(payload ? { payload } : {}) });
      seen.push(`${route.method} ${route.url} anonymous ${anonymous.statusCode}`);
    }
    const expected = routes.flatMap((r) => [
      `${r.method} ${r.url} clinic admin 403 FORBIDDEN`,
      `${r.method} ${r.url} doctor 403 FORBIDDEN`,
      `${r.method} ${r.url} anonymous 401`,
    ]);
    expect(seen).toEqual(expected);
  });
});
