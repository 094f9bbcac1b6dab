import { randomUUID } from 'node:crypto';
import { subscriptionAccess } from '@clinicdesk/domain';
import type { Selectable } from 'kysely';
import type { Database } from '../../db/database';
import type { ClinicsTable } from '../../db/tables';
import { AppError } from '../../lib/app-error';
import { hashPassword, passwordProblem, verifyPassword } from '../../lib/passwords';
import { hashSecret, randomSecret, secretMatches } from '../../lib/secrets';
import { type SigningKey, signPayload } from '../../lib/signing-keys';
import type { AccessClaims, Caller } from '../../plugins/auth.plugin';
import { actorOf, inClinic, type TenantTransaction } from '../../plugins/tenancy.plugin';
import { recordClinicEvent, recordPlatformEvent } from '../audit/audit.repository';
import type { LoginBody, LoginResponse } from './auth.schema';
import { totpStep } from './totp';

/**
 * Sessions: login (clinic users and super admins), refresh with rotation and reuse detection,
 * logout and password change. Refresh tokens are `rt1.<clinicId|platform>.<tokenId>.<secret>`,
 * stored only as SHA-256; each use rotates the token, and a token used again after the grace window
 * revokes the whole session (token family). Two refreshes racing within the window both succeed.
 */
export type AuthDeps = {
  db: Database;
  now: () => Date;
  signAccessToken: (claims: AccessClaims) => string;
  signingKey: SigningKey;
  accessTtlSeconds: number;
};

export const SESSION_TTL_DAYS = 30;
export const OFFLINE_GRANT_HOURS = 72;
export const REFRESH_REUSE_GRACE_MS = 10_000;
export const LOCKOUT_THRESHOLD = 5;
const WRONG_CREDENTIALS = 'Clinic, username or password is wrong';

/** Lockout after repeated failures: 30 s doubling per further failure, at most 15 minutes. */
export function lockoutMs(failures: number): number {
  if (failures < LOCKOUT_THRESHOLD) return 0;
  return Math.min(15 * 60_000, 30_000 * 2 ** (failures - LOCKOUT_THRESHOLD));
}

type Issued = { accessToken: string; accessTokenExpiresAt: string; refreshToken: string };

function issueAccess(
  deps: AuthDeps,
  claims: AccessClaims,
): Pick<Issued, 'accessToken' | 'accessTokenExpiresAt'> {
  return {
    accessToken: deps.signAccessToken(claims),
    accessTokenExpiresAt: new Date(deps.now().getTime() + deps.accessTtlSeconds * 1000).toISOString(),
  };
}

function offlineGrant(deps: AuthDeps, claims: AccessClaims, username: string) {
  if (!claims.clinicId || !claims.deviceId) return null;
  const now = deps.now();
  const expiresAt = new Date(now.getTime() + OFFLINE_GRANT_HOURS * 3_600_000);
  const token = signPayload(deps.signingKey, {
    v: 1,
    kind: 'offline-grant',
    sub: claims.sub,
    username,
    role: claims.role,
    clinicId: claims.clinicId,
    deviceId: claims.deviceId,
    iat: now.toISOString(),
    exp: expiresAt.toISOString(),
  });
  return { token, expiresAt: expiresAt.toISOString(), publicKey: deps.signingKey.publicKeyPem };
}

function clinicView(clinic: ClinicsTableRow, now: Date) {
  const decision = subscriptionAccess(
    {
      status: clinic.subscription_status,
      trialEndsAt: clinic.trial_ends_at,
      paidUntil: clinic.paid_until,
      isActive: clinic.is_active,
    },
    now,
  );
  return {
    decision,
    view: {
      id: clinic.id,
      code: clinic.code,
      slug: clinic.slug,
      name: clinic.name,
      subscriptionStatus: clinic.subscription_status,
      access: decision.access,
      accessReason: decision.reason,
      trialEndsAt: clinic.trial_ends_at?.toISOString() ?? null,
      paidUntil: clinic.paid_until?.toISOString() ?? null,
    },
  };
}

type ClinicsTableRow = Selectable<ClinicsTable>;

/** Logs a user in; throws UNAUTHORIZED, RATE_LIMITED (locked), CLINIC_SUSPENDED or FORBIDDEN (device). */
export async function login(deps: AuthDeps, body: LoginBody, ip: string): Promise<LoginResponse> {
  if (!body.clinicSlug) return platformLogin(deps, body, ip);
  const now = deps.now();
  // Directory lookup of the clinic by slug: platform metadata, read by the owner connection.
  const clinic = await deps.db.owner
    .selectFrom('clinics')
    .selectAll()
    .where('slug', '=', body.clinicSlug)
    .executeTakeFirst();
  if (!clinic) {
    await verifyPassword(null, body.password);
    throw new AppError('UNAUTHORIZED', WRONG_CREDENTIALS);
  }
  const anonymous = { type: 'anonymous', id: null, role: null, deviceId: body.deviceId ?? null } as const;

  const outcome = await inClinic(deps.db.app, clinic.id, async (trx, clinicId) => {
    const user = await trx
      .selectFrom('users')
      .selectAll()
      .where('clinic_id', '=', clinicId)
      .where('username', '=', body.username)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (user?.locked_until && user.locked_until > now) {
      await recordClinicEvent(trx, clinicId, anonymous, {
        action: 'auth.login.locked',
        entity: 'user',
        entityId: user.id,
        details: { username: body.username, ip },
      });
      return { kind: 'locked' as const, until: user.locked_until };
    }
    const ok = await verifyPassword(user?.password_hash ?? null, body.password);
    if (!user || !ok || !user.is_active) {
      if (user) {
        const failures = user.failed_login_count + 1;
        const lockFor = lockoutMs(failures);
        await trx
          .updateTable('users')
          .set({
            failed_login_count: failures,
            locked_until: lockFor ? new Date(now.getTime() + lockFor) : null,
          })
          .where('clinic_id', '=', clinicId)
          .where('id', '=', user.id)
          .execute();
      }
      await recordClinicEvent(trx, clinicId, anonymous, {
        action: 'auth.login.failed',
        entity: 'user',
        entityId: user?.id ?? null,
        details: {
          username: body.username,
          ip,
          reason: !user ? 'unknown_user' : !ok ? 'wrong_password' : 'inactive',
        },
      });
      return { kind: 'failed' as const };
    }
    return { kind: 'ok' as const, user };
  });

  if (outcome.kind === 'locked') {
    const retryAfterSeconds = Math.ceil((outcome.until.getTime() - now.getTime()) / 1000);
    throw new AppError('RATE_LIMITED', 'Too many failed sign-ins; try again later', { retryAfterSeconds });
  }
  if (outcome.kind === 'failed') throw new AppError('UNAUTHORIZED', WRONG_CREDENTIALS);
  const user = outcome.user;
  if (user.role === 'patient') throw new AppError('FORBIDDEN', 'Patients sign in through the patient portal');

  const { decision, view } = clinicView(clinic, now);
  if (decision.access === 'blocked') {
    throw new AppError('CLINIC_SUSPENDED', 'This clinic is suspended; contact ClinicDesk support', {
      reason: decision.reason,
    });
  }

  return inClinic(
    deps.db.app,
    clinic.id,
    async (trx, clinicId) => {
      const actor = { type: 'user', id: user.id, role: user.role, deviceId: body.deviceId ?? null } as const;
      const deviceId = await checkDevice(trx, clinicId, body, user.role, actor, decision.access === 'full');
      const sessionId = randomUUID();
      await trx
        .insertInto('sessions')
        .values({
          clinic_id: clinicId,
          id: sessionId,
          user_id: user.id,
          device_id: deviceId,
          expires_at: new Date(now.getTime() + SESSION_TTL_DAYS * 86_400_000),
        })
        .execute();
      const refreshToken = await newRefreshToken(trx, clinicId, sessionId);
      await trx
        .updateTable('users')
        .set({ failed_login_count: 0, locked_until: null })
        .where('clinic_id', '=', clinicId)
        .where('id', '=', user.id)
        .execute();
      await recordClinicEvent(trx, clinicId, actor, {
        action: 'auth.login.succeeded',
        entity: 'session',
        entityId: sessionId,
        details: { ip },
      });
      const claims: AccessClaims = { sub: user.id, clinicId, role: user.role, deviceId, sid: sessionId };
      return {
        ...issueAccess(deps, claims),
        refreshToken,
        user: {
          id: user.id,
          username: user.username,
          displayName: user.display_name,
          role: user.role,
          clinicId,
        },
        clinic: view,
        offlineGrant: offlineGrant(deps, claims, user.username),
      };
    },
    { lock: true },
  );
}

/**
 * A clinic user's device: it must belong to the clinic and prove its secret. A pending device is
 * approved when a clinic admin signs in on it (if the clinic may write); other roles wait.
 * Only clinic admins may sign in without a device (administration from a browser).
 */
async function checkDevice(
  trx: TenantTransaction,
  clinicId: string,
  body: LoginBody,
  role: string,
  actor: { type: 'user'; id: string; role: string; deviceId: string | null },
  writable: boolean,
): Promise<string | null> {
  if (!body.deviceId) {
    if (role === 'admin') return null;
    throw new AppError('FORBIDDEN', 'Sign in from a registered ClinicDesk device', {
      reason: 'device_required',
    });
  }
  const device = await trx
    .selectFrom('devices')
    .select(['id', 'status', 'secret_hash'])
    .where('clinic_id', '=', clinicId)
    .where('id', '=', body.deviceId)
    .executeTakeFirst();
  if (
    !device ||
    !body.deviceSecret ||
    !device.secret_hash ||
    !secretMatches(body.deviceSecret, device.secret_hash)
  ) {
    throw new AppError('FORBIDDEN', 'This device is not registered with the clinic', {
      reason: 'device_unknown',
    });
  }
  if (device.status === 'revoked') {
    throw new AppError('FORBIDDEN', 'This device has been revoked by the clinic admin', {
      reason: 'device_revoked',
    });
  }
  if (device.status === 'pending') {
    if (role !== 'admin' || !writable) {
      throw new AppError('FORBIDDEN', 'This device is waiting for approval by a clinic admin', {
        reason: 'device_pending',
      });
    }
    await trx
      .updateTable('devices')
      .set({ status: 'approved', approved_by: actor.id, approved_at: new Date(), updated_at: new Date() })
      .where('clinic_id', '=', clinicId)
      .where('id', '=', device.id)
      .execute();
    await recordClinicEvent(trx, clinicId, actor, {
      action: 'device.approved',
      entity: 'device',
      entityId: device.id,
      details: { how: 'admin_signed_in_on_device' },
    });
  }
  return device.id;
}

async function newRefreshToken(trx: TenantTransaction, clinicId: string, sessionId: string): Promise<string> {
  const id = randomUUID();
  const secret = randomSecret();
  await trx
    .insertInto('refresh_tokens')
    .values({ clinic_id: clinicId, id, session_id: sessionId, token_hash: hashSecret(secret) })
    .execute();
  return `rt1.${clinicId}.${id}.${secret}`;
}

async function platformLogin(deps: AuthDeps, body: LoginBody, ip: string): Promise<LoginResponse> {
  const now = deps.now();
  const owner = deps.db.owner;
  const admin = await owner
    .selectFrom('platform_admins')
    .selectAll()
    .where('username', '=', body.username)
    .executeTakeFirst();
  const anonymous = { type: 'anonymous', id: null, role: null } as const;
  if (admin?.locked_until && admin.locked_until > now) {
    await recordPlatformEvent(owner, anonymous, { action: 'auth.login.locked', entityId: admin.id });
    const retryAfterSeconds = Math.ceil((admin.locked_until.getTime() - now.getTime()) / 1000);
    throw new AppError('RATE_LIMITED', 'Too many failed sign-ins; try again later', { retryAfterSeconds });
  }
  const ok = await verifyPassword(admin?.password_hash ?? null, body.password);
  const step =
    admin?.totp_enabled && body.totp !== undefined ? totpStep(admin.totp_secret ?? '', body.totp, now) : null;
  // A code already used (its step not later than the last accepted one) counts as wrong.
  const totpOk = !admin?.totp_enabled || (step !== null && step > (admin.totp_last_step ?? -1));
  if (!admin || !ok || !admin.is_active || !totpOk) {
    if (admin) {
      const failures = admin.failed_login_count + 1;
      const lockFor = lockoutMs(failures);
      await owner
        .updateTable('platform_admins')
        .set({
          failed_login_count: failures,
          locked_until: lockFor ? new Date(now.getTime() + lockFor) : null,
        })
        .where('id', '=', admin.id)
        .execute();
    }
    await recordPlatformEvent(owner, anonymous, {
      action: 'auth.login.failed',
      entity: 'platform_admin',
      entityId: admin?.id ?? null,
      details: {
        username: body.username,
        ip,
        reason: !admin ? 'unknown_user' : !ok ? 'wrong_password' : !totpOk ? 'totp' : 'inactive',
      },
    });
    if (admin && ok && admin.is_active && !totpOk) {
      throw new AppError(
        'UNAUTHORIZED',
        body.totp ? 'The authenticator code is wrong' : 'Enter your authenticator code',
        {
          reason: 'totp_required',
        },
      );
    }
    throw new AppError('UNAUTHORIZED', 'Username or password is wrong');
  }
  return owner.transaction().execute(async (trx) => {
    if (step !== null) {
      // Two sign-ins racing with one code: only the first moves the step forward.
      const claimed = await trx
        .updateTable('platform_admins')
        .set({ totp_last_step: step })
        .where('id', '=', admin.id)
        .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
        .executeTakeFirst();
      if (claimed.numUpdatedRows === 0n) {
        throw new AppError('UNAUTHORIZED', 'The authenticator code is wrong', { reason: 'totp_required' });
      }
    }
    const sessionId = randomUUID();
    await trx
      .insertInto('platform_sessions')
      .values({ id: sessionId, admin_id: admin.id, expires_at: new Date(now.getTime() + 12 * 3_600_000) })
      .execute();
    const refreshToken = await newPlatformRefreshToken(trx, sessionId);
    await trx
      .updateTable('platform_admins')
      .set({ failed_login_count: 0, locked_until: null })
      .where('id', '=', admin.id)
      .execute();
    await recordPlatformEvent(
      trx,
      { type: 'platform_admin', id: admin.id, role: 'super_admin' },
      {
        action: 'auth.login.succeeded',
        entity: 'session',
        entityId: sessionId,
        details: { ip },
      },
    );
    const claims: AccessClaims = {
      sub: admin.id,
      clinicId: null,
      role: 'super_admin',
      deviceId: null,
      sid: sessionId,
    };
    return {
      ...issueAccess(deps, claims),
      refreshToken,
      user: {
        id: admin.id,
        username: admin.username,
        displayName: admin.display_name,
        role: 'super_admin',
        clinicId: null,
      },
      clinic: null,
      offlineGrant: null,
    };
  });
}

async function newPlatformRefreshToken(trx: Database['owner'], sessionId: string): Promise<string> {
  const id = randomUUID();
  const secret = randomSecret();
  await trx
    .insertInto('platform_refresh_tokens')
    .values({ id, session_id: sessionId, token_hash: hashSecret(secret) })
    .execute();
  return `rt1.platform.${id}.${secret}`;
}

const REFRESH_FORMAT = /^rt1\.([0-9a-f-]{36}|platform)\.([0-9a-f-]{36})\.([A-Za-z0-9_-]{20,})$/;
const INVALID_REFRESH = 'Refresh token is invalid or has expired; sign in again';

/** Rotates a refresh token; reuse after the grace window revokes the session. */
export async function refresh(deps: AuthDeps, refreshToken: string) {
  const m = REFRESH_FORMAT.exec(refreshToken);
  if (!m?.[1] || !m[2] || !m[3]) throw new AppError('UNAUTHORIZED', INVALID_REFRESH);
  const [scope, tokenId, secret] = [m[1], m[2], m[3]];
  if (scope === 'platform') return refreshPlatform(deps, tokenId, secret);
  const now = deps.now();
  const result = await inClinic(
    deps.db.app,
    scope,
    async (trx, clinicId) => {
      const row = await trx
        .selectFrom('refresh_tokens as t')
        .innerJoin('sessions as s', (j) =>
          j.onRef('s.clinic_id', '=', 't.clinic_id').onRef('s.id', '=', 't.session_id'),
        )
        .innerJoin('users as u', (j) =>
          j.onRef('u.clinic_id', '=', 's.clinic_id').onRef('u.id', '=', 's.user_id'),
        )
        .innerJoin('clinics as c', 'c.id', 's.clinic_id')
        .leftJoin('devices as d', (j) =>
          j.onRef('d.clinic_id', '=', 's.clinic_id').onRef('d.id', '=', 's.device_id'),
        )
        .select([
          't.token_hash',
          't.used_at',
          's.id as session_id',
          's.revoked_at',
          's.expires_at',
          's.device_id',
          'u.id as user_id',
          'u.username',
          'u.role',
          'u.is_active as user_active',
          'u.deleted_at as user_deleted',
          'c.is_active as clinic_active',
          'c.subscription_status',
          'd.status as device_status',
        ])
        .where('t.clinic_id', '=', clinicId)
        .where('t.id', '=', tokenId)
        .executeTakeFirst();
      if (!row || !secretMatches(secret, row.token_hash)) return { kind: 'invalid' as const };
      const actor = { type: 'user', id: row.user_id, role: row.role, deviceId: row.device_id } as const;
      if (row.revoked_at || row.expires_at <= now) return { kind: 'invalid' as const };
      if (row.used_at && now.getTime() - row.used_at.getTime() > REFRESH_REUSE_GRACE_MS) {
        await revokeSessions(trx, clinicId, { sessionId: row.session_id }, 'refresh_token_reuse');
        await recordClinicEvent(trx, clinicId, actor, {
          action: 'auth.refresh.reuse_detected',
          entity: 'session',
          entityId: row.session_id,
        });
        return { kind: 'reused' as const };
      }
      if (!row.clinic_active || row.subscription_status === 'suspended')
        return { kind: 'suspended' as const };
      if (!row.user_active || row.user_deleted) return { kind: 'invalid' as const };
      if (row.device_id && row.device_status !== 'approved') return { kind: 'invalid' as const };
      if (!row.used_at) {
        await trx
          .updateTable('refresh_tokens')
          .set({ used_at: now })
          .where('clinic_id', '=', clinicId)
          .where('id', '=', tokenId)
          .execute();
      }
      await trx
        .updateTable('sessions')
        .set({ last_used_at: now })
        .where('clinic_id', '=', clinicId)
        .where('id', '=', row.session_id)
        .execute();
      const next = await newRefreshToken(trx, clinicId, row.session_id);
      const claims: AccessClaims = {
        sub: row.user_id,
        clinicId,
        role: row.role,
        deviceId: row.device_id,
        sid: row.session_id,
      };
      return { kind: 'ok' as const, claims, next, username: row.username };
    },
    { lock: false },
  );
  if (result.kind === 'suspended') throw new AppError('CLINIC_SUSPENDED', 'This clinic is suspended');
  if (result.kind !== 'ok') throw new AppError('UNAUTHORIZED', INVALID_REFRESH);
  return {
    ...issueAccess(deps, result.claims),
    refreshToken: result.next,
    offlineGrant: offlineGrant(deps, result.claims, result.username),
  };
}

async function refreshPlatform(deps: AuthDeps, tokenId: string, secret: string) {
  const now = deps.now();
  const result = await deps.db.owner.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('platform_refresh_tokens as t')
      .innerJoin('platform_sessions as s', 's.id', 't.session_id')
      .innerJoin('platform_admins as a', 'a.id', 's.admin_id')
      .select([
        't.token_hash',
        't.used_at',
        's.id as session_id',
        's.revoked_at',
        's.expires_at',
        'a.id as admin_id',
        'a.is_active',
      ])
      .where('t.id', '=', tokenId)
      .executeTakeFirst();
    if (
      !row ||
      !secretMatches(secret, row.token_hash) ||
      row.revoked_at ||
      row.expires_at <= now ||
      !row.is_active
    ) {
      return null;
    }
    if (row.used_at && now.getTime() - row.used_at.getTime() > REFRESH_REUSE_GRACE_MS) {
      await trx
        .updateTable('platform_sessions')
        .set({ revoked_at: now, revoked_reason: 'refresh_token_reuse' })
        .where('id', '=', row.session_id)
        .execute();
      await recordPlatformEvent(
        trx,
        { type: 'platform_admin', id: row.admin_id, role: 'super_admin' },
        {
          action: 'auth.refresh.reuse_detected',
          entity: 'session',
          entityId: row.session_id,
        },
      );
      return null;
    }
    if (!row.used_at) {
      await trx
        .updateTable('platform_refresh_tokens')
        .set({ used_at: now })
        .where('id', '=', tokenId)
        .execute();
    }
    const next = await newPlatformRefreshToken(trx, row.session_id);
    const claims: AccessClaims = {
      sub: row.admin_id,
      clinicId: null,
      role: 'super_admin',
      deviceId: null,
      sid: row.session_id,
    };
    return { claims, next };
  });
  if (!result) throw new AppError('UNAUTHORIZED', INVALID_REFRESH);
  return { ...issueAccess(deps, result.claims), refreshToken: result.next, offlineGrant: null };
}

/** Revokes sessions of a clinic selected by session, user, device or all; returns how many. */
export async function revokeSessions(
  trx: TenantTransaction,
  clinicId: string,
  which: { sessionId?: string; userId?: string; deviceId?: string; all?: true },
  reason: string,
): Promise<number> {
  let q = trx
    .updateTable('sessions')
    .set({ revoked_at: new Date(), revoked_reason: reason })
    .where('clinic_id', '=', clinicId)
    .where('revoked_at', 'is', null);
  if (which.sessionId) q = q.where('id', '=', which.sessionId);
  if (which.userId) q = q.where('user_id', '=', which.userId);
  if (which.deviceId) q = q.where('device_id', '=', which.deviceId);
  if (!which.sessionId && !which.userId && !which.deviceId && !which.all)
    throw new Error('revokeSessions: no selector');
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** Ends the caller's session. */
export async function logout(deps: AuthDeps, caller: Caller): Promise<void> {
  if (!caller.clinicId) {
    await deps.db.owner
      .updateTable('platform_sessions')
      .set({ revoked_at: deps.now(), revoked_reason: 'logout' })
      .where('id', '=', caller.sid)
      .execute();
    await recordPlatformEvent(deps.db.owner, actorOf(caller), {
      action: 'auth.logout',
      entity: 'session',
      entityId: caller.sid,
    });
    return;
  }
  await inClinic(deps.db.app, caller.clinicId, async (trx, clinicId) => {
    await revokeSessions(trx, clinicId, { sessionId: caller.sid }, 'logout');
    await recordClinicEvent(trx, clinicId, actorOf(caller), {
      action: 'auth.logout',
      entity: 'session',
      entityId: caller.sid,
    });
  });
}

/** Changes the caller's password after checking the current one; every session of theirs ends. */
export async function changePassword(
  deps: AuthDeps,
  caller: Caller,
  currentPassword: string,
  newPassword: string,
): Promise<void> {
  if (!caller.clinicId) {
    const admin = await deps.db.owner
      .selectFrom('platform_admins')
      .select(['password_hash', 'username'])
      .where('id', '=', caller.sub)
      .executeTakeFirstOrThrow();
    if (!(await verifyPassword(admin.password_hash, currentPassword))) {
      throw new AppError('VALIDATION_FAILED', 'Current password is wrong', { field: 'currentPassword' });
    }
    const problem = passwordProblem(newPassword, [admin.username]);
    if (problem) throw new AppError('VALIDATION_FAILED', problem, { field: 'newPassword' });
    const hash = await hashPassword(newPassword);
    await deps.db.owner.transaction().execute(async (trx) => {
      await trx
        .updateTable('platform_admins')
        .set({ password_hash: hash, password_changed_at: deps.now(), updated_at: deps.now() })
        .where('id', '=', caller.sub)
        .execute();
      await trx
        .updateTable('platform_sessions')
        .set({ revoked_at: deps.now(), revoked_reason: 'password_changed' })
        .where('admin_id', '=', caller.sub)
        .where('revoked_at', 'is', null)
        .execute();
      await recordPlatformEvent(trx, actorOf(caller), {
        action: 'auth.password.changed',
        entity: 'platform_admin',
        entityId: caller.sub,
      });
    });
    return;
  }
  const user = await inClinic(deps.db.app, caller.clinicId, (trx, clinicId) =>
    trx
      .selectFrom('users')
      .select(['password_hash', 'username'])
      .where('clinic_id', '=', clinicId)
      .where('id', '=', caller.sub)
      .executeTakeFirstOrThrow(),
  );
  if (!(await verifyPassword(user.password_hash, currentPassword))) {
    throw new AppError('VALIDATION_FAILED', 'Current password is wrong', { field: 'currentPassword' });
  }
  const problem = passwordProblem(newPassword, [user.username]);
  if (problem) throw new AppError('VALIDATION_FAILED', problem, { field: 'newPassword' });
  const hash = await hashPassword(newPassword);
  await inClinic(deps.db.app, caller.clinicId, async (trx, clinicId) => {
    await trx
      .updateTable('users')
      .set({ password_hash: hash, password_changed_at: deps.now(), updated_at: deps.now() })
      .where('clinic_id', '=', clinicId)
      .where('id', '=', caller.sub)
      .execute();
    await revokeSessions(trx, clinicId, { userId: caller.sub }, 'password_changed');
    await recordClinicEvent(trx, clinicId, actorOf(caller), {
      action: 'auth.password.changed',
      entity: 'user',
      entityId: caller.sub,
    });
  });
}
