import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../testing/test-app';
import {
  type AdminClinic,
  createClinicViaApi,
  createStaffRequest,
  doctorBody,
  type Headers,
  redeem,
  signInSuperAdmin,
  tokenOf,
  uniqueTag,
} from '../admin/admin.test-support';

let t: TestApp;
let clinic: AdminClinic;
let admin: Headers;

beforeAll(async () => {
  t = await createTestApp();
  clinic = await createClinicViaApi(t, await signInSuperAdmin(t));
  admin = clinic.adminSession.headers;
});
afterAll(async () => {
  await t?.close();
});

const PASSWORD = 'Ganesh@Peth2026';
const inject = (method: 'GET' | 'POST' | 'PATCH', url: string, headers: Headers, payload?: object) =>
  t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
const asUser = (
  member: { id: string; username: string; role: TestUser['role'] },
  password = PASSWORD,
): TestUser => ({
  id: member.id,
  username: member.username,
  role: member.role,
  password,
  clinicId: clinic.id,
});

describe('staff accounts', () => {
  it('creates a doctor with an initial password who then signs in from a device; lists staff with doctor details', async () => {
    const body = doctorBody({ password: PASSWORD, phone: '+919822098220' });
    const res = await createStaffRequest(t, admin, body);
    expect(res.statusCode).toBe(201);
    expect(res.json().setupLink).toBeNull();
    const member = res.json().member;
    expect(member).toMatchObject({ passwordSet: true, phone: '+919822098220', email: null });
    await expect(t.login(asUser(member))).resolves.toBeDefined();

    const list = await inject('GET', '/v1/clinic/staff', admin);
    const listed = list.json().staff.find((s: { id: string }) => s.id === member.id);
    expect(listed.doctor).toEqual({
      specialization: 'General Medicine',
      licenceNumber: body.doctor.licenceNumber,
      qualification: '',
      registrationCouncil: '',
    });
    expect((await inject('GET', `/v1/clinic/staff/${member.id}`, admin)).json().username).toBe(body.username);
  });

  it('gives receptionists and lab technicians a setup link when no password is given', async () => {
    for (const role of ['receptionist', 'lab_tech']) {
      const res = await createStaffRequest(t, admin, {
        username: `${role}.${uniqueTag()}`.replace('_', ''),
        displayName: 'Staff',
        role,
      });
      expect(res.statusCode).toBe(201);
      expect(res.json().member.passwordSet).toBe(false);
      expect((await redeem(t, clinic.slug, tokenOf(res.json().setupLink.url), PASSWORD)).statusCode).toBe(
        200,
      );
    }
  });

  it('edits names, contact details and the doctor profile; a taken licence number is a 409', async () => {
    const a = (await createStaffRequest(t, admin, doctorBody())).json().member;
    const b = (await createStaffRequest(t, admin, doctorBody())).json().member;
    const edit = await inject('PATCH', `/v1/clinic/staff/${a.id}`, admin, {
      displayName: 'Dr. Sneha Kulkarni',
      email: 'sneha@example.in',
      doctor: { specialization: 'Dermatology', qualification: 'MBBS, MD (DVL)' },
    });
    expect(edit.statusCode).toBe(200);
    expect(edit.json()).toMatchObject({
      displayName: 'Dr. Sneha Kulkarni',
      email: 'sneha@example.in',
      doctor: {
        specialization: 'Dermatology',
        qualification: 'MBBS, MD (DVL)',
        licenceNumber: a.doctor.licenceNumber,
      },
    });
    const taken = await inject('PATCH', `/v1/clinic/staff/${a.id}`, admin, {
      doctor: { licenceNumber: b.doctor.licenceNumber },
    });
    expect(taken.statusCode).toBe(409);
    const receptionist = (
      await createStaffRequest(t, admin, {
        username: `rec.${uniqueTag()}`,
        displayName: 'R',
        role: 'receptionist',
      })
    ).json().member;
    const notDoctor = await inject('PATCH', `/v1/clinic/staff/${receptionist.id}`, admin, {
      doctor: { specialization: 'X' },
    });
    expect(notDoctor.statusCode).toBe(400);
    expect((await inject('PATCH', `/v1/clinic/staff/${a.id}`, admin, {})).statusCode).toBe(400);
    expect(
      (await inject('PATCH', `/v1/clinic/staff/${crypto.randomUUID()}`, admin, { displayName: 'X' }))
        .statusCode,
    ).toBe(404);
  });

  it('deactivating ends the person’s sessions at once; reactivating lets them back in', async () => {
    const member = (await createStaffRequest(t, admin, doctorBody({ password: PASSWORD }))).json().member;
    const session = await t.login(asUser(member));
    const deactivated = await inject('POST', `/v1/clinic/staff/${member.id}/deactivate`, admin);
    expect(deactivated.json().isActive).toBe(false);
    expect((await inject('GET', '/v1/clinic/', session.headers)).statusCode).toBe(401);
    await expect(t.login(asUser(member))).rejects.toThrow(/401/);
    expect((await inject('POST', `/v1/clinic/staff/${member.id}/reactivate`, admin)).json().isActive).toBe(
      true,
    );
    await expect(t.login(asUser(member))).resolves.toBeDefined();
    const self = await inject('POST', `/v1/clinic/staff/${clinic.admin.id}/deactivate`, admin);
    expect(self.statusCode).toBe(409);
  });

  it("resets a staff member's access: the old password stops working and the new link sets a new one", async () => {
    const member = (await createStaffRequest(t, admin, doctorBody({ password: PASSWORD }))).json().member;
    const session = await t.login(asUser(member));
    const reset = await inject('POST', `/v1/clinic/staff/${member.id}/reset-access`, admin);
    expect(reset.statusCode).toBe(200);
    expect((await inject('GET', '/v1/clinic/', session.headers)).statusCode).toBe(401);
    await expect(t.login(asUser(member))).rejects.toThrow(/401/);
    expect((await redeem(t, clinic.slug, tokenOf(reset.json().url), 'Shaniwar@Wada1736')).statusCode).toBe(
      200,
    );
    await expect(t.login(asUser(member, 'Shaniwar@Wada1736'))).resolves.toBeDefined();
  });

  it('is for clinic admins only, and never reaches another clinic', async () => {
    const doctor = await t.createUser(clinic.id, 'doctor');
    const asDoctor = (await t.login(doctor)).headers;
    expect((await inject('GET', '/v1/clinic/staff', asDoctor)).statusCode).toBe(403);
    expect((await createStaffRequest(t, asDoctor, doctorBody())).statusCode).toBe(403);
    const other = await createClinicViaApi(t, await signInSuperAdmin(t));
    const outsider = (await createStaffRequest(t, other.adminSession.headers, doctorBody())).json().member;
    expect((await inject('GET', `/v1/clinic/staff/${outsider.id}`, admin)).statusCode).toBe(404);
    expect((await inject('POST', `/v1/clinic/staff/${outsider.id}/deactivate`, admin)).statusCode).toBe(404);
  });

  it('refuses a setup link for an unknown clinic or in a malformed shape', async () => {
    expect((await redeem(t, 'no-such-clinic', `${crypto.randomUUID()}.${'x'.repeat(43)}`)).statusCode).toBe(
      400,
    );
    expect((await redeem(t, clinic.slug, 'not-a-token-at-all-really')).statusCode).toBe(400);
  });
});
