import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database';
import { hashPassword } from '../lib/passwords';
import type { AccessClaims } from '../plugins/auth.plugin';

/**
 * Sessions for callers that do not sign in through the clinic login in tests: a super admin
 * (platform session) and a patient-portal user. The rows are real, so the session check applies.
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
      totp_secret: null,
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
