import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inClinic } from '../../plugins/tenancy.plugin';
import { createTestApp, type TestApp } from '../../testing/test-app';
import {
  type AdminClinic,
  createClinicViaApi,
  createStaffRequest,
  doctorBody,
  type Headers,
  setStatus,
  signInSuperAdmin,
} from './admin.test-support';

let t: TestApp;
let sa: Headers;
let clinic: AdminClinic;

beforeAll(async () => {
  t = await createTestApp();
  sa = await signInSuperAdmin(t);
  clinic = await createClinicViaApi(t, sa);
});
afterAll(async () => {
  await t?.close();
});

const clinicActions = async (clinicId: string) =>
  (
    await t.tdb.db.owner
      .selectFrom('audit_events')
      .select('action')
      .where('clinic_id', '=', clinicId)
      .orderBy('seq')
      .execute()
  ).map((e) => e.action);
const platformActions = async (clinicId: string) =>
  (
    await t.tdb.db.owner
      .selectFrom('platform_audit_events')
      .select('action')
      .where('subject_clinic_id', '=', clinicId)
      .orderBy('seq')
      .execute()
  ).map((e) => e.action);

describe('audit chains', () => {
  it("records staff changes in the clinic's chain and clinic changes in both chains", async () => {
    const headers = clinic.adminSession.headers;
    const doctor = (await createStaffRequest(t, headers, doctorBody())).json().member;
    await t.app.inject({
      method: 'PATCH',
      url: `/v1/clinic/staff/${doctor.id}`,
      headers,
      payload: { displayName: 'Dr. Renamed', phone: '+919876543210' },
    });
    await t.app.inject({ method: 'POST', url: `/v1/clinic/staff/${doctor.id}/deactivate`, headers });
    await setStatus(t, sa, clinic.id, 'active');
    await t.app.inject({
      method: 'PATCH',
      url: `/v1/admin/clinics/${clinic.id}`,
      headers: sa,
      payload: { limits: { maxDoctors: 5 } },
    });

    expect(await clinicActions(clinic.id)).toEqual(
      expect.arrayContaining([
        'clinic.created',
        'staff.created',
        'staff.password_setup.completed',
        'staff.updated',
        'staff.deactivated',
        'clinic.status.changed',
        'clinic.updated',
      ]),
    );
    expect(await platformActions(clinic.id)).toEqual([
      'clinic.created',
      'clinic.status.changed',
      'clinic.updated',
    ]);
    const updated = await t.tdb.db.owner
      .selectFrom('audit_events')
      .select('details')
      .where('clinic_id', '=', clinic.id)
      .where('action', '=', 'staff.updated')
      .executeTakeFirstOrThrow();
    // Which fields changed, never the contact details themselves.
    expect(updated.details).toEqual({ fields: ['displayName', 'phone'] });
    expect(JSON.stringify(updated.details)).not.toContain('9876543210');

    const own = await t.app.inject({ method: 'GET', url: '/v1/clinic/audit?action=staff.&limit=2', headers });
    expect(own.statusCode).toBe(200);
    expect(own.json().events.map((e: { action: string }) => e.action)).toEqual([
      'staff.deactivated',
      'staff.updated',
    ]);
    const next = await t.app.inject({
      method: 'GET',
      url: `/v1/clinic/audit?action=staff.&limit=2&beforeSeq=${own.json().nextBeforeSeq}`,
      headers,
    });
    expect(next.json().events[0].action).toBe('staff.created');
    // The filter is a prefix of the text typed: LIKE wildcards in it match only themselves.
    for (const wildcard of ['%', 'staff_', '_taff.']) {
      const literal = await t.app.inject({
        method: 'GET',
        url: `/v1/clinic/audit?action=${encodeURIComponent(wildcard)}`,
        headers,
      });
      expect(literal.statusCode, wildcard).toBe(200);
      expect(literal.json().events, wildcard).toEqual([]);
    }
    const doctorUser = await t.createUser(clinic.id, 'doctor');
    const asDoctor = await t.app.inject({
      method: 'GET',
      url: '/v1/clinic/audit',
      headers: (await t.login(doctorUser)).headers,
    });
    expect(asDoctor.statusCode).toBe(403);

    const platform = await t.app.inject({
      method: 'GET',
      url: `/v1/admin/audit?clinicId=${clinic.id}&action=clinic.status`,
      headers: sa,
    });
    expect(platform.json().events.map((e: { action: string }) => e.action)).toEqual([
      'clinic.status.changed',
    ]);
    const wildcard = await t.app.inject({
      method: 'GET',
      url: `/v1/admin/audit?clinicId=${clinic.id}&action=clinic_status`,
      headers: sa,
    });
    expect(wildcard.json().events).toEqual([]);
  });

  it('lets the request role only insert audit events, never update or delete them', async () => {
    const update = inClinic(t.tdb.db.app, clinic.id, (trx, id) =>
      trx.updateTable('audit_events').set({ action: 'forged' }).where('clinic_id', '=', id).execute(),
    );
    await expect(update).rejects.toThrow(/permission denied/);
    const remove = inClinic(t.tdb.db.app, clinic.id, (trx, id) =>
      trx.deleteFrom('audit_events').where('clinic_id', '=', id).execute(),
    );
    await expect(remove).rejects.toThrow(/permission denied/);
  });

  it('verifies every chain, and after tampering names the chain and the altered event', async () => {
    const ok = await t.app.inject({ method: 'GET', url: '/v1/admin/audit/verify', headers: sa });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ ok: true, breaks: [] });
    expect(ok.json().chains).toBeGreaterThanOrEqual(2);
    expect(ok.json().events).toBeGreaterThan(5);

    const owner = t.tdb.db.owner;
    await sql`ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only`.execute(owner);
    try {
      await owner
        .updateTable('audit_events')
        .set({ details: JSON.stringify({ reason: 'tampered' }) })
        .where('clinic_id', '=', clinic.id)
        .where('seq', '=', 3)
        .execute();
    } finally {
      await sql`ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only`.execute(owner);
    }
    const broken = await t.app.inject({ method: 'GET', url: '/v1/admin/audit/verify', headers: sa });
    expect(broken.json()).toMatchObject({
      ok: false,
      breaks: [{ chain: clinic.id, seq: 3, reason: 'event content does not match its hash' }],
    });
  });
});
