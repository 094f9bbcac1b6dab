import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database';
import { hashPassword } from '../lib/passwords';
import { totpCode } from '../modules/auth/totp';
import type { AccessClaims } from '../plugins/auth.plugin';

/**
 * Sessions for callers that do not sign in through the clinic login in tests: a super admin
 * (platform session, authenticator enrolled) and a patient-portal user. The rows are real, so the session check applies.
 */
export async function superAdminSession(app: FastifyInstance, db: Database) {
  const id = randomUUID();
  const sid = randomUUID();
  await db.owner
    .insertInto('platform_admins')
    .values({
      id,
      username: `root-${id.slice(0, 8)}`,
      password_hash: await hashPassword('not used in this test 1'),
      // Enrolled: the console API is closed to a super admin without a second factor.
      totp_secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
      totp_enabled: true,
    })
    .execute();
  await db.owner
    .insertInto('platform_sessions')
    .values({ id: sid, admin_id: id, expires_at: new Date(Date.now() + 3_600_000) })
    .execute();
  const claims: AccessClaims = { sub: id, clinicId: null, role: 'super_admin', deviceId: null, sid };
  return { claims, headers: { authorization: `Bearer ${app.signAccessToken(claims)}` } };
}

/** A session for a user row that already exists (e.g. a patient-portal user), without a device. */
export async function sessionFor(
  app: FastifyInstance,
  db: Database,
  clinicId: string,
  userId: string,
  role: AccessClaims['role'],
) {
  const sid = randomUUID();
  await db.owner
    .insertInto('sessions')
    .values({
      clinic_id: clinicId,
      id: sid,
      user_id: userId,
      device_id: null,
      expires_at: new Date(Date.now() + 3_600_000),
    })
    .execute();
  const claims: AccessClaims = { sub: userId, clinicId, role, deviceId: null, sid };
  return { claims, headers: { authorization: `Bearer ${app.signAccessToken(claims)}` } };
}

/**
 * Enrols an authenticator for a signed-in super admin through the real routes (the console API is
 * closed until then); the session that confirms keeps working. Returns the TOTP secret.
 */
export async function enrolAuthenticator(
  app: FastifyInstance,
  headers: { authorization: string },
  now: Date,
): Promise<string> {
  const enrol = await app.inject({ method: 'POST', url: '/v1/admin/totp/enroll', headers });
  if (enrol.statusCode !== 200) throw new Error(`authenticator enrolment failed: ${enrol.body}`);
  const { secret } = enrol.json() as { secret: string };
  const confirm = await app.inject({
    method: 'POST',
    url: '/v1/admin/totp/confirm',
    headers,
    payload: { code: totpCode(secret, now) },
  });
  if (confirm.statusCode !== 200) throw new Error(`authenticator confirmation failed: ${confirm.body}`);
  return secret;
}
