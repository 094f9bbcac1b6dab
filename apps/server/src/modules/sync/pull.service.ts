import { type CapacityUsage, syncedEntities, syncedEntityNames } from '@clinicdesk/domain';
import { type GroupDecision, PULL_RUNS_SINCE_VERSION, type PullResponse } from '@clinicdesk/sync-protocol';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/tables';
import { AppError } from '../../lib/app-error';
import { type SigningKey, signPayload } from '../../lib/signing-keys';
import {
  clinicPeriodEnd,
  clinicWriteRefusal,
  inClinic,
  type TenantTransaction,
} from '../../plugins/tenancy.plugin';
import { recordClinicEvent } from '../audit/audit.repository';
import { clinicUsage } from '../capacity/capacity.service';
import { quoteLiteral, wireRecordSql, wireRunFields, wireRunRowSql } from './sync-rows';

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
  cache: PullCache;
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
  readonly format: PullFormat;
  /** The page's runs (or, protocol 1, its change objects) as JSON text, comma-separated. */
  readonly changesJson: string;
  readonly changeCount: number;
  readonly envelope: Omit<PullResponse, 'runs'>;
}

/** The JSON body of a pull answer: the envelope with the page's runs (or changes) spliced in as text. */
export function pullResponseBody(page: PulledPage): string {
  return `{"${page.format}":[${page.changesJson}],${JSON.stringify(page.envelope).slice(1)}`;
}

/**
 * A table whose rows reach devices: its wire entity name and the SQL of a change's JSON (entry `k`,
 * row `t`) as a record's (protocol 1) and as a run's row.
 */
interface WireTable {
  readonly entity: string;
  readonly recordSql: string;
  /**
   * `[seq,version,"op",…values]` of entry `k` and row `t` in one `concat`, after what comes before
   * it in the page's text: `,` within a run; at a run's start the run's head
   * (`{"entity":…,"fields":[…],"rows":[`), after `]},` when a run came before it (`first` is the
   * page's first run, see `pageQuery`). The page's text is these, in seq order, and a closing `]}`.
   */
  readonly runRowSql: string;
}

/**
 * What pulls remember between requests of one server, each entry recomputed when it may be stale:
 * - the tables that reach devices, read once from the catalog (their columns change only by
 *   migration, before the server starts), so a page's statement is built without a lookup;
 * - each clinic's usage as of its change sequence's last seq: every change that can alter a count
 *   (a patient or staff row created, deleted or edited) moves that seq, so while it stands the
 *   count stands too, and the pages of one download count once instead of once per page.
 * Any server replica fills its own on demand; nothing here is needed for correctness.
 */
export interface PullCache {
  wireTables(trx: TenantTransaction): Promise<ReadonlyMap<string, WireTable>>;
  usage(clinicId: string, lastSeq: number, count: () => Promise<CapacityUsage>): Promise<CapacityUsage>;
}

/** Clinics whose usage a server remembers at most (the oldest entry makes room). */
const USAGE_ENTRIES = 10_000;

/** Builds a `PullCache`; one per server. */
export function createPullCache(): PullCache {
  let loaded: Promise<ReadonlyMap<string, WireTable>> | null = null;
  const usage = new Map<string, { lastSeq: number; usage: CapacityUsage }>();
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
    async usage(clinicId, lastSeq, count) {
      const known = usage.get(clinicId);
      if (known?.lastSeq === lastSeq) return known.usage;
      const counted = await count();
      usage.delete(clinicId);
      if (usage.size >= USAGE_ENTRIES) {
        const oldest = usage.keys().next();
        if (!oldest.done) usage.delete(oldest.value);
      }
      usage.set(clinicId, { lastSeq, usage: counted });
      return counted;
    },
  };
}

async function loadWireTables(trx: TenantTransaction): Promise<ReadonlyMap<string, WireTable>> {
  const tables = [
    ...syncedEntityNames.map((name) => ({ table: syncedEntities[name].table, entity: name, columns: null })),
    ...Object.entries(EXTRA_ENTITIES).map(([table, wire]) => ({ table, ...wire })),
  ];
  const { rows } = await sql<{ table_name: string; name: string; type: string; nullable: boolean }>`
    SELECT c.relname AS table_name, a.attname AS name, a.atttypid::regtype::text AS type,
      NOT a.attnotnull AS nullable
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    WHERE a.attrelid = ANY(SELECT to_regclass(t) FROM unnest(${tables.map((t) => t.table)}::text[]) AS t)
      AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY c.relname, a.attnum`.execute(trx);
  const out = new Map<string, WireTable>();
  for (const wire of tables) {
    const columns = rows
      .filter((r) => r.table_name === wire.table && (wire.columns === null || wire.columns.includes(r.name)))
      .map((r) => ({ name: r.name, type: r.type, nullable: r.nullable }));
    if (columns.length === 0) continue;
    const runHead = `{"entity":${JSON.stringify(wire.entity)},"fields":${JSON.stringify(wireRunFields(columns))},"rows":[`;
    const runRow = wireRunRowSql('t', columns, [
      {
        sql: `CASE WHEN NOT k.starts THEN ',' WHEN k.run = (SELECT run FROM first) THEN ${quoteLiteral(runHead)} ELSE ${quoteLiteral(`]},${runHead}`)} END`,
      },
      { literal: '[' },
      { sql: 'k.seq' },
      { literal: ',' },
      { sql: 'greatest(k.version, 1)' },
      { literal: ',"' },
      { sql: ROW_OP_SQL },
      { literal: '",' },
    ]);
    out.set(wire.table, {
      entity: wire.entity,
      recordSql: wireRecordSql('t', columns),
      runRowSql: runRow.sql,
    });
  }
  return out;
}

/** Where a page ends, read before the page itself (see `boundsQuery`). */
interface PageBounds {
  min_seq: number | null;
  last_seq: number | null;
  has_more: boolean;
  /** The tables the page's entries name; NULL for an empty page. */
  tables: string[] | null;
}

/** What the page statement returns: the page's end, its changes as JSON text, and the device's state. */
interface PageRead {
  log_last_seq: number | null;
  last_seq: number | null;
  ack_seq: number | null;
  decisions: GroupDecision[];
  /** Changes written: one per entry of `entities`, unless an entry's row could not be read. */
  count: number;
  changes: string | null;
  /** The page's entries per entity, of the tables that reach devices. */
  entities: Record<string, number> | null;
}

/**
 * How a page carries its changes: `runs` (protocol 2 and later; consecutive changes of one entity
 * share their field names, each change an array) or `changes` (protocol 1; one object per change).
 */
export type PullFormat = 'runs' | 'changes';

/** The format a client of `protocolVersion` reads. */
export function pullFormatFor(protocolVersion: number): PullFormat {
  return protocolVersion >= PULL_RUNS_SINCE_VERSION ? 'runs' : 'changes';
}

/** A change's op from its log entry `k`: a tombstone, a row's first version, or a later one. */
const ROW_OP_SQL = "CASE WHEN k.deleted THEN 'delete' WHEN k.version <= 1 THEN 'create' ELSE 'update' END";

/**
 * The page's change texts, one row per change: its seq and its JSON text (a run's row with what
 * comes before it, or a change object). One UNION ALL branch per table of the page.
 */
function changeBranches(tables: ReadonlyMap<string, WireTable>, format: PullFormat) {
  const branches = [...tables].map(([table, wire]) => {
    const change =
      format === 'runs'
        ? sql.raw(wire.runRowSql)
        : sql`concat('{"seq":', k.seq, ${sql.lit(`,"entity":${JSON.stringify(wire.entity)},"id":"`)}, k.row_id,
            '","version":', greatest(k.version, 1), ',"op":"', ${sql.raw(ROW_OP_SQL)}, '","data":', ${sql.raw(wire.recordSql)}, '}')`;
    return sql`
      SELECT k.seq, ${change} AS change
      FROM page k JOIN ${sql.table(table)} t ON t.clinic_id = k.clinic_id AND t.id = k.row_id
      WHERE k.entity = ${sql.lit(table)}`;
  });
  return branches.length > 0
    ? sql.join(branches, sql`\nUNION ALL\n`)
    : sql`SELECT NULL::bigint AS seq, NULL::text AS change WHERE false`;
}

/**
 * The page's count and text in one pass over its changes (never materialized: a page's text would
 * spill to disk), one `string_agg` in seq order: each run row carries what comes before it in the
 * text (see `WireTable.runRowSql`), so the runs need no grouping of their own; the text of runs
 * ends with the last run's `]}`. The changes per entity are counted from the page's entries.
 */
function pageAggregate(tables: ReadonlyMap<string, WireTable>, format: PullFormat) {
  const text =
    format === 'runs'
      ? sql`string_agg(change, '' ORDER BY seq) || ']}'`
      : sql`string_agg(change, ',' ORDER BY seq)`;
  const names =
    tables.size > 0
      ? sql.join([...tables].map(([table, wire]) => sql`(${sql.lit(table)}, ${sql.lit(wire.entity)})`))
      : sql`(NULL::text, NULL::text)`;
  return sql`
    SELECT count(*)::int AS count, ${text} AS changes,
      (SELECT json_object_agg(w.entity, e.n)
         FROM (SELECT entity, count(*)::int AS n FROM page GROUP BY entity) e
         JOIN (VALUES ${names}) AS w(tbl, entity) ON w.tbl = e.entity
      ) AS entities
    FROM changes`;
}

/**
 * Where the page after `cursor` ends, and whether entries follow it: the page's seqs read through
 * the change log's (clinic_id, seq) index, a few milliseconds where the page itself takes tens.
 * Read first, in the same snapshot as the page, so the route can send the page's end before the
 * page is written.
 */
function boundsQuery(page: { clinicId: string; cursor: number; limit: number }) {
  const { clinicId, cursor, limit } = page;
  return sql<PageBounds>`
    SELECT (SELECT min_seq FROM clinic_sync_state WHERE clinic_id = ${clinicId}) AS min_seq,
      b.last_seq, b.tables,
      -- The first entry after the page, found through the (clinic_id, seq) index (an EXISTS here
      -- was planned as a sequential scan from the log's start, slower with every page).
      (SELECT c.seq FROM change_log c
        WHERE c.clinic_id = ${clinicId} AND c.seq > b.last_seq
        ORDER BY c.seq LIMIT 1) IS NOT NULL AS has_more
    FROM (
      SELECT max(seq) AS last_seq, array_agg(DISTINCT entity) AS tables FROM (
        SELECT seq, entity FROM change_log WHERE clinic_id = ${clinicId} AND seq > ${cursor} ORDER BY seq LIMIT ${limit}
      ) e
    ) b`;
}

/**
 * One statement for the whole page: the entries after the cursor, their rows as JSON text in seq
 * order (one UNION ALL branch per table of `tables`, the page's tables that reach devices; an
 * entry of another table is left out), the log's last seq, the device's ack seq and recent
 * decisions. It only reads: the pulls of one device overlap (the device asks for the next page
 * once it knows where this one ends), and a write here would make them wait for each other's
 * snapshots.
 */
function pageQuery(
  page: { clinicId: string; deviceId: string; cursor: number; limit: number },
  tables: ReadonlyMap<string, WireTable>,
  format: PullFormat,
) {
  const { clinicId, deviceId, cursor, limit } = page;
  const tableList =
    tables.size > 0 ? sql.join([...tables.keys()].map((table) => sql.lit(table))) : sql`NULL::text`;
  return sql<PageRead>`
    WITH page AS MATERIALIZED (
      -- Each entry numbered by its run: a new run starts where the entity changes.
      SELECT clinic_id, seq, entity, row_id, version, deleted, starts,
        count(*) FILTER (WHERE starts) OVER (ORDER BY seq) AS run
      FROM (
        SELECT e.*, e.entity IS DISTINCT FROM lag(e.entity) OVER (ORDER BY e.seq) AS starts
        FROM (
          SELECT clinic_id, seq, entity, row_id, version, deleted FROM change_log
          WHERE clinic_id = ${clinicId} AND seq > ${cursor} ORDER BY seq LIMIT ${limit}
        ) e
      ) w
    ),
    -- The page's first run of a table that reaches devices: the one whose head opens the text.
    first AS (SELECT min(run) AS run FROM page WHERE entity IN (${tableList})),
    changes AS (${changeBranches(tables, format)})
    SELECT s.last_seq AS log_last_seq, (SELECT max(seq) FROM page) AS last_seq,
      (SELECT last_group_seq FROM device_sync_state
        WHERE clinic_id = ${clinicId} AND device_id = ${deviceId}) AS ack_seq,
      (SELECT coalesce(json_agg(coalesce(g.result,
            jsonb_build_object('mutationId', g.mutation_id, 'seq', g.seq, 'status', g.status)) ORDER BY g.seq), '[]'::json)
         FROM (SELECT result, mutation_id, seq, status FROM sync_groups
               WHERE clinic_id = ${clinicId} AND device_id = ${deviceId}
               ORDER BY seq DESC LIMIT 100) g) AS decisions,
      a.count, a.changes, a.entities
    FROM (SELECT 1) AS one LEFT JOIN clinic_sync_state s ON s.clinic_id = ${clinicId}
    CROSS JOIN (${pageAggregate(tables, format)}) a`;
}

/** Where a page ends, known before the page is written. */
export interface PageHead {
  readonly nextCursor: number;
  readonly hasMore: boolean;
}

/**
 * One page of changes for a device, with its ack seq, recent decisions and the clinic snapshot.
 * `onHead` hears where the page ends as soon as that is read, before the page itself, so the route
 * can tell the device at once; the page then ends there (both are read in one snapshot).
 */
export async function pullChanges(
  deps: PullDeps,
  caller: { clinicId: string; deviceId: string; sub: string; role: string },
  cursor: number,
  limit: number,
  format: PullFormat,
  onHead?: (head: PageHead) => void,
): Promise<PulledPage> {
  const { page, entities } = await readPage(deps, caller, cursor, limit, format, onHead);
  // The pull recorded on the device's rows and, when it carried rows, audited (a pull is a
  // server-side read of patient data). In a transaction of its own: the page was read in a
  // snapshot, which must not be the one that extends the audit chain, and pulls of one device
  // overlap, which writes in their snapshots would turn into serialization failures.
  await inClinic(deps.db, caller.clinicId, async (trx, clinicId) => {
    const now = deps.now();
    // One statement, one round trip: a live pull of one change waits for this too.
    await sql`
      WITH state AS (${trx
        .updateTable('device_sync_state')
        .set({ last_pull_cursor: page.envelope.nextCursor, last_pull_at: now })
        .where('clinic_id', '=', clinicId)
        .where('device_id', '=', caller.deviceId)})
      ${trx
        .updateTable('devices')
        .set({ last_seen_at: now, last_sync_at: now })
        .where('clinic_id', '=', clinicId)
        .where('id', '=', caller.deviceId)}`.execute(trx);
    if (page.changeCount === 0) return;
    await recordClinicEvent(
      trx,
      clinicId,
      { type: 'user', id: caller.sub, role: caller.role, deviceId: caller.deviceId },
      {
        action: 'sync.pull',
        entity: 'change_log',
        entityId: String(page.envelope.nextCursor),
        details: { from: cursor, entities },
      },
    );
  });
  return page;
}

async function readPage(
  deps: PullDeps,
  caller: { clinicId: string; deviceId: string },
  cursor: number,
  limit: number,
  format: PullFormat,
  onHead: ((head: PageHead) => void) | undefined,
): Promise<{ page: PulledPage; entities: Record<string, number> }> {
  return inClinic(
    deps.db,
    caller.clinicId,
    async (trx, clinicId) => {
      const wireTables = await deps.cache.wireTables(trx);
      const bounds = (await boundsQuery({ clinicId, cursor, limit }).execute(trx)).rows[0];
      if (!bounds) throw new Error('The bounds statement returned no row');
      if (bounds.min_seq !== null && cursor > 0 && cursor < bounds.min_seq) {
        throw new AppError(
          'RESET_REQUIRED',
          'This device is too far behind; it will download the clinic again',
          {
            oldestCursor: bounds.min_seq,
          },
        );
      }
      const nextCursor = bounds.last_seq ?? Math.max(cursor, 0);
      onHead?.({ nextCursor, hasMore: bounds.has_more });
      // The statement has a branch only for the tables the page names (a page of one download
      // names one or two): less to plan and to read than every table's.
      const named = new Set(bounds.tables);
      const pageTables = new Map([...wireTables].filter(([table]) => named.has(table)));
      const query = pageQuery({ clinicId, deviceId: caller.deviceId, cursor, limit }, pageTables, format);
      const read = (await query.execute(trx)).rows[0];
      if (!read) throw new Error('The page statement returned no row');
      // One snapshot: the page ends where its bounds said. Anything else would break the head's promise.
      if ((read.last_seq ?? Math.max(cursor, 0)) !== nextCursor)
        throw new Error(`The page ends at ${read.last_seq}, its bounds said ${nextCursor}`);
      // Every entry's row is read (rows are never deleted for good): a row missing would leave a
      // run without its head, so the page is refused rather than sent malformed.
      const entries = Object.values(read.entities ?? {}).reduce((sum, n) => sum + n, 0);
      if (read.count !== entries) throw new Error(`The page's ${entries} entries have ${read.count} rows`);
      const usage = await deps.cache.usage(clinicId, read.log_last_seq ?? 0, () =>
        clinicUsage(trx, clinicId),
      );
      const clinic = await clinicSnapshot(trx, clinicId, caller.deviceId, deps, usage);
      const remaining = Math.max(0, (read.log_last_seq ?? nextCursor) - nextCursor);
      return {
        page: {
          format,
          changesJson: read.changes ?? '',
          changeCount: read.count,
          envelope: {
            hasMore: bounds.has_more,
            nextCursor,
            remaining,
            ackSeq: read.ack_seq ?? 0,
            decisions: read.decisions,
            clinic,
          },
        },
        entities: read.entities ?? {},
      };
    },
    { snapshot: true },
  );
}

/** Status, limits, usage and a signed licence lease for the device. */
export async function clinicSnapshot(
  trx: TenantTransaction,
  clinicId: string,
  deviceId: string,
  deps: Pick<PullDeps, 'now' | 'signingKey' | 'leaseDays'>,
  usage: CapacityUsage,
): Promise<PullResponse['clinic']> {
  const c = await trx
    .selectFrom('clinics')
    .select([
      'subscription_status',
      'trial_ends_at',
      'paid_until',
      'is_active',
      'max_patients',
      'max_doctors',
      'max_receptionists',
      'max_lab_techs',
    ])
    .where('id', '=', clinicId)
    .executeTakeFirstOrThrow();
  const now = deps.now();
  // The lease lets the device write offline until it expires, never past the paid or trial period.
  const periodEnd =
    c.subscription_status === 'trial' || c.subscription_status === 'active' ? clinicPeriodEnd(c) : now;
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
    writable: clinicWriteRefusal(c, now) === null,
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
