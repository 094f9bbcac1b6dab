import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPayload } from '../../lib/signing-keys';
import { createTestApp, type TestApp, type TestClinic } from '../../testing/test-app';

let t: TestApp;
let clinic: TestClinic;

beforeAll(async () => {
  t = await createTestApp();
  clinic = await t.createClinic();
});
afterAll(async () => {
  await t?.close();
});

function forge(header: object, payload: object, secret: string): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${enc(header)}.${enc(payload)}`;
  const sig = createHmac('sha256', secret).update(body).digest('base64url');
  return `${body}.${sig}`;
}

async function getClinic(authorization: string) {
  return t.app.inject({ method: 'GET', url: '/v1/clinic/', headers: { authorization } });
}

describe('login', () => {
  it('signs a clinic user in with an access token, a refresh token and a verifiable offline grant', async () => {
    const user = await t.createUser(clinic.id, 'doctor');
    const device = await t.createDevice(clinic.id);
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { clinicSlug: clinic.slug, username: user.username, password: user.password, ...device },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user).toMatchObject({ id: user.id, role: 'doctor', clinicId: clinic.id });
    expect(body.clinic).toMatchObject({ id: clinic.id, access: 'full' });
    expect(body.refreshToken).toMatch(/^rt1\./);
    const grant = verifyPayload(body.offlineGrant.publicKey, body.offlineGrant.token) as Record<
      string,
      string
    >;
    expect(grant).toMatchObject({
      sub: user.id,
      role: 'doctor',
      clinicId: clinic.id,
      deviceId: device.deviceId,
    });
    const hours = (Date.parse(grant.exp ?? '') - Date.parse(grant.iat ?? '')) / 3_600_000;
    expect(hours).toBeLessThanOrEqual(72);
    expect(
      verifyPayload(body.offlineGrant.publicKey, `${body.offlineGrant.token.split('.')[0]}x.sig`),
    ).toBeNull();
    expect((await getClinic(`Bearer ${body.accessToken}`)).statusCode).toBe(200);
  });

  it('gives the same answer for an unknown clinic, unknown user and wrong password', async () => {
    const user = await t.createUser(clinic.id, 'receptionist');
    const attempts = [
      { clinicSlug: 'no-such-clinic', username: user.username, password: user.password },
      { clinicSlug: clinic.slug, username: 'nobody', password: user.password },
      { clinicSlug: clinic.slug, username: user.username, password: 'wrong password!' },
    ];
    for (const payload of attempts) {
      const res = await t.app.inject({ method: 'POST', url: '/v1/auth/login', payload });
      expect(res.statusCode).toBe(401);
      expect(res.json().error).toEqual({
        code: 'UNAUTHORIZED',
        message: 'Clinic, username or password is wrong',
      });
    }
  });

  it('locks an account after repeated failures, with backoff, and records every attempt', async () => {
    const user = await t.createUser(clinic.id, 'receptionist');
    const device = await t.createDevice(clinic.id);
    const attempt = (password: string) =>
      t.app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { clinicSlug: clinic.slug, username: user.username, password, ...device },
      });
    for (let i = 0; i < 5; i++) expect((await attempt('not the password')).statusCode).toBe(401);
    const locked = await attempt(user.password);
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('RATE_LIMITED');
    expect(locked.json().error.details.retryAfterSeconds).toBeGreaterThan(0);
    t.clock.advance(31_000);
    expect((await attempt(user.password)).statusCode).toBe(200);
    const events = await t.tdb.db.owner
      .selectFrom('audit_events')
      .select('action')
      .where('clinic_id', '=', clinic.id)
      .where('entity_id', '=', user.id)
      .execute();
    expect(events.filter((e) => e.action === 'auth.login.failed')).toHaveLength(5);
    expect(events.filter((e) => e.action === 'auth.login.locked')).toHaveLength(1);
  });

  it('refuses clinic staff other than admins without a registered device', async () => {
    const doctor = await t.createUser(clinic.id, 'doctor');
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { clinicSlug: clinic.slug, username: doctor.username, password: doctor.password },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.details.reason).toBe('device_required');
    const admin = await t.createUser(clinic.id, 'admin');
    await expect(t.login(admin, null)).resolves.toMatchObject({ claims: { deviceId: null, role: 'admin' } });
  });
});

describe('access tokens', () => {
  it('refuses expired, wrongly signed, alg:none and wrong-audience tokens', async () => {
    const user = await t.createUser(clinic.id, 'doctor');
    const { claims } = await t.login(user);
    const now = Math.floor(Date.now() / 1000);
    const good = {
      ...claims,
      iss: t.config.jwt.issuer,
      aud: t.config.jwt.audience,
      iat: now,
      exp: now + 600,
    };
    const hs = { alg: 'HS256', typ: 'JWT' };
    // Control: a token forged with the real secret and claims is accepted, so each refusal below is
    // about the one thing changed.
    expect((await getClinic(`Bearer ${forge(hs, good, t.config.jwt.secret)}`)).statusCode).toBe(200);
    const cases = {
      expired: forge(hs, { ...good, iat: now - 3600, exp: now - 1800 }, t.config.jwt.secret),
      wrongSignature: forge(hs, good, 'another-secret-that-is-long-enough-to-look-real'),
      algNone: `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(good)).toString('base64url')}.`,
      wrongAudience: forge(hs, { ...good, aud: 'someone-else' }, t.config.jwt.secret),
      wrongIssuer: forge(hs, { ...good, iss: 'someone-else' }, t.config.jwt.secret),
      hs512: forge({ alg: 'HS512', typ: 'JWT' }, good, t.config.jwt.secret),
    };
    for (const [name, token] of Object.entries(cases)) {
      const res = await getClinic(`Bearer ${token}`);
      expect({ name, status: res.statusCode, code: res.json().error.code }).toEqual({
        name,
        status: 401,
        code: 'UNAUTHORIZED',
      });
    }
    expect((await getClinic(`Bearer ${cases.expired}`)).json().error.message).toMatch(/expired/);
  });

  it("stops a revoked device's token at once", async () => {
    const admin = await t.createUser(clinic.id, 'admin');
    const adminSession = await t.login(admin);
    const user = await t.createUser(clinic.id, 'receptionist');
    const device = await t.createDevice(clinic.id);
    const session = await t.login(user, device);
    expect((await getClinic(session.headers.authorization)).statusCode).toBe(200);
    const revoke = await t.app.inject({
      method: 'POST',
      url: `/v1/devices/${device.deviceId}/revoke`,
      headers: adminSession.headers,
    });
    expect(revoke.statusCode).toBe(200);
    expect(revoke.json().status).toBe('revoked');
    expect((await getClinic(session.headers.authorization)).statusCode).toBe(401);
    const refresh = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/refresh',
      payload: { refreshToken: session.refreshToken },
    });
    expect(refresh.statusCode).toBe(401);
    const again = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { clinicSlug: clinic.slug, username: user.username, password: user.password, ...device },
    });
    expect(again.statusCode).toBe(403);
    expect(again.json().error.details.reason).toBe('device_revoked');
  });
});

describe('refresh tokens', () => {
  const refresh = (refreshToken: string) =>
    t.app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken } });

  it('rotates on every use', async () => {
    const session = await t.login(await t.createUser(clinic.id, 'doctor'));
    const first = await refresh(session.refreshToken);
    expect(first.statusCode).toBe(200);
    const next = first.json().refreshToken;
    expect(next).not.toBe(session.refreshToken);
    expect((await getClinic(`Bearer ${first.json().accessToken}`)).statusCode).toBe(200);
    expect((await refresh(next)).statusCode).toBe(200);
  });

  it('lets two refreshes racing within the grace window both succeed', async () => {
    const session = await t.login(await t.createUser(clinic.id, 'doctor'));
    const [a, b] = await Promise.all([refresh(session.refreshToken), refresh(session.refreshToken)]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
  });

  it('revokes the whole family when a rotated token is used again after the grace window', async () => {
    const session = await t.login(await t.createUser(clinic.id, 'doctor'));
    const rotated = await refresh(session.refreshToken);
    const successor = rotated.json();
    t.clock.advance(60_000);
    const replay = await refresh(session.refreshToken);
    expect(replay.statusCode).toBe(401);
    // The successor token and the access tokens of the family are dead too.
    expect((await refresh(successor.refreshToken)).statusCode).toBe(401);
    expect((await getClinic(`Bearer ${successor.accessToken}`)).statusCode).toBe(401);
    expect((await getClinic(session.headers.authorization)).statusCode).toBe(401);
    const event = await t.tdb.db.owner
      .selectFrom('audit_events')
      .select('action')
      .where('entity_id', '=', session.claims.sid)
      .where('action', '=', 'auth.refresh.reuse_detected')
      .execute();
    expect(event).toHaveLength(1);
  });

  it('refuses a tampered refresh token', async () => {
    const session = await t.login(await t.createUser(clinic.id, 'doctor'));
    const tampered = `${session.refreshToken.slice(0, -4)}AAAA`;
    expect((await refresh(tampered)).statusCode).toBe(401);
    expect((await refresh('rt1.platform.not-a-token')).statusCode).toBe(401);
  });
});

describe('logout and password change', () => {
  it('logout ends the session', async () => {
    const session = await t.login(await t.createUser(clinic.id, 'doctor'));
    const res = await t.app.inject({ method: 'POST', url: '/v1/auth/logout', headers: session.headers });
    expect(res.statusCode).toBe(204);
    expect((await getClinic(session.headers.authorization)).statusCode).toBe(401);
  });

  it('changing the password ends every session of the user and checks the new password', async () => {
    const user = await t.createUser(clinic.id, 'doctor');
    const a = await t.login(user);
    const b = await t.login(user);
    const weak = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/change-password',
      headers: a.headers,
      payload: { currentPassword: user.password, newPassword: 'password' },
    });
    expect(weak.statusCode).toBe(400);
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/change-password',
      headers: a.headers,
      payload: { currentPassword: 'not it at all', newPassword: 'a much better passphrase 42' },
    });
    expect(wrong.statusCode).toBe(400);
    const ok = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/change-password',
      headers: a.headers,
      payload: { currentPassword: user.password, newPassword: 'a much better passphrase 42' },
    });
    expect(ok.statusCode).toBe(204);
    expect((await getClinic(a.headers.authorization)).statusCode).toBe(401);
    expect((await getClinic(b.headers.authorization)).statusCode).toBe(401);
    await expect(t.login(user)).rejects.toThrow(/401/);
    await expect(t.login({ ...user, password: 'a much better passphrase 42' })).resolves.toBeDefined();
  });
});

describe('devices', () => {
  it('registers pending, waits for approval, then signs in; an admin signing in on a pending device approves it', async () => {
    const reg = await t.app.inject({
      method: 'POST',
      url: '/v1/devices',
      payload: { clinicSlug: clinic.slug, name: 'Reception PC', platform: 'win32', appVersion: '0.1.0' },
    });
    expect(reg.statusCode).toBe(201);
    const { deviceId, deviceSecret, status } = reg.json();
    expect(status).toBe('pending');
    const poll = () =>
      t.app.inject({
        method: 'GET',
        url: `/v1/devices/${deviceId}/status?clinicSlug=${clinic.slug}`,
        headers: { 'x-device-secret': deviceSecret },
      });
    expect((await poll()).json()).toEqual({ status: 'pending' });
    const wrongSecret = await t.app.inject({
      method: 'GET',
      url: `/v1/devices/${deviceId}/status?clinicSlug=${clinic.slug}`,
      headers: { 'x-device-secret': 'x'.repeat(43) },
    });
    expect(wrongSecret.statusCode).toBe(404);

    const receptionist = await t.createUser(clinic.id, 'receptionist');
    await expect(t.login(receptionist, { deviceId, deviceSecret })).rejects.toThrow(/device_pending/);

    const admin = await t.createUser(clinic.id, 'admin');
    await t.login(admin, { deviceId, deviceSecret });
    expect((await poll()).json()).toEqual({ status: 'approved' });
    await expect(t.login(receptionist, { deviceId, deviceSecret })).resolves.toBeDefined();
  });

  it('lets a clinic admin list, rename and approve devices', async () => {
    const admin = await t.login(await t.createUser(clinic.id, 'admin'));
    const pending = await t.createDevice(clinic.id, 'pending');
    const approve = await t.app.inject({
      method: 'POST',
      url: `/v1/devices/${pending.deviceId}/approve`,
      headers: admin.headers,
    });
    expect(approve.json().status).toBe('approved');
    const rename = await t.app.inject({
      method: 'PATCH',
      url: `/v1/devices/${pending.deviceId}`,
      headers: admin.headers,
      payload: { name: 'Doctor room' },
    });
    expect(rename.json().name).toBe('Doctor room');
    const list = await t.app.inject({ method: 'GET', url: '/v1/devices', headers: admin.headers });
    expect(list.json().devices.find((d: { id: string }) => d.id === pending.deviceId)).toMatchObject({
      name: 'Doctor room',
      status: 'approved',
    });
  });
});
