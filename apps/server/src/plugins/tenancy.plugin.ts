import { accessAllows, subscriptionAccess } from '@clinicdesk/domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { Database } from '../db/database';
import type { ClinicsTable, DB } from '../db/tables';
import { AppError } from '../lib/app-error';
import type { AuditActor } from '../modules/audit/audit.repository';
import type { Caller } from './auth.plugin';

/**
 * The code wall of tenancy. Every read or write of a clinic's rows goes through a TenantScope,
 * built from the verified caller (never from the URL or body). Each call opens one transaction,
 * binds it to the clinic with `set_config('app.clinic_id', …, true)` (transaction-local, so a
 * pooled connection carries nothing to the next request) and runs as the request role, so the
 * database's row-level security holds even if a query names another clinic by hand.
 */
export type TenantTransaction = Transaction<DB>;

/** Work done inside a clinic-bound transaction; repositories also filter by `clinicId` explicitly. */
export type TenantWork<T> = (trx: TenantTransaction, clinicId: string) => Promise<T>;

export type TenantScope = {
  readonly clinicId: string;
  /** Who acts, for audit events written inside the scope. */
  readonly actor: AuditActor;
  /** Runs `work` in a transaction bound to this clinic. Also for bookkeeping a read-only clinic still does. */
  read<T>(work: TenantWork<T>): Promise<T>;
  /**
   * Takes the clinic's write lock (so capacity checks and counters never race), refuses with
   * SUBSCRIPTION_INACTIVE unless the clinic's subscription allows writes, then runs `work`.
   */
  write<T>(work: TenantWork<T>): Promise<T>;
};

/** Opens a transaction bound to `clinicId`; with `lock`, serialises it with the clinic's other writers. */
export async function inClinic<T>(
  db: Kysely<DB>,
  clinicId: string,
  work: TenantWork<T>,
  opts: { lock?: boolean; snapshot?: boolean } = {},
): Promise<T> {
  // A snapshot (repeatable read) sees one consistent prefix of the clinic's commit-ordered changes.
  const tx = opts.snapshot ? db.transaction().setIsolationLevel('repeatable read') : db.transaction();
  return tx.execute(async (trx) => {
    await sql`SELECT set_config('app.clinic_id', ${clinicId}, true)`.execute(trx);
    if (opts.lock) await sql`SELECT pg_advisory_xact_lock(hashtextextended(${clinicId}, 7))`.execute(trx);
    return work(trx, clinicId);
  });
}

/** Refuses unless the clinic bound to `trx` may write now (trial/active within their dates). */
export async function assertClinicWritable(
  trx: TenantTransaction,
  clinicId: string,
  now: Date,
): Promise<void> {
  const clinic = await trx
    .selectFrom('clinics')
    .select(['subscription_status', 'trial_ends_at', 'paid_until', 'is_active'])
    .where('id', '=', clinicId)
    .executeTakeFirst();
  if (!clinic) throw new AppError('NOT_FOUND', 'Clinic not found');
  const refusal = clinicWriteRefusal(clinic, now);
  if (refusal) throw refusal;
}

/**
 * When the clinic's current period ends: the trial's end while on trial, the paid-until date while
 * active; null when that date is not set or the clinic is in neither status.
 */
export function clinicPeriodEnd(
  clinic: Pick<Selectable<ClinicsTable>, 'subscription_status' | 'trial_ends_at' | 'paid_until'>,
): Date | null {
  if (clinic.subscription_status === 'trial') return clinic.trial_ends_at;
  if (clinic.subscription_status === 'active') return clinic.paid_until;
  return null;
}

/** Why a clinic (its row as read) may not write now: CLINIC_SUSPENDED or SUBSCRIPTION_INACTIVE; null when it may. */
export function clinicWriteRefusal(
  clinic: Pick<
    Selectable<ClinicsTable>,
    'subscription_status' | 'trial_ends_at' | 'paid_until' | 'is_active'
  >,
  now: Date,
): AppError | null {
  const decision = subscriptionAccess(
    {
      status: clinic.subscription_status,
      trialEndsAt: clinic.trial_ends_at,
      paidUntil: clinic.paid_until,
      isActive: clinic.is_active,
    },
    now,
  );
  if (decision.access === 'blocked') {
    return new AppError('CLINIC_SUSPENDED', 'This clinic is suspended', { reason: decision.reason });
  }
  if (!accessAllows(decision.access, 'write')) {
    return new AppError(
      'SUBSCRIPTION_INACTIVE',
      'The clinic subscription is not active: records are read-only',
      {
        reason: decision.reason,
      },
    );
  }
  return null;
}

/** Builds the scope for one clinic; only the tenancy plugin and jobs with an explicit clinic call it. */
export function tenantScope(
  db: Kysely<DB>,
  clinicId: string,
  actor: AuditActor,
  now: () => Date,
): TenantScope {
  return {
    clinicId,
    actor,
    read: (work) => inClinic(db, clinicId, work),
    write: (work) =>
      inClinic(
        db,
        clinicId,
        async (trx, id) => {
          await assertClinicWritable(trx, id, now());
          return work(trx, id);
        },
        { lock: true },
      ),
  };
}

/** The audit actor of a verified caller. */
export function actorOf(caller: Caller): AuditActor {
  return {
    type: caller.role === 'super_admin' ? 'platform_admin' : 'user',
    id: caller.sub,
    role: caller.role,
    deviceId: caller.deviceId,
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    db: Database;
    /** The server's clock; tests pass a fixed one. */
    now: () => Date;
    /** The tenant scope of an authenticated clinic user's request; 403 for callers without a clinic. */
    tenantOf: (request: FastifyRequest) => TenantScope;
  }
}

export const tenancyPlugin = fp(
  async (app: FastifyInstance, opts: { db: Database; now: () => Date }) => {
    app.decorate('db', opts.db);
    app.decorate('now', opts.now);
    app.decorate('tenantOf', (request: FastifyRequest) => {
      const caller: Caller | null = request.caller;
      if (!caller) throw new AppError('UNAUTHORIZED', 'Sign in first');
      if (!caller.clinicId) throw new AppError('FORBIDDEN', 'This route is for clinic users');
      return tenantScope(opts.db.app, caller.clinicId, actorOf(caller), opts.now);
    });
  },
  { name: 'tenancy' },
);
