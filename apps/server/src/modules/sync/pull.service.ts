import { syncedEntityForTable } from '@clinicdesk/domain';
import type { Change, GroupDecision, PullResponse } from '@clinicdesk/sync-protocol';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/tables';
import { AppError } from '../../lib/app-error';
import { type SigningKey, signPayload } from '../../lib/signing-keys';
import { inClinic, type TenantTransaction } from '../../plugins/tenancy.plugin';
import { recordClinicEvent } from '../audit/audit.repository';
import { clinicUsage } from '../capacity/capacity.service';
import { type Row, rowConverter } from './sync-rows';

/**
 * Pull (DESIGN §5): the clinic's changes after a cursor, in one snapshot transaction so a page is a
 * consistent prefix of the commit-ordered sequence. Each row appears once, in its latest state
 * (tombstones included), so cursor 0 is a full snapshot. Staff and doctor profiles ride along as
 * the entities `staff` and `doctorProfile`, without any credential column.
 */
export type PullDeps = { db: Kysely<DB>; now: () => Date; signingKey: SigningKey; leaseDays: number };

const STAFF_FIELDS = [
  'id',
  'clinic_id',
  'username',
  'display_name',
  'role',
  'phone',
  'email',
  'is_active',
  'version',
  'created_at',
  'updated_at',
  'deleted_at',
];

/** Tables outside the synced-entity registry that still reach devices, and their wire names. */
const EXTRA_ENTITIES: Record<string, { entity: string; columns: readonly string[] | null }> = {
  users: { entity: 'staff', columns: STAFF_FIELDS },
  doctor_profiles: { entity: 'doctorProfile', columns: null },
};

function wireEntity(table: string): { entity: string; columns: readonly string[] | null } | null {
  const synced = syncedEntityForTable(table);
  if (synced) return { entity: synced, columns: null };
  return EXTRA_ENTITIES[table] ?? null;
}

/** One page of changes for a device, with its ack seq, recent decisions and the clinic snapshot. */
export async function pullChanges(
  deps: PullDeps,
  caller: { clinicId: string; deviceId: string; sub: string; role: string },
  cursor: number,
  limit: number,
): Promise<PullResponse> {
  const page = await readPage(deps, caller, cursor, limit);
  if (page.changes.length > 0) {
    // A pull is a server-side read of patient data: audited, in its own transaction (the page was
    // read in a snapshot, which must not be the one that extends the audit chain).
    const entities: Record<string, number> = {};
    for (const c of page.changes) entities[c.entity] = (entities[c.entity] ?? 0) + 1;
    await inClinic(deps.db, caller.clinicId, (trx, clinicId) =>
      recordClinicEvent(
        trx,
        clinicId,
        { type: 'user', id: caller.sub, role: caller.role, deviceId: caller.deviceId },
        {
          action: 'sync.pull',
          entity: 'change_log',
          entityId: String(page.nextCursor),
          details: { from: cursor, entities },
        },
      ),
    );
  }
  return page;
}

async function readPage(
  deps: PullDeps,
  caller: { clinicId: string; deviceId: string },
  cursor: number,
  limit: number,
): Promise<PullResponse> {
  return inClinic(
    deps.db,
    caller.clinicId,
    async (trx, clinicId) => {
      const state = await trx
        .selectFrom('clinic_sync_state')
        .select(['last_seq', 'min_seq'])
        .where('clinic_id', '=', clinicId)
        .executeTakeFirst();
      if (state && cursor > 0 && cursor < state.min_seq) {
        throw new AppError(
          'RESET_REQUIRED',
          'This device is too far behind; it will download the clinic again',
          {
            oldestCursor: state.min_seq,
          },
        );
      }
      const entries = await trx
        .selectFrom('change_log')
        .select(['seq', 'entity', 'row_id', 'version', 'deleted'])
        .where('clinic_id', '=', clinicId)
        .where('seq', '>', cursor)
        .orderBy('seq')
        .limit(limit + 1)
        .execute();
      const hasMore = entries.length > limit;
      const page = hasMore ? entries.slice(0, limit) : entries;
      const records = await loadRecords(trx, clinicId, page);
      const changes: Change[] = [];
      for (const e of page) {
        const loaded = records.get(e.entity)?.get(e.row_id);
        if (!loaded) continue;
        changes.push({
          seq: e.seq,
          entity: loaded.entity,
          id: e.row_id,
          version: Math.max(1, e.version),
          op: e.deleted ? 'delete' : e.version <= 1 ? 'create' : 'update',
          data: loaded.data,
        });
      }
      const last = page.at(-1);
      const nextCursor = last ? last.seq : Math.max(cursor, 0);

      const device = await trx
        .selectFrom('device_sync_state')
        .select('last_group_seq')
        .where('clinic_id', '=', clinicId)
        .where('device_id', '=', caller.deviceId)
        .executeTakeFirst();
      const ackSeq = device?.last_group_seq ?? 0;
      const decisions = await recentDecisions(trx, clinicId, caller.deviceId);
      await trx
        .updateTable('device_sync_state')
        .set({ last_pull_cursor: nextCursor, last_pull_at: deps.now() })
        .where('clinic_id', '=', clinicId)
        .where('device_id', '=', caller.deviceId)
        .execute();
      await trx
        .updateTable('devices')
        .set({ last_seen_at: deps.now(), last_sync_at: deps.now() })
        .where('clinic_id', '=', clinicId)
        .where('id', '=', caller.deviceId)
        .execute();
      const clinic = await clinicSnapshot(trx, clinicId, caller.deviceId, deps);
      const remaining = Math.max(0, (state?.last_seq ?? nextCursor) - nextCursor);
      return { changes, hasMore, nextCursor, remaining, ackSeq, decisions, clinic };
    },
    { snapshot: true },
  );
}

/**
 * The page's rows as wire records, by table and id: one query per table, each result converted with
 * one column-name map (see `rowConverter`), so no per-row key transform.
 */
async function loadRecords(
  trx: TenantTransaction,
  clinicId: string,
  entries: readonly { entity: string; row_id: string }[],
): Promise<Map<string, Map<string, { entity: string; data: Record<string, never> }>>> {
  const byTable = new Map<string, string[]>();
  for (const e of entries) {
    const ids = byTable.get(e.entity);
    if (ids) ids.push(e.row_id);
    else byTable.set(e.entity, [e.row_id]);
  }
  const out = new Map<string, Map<string, { entity: string; data: Record<string, never> }>>();
  for (const [table, ids] of byTable) {
    const wire = wireEntity(table);
    if (!wire) continue;
    const { rows } = await sql<Row>`
      SELECT * FROM ${sql.table(table)} WHERE clinic_id = ${clinicId} AND id = ANY(${ids})`.execute(trx);
    const first = rows[0];
    if (!first) continue;
    const toRecord = rowConverter(Object.keys(first), wire.columns);
    const byId = new Map<string, { entity: string; data: Record<string, never> }>();
    for (const row of rows) {
      byId.set(String(row.id), { entity: wire.entity, data: toRecord(row) as Record<string, never> });
    }
    out.set(table, byId);
  }
  return out;
}

async function recentDecisions(
  trx: TenantTransaction,
  clinicId: string,
  deviceId: string,
): Promise<GroupDecision[]> {
  const rows = await trx
    .selectFrom('sync_groups')
    .select(['result'])
    .where('clinic_id', '=', clinicId)
    .where('device_id', '=', deviceId)
    .orderBy('seq', 'desc')
    .limit(100)
    .execute();
  return rows.map((r) => r.result as GroupDecision).reverse();
}

/** Status, limits, usage and a signed licence lease for the device. */
export async function clinicSnapshot(
  trx: TenantTransaction,
  clinicId: string,
  deviceId: string,
  deps: Pick<PullDeps, 'now' | 'signingKey' | 'leaseDays'>,
): Promise<PullResponse['clinic']> {
  const c = await trx
    .selectFrom('clinics')
    .select([
      'subscription_status',
      'trial_ends_at',
      'paid_until',
      'max_patients',
      'max_doctors',
      'max_receptionists',
      'max_lab_techs',
    ])
    .where('id', '=', clinicId)
    .executeTakeFirstOrThrow();
  const usage = await clinicUsage(trx, clinicId);
  const now = deps.now();
  // The lease lets the device write offline until it expires, never past the paid or trial period.
  const periodEnd =
    c.subscription_status === 'trial'
      ? c.trial_ends_at
      : c.subscription_status === 'active'
        ? c.paid_until
        : now;
  let expires = new Date(now.getTime() + deps.leaseDays * 86_400_000);
  if (periodEnd && periodEnd < expires) expires = periodEnd;
  if (expires <= now) expires = new Date(now.getTime() + 1000);
  const issuedAt = now.toISOString();
  const expiresAt = expires.toISOString();
  const token = signPayload(deps.signingKey, {
    v: 1,
    kind: 'licence-lease',
    clinicId,
    deviceId,
    status: c.subscription_status,
    writable:
      c.subscription_status === 'trial' || c.subscription_status === 'active'
        ? periodEnd === null || periodEnd > now
        : false,
    issuedAt,
    expiresAt,
  });
  return {
    status: c.subscription_status,
    limits: {
      patients: c.max_patients,
      doctors: c.max_doctors,
      receptionists: c.max_receptionists,
      labTechs: c.max_lab_techs,
    },
    usage,
    lease: { issuedAt, expiresAt, token },
  };
}
