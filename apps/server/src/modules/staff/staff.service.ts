import { randomUUID } from 'node:crypto';
import { capacityResourceForRole, subscriptionAccess, uuidv7 } from '@clinicdesk/domain';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database';
import type { DB } from '../../db/tables';
import { AppError, notFound } from '../../lib/app-error';
import { hashPassword, passwordProblem } from '../../lib/passwords';
import { hashSecret, randomSecret, secretMatches } from '../../lib/secrets';
import { inClinic, type TenantTransaction } from '../../plugins/tenancy.plugin';
import { type AuditActor, recordClinicEvent } from '../audit/audit.repository';
import { revokeSessions } from '../auth/auth.service';
import { assertCapacity } from '../capacity/capacity.service';
import {
  countActiveAdmins,
  findStaffRow,
  licenceHolder,
  toStaffMember,
  usernameTaken,
} from './staff.repository';
import type {
  CreateStaffBody,
  SetupLink,
  SetupPasswordBody,
  StaffMember,
  UpdateStaffBody,
} from './staff.schema';

/**
 * Staff accounts of a clinic: create, edit, deactivate / reactivate, and one-time setup links.
 *
 * - Writes run inside `scope.write` (clinic lock held, subscription checked); creating or
 *   reactivating a doctor, receptionist or lab technician checks capacity under that lock.
 * - A new account gets either an initial password or a one-time setup link. Setup tokens are
 *   `<id>.<secret>`, stored only as SHA-256, single use, valid for 72 hours; issuing a new one voids
 *   the person's earlier unused tokens.
 * - Every change is recorded in the clinic's audit chain.
 */
export const SETUP_TOKEN_TTL_HOURS = 72;
const TOKEN_FORMAT = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{20,})$/;
const INVALID_LINK = 'This setup link is invalid, used or expired; ask your clinic admin for a new one';

type SetupPurpose = 'setup' | 'reset';

/** Issues a one-time password setup token for a user (voiding their earlier unused ones). */
export async function issueSetupToken(
  db: Kysely<DB>,
  clinicId: string,
  userId: string,
  purpose: SetupPurpose,
  now: Date,
): Promise<{ token: string; expiresAt: Date }> {
  // A superseded token is marked used: only the newest link works.
  await db
    .updateTable('password_setup_tokens')
    .set({ used_at: now })
    .where('clinic_id', '=', clinicId)
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute();
  const id = randomUUID();
  const secret = randomSecret();
  const expiresAt = new Date(now.getTime() + SETUP_TOKEN_TTL_HOURS * 3_600_000);
  await db
    .insertInto('password_setup_tokens')
    .values({
      clinic_id: clinicId,
      id,
      user_id: userId,
      token_hash: hashSecret(secret),
      purpose,
      created_at: now,
      expires_at: expiresAt,
    })
    .execute();
  return { token: `${id}.${secret}`, expiresAt };
}

/** The link a person opens to choose their password; the token travels in the fragment, never to a server log. */
export function setupLink(
  publicUrl: string,
  clinicSlug: string,
  issued: { token: string; expiresAt: Date },
): SetupLink {
  const base = publicUrl.replace(/\/+$/, '');
  return {
    url: `${base}/setup#token=${encodeURIComponent(issued.token)}&clinic=${encodeURIComponent(clinicSlug)}`,
    expiresAt: issued.expiresAt.toISOString(),
  };
}

/** True for a unique-constraint violation from PostgreSQL or PGlite. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
}

/** Checks an initial password and hashes it; done before the clinic lock is taken (hashing is slow). */
export async function initialPasswordHash(
  password: string | undefined,
  username: string,
): Promise<string | null> {
  if (password === undefined) return null;
  const problem = passwordProblem(password, [username]);
  if (problem) throw new AppError('VALIDATION_FAILED', problem, { field: 'password' });
  return hashPassword(password);
}

async function clinicSlugOf(db: Kysely<DB>, clinicId: string): Promise<string> {
  const row = await db.selectFrom('clinics').select('slug').where('id', '=', clinicId).executeTakeFirst();
  if (!row) throw notFound('Clinic');
  return row.slug;
}

async function reload(db: Kysely<DB>, clinicId: string, userId: string): Promise<StaffMember> {
  const row = await findStaffRow(db, clinicId, userId);
  if (!row) throw notFound('Staff member');
  return toStaffMember(row);
}

export type CreateStaffOptions = { passwordHash: string | null; now: Date; publicUrl: string };

/**
 * Creates a staff account (and a doctor's profile). Run inside `scope.write` or another transaction
 * holding the clinic lock: the capacity check and the insert must not race other creates.
 */
export async function createStaff(
  trx: TenantTransaction,
  clinicId: string,
  actor: AuditActor,
  input: CreateStaffBody,
  opts: CreateStaffOptions,
): Promise<{ member: StaffMember; setupLink: SetupLink | null }> {
  const resource = capacityResourceForRole(input.role);
  if (resource) await assertCapacity(trx, clinicId, resource);
  if (await usernameTaken(trx, clinicId, input.username)) {
    throw new AppError('CONFLICT', `The username "${input.username}" is already taken in this clinic`, {
      field: 'username',
    });
  }
  if (input.doctor && (await licenceHolder(trx, clinicId, input.doctor.licenceNumber))) {
    throw new AppError(
      'CONFLICT',
      `Another doctor of this clinic has licence number ${input.doctor.licenceNumber}`,
      {
        field: 'doctor.licenceNumber',
      },
    );
  }
  const userId = uuidv7(opts.now.getTime());
  try {
    await trx
      .insertInto('users')
      .values({
        clinic_id: clinicId,
        id: userId,
        username: input.username,
        display_name: input.displayName,
        role: input.role,
        password_hash: opts.passwordHash,
        password_changed_at: opts.passwordHash ? opts.now : null,
        phone: input.phone ?? '',
        email: input.email ?? '',
        created_at: opts.now,
        updated_at: opts.now,
      })
      .execute();
    if (input.doctor) {
      await trx
        .insertInto('doctor_profiles')
        .values({
          clinic_id: clinicId,
          id: uuidv7(opts.now.getTime()),
          user_id: userId,
          specialization: input.doctor.specialization,
          licence_number: input.doctor.licenceNumber,
          qualification: input.doctor.qualification ?? '',
          registration_council: input.doctor.registrationCouncil ?? '',
          created_at: opts.now,
          updated_at: opts.now,
        })
        .execute();
    }
  } catch (err) {
    // Only a writer outside the clinic lock (the platform path) could get here first.
    if (isUniqueViolation(err))
      throw new AppError('CONFLICT', 'That username or licence number is already taken');
    throw err;
  }
  const issued = opts.passwordHash ? null : await issueSetupToken(trx, clinicId, userId, 'setup', opts.now);
  await recordClinicEvent(trx, clinicId, actor, {
    action: 'staff.created',
    entity: 'user',
    entityId: userId,
    details: {
      username: input.username,
      role: input.role,
      credential: issued ? 'setup_link' : 'password',
      ...(input.doctor ? { licenceNumber: input.doctor.licenceNumber } : {}),
    },
  });
  return {
    member: await reload(trx, clinicId, userId),
    setupLink: issued ? setupLink(opts.publicUrl, await clinicSlugOf(trx, clinicId), issued) : null,
  };
}

/** Edits a staff member's name, contact details or doctor profile (inside `scope.write`). */
export async function updateStaff(
  trx: TenantTransaction,
  clinicId: string,
  actor: AuditActor,
  userId: string,
  patch: UpdateStaffBody,
  now: Date,
): Promise<StaffMember> {
  const row = await findStaffRow(trx, clinicId, userId);
  if (!row) throw notFound('Staff member');
  const doctor = patch.doctor;
  if (doctor && row.role !== 'doctor') {
    throw new AppError('VALIDATION_FAILED', 'Only doctors have a doctor profile', { field: 'doctor' });
  }
  if (doctor?.licenceNumber && (await licenceHolder(trx, clinicId, doctor.licenceNumber, userId))) {
    throw new AppError(
      'CONFLICT',
      `Another doctor of this clinic has licence number ${doctor.licenceNumber}`,
      {
        field: 'doctor.licenceNumber',
      },
    );
  }
  const userFields = {
    ...(patch.displayName !== undefined ? { display_name: patch.displayName } : {}),
    ...(patch.phone !== undefined ? { phone: patch.phone ?? '' } : {}),
    ...(patch.email !== undefined ? { email: patch.email ?? '' } : {}),
  };
  await trx
    .updateTable('users')
    .set({ ...userFields, updated_at: now })
    .where('clinic_id', '=', clinicId)
    .where('id', '=', userId)
    .execute();
  if (doctor) {
    const profileFields = {
      ...(doctor.specialization !== undefined ? { specialization: doctor.specialization } : {}),
      ...(doctor.licenceNumber !== undefined ? { licence_number: doctor.licenceNumber } : {}),
      ...(doctor.qualification !== undefined ? { qualification: doctor.qualification } : {}),
      ...(doctor.registrationCouncil !== undefined
        ? { registration_council: doctor.registrationCouncil }
        : {}),
    };
    if (row.profile_id) {
      await trx
        .updateTable('doctor_profiles')
        .set({ ...profileFields, updated_at: now })
        .where('clinic_id', '=', clinicId)
        .where('id', '=', row.profile_id)
        .execute();
    } else {
      if (!doctor.licenceNumber) {
        throw new AppError('VALIDATION_FAILED', 'A new doctor profile needs a licence number', {
          field: 'doctor.licenceNumber',
        });
      }
      await trx
        .insertInto('doctor_profiles')
        .values({
          clinic_id: clinicId,
          id: uuidv7(now.getTime()),
          user_id: userId,
          licence_number: doctor.licenceNumber,
          ...profileFields,
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
  }
  await recordClinicEvent(trx, clinicId, actor, {
    action: 'staff.updated',
    entity: 'user',
    entityId: userId,
    // Which fields changed, not their values: contact details stay out of the audit trail.
    details: {
      fields: [
        ...Object.keys(patch).filter((k) => k !== 'doctor'),
        ...Object.keys(doctor ?? {}).map((k) => `doctor.${k}`),
      ],
    },
  });
  return reload(trx, clinicId, userId);
}

/**
 * Deactivates (sessions end at once) or reactivates (capacity re-checked) a staff member, inside
 * `scope.write`. Refuses to deactivate oneself or the clinic's last active admin.
 */
export async function setStaffActive(
  trx: TenantTransaction,
  clinicId: string,
  actor: AuditActor,
  userId: string,
  active: boolean,
  now: Date,
): Promise<StaffMember> {
  const row = await findStaffRow(trx, clinicId, userId);
  if (!row) throw notFound('Staff member');
  if (row.is_active === active) return toStaffMember(row);
  if (!active) {
    if (actor.id === userId) throw new AppError('CONFLICT', 'You cannot deactivate your own account');
    if (row.role === 'admin' && (await countActiveAdmins(trx, clinicId)) <= 1) {
      throw new AppError('CONFLICT', "This is the clinic's last active admin; add another admin first");
    }
  } else {
    const resource = capacityResourceForRole(row.role);
    if (resource) await assertCapacity(trx, clinicId, resource);
  }
  await trx
    .updateTable('users')
    .set({
      is_active: active,
      updated_at: now,
      ...(active ? { failed_login_count: 0, locked_until: null } : {}),
    })
    .where('clinic_id', '=', clinicId)
    .where('id', '=', userId)
    .execute();
  if (!active) await revokeSessions(trx, clinicId, { userId }, 'user_deactivated');
  await recordClinicEvent(trx, clinicId, actor, {
    action: active ? 'staff.reactivated' : 'staff.deactivated',
    entity: 'user',
    entityId: userId,
    details: { username: row.username, role: row.role },
  });
  return reload(trx, clinicId, userId);
}

/**
 * Clears a person's password (the old one stops working) and issues a one-time link with purpose
 * 'reset'. Callers end the person's sessions and record the reset in the same breath.
 */
export async function resetCredentials(
  db: Kysely<DB>,
  clinicId: string,
  userId: string,
  now: Date,
): Promise<{ token: string; expiresAt: Date }> {
  await db
    .updateTable('users')
    .set({ password_hash: null, failed_login_count: 0, locked_until: null, updated_at: now })
    .where('clinic_id', '=', clinicId)
    .where('id', '=', userId)
    .execute();
  return issueSetupToken(db, clinicId, userId, 'reset', now);
}

/** A clinic admin resets a staff member's access (inside `scope.write`): sessions end, a new link is returned. */
export async function resetStaffAccess(
  trx: TenantTransaction,
  clinicId: string,
  actor: AuditActor,
  userId: string,
  opts: { now: Date; publicUrl: string },
): Promise<SetupLink> {
  const row = await findStaffRow(trx, clinicId, userId);
  if (!row) throw notFound('Staff member');
  const issued = await resetCredentials(trx, clinicId, userId, opts.now);
  await revokeSessions(trx, clinicId, { userId }, 'access_reset');
  await recordClinicEvent(trx, clinicId, actor, {
    action: 'staff.access_reset',
    entity: 'user',
    entityId: userId,
    details: { username: row.username, role: row.role },
  });
  return setupLink(opts.publicUrl, await clinicSlugOf(trx, clinicId), issued);
}

type SetupDeps = { db: Database; now: () => Date };

/**
 * Redeems a one-time setup link: checks the token (single use, not expired, account active), the
 * new password, then sets it, ends the person's sessions and records it. Every refusal of a token
 * at a known clinic is recorded too.
 */
export async function redeemSetupToken(
  deps: SetupDeps,
  body: SetupPasswordBody,
  ip: string,
): Promise<{ username: string; clinicSlug: string }> {
  const now = deps.now();
  // Directory lookup of the clinic by slug: platform metadata, read by the owner connection (as login does).
  const clinic = await deps.db.owner
    .selectFrom('clinics')
    .select(['id', 'slug', 'subscription_status', 'trial_ends_at', 'paid_until', 'is_active'])
    .where('slug', '=', body.clinicSlug)
    .executeTakeFirst();
  if (!clinic) throw new AppError('VALIDATION_FAILED', INVALID_LINK, { field: 'token' });
  const anonymous = { type: 'anonymous', id: null, role: null } as const;
  const refuse = async (reason: string, tokenId: string | null): Promise<never> => {
    await inClinic(deps.db.app, clinic.id, (trx, clinicId) =>
      recordClinicEvent(trx, clinicId, anonymous, {
        action: 'staff.password_setup.failed',
        entity: 'password_setup_token',
        entityId: tokenId,
        details: { reason, ip },
      }),
    );
    throw new AppError('VALIDATION_FAILED', INVALID_LINK, { field: 'token' });
  };

  const m = TOKEN_FORMAT.exec(body.token);
  if (!m?.[1] || !m[2]) return refuse('malformed', null);
  const [tokenId, secret] = [m[1], m[2]];
  const found = await inClinic(deps.db.app, clinic.id, (trx, clinicId) =>
    trx
      .selectFrom('password_setup_tokens as t')
      .innerJoin('users as u', (j) =>
        j.onRef('u.clinic_id', '=', 't.clinic_id').onRef('u.id', '=', 't.user_id'),
      )
      .select([
        't.token_hash',
        't.used_at',
        't.expires_at',
        't.purpose',
        'u.id as user_id',
        'u.username',
        'u.role',
      ])
      .select(['u.is_active', 'u.deleted_at'])
      .where('t.clinic_id', '=', clinicId)
      .where('t.id', '=', tokenId)
      .executeTakeFirst(),
  );
  if (!found || !secretMatches(secret, found.token_hash)) return refuse('unknown', null);
  if (found.used_at) return refuse('used', tokenId);
  if (found.expires_at <= now) return refuse('expired', tokenId);
  if (!found.is_active || found.deleted_at) return refuse('account_inactive', tokenId);

  const access = subscriptionAccess(
    {
      status: clinic.subscription_status,
      trialEndsAt: clinic.trial_ends_at,
      paidUntil: clinic.paid_until,
      isActive: clinic.is_active,
    },
    now,
  );
  if (access.access === 'blocked') {
    throw new AppError('CLINIC_SUSPENDED', 'This clinic is suspended; contact ClinicDesk support', {
      reason: access.reason,
    });
  }
  // A weak password does not use up the link: the person may try again.
  const problem = passwordProblem(body.newPassword, [found.username, clinic.slug]);
  if (problem) throw new AppError('VALIDATION_FAILED', problem, { field: 'newPassword' });
  const hash = await hashPassword(body.newPassword);

  const redeemed = await inClinic(
    deps.db.app,
    clinic.id,
    async (trx, clinicId) => {
      // The conditional update is the single-use guarantee: of two racing redemptions one wins.
      const claimed = await trx
        .updateTable('password_setup_tokens')
        .set({ used_at: now })
        .where('clinic_id', '=', clinicId)
        .where('id', '=', tokenId)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .returning('user_id')
        .executeTakeFirst();
      if (!claimed) return false;
      await trx
        .updateTable('users')
        .set({
          password_hash: hash,
          password_changed_at: now,
          failed_login_count: 0,
          locked_until: null,
          updated_at: now,
        })
        .where('clinic_id', '=', clinicId)
        .where('id', '=', claimed.user_id)
        .execute();
      await trx
        .updateTable('password_setup_tokens')
        .set({ used_at: now })
        .where('clinic_id', '=', clinicId)
        .where('user_id', '=', claimed.user_id)
        .where('used_at', 'is', null)
        .execute();
      await revokeSessions(trx, clinicId, { userId: claimed.user_id }, 'password_set');
      await recordClinicEvent(
        trx,
        clinicId,
        { type: 'user', id: claimed.user_id, role: found.role },
        {
          action: 'staff.password_setup.completed',
          entity: 'user',
          entityId: claimed.user_id,
          details: { purpose: found.purpose, tokenId, ip },
        },
      );
      return true;
    },
    { lock: true },
  );
  if (!redeemed) return refuse('used', tokenId);
  return { username: found.username, clinicSlug: clinic.slug };
}
