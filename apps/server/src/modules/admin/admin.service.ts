import { uuidv7 } from '@clinicdesk/domain';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/database';
import type { DB } from '../../db/tables';
import { AppError, notFound } from '../../lib/app-error';
import { inClinic, type TenantWork } from '../../plugins/tenancy.plugin';
import {
  type AuditActor,
  countChainEvents,
  findChainBreaks,
  listPlatformEvents,
  recordClinicEvent,
  recordPlatformEvent,
} from '../audit/audit.repository';
import { revokeSessions } from '../auth/auth.service';
import { usageLines } from '../capacity/capacity.service';
import { toDevice } from '../devices/devices.repository';
import type { Device } from '../devices/devices.schema';
import { findStaffRow, listStaff, toStaffMember } from '../staff/staff.repository';
import type { SetupLink, StaffMember } from '../staff/staff.schema';
import { issueSetupToken, isUniqueViolation, resetCredentials, setupLink } from '../staff/staff.service';
import {
  clinicIdentityTaken,
  clinicSummaries,
  findClinicDevice,
  findClinicRow,
  listClinicDeviceRows,
} from './admin.repository';
import type {
  ActiveBody,
  ClinicDetail,
  ClinicListQuery,
  CreateClinicBody,
  StatusBody,
  UpdateClinicBody,
} from './admin.schema';

/**
 * Platform administration: super admins create clinics and their first admin, edit profiles,
 * plans and limits, change subscription status, suspend and reactivate, revoke devices and reset a
 * clinic admin's access.
 *
 * Every change runs in two steps:
 * 1. the data change and its platform audit event, in one owner transaction (the audited platform
 *    path) that also holds the clinic's write lock, so a limit or status change is serialised with
 *    the clinic's own creates;
 * 2. the clinic-side consequences (its own audit chain, session revocation), in a clinic-bound
 *    transaction of the request role.
 * The steps are sequential, never nested: the embedded database has a single connection. If step 2
 * failed after step 1, the change still holds: a suspended or deactivated clinic's tokens stop at
 * the next request because every request checks the clinic row itself.
 */
export type AdminDeps = { db: Database; now: () => Date; publicUrl: string };

const TRIAL_DAYS = 14;

type OwnerTransaction = Transaction<DB>;

async function platformChange<T>(
  deps: AdminDeps,
  clinicId: string,
  work: (trx: OwnerTransaction) => Promise<T>,
) {
  return deps.db.owner.transaction().execute(async (trx) => {
    // The same lock key as `inClinic(..., { lock: true })`: the clinic's write lock.
    await sql`SELECT pg_advisory_xact_lock(hashtextextended(${clinicId}, 7))`.execute(trx);
    return work(trx);
  });
}

function clinicSide(deps: AdminDeps, clinicId: string, work: TenantWork<void>): Promise<void> {
  return inClinic(deps.db.app, clinicId, work, { lock: true });
}

/** The clinics page of the console. */
export async function listClinics(deps: AdminDeps, query: ClinicListQuery) {
  const { clinics, total } = await clinicSummaries(deps.db.owner, query, query, deps.now());
  return { clinics, total, limit: query.limit, offset: query.offset };
}

/** One clinic: profile, subscription, usage against limits, last sync and status history. */
export async function getClinic(deps: AdminDeps, id: string): Promise<ClinicDetail> {
  const owner = deps.db.owner;
  const row = await findClinicRow(owner, id);
  if (!row) throw notFound('Clinic');
  const page = { sort: 'name', order: 'asc', limit: 1, offset: 0 } as const;
  const [summary] = (await clinicSummaries(owner, { id }, page, deps.now())).clinics;
  if (!summary) throw notFound('Clinic');
  const statusHistory = await listPlatformEvents(owner, {
    clinicId: id,
    action: 'clinic.status',
    limit: 100,
  });
  return {
    ...summary,
    address: row.address,
    zip: row.zip,
    phone: row.phone,
    email: row.email,
    website: row.website,
    registrationNumber: row.registration_number,
    letterheadHeader: row.letterhead_header,
    letterheadFooter: row.letterhead_footer,
    logoUrl: row.logo_url,
    timezone: row.timezone,
    updatedAt: row.updated_at.toISOString(),
    usageLines: usageLines(summary.limits, summary.usage),
    statusHistory,
  };
}

function profileColumns(body: Partial<CreateClinicBody> | UpdateClinicBody) {
  return {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.address !== undefined ? { address: body.address } : {}),
    ...(body.city !== undefined ? { city: body.city } : {}),
    ...(body.state !== undefined ? { state: body.state } : {}),
    ...(body.zip !== undefined ? { zip: body.zip } : {}),
    ...(body.phone !== undefined ? { phone: body.phone } : {}),
    ...(body.email !== undefined ? { email: body.email } : {}),
    ...(body.website !== undefined ? { website: body.website } : {}),
    ...(body.registrationNumber !== undefined ? { registration_number: body.registrationNumber } : {}),
    ...(body.letterheadHeader !== undefined ? { letterhead_header: body.letterheadHeader } : {}),
    ...(body.letterheadFooter !== undefined ? { letterhead_footer: body.letterheadFooter } : {}),
    ...(body.logoUrl !== undefined ? { logo_url: body.logoUrl } : {}),
    ...(body.timezone !== undefined ? { timezone: body.timezone } : {}),
    ...(body.plan !== undefined ? { plan: body.plan } : {}),
  };
}

function limitColumns(limits: CreateClinicBody['limits']) {
  return {
    ...(limits?.maxPatients !== undefined ? { max_patients: limits.maxPatients } : {}),
    ...(limits?.maxDoctors !== undefined ? { max_doctors: limits.maxDoctors } : {}),
    ...(limits?.maxReceptionists !== undefined ? { max_receptionists: limits.maxReceptionists } : {}),
    ...(limits?.maxLabTechs !== undefined ? { max_lab_techs: limits.maxLabTechs } : {}),
  };
}

/**
 * Creates a clinic (trial by default, 14 days) and its first clinic admin, who gets a one-time
 * setup link (72 hours) and no password. 409 when the slug or code is taken.
 */
export async function createClinic(
  deps: AdminDeps,
  actor: AuditActor,
  body: CreateClinicBody,
): Promise<{ clinic: ClinicDetail; admin: StaffMember; setupLink: SetupLink }> {
  const now = deps.now();
  const clinicId = uuidv7(now.getTime());
  const adminId = uuidv7(now.getTime());
  const trialEndsAt = body.trialEndsAt
    ? new Date(body.trialEndsAt)
    : new Date(now.getTime() + TRIAL_DAYS * 86_400_000);
  const conflict = (field: 'slug' | 'code') =>
    new AppError(
      'CONFLICT',
      field === 'slug'
        ? `The slug "${body.slug}" is already used by another clinic; choose another`
        : `The clinic code "${body.code}" is already used by another clinic; choose another`,
      { field },
    );

  const issued = await platformChange(deps, clinicId, async (trx) => {
    const taken = await clinicIdentityTaken(trx, body.slug, body.code);
    if (taken) throw conflict(taken);
    try {
      await trx
        .insertInto('clinics')
        .values({
          id: clinicId,
          code: body.code,
          slug: body.slug,
          logo_url: null,
          max_patients: null,
          max_doctors: null,
          max_receptionists: null,
          max_lab_techs: null,
          ...profileColumns(body),
          ...limitColumns(body.limits),
          name: body.name,
          subscription_status: 'trial',
          trial_ends_at: trialEndsAt,
          created_at: now,
          updated_at: now,
        })
        .execute();
    } catch (err) {
      // Two creates racing for one slug or code: the unique index decides.
      if (isUniqueViolation(err)) {
        throw conflict(
          String((err as { constraint?: unknown }).constraint).includes('code') ? 'code' : 'slug',
        );
      }
      throw err;
    }
    await trx
      .insertInto('users')
      .values({
        clinic_id: clinicId,
        id: adminId,
        username: body.admin.username,
        display_name: body.admin.displayName,
        role: 'admin',
        password_hash: null,
        phone: body.admin.phone ?? '',
        email: body.admin.email ?? '',
        created_at: now,
        updated_at: now,
      })
      .execute();
    const token = await issueSetupToken(trx, clinicId, adminId, 'setup', now);
    await recordPlatformEvent(trx, actor, {
      action: 'clinic.created',
      entity: 'clinic',
      entityId: clinicId,
      subjectClinicId: clinicId,
      details: {
        name: body.name,
        code: body.code,
        slug: body.slug,
        plan: body.plan ?? 'trial',
        limits: body.limits ?? {},
        trialEndsAt: trialEndsAt.toISOString(),
        adminUsername: body.admin.username,
      },
    });
    return token;
  });

  await clinicSide(deps, clinicId, async (trx, id) => {
    await recordClinicEvent(trx, id, actor, {
      action: 'clinic.created',
      entity: 'clinic',
      entityId: id,
      details: { name: body.name, code: body.code, slug: body.slug, trialEndsAt: trialEndsAt.toISOString() },
    });
    await recordClinicEvent(trx, id, actor, {
      action: 'staff.created',
      entity: 'user',
      entityId: adminId,
      details: { username: body.admin.username, role: 'admin', credential: 'setup_link' },
    });
  });

  const adminRow = await findStaffRow(deps.db.owner, clinicId, adminId);
  if (!adminRow) throw new Error('The first admin vanished after creation');
  return {
    clinic: await getClinic(deps, clinicId),
    admin: toStaffMember(adminRow),
    setupLink: setupLink(deps.publicUrl, body.slug, issued),
  };
}

/** Edits a clinic's profile, letterhead, logo, plan, limits or subscription dates. */
export async function updateClinic(
  deps: AdminDeps,
  actor: AuditActor,
  id: string,
  body: UpdateClinicBody,
): Promise<ClinicDetail> {
  const now = deps.now();
  const details = await platformChange(deps, id, async (trx) => {
    const before = await findClinicRow(trx, id);
    if (!before) throw notFound('Clinic');
    const dates = {
      ...(body.trialEndsAt !== undefined
        ? { trial_ends_at: body.trialEndsAt ? new Date(body.trialEndsAt) : null }
        : {}),
      ...(body.paidUntil !== undefined
        ? { paid_until: body.paidUntil ? new Date(body.paidUntil) : null }
        : {}),
    };
    await trx
      .updateTable('clinics')
      .set({ ...profileColumns(body), ...limitColumns(body.limits), ...dates, updated_at: now })
      .where('id', '=', id)
      .execute();
    // Subscription terms are recorded with their old and new values; profile edits by field name.
    const details = {
      fields: Object.keys(body).filter((k) => k !== 'limits'),
      ...(body.plan !== undefined ? { plan: { from: before.plan, to: body.plan } } : {}),
      ...(body.limits ? { limits: limitChanges(before, body.limits) } : {}),
      ...(body.trialEndsAt !== undefined
        ? { trialEndsAt: { from: before.trial_ends_at?.toISOString() ?? null, to: body.trialEndsAt } }
        : {}),
      ...(body.paidUntil !== undefined
        ? { paidUntil: { from: before.paid_until?.toISOString() ?? null, to: body.paidUntil } }
        : {}),
    };
    await recordPlatformEvent(trx, actor, {
      action: 'clinic.updated',
      entity: 'clinic',
      entityId: id,
      subjectClinicId: id,
      details,
    });
    return details;
  });
  await clinicSide(deps, id, (trx, clinicId) =>
    recordClinicEvent(trx, clinicId, actor, {
      action: 'clinic.updated',
      entity: 'clinic',
      entityId: clinicId,
      details,
    }),
  );
  return getClinic(deps, id);
}

function limitChanges(
  before: {
    max_patients: number | null;
    max_doctors: number | null;
    max_receptionists: number | null;
    max_lab_techs: number | null;
  },
  limits: NonNullable<UpdateClinicBody['limits']>,
) {
  const was = {
    maxPatients: before.max_patients,
    maxDoctors: before.max_doctors,
    maxReceptionists: before.max_receptionists,
    maxLabTechs: before.max_lab_techs,
  };
  return Object.fromEntries(
    Object.entries(limits).map(([key, to]) => [key, { from: was[key as keyof typeof was], to }]),
  );
}

/** Sets the subscription status (trial, active, expired, suspended); suspending ends every session. */
export async function setClinicStatus(
  deps: AdminDeps,
  actor: AuditActor,
  id: string,
  body: StatusBody,
): Promise<ClinicDetail> {
  const now = deps.now();
  const from = await platformChange(deps, id, async (trx) => {
    const before = await findClinicRow(trx, id);
    if (!before) throw notFound('Clinic');
    await trx
      .updateTable('clinics')
      .set({ subscription_status: body.status, updated_at: now })
      .where('id', '=', id)
      .execute();
    await recordPlatformEvent(trx, actor, {
      action: 'clinic.status.changed',
      entity: 'clinic',
      entityId: id,
      subjectClinicId: id,
      details: { from: before.subscription_status, to: body.status, reason: body.reason },
    });
    return before.subscription_status;
  });
  await clinicSide(deps, id, async (trx, clinicId) => {
    const revoked =
      body.status === 'suspended'
        ? await revokeSessions(trx, clinicId, { all: true }, 'clinic_suspended')
        : 0;
    await recordClinicEvent(trx, clinicId, actor, {
      action: 'clinic.status.changed',
      entity: 'clinic',
      entityId: clinicId,
      details: { from, to: body.status, reason: body.reason, sessionsRevoked: revoked },
    });
  });
  return getClinic(deps, id);
}

/** Deactivates (no login, no sync, sessions end) or reactivates a clinic. */
export async function setClinicActive(
  deps: AdminDeps,
  actor: AuditActor,
  id: string,
  body: ActiveBody,
): Promise<ClinicDetail> {
  const now = deps.now();
  const action = body.isActive ? 'clinic.status.reactivated' : 'clinic.status.deactivated';
  await platformChange(deps, id, async (trx) => {
    const before = await findClinicRow(trx, id);
    if (!before) throw notFound('Clinic');
    await trx
      .updateTable('clinics')
      .set({ is_active: body.isActive, updated_at: now })
      .where('id', '=', id)
      .execute();
    await recordPlatformEvent(trx, actor, {
      action,
      entity: 'clinic',
      entityId: id,
      subjectClinicId: id,
      details: { from: before.is_active, to: body.isActive, reason: body.reason },
    });
  });
  await clinicSide(deps, id, async (trx, clinicId) => {
    const revoked = body.isActive
      ? 0
      : await revokeSessions(trx, clinicId, { all: true }, 'clinic_deactivated');
    await recordClinicEvent(trx, clinicId, actor, {
      action,
      entity: 'clinic',
      entityId: clinicId,
      details: { reason: body.reason, sessionsRevoked: revoked },
    });
  });
  return getClinic(deps, id);
}

async function assertClinicExists(deps: AdminDeps, id: string): Promise<void> {
  if (!(await findClinicRow(deps.db.owner, id))) throw notFound('Clinic');
}

/** A clinic's staff accounts, for support. */
export async function listClinicUsers(deps: AdminDeps, id: string): Promise<StaffMember[]> {
  await assertClinicExists(deps, id);
  return listStaff(deps.db.owner, id);
}

/** A clinic's devices with status and last sync, for sync health. */
export async function listClinicDevices(deps: AdminDeps, id: string): Promise<Device[]> {
  await assertClinicExists(deps, id);
  return (await listClinicDeviceRows(deps.db.owner, id)).map(toDevice);
}

/** Revokes one of a clinic's devices; its sessions end and it can no longer sync. */
export async function revokeClinicDevice(
  deps: AdminDeps,
  actor: AuditActor,
  clinicId: string,
  deviceId: string,
): Promise<Device> {
  const now = deps.now();
  const result = await platformChange(deps, clinicId, async (trx) => {
    const device = await findClinicDevice(trx, clinicId, deviceId);
    if (!device) throw notFound('Device');
    if (device.status === 'revoked') return { device, changed: false };
    const updated = await trx
      .updateTable('devices')
      .set({ status: 'revoked', revoked_at: now, updated_at: now })
      .where('clinic_id', '=', clinicId)
      .where('id', '=', deviceId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordPlatformEvent(trx, actor, {
      action: 'device.revoked',
      entity: 'device',
      entityId: deviceId,
      subjectClinicId: clinicId,
      details: { name: device.name },
    });
    return { device: updated, changed: true };
  });
  if (result.changed) {
    await clinicSide(deps, clinicId, async (trx, id) => {
      await revokeSessions(trx, id, { deviceId }, 'device_revoked');
      await recordClinicEvent(trx, id, actor, {
        action: 'device.revoked',
        entity: 'device',
        entityId: deviceId,
        details: { by: 'platform' },
      });
    });
  }
  return toDevice(result.device);
}

/**
 * Resets a clinic admin's access (locked out, left the clinic, compromised): the old password stops
 * working, their sessions end, and a new one-time link (purpose 'reset') is returned. Other staff
 * are the clinic admin's to reset.
 */
export async function resetClinicAdminAccess(
  deps: AdminDeps,
  actor: AuditActor,
  clinicId: string,
  userId: string,
): Promise<SetupLink & { username: string }> {
  const now = deps.now();
  const { issued, username, slug } = await platformChange(deps, clinicId, async (trx) => {
    const clinic = await findClinicRow(trx, clinicId);
    if (!clinic) throw notFound('Clinic');
    const user = await findStaffRow(trx, clinicId, userId);
    if (!user) throw notFound('User');
    if (user.role !== 'admin') {
      throw new AppError(
        'CONFLICT',
        "ClinicDesk resets only a clinic admin's access; the clinic admin resets other staff",
      );
    }
    const token = await resetCredentials(trx, clinicId, userId, now);
    await recordPlatformEvent(trx, actor, {
      action: 'clinic.admin.access_reset',
      entity: 'user',
      entityId: userId,
      subjectClinicId: clinicId,
      details: { username: user.username },
    });
    return { issued: token, username: user.username, slug: clinic.slug };
  });
  await clinicSide(deps, clinicId, async (trx, id) => {
    await revokeSessions(trx, id, { userId }, 'access_reset');
    await recordClinicEvent(trx, id, actor, {
      action: 'staff.access_reset',
      entity: 'user',
      entityId: userId,
      details: { username, role: 'admin', by: 'platform' },
    });
  });
  return { ...setupLink(deps.publicUrl, slug, issued), username };
}

/** Recomputes every audit chain and reports each chain's first broken link. */
export async function verifyAuditChains(deps: AdminDeps) {
  const breaks = await findChainBreaks(deps.db.owner);
  const { chains, events } = await countChainEvents(deps.db.owner);
  return { ok: breaks.length === 0, breaks, chains, events };
}
