import { randomUUID } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import { z } from 'zod';
import { prefixPattern } from '../../db/like-pattern';
import type { DB } from '../../db/tables';
import type { TenantTransaction } from '../../plugins/tenancy.plugin';

/**
 * Append-only audit events. The database chains them (seq, prev_hash, hash) in a trigger, so
 * callers only describe what happened; there is no update or delete here or anywhere.
 */
export type AuditActor = {
  type: 'user' | 'platform_admin' | 'device' | 'system' | 'anonymous';
  id: string | null;
  role: string | null;
  deviceId?: string | null;
};

export type AuditEntry = {
  action: string;
  entity?: string | null;
  entityId?: string | null;
  details?: Record<string, unknown>;
};

export const AuditEvent = z.object({
  id: z.string().uuid(),
  seq: z.number().int(),
  at: z.string(),
  actorType: z.string(),
  actorId: z.string().nullable(),
  actorRole: z.string().nullable(),
  deviceId: z.string().nullable(),
  clinicId: z.string().nullable(),
  action: z.string(),
  entity: z.string().nullable(),
  entityId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  hash: z.string(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

/** Appends one event to the clinic's chain inside the caller's clinic-bound transaction. */
export async function recordClinicEvent(
  trx: TenantTransaction,
  clinicId: string,
  actor: AuditActor,
  entry: AuditEntry,
): Promise<void> {
  await trx
    .insertInto('audit_events')
    .values({
      clinic_id: clinicId,
      id: randomUUID(),
      actor_type: actor.type,
      actor_id: actor.id,
      actor_role: actor.role,
      device_id: actor.deviceId ?? null,
      action: entry.action,
      entity: entry.entity ?? null,
      entity_id: entry.entityId ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

/** Appends one event to the platform chain (owner connection: super-admin and operator actions). */
export async function recordPlatformEvent(
  db: Kysely<DB> | Transaction<DB>,
  actor: AuditActor,
  entry: AuditEntry & { subjectClinicId?: string | null },
): Promise<void> {
  await db
    .insertInto('platform_audit_events')
    .values({
      id: randomUUID(),
      actor_type: actor.type,
      actor_id: actor.id,
      actor_role: actor.role,
      subject_clinic_id: entry.subjectClinicId ?? null,
      action: entry.action,
      entity: entry.entity ?? null,
      entity_id: entry.entityId ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

export type AuditQuery = { limit: number; beforeSeq?: number | undefined; action?: string | undefined };

/** The clinic's own events, newest first. */
export async function listClinicEvents(
  trx: TenantTransaction,
  clinicId: string,
  q: AuditQuery,
): Promise<AuditEvent[]> {
  let query = trx.selectFrom('audit_events').selectAll().where('clinic_id', '=', clinicId);
  if (q.beforeSeq !== undefined) query = query.where('seq', '<', q.beforeSeq);
  if (q.action) query = query.where('action', 'like', prefixPattern(q.action));
  const rows = await query.orderBy('seq', 'desc').limit(q.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    seq: r.seq,
    at: r.at.toISOString(),
    actorType: r.actor_type,
    actorId: r.actor_id,
    actorRole: r.actor_role,
    deviceId: r.device_id,
    clinicId: r.clinic_id,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    details: (r.details ?? {}) as Record<string, unknown>,
    hash: r.hash,
  }));
}

/** The platform chain, newest first, optionally about one clinic. */
export async function listPlatformEvents(
  db: Kysely<DB>,
  q: AuditQuery & { clinicId?: string | undefined; actorId?: string | undefined },
): Promise<AuditEvent[]> {
  let query = db.selectFrom('platform_audit_events').selectAll();
  if (q.beforeSeq !== undefined) query = query.where('seq', '<', q.beforeSeq);
  if (q.action) query = query.where('action', 'like', prefixPattern(q.action));
  if (q.clinicId) query = query.where('subject_clinic_id', '=', q.clinicId);
  if (q.actorId) query = query.where('actor_id', '=', q.actorId);
  const rows = await query.orderBy('seq', 'desc').limit(q.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    seq: r.seq,
    at: r.at.toISOString(),
    actorType: r.actor_type,
    actorId: r.actor_id,
    actorRole: r.actor_role,
    deviceId: null,
    clinicId: r.subject_clinic_id,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    details: (r.details ?? {}) as Record<string, unknown>,
    hash: r.hash,
  }));
}

export type ChainBreak = { chain: string; seq: number; reason: string };

/** Recomputes every chain (owner connection) and returns each chain's first broken link. */
export async function findChainBreaks(owner: Kysely<DB>): Promise<ChainBreak[]> {
  const { rows } = await sql<ChainBreak>`SELECT chain, seq, reason FROM audit_chain_breaks()`.execute(owner);
  return rows.map((r) => ({ chain: r.chain, seq: Number(r.seq), reason: r.reason }));
}

/** How many events each chain holds (for the verification report). */
export async function countChainEvents(owner: Kysely<DB>): Promise<{ chains: number; events: number }> {
  const { rows } = await sql<{ chains: number; events: number }>`
    SELECT (SELECT count(DISTINCT clinic_id) FROM audit_events) + 1 AS chains,
           (SELECT count(*) FROM audit_events) + (SELECT count(*) FROM platform_audit_events) AS events`.execute(
    owner,
  );
  return { chains: Number(rows[0]?.chains ?? 0), events: Number(rows[0]?.events ?? 0) };
}
