import { randomUUID } from 'node:crypto';
import { formatProvisionalPatientCode, uuidv7 } from '@clinicdesk/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionFor, superAdminSession } from './testing/sessions';
import {
  createTestApp,
  type SignedIn,
  type TestApp,
  type TestClinic,
  type TestDevice,
  type TestUser,
} from './testing/test-app';

// Two sweeps over Fastify's route table, so a route added later without a case fails here:
// 1. cross-clinic: a caller of clinic B gets 404 for clinic A's ids and sees none of A's rows;
// 2. role matrix: every route × every role, allowed or refused as the table below says.

let t: TestApp;
type Role = 'super_admin' | 'admin' | 'doctor' | 'receptionist' | 'lab_tech' | 'patient';
type Caller = { headers: { authorization: string } };
type World = {
  clinic: TestClinic;
  spareDoctor: TestUser;
  spareDevice: TestDevice;
  admin: TestUser;
  adminSession: SignedIn;
  doctor: TestUser;
  device: TestDevice;
  patientId: string;
  callers: Record<Role, Caller>;
};
let A: World;
let B: World;
let baseUrl: string;

const PUBLIC = ['public'] as const;
const ANY = ['super_admin', 'admin', 'doctor', 'receptionist', 'lab_tech', 'patient'] as const;
const STAFF = ['admin', 'doctor', 'receptionist', 'lab_tech'] as const;
const CLINIC_ANY = ['admin', 'doctor', 'receptionist', 'lab_tech', 'patient'] as const;
const ADMIN = ['admin'] as const;
const PLATFORM = ['super_admin'] as const;

/** Who may call each route (public routes need no token). Edit this table when adding a route. */
const EXPECTED: Record<string, readonly string[]> = {
  'GET /health': PUBLIC,
  'GET /docs': PUBLIC,
  'GET /setup': PUBLIC,
  'GET /setup/setup.js': PUBLIC,
  'GET /setup/setup.css': PUBLIC,
  'GET /docs/json': PUBLIC,
  'GET /docs/yaml': PUBLIC,
  'GET /docs/static/index.html': PUBLIC,
  'GET /docs/static/swagger-initializer.js': PUBLIC,
  'GET /docs/static/*': PUBLIC,
  'GET /console': PUBLIC,
  'GET /console/*': PUBLIC,
  'POST /v1/auth/login': PUBLIC,
  'POST /v1/auth/refresh': PUBLIC,
  'GET /v1/auth/signing-key': PUBLIC,
  'POST /v1/auth/logout': ANY,
  'POST /v1/auth/change-password': ANY,
  'POST /v1/devices': PUBLIC,
  'GET /v1/devices/:id/status': PUBLIC,
  'GET /v1/devices': ADMIN,
  'POST /v1/devices/:id/approve': ADMIN,
  'POST /v1/devices/:id/revoke': ADMIN,
  'PATCH /v1/devices/:id': ADMIN,
  'GET /v1/clinic': CLINIC_ANY,
  'GET /v1/clinic/usage': CLINIC_ANY,
  'GET /v1/clinic/audit': ADMIN,
  'GET /v1/clinic/staff': ADMIN,
  'POST /v1/clinic/staff': ADMIN,
  'GET /v1/clinic/staff/:id': ADMIN,
  'PATCH /v1/clinic/staff/:id': ADMIN,
  'POST /v1/clinic/staff/:id/deactivate': ADMIN,
  'POST /v1/clinic/staff/:id/reactivate': ADMIN,
  'POST /v1/clinic/staff/:id/reset-access': ADMIN,
  'POST /v1/staff/setup-password': PUBLIC,
  'POST /v1/sync/push': STAFF,
  'GET /v1/sync/pull': STAFF,
  'POST /v1/sync/leases': STAFF,
  'GET /v1/sync/events': STAFF,
};
const isPlatformRoute = (url: string) => url.startsWith('/v1/admin');
/** Routes that act only on the caller's own session or account: no clinic data to leak. */
const SELF = new Set(['POST /v1/auth/logout', 'POST /v1/auth/change-password']);

function routeKey(r: { method: string; url: string }) {
  return `${r.method} ${r.url}`;
}

async function world(): Promise<World> {
  const clinic = await t.createClinic();
  const admin = await t.createUser(clinic.id, 'admin');
  const doctor = await t.createUser(clinic.id, 'doctor');
  const receptionist = await t.createUser(clinic.id, 'receptionist');
  const labTech = await t.createUser(clinic.id, 'lab_tech');
  const portal = await t.createUser(clinic.id, 'patient');
  const device = await t.createDevice(clinic.id);
  const spareDoctor = await t.createUser(clinic.id, 'doctor');
  const spareDevice = await t.createDevice(clinic.id);
  const adminSession = await t.login(admin, device);
  const doctorSession = await t.login(doctor);
  const deskSession = await t.login(receptionist);
  const labSession = await t.login(labTech);
  const patientId = uuidv7();
  const push = await t.app.inject({
    method: 'POST',
    url: '/v1/sync/push',
    headers: deskSession.headers,
    payload: {
      protocolVersion: 1,
      schemaVersion: 1,
      groups: [
        {
          mutationId: randomUUID(),
          seq: 1,
          createdAt: new Date().toISOString(),
          ops: [
            {
              op: 'create',
              entity: 'patient',
              id: patientId,
              data: {
                patientCode: formatProvisionalPatientCode(clinic.code, 2026, patientId),
                firstName: `Only-${clinic.code}`,
                ageYears: 30,
                sex: 'male',
                registeredBy: receptionist.id,
              },
            },
          ],
        },
      ],
    },
  });
  if (push.json().results[0].status !== 'applied') throw new Error(push.body);
  return {
    clinic,
    spareDoctor,
    spareDevice,
    admin,
    adminSession,
    doctor,
    device,
    patientId,
    callers: {
      super_admin: await superAdminSession(t.app, t.tdb.db),
      admin: adminSession,
      doctor: doctorSession,
      receptionist: deskSession,
      lab_tech: labSession,
      patient: await sessionFor(t.app, t.tdb.db, clinic.id, portal.id, 'patient'),
    },
  };
}

beforeAll(async () => {
  t = await createTestApp();
  baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 });
  A = await world();
  B = await world();
});
afterAll(async () => {
  await t?.close();
});

/** Fills `:params` of a URL with ids of clinic A (the victim). */
function urlWithAIds(url: string): string {
  return url
    .replace(':id/status', `${A.device.deviceId}/status`)
    .replace(/\/v1\/devices\/:id/, `/v1/devices/${A.device.deviceId}`)
    .replace(/\/v1\/clinic\/staff\/:id/, `/v1/clinic/staff/${A.doctor.id}`)
    .replace(':userId', A.admin.id)
    .replace(':deviceId', A.device.deviceId)
    .replace(':id', A.clinic.id)
    .replace('*', 'index.html');
}

async function call(method: string, url: string, caller: Caller | null, payload?: unknown) {
  if (url === '/v1/sync/events') {
    // An event stream never ends: open it over real HTTP and look only at the status.
    const controller = new AbortController();
    const res = await fetch(`${baseUrl}${url}`, {
      headers: caller?.headers ?? {},
      signal: controller.signal,
    });
    controller.abort();
    return { statusCode: res.status, body: '', json: () => ({}) };
  }
  return t.app.inject({
    method: method as 'GET',
    url,
    headers: caller?.headers ?? {},
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

describe('cross-clinic sweep', () => {
  const aIds = () => [
    A.clinic.id,
    A.admin.id,
    A.doctor.id,
    A.device.deviceId,
    A.patientId,
    `Only-${A.clinic.code}`,
  ];

  it('has a case for every route in the route table', () => {
    const missing = t.app.routeTable
      .filter((r) => !isPlatformRoute(r.url) && !(routeKey(r) in EXPECTED))
      .map(routeKey);
    expect(missing).toEqual([]);
  });

  it("gives clinic B's admin 404 for clinic A's ids and none of A's rows in any list", async () => {
    const bAdmin = B.callers.admin;
    const findings: string[] = [];
    for (const route of t.app.routeTable) {
      const key = routeKey(route);
      if (isPlatformRoute(route.url) || EXPECTED[key] === PUBLIC || SELF.has(key)) continue;
      const url = urlWithAIds(route.url);
      const payload =
        route.url === '/v1/sync/push'
          ? {
              protocolVersion: 1,
              schemaVersion: 1,
              groups: [
                {
                  mutationId: randomUUID(),
                  seq: 1,
                  createdAt: new Date().toISOString(),
                  ops: [
                    {
                      op: 'update',
                      entity: 'patient',
                      id: A.patientId,
                      changed: { city: 'X' },
                      before: { city: null },
                    },
                  ],
                },
              ],
            }
          : route.url === '/v1/sync/leases'
            ? { protocolVersion: 1, schemaVersion: 1, counter: 'patient_code', scope: '2026', size: 5 }
            : route.method === 'PATCH'
              ? { name: 'renamed', displayName: 'renamed' }
              : route.method === 'POST'
                ? {}
                : undefined;
      const res = await call(
        route.method,
        `${url}${route.url === '/v1/sync/pull' ? '?cursor=0&protocolVersion=1&schemaVersion=1' : ''}`,
        bAdmin,
        payload,
      );
      const hasParam = route.url.includes(':');
      if (hasParam && res.statusCode !== 404 && res.statusCode !== 400)
        findings.push(`${key}: ${res.statusCode} for A's id`);
      const leaked = aIds().filter((id) => res.body.includes(id));
      if (leaked.length > 0) findings.push(`${key}: shows clinic A's ${leaked.join(', ')}`);
      if (route.url === '/v1/sync/push') {
        const result = res.json().results?.[0];
        if (result?.code !== 'NOT_FOUND')
          findings.push(`${key}: editing A's patient gave ${JSON.stringify(result)}`);
      }
    }
    expect(findings).toEqual([]);
  });

  it("refuses B's admin on A's device status with A's secret (public route, wrong clinic)", async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/v1/devices/${A.device.deviceId}/status?clinicSlug=${B.clinic.slug}`,
      headers: { 'x-device-secret': A.device.deviceSecret },
    });
    expect(res.statusCode).toBe(404);
  });

  it("signs nobody into clinic B with clinic A's username", async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { clinicSlug: B.clinic.slug, username: A.admin.username, password: A.admin.password },
    });
    expect(res.statusCode).toBe(401);
  });
});

describe('role matrix', () => {
  it('has an expected row for every clinic-facing route', () => {
    const missing = t.app.routeTable
      .filter((r) => !isPlatformRoute(r.url) && !(routeKey(r) in EXPECTED))
      .map(routeKey);
    expect(missing).toEqual([]);
  });

  it('allows and refuses every route for every role as the table says', async () => {
    const roles: Role[] = ['super_admin', 'admin', 'doctor', 'receptionist', 'lab_tech', 'patient'];
    const wrong: string[] = [];
    for (const route of t.app.routeTable) {
      const key = routeKey(route);
      const expected = isPlatformRoute(route.url) ? PLATFORM : EXPECTED[key];
      if (!expected || expected === PUBLIC) continue;
      // Own-clinic ids, so an allowed caller is never stopped by tenancy (that is the other sweep).
      const url = route.url
        .replace(/\/v1\/devices\/:id/, `/v1/devices/${B.spareDevice.deviceId}`)
        .replace(/\/v1\/clinic\/staff\/:id/, `/v1/clinic/staff/${B.spareDoctor.id}`)
        .replace(':userId', B.spareDoctor.id)
        .replace(':deviceId', B.spareDevice.deviceId)
        .replace(':id', B.clinic.id);
      for (const role of roles) {
        if (key === 'POST /v1/auth/logout' || key === 'POST /v1/auth/change-password') {
          // Calling these ends or changes the session; their access is checked with a fresh session.
          const fresh = role === 'super_admin' ? await superAdminSession(t.app, t.tdb.db) : null;
          const res = await call(
            route.method,
            url,
            fresh ?? (await freshSession(role)),
            key.endsWith('logout') ? undefined : {},
          );
          if (res.statusCode === 401 || res.statusCode === 403)
            wrong.push(`${key} refused ${role}: ${res.statusCode}`);
          continue;
        }
        const res = await call(
          route.method,
          `${url}${route.url === '/v1/sync/pull' ? '?cursor=0&protocolVersion=1&schemaVersion=1' : ''}`,
          B.callers[role],
          route.method === 'GET' ? undefined : {},
        );
        const allowed = expected.includes(role);
        const refused = res.statusCode === 403;
        if (allowed && (refused || res.statusCode === 401))
          wrong.push(`${key} should allow ${role}, got ${res.statusCode} ${res.body.slice(0, 120)}`);
        if (!allowed && !refused) wrong.push(`${key} should refuse ${role}, got ${res.statusCode}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('answers 401 without a token on every non-public route', async () => {
    const wrong: string[] = [];
    for (const route of t.app.routeTable) {
      const key = routeKey(route);
      const expected = isPlatformRoute(route.url) ? PLATFORM : EXPECTED[key];
      if (expected === PUBLIC) continue;
      const res = await call(
        route.method,
        urlWithAIds(route.url),
        null,
        route.method === 'GET' ? undefined : {},
      );
      if (res.statusCode !== 401) wrong.push(`${key}: ${res.statusCode}`);
    }
    expect(wrong).toEqual([]);
  });
});

async function freshSession(role: Role): Promise<Caller> {
  if (role === 'patient') {
    const portal = await t.createUser(B.clinic.id, 'patient');
    return sessionFor(t.app, t.tdb.db, B.clinic.id, portal.id, 'patient');
  }
  if (role === 'super_admin') return superAdminSession(t.app, t.tdb.db);
  const user = await t.createUser(B.clinic.id, role);
  return t.login(user, role === 'admin' ? null : undefined);
}
