import { syncedEntities, syncedEntityNames } from '@clinicdesk/domain';
import type { GroupDecision, PullResponse } from '@clinicdesk/sync-protocol';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/tables';
import { AppError } from '../../lib/app-error';
import { type SigningKey, signPayload } from '../../lib/signing-keys';
import { inClinic, type TenantTransaction } from '../../plugins/tenancy.plugin';
import { recordClinicEvent } from '../audit/audit.repository';
import { clinicUsage } from '../capacity/capacity.service';
import { wireRecordSql } from './sync-rows';

/**
 * Pull (DESIGN §5): the clinic's changes after a cursor, in one snapshot transaction so a page is a
 * consistent prefix of the commit-ordered sequence. Each row appears once, in its latest state
 * (tombstones included), so cursor 0 is a full snapshot. Staff and doctor profiles ride along as
 * the entities `staff` and `doctorProfile`, without any credential column.
 */
export type PullDeps = {
  db: Kysely<DB>;
  now: () => Date;
  signingKey: SigningKey;
  leaseDays: number;
  statements: PullStatements;
};

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

/**
 * A pull page as the route sends it: the changes as JSON text built by PostgreSQL (see
 * `pageStatement`), spliced into the body without being parsed in Node, and the rest of the answer.
 */
export interface PulledPage {
  readonly changesJson: string;
  readonly changeCount: number;
  readonly envelope: Omit<PullResponse, 'changes'>;
}

/** The JSON body of a pull answer: `PullResponse` with the page's change list spliced in as text. */
export function pullResponseBody(page: PulledPage): string {
  return `{"changes":[${page.changesJson}],${JSON.stringify(page.envelope).slice(1)}`;
}

/** A table whose rows reach devices: its wire entity name and the SQL of its rows' JSON (`t`). */
interface WireTable {
  readonly entity: string;
  readonly recordSql: string;
}

/**
 * The tables that reach devices, read once per server from the catalog (their columns change only
 * by migration, before the server starts), so a page's statement is built without a lookup.
 */
export interface PullStatements {
  wireTables(trx: TenantTransaction): Promise<ReadonlyMap<string, WireTable>>;
}

/** Builds `PullStatements`; one per server, so the catalog is read on the first pull only. */
export function createPullStatements(): PullStatements {
  let loaded: Promise<ReadonlyMap<string, WireTable>> | null = null;
  return {
    wireTables(trx) {
      if (loaded === null) {
        loaded = loadWireTables(trx);
        loaded.catch(() => {
          loaded = null;
        });
      }
      return loaded;
    },
  };
}

async function loadWireTables(trx: TenantTransaction): Promise<ReadonlyMap<string, WireTable>> {
  const tables = [
    ...syncedEntityNames.map((name) => ({ table: syncedEntities[name].table, entity: name, columns: null })),
    ...Object.entries(EXTRA_ENTITIES).map(([table, wire]) => ({ table, ...wire })),
  ];
  const { rows } = await sql<{ table_name: string; name: string; timestamptz: boolean }>`
    SELECT c.relname AS table_name, a.attname AS name, a.atttypid = 'timestamptz'::regtype AS timestamptz
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    WHERE a.attrelid = ANY(SELECT to_regclass(t) FROM unnest(${tables.map((t) => t.table)}::text[]) AS t)
      AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY c.relname, a.attnum`.execute(trx);
  const out = new Map<string, WireTable>();
  for (const wire of tables) {
    const columns = rows
      .filter((r) => r.table_name === wire.table && (wire.columns === null || wire.columns.includes(r.name)))
      .map((r) => ({ name: r.name, timestamptz: r.timestamptz }));
    if (columns.length > 0)
      out.set(wire.table, { entity: wire.entity, recordSql: wireRecordSql('t', columns) });
  }
  return out;
}

/**
 * The page's changes (entries with seq in (`after`, `upTo`]) of the given tables as JSON text, in
 * seq order: one UNION ALL branch per table joining its entries to their rows. An entry whose row
 * cannot be read is left out.
 */
function pageChangesQuery(
  clinicId: string,
  after: number,
  upTo: number,
  tables: readonly (readonly [string, WireTable])[],
) {
  const branches = tables.map(
    ([table, wire]) => sql`
      SELECT k.seq, ${sql.lit(wire.entity)} AS entity,
        '{"seq":' || k.seq || ',"entity":' || ${sql.lit(JSON.stringify(wire.entity))} || ',"id":"' || k.row_id
          || '","version":' || greatest(k.version, 1) || ',"op":"'
          || CASE WHEN k.deleted THEN 'delete' WHEN k.version <= 1 THEN 'create' ELSE 'update' END
          || '","data":' || ${sql.raw(wire.recordSql)} || '}' AS change
      FROM change_log k JOIN ${sql.table(table)} t ON t.clinic_id = k.clinic_id AND t.id = k.row_id
      WHERE k.clinic_id = ${clinicId} AND k.seq > ${after} AND k.seq <= ${upTo} AND k.entity = ${table}`,
  );
  return sql<{ count: number; changes: string | null; entities: Record<string, number> | null }>`
    WITH changes AS MATERIALIZED (${sql.join(branches, sql`\nUNION ALL\n`)})
    SELECT (SELECT count(*) FROM changes)::int AS count,
      (SELECT string_agg(change, ',' ORDER BY seq) FROM changes) AS changes,
      (SELECT json_object_agg(entity, n)
         FROM (SELECT entity, count(*)::int AS n FROM changes GROUP BY entity) e) AS entities`;
}

/** One page of changes for a device, with its ack seq, recent decisions and the clinic snapshot. */
export async function pullChanges(
  deps: PullDeps,
  caller: { clinicId: string; deviceId: string; sub: string; role: string },
  cursor: number,
  limit: number,
): Promise<PulledPage> {
  const { page, entities } = await readPage(deps, caller, cursor, limit);
  if (page.changeCount > 0) {
    // A pull is a server-side read of patient data: audited, in its own transaction (the page was
    // read in a snapshot, which must not be the one that extends the audit chain).
    await inClinic(deps.db, caller.clinicId, (trx, clinicId) =>
      recordClinicEvent(
        trx,
        clinicId,
        { type: 'user', id: caller.sub, role: caller.role, deviceId: caller.deviceId },
        {
          action: 'sync.pull',
          entity: 'change_log',
          entityId: String(page.envelope.nextCursor),
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
): Promise<{ page: PulledPage; entities: Record<string, number> }> {
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
      // Where the page ends, whether more follow, and which tables its entries name; then the
      // changes as JSON text, built by PostgreSQL (Node passes the text on) with a statement
      // naming only those tables. Entries of tables that do not reach devices are left out.
      const bounds = await sql<{ last_seq: number | null; tables: string[] | null; has_more: boolean }>`
        WITH page AS (
          SELECT seq, entity FROM change_log
          WHERE clinic_id = ${clinicId} AND seq > ${cursor} ORDER BY seq LIMIT ${limit}
        )
        SELECT max(seq) AS last_seq, array_agg(DISTINCT entity) AS tables,
          EXISTS (SELECT 1 FROM change_log c
                  WHERE c.clinic_id = ${clinicId} AND c.seq > (SELECT max(seq) FROM page)) AS has_more
        FROM page`.execute(trx);
      const { last_seq: lastSeq = null, tables = null, has_more: hasMore = false } = bounds.rows[0] ?? {};
      const wireTables = await deps.statements.wireTables(trx);
      const present = (tables ?? []).flatMap((table) => {
        const wire = wireTables.get(table);
        return wire ? [[table, wire] as const] : [];
      });
      const read =
        lastSeq === null || present.length === 0
          ? { count: 0, changes: null, entities: null }
          : (await pageChangesQuery(clinicId, cursor, lastSeq, present).execute(trx)).rows[0];
      if (!read) throw new Error('The page statement returned no row');
      const nextCursor = lastSeq ?? Math.max(cursor, 0);

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
      return {
        page: {
          changesJson: read.changes ?? '',
          changeCount: read.count,
          envelope: { hasMore, nextCursor, remaining, ackSeq, decisions, clinic },
        },
        entities: read.entities ?? {},
      };
    },
    { snapshot: true },
  );
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
