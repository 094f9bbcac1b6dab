import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../db/database';
import type { DB } from '../db/tables';
import { AppError } from '../lib/app-error';
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
  /** Runs `work` in a transaction bound to this clinic. */
  read<T>(work: TenantWork<T>): Promise<T>;
  /** Like `read`, and first takes the clinic's write lock so capacity checks and counters never race. */
  write<T>(work: TenantWork<T>): Promise<T>;
};

/** Opens a transaction bound to `clinicId`; with `lock`, serialises it with the clinic's other writers. */
export async function inClinic<T>(
  db: Kysely<DB>,
  clinicId: string,
  work: TenantWork<T>,
  opts: { lock: boolean } = { lock: false },
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT set_config('app.clinic_id', ${clinicId}, true)`.execute(trx);
    if (opts.lock) await sql`SELECT pg_advisory_xact_lock(hashtextextended(${clinicId}, 7))`.execute(trx);
    return work(trx, clinicId);
  });
}

/** Builds the scope for one clinic; only the tenancy plugin and background jobs with an explicit clinic call it. */
export function tenantScope(db: Kysely<DB>, clinicId: string): TenantScope {
  return {
    clinicId,
    read: (work) => inClinic(db, clinicId, work),
    write: (work) => inClinic(db, clinicId, work, { lock: true }),
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    db: Database;
    /** The tenant scope of an authenticated clinic user's request; 403 for callers without a clinic. */
    tenantOf: (request: FastifyRequest) => TenantScope;
  }
}

export const tenancyPlugin = fp(
  async (app: FastifyInstance, opts: { db: Database }) => {
    app.decorate('db', opts.db);
    app.decorate('tenantOf', (request: FastifyRequest) => {
      const caller: Caller | null = request.caller;
      if (!caller) throw new AppError('UNAUTHORIZED', 'Sign in first');
      if (!caller.clinicId) throw new AppError('FORBIDDEN', 'This route is for clinic users');
      return tenantScope(opts.db.app, caller.clinicId);
    });
  },
  { name: 'tenancy', dependencies: ['auth'] },
);
