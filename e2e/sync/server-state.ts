/**
 * Reading what the server recorded for one clinic, through the owner connection (the platform
 * path, outside the request role's row-level security), and comparing a device's SQLite rows
 * with it.
 */
import type { LocalStore } from '@clinicdesk/local-store';
import { sql } from 'kysely';
import type { TestApp } from '../../apps/server/src/testing/test-app';

type Row = Record<string, unknown>;

/** The tables the specs write through devices, as the server and the local store name them. */
export const SYNCED_TABLES = ['patients', 'visits', 'appointments'] as const;

/** Every row (tombstones included) of one clinic in a synced table. */
export async function serverRows(t: TestApp, clinicId: string, table: string): Promise<Row[]> {
  const { rows } = await sql<Row>`SELECT * FROM ${sql.table(table)} WHERE clinic_id = ${clinicId}`.execute(
    t.tdb.db.owner,
  );
  return rows;
}

/** The live patients of a clinic on the server. */
export async function livePatientCount(t: TestApp, clinicId: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM patients WHERE clinic_id = ${clinicId} AND deleted_at IS NULL`.execute(
    t.tdb.db.owner,
  );
  return Number(rows[0]?.n ?? 0);
}

/** The decided groups of a clinic: one row per mutation id. */
export function syncGroups(t: TestApp, clinicId: string) {
  return t.tdb.db.owner
    .selectFrom('sync_groups')
    .select(['mutation_id', 'device_id', 'seq', 'status', 'code'])
    .where('clinic_id', '=', clinicId)
    .orderBy('device_id')
    .orderBy('seq')
    .execute();
}

/** The clinic's change log and its sequence state. */
export async function changeLog(t: TestApp, clinicId: string) {
  const entries = await t.tdb.db.owner
    .selectFrom('change_log')
    .select(['seq', 'entity', 'row_id', 'version', 'deleted'])
    .where('clinic_id', '=', clinicId)
    .orderBy('seq')
    .execute();
  const state = await t.tdb.db.owner
    .selectFrom('clinic_sync_state')
    .select(['last_seq', 'min_seq'])
    .where('clinic_id', '=', clinicId)
    .executeTakeFirst();
  return { entries, lastSeq: Number(state?.last_seq ?? 0) };
}

/**
 * Compacts the clinic's change log the way a server keeps it small: every entry moves, in order,
 * past the current end, and `min_seq` marks the new start, so no entry is left below it and every
 * cursor handed out before is too old (RESET_REQUIRED). Under the clinic's push lock and its
 * sequence row lock, like any writer.
 */
export async function compactChangeLog(t: TestApp, clinicId: string): Promise<number> {
  return t.tdb.db.owner.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtextextended(${clinicId}, 7))`.execute(trx);
    const { rows } = await sql<{ last_seq: number }>`
      INSERT INTO clinic_sync_state AS s (clinic_id, last_seq) VALUES (${clinicId}, 0)
      ON CONFLICT (clinic_id) DO UPDATE SET last_seq = s.last_seq
      RETURNING last_seq`.execute(trx);
    const start = Number(rows[0]?.last_seq ?? 0) + 1;
    const moved = await sql`
      UPDATE change_log c SET seq = m.next_seq
      FROM (SELECT entity, row_id, ${start - 1}::bigint + row_number() OVER (ORDER BY seq) AS next_seq
            FROM change_log WHERE clinic_id = ${clinicId}) m
      WHERE c.clinic_id = ${clinicId} AND c.entity = m.entity AND c.row_id = m.row_id`.execute(trx);
    const count = Number(moved.numAffectedRows ?? 0);
    await sql`UPDATE clinic_sync_state SET last_seq = ${start - 1 + count}, min_seq = ${start}
              WHERE clinic_id = ${clinicId}`.execute(trx);
    return start;
  });
}

/** How many times each group was applied, counted from the audit chain (each push names the groups it applied). */
export async function appliedGroupEvents(t: TestApp, clinicId: string): Promise<Map<string, number>> {
  const rows = await t.tdb.db.owner
    .selectFrom('audit_events')
    .select(['details'])
    .where('clinic_id', '=', clinicId)
    .where('action', '=', 'sync.push.applied')
    .execute();
  const counts = new Map<string, number>();
  for (const row of rows) {
    const details = (typeof row.details === 'string' ? JSON.parse(row.details) : row.details) as {
      groups: { mutationId: string }[];
    };
    for (const { mutationId } of details.groups) counts.set(mutationId, (counts.get(mutationId) ?? 0) + 1);
  }
  return counts;
}

/** A device's rows of a table, straight from its SQLite file. */
export function deviceRows(store: LocalStore, table: string): Row[] {
  return store.sqlite.prepare(`SELECT * FROM "${table}"`).all() as Row[];
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** One value as both sides can agree on it: timestamps as ISO instants, booleans as 0/1, JSON canonical. */
function normalize(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && ISO_TIME.test(value)) {
    const at = Date.parse(value);
    return Number.isNaN(at) ? value : new Date(at).toISOString();
  }
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}

function sameValue(server: unknown, local: unknown): boolean {
  const a = normalize(server);
  const b = normalize(local);
  if (a === b) return true;
  // JSON columns: the server may hand back parsed JSON, the device keeps text.
  if (typeof b === 'string' && typeof a === 'string') {
    try {
      return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
    } catch {
      return false;
    }
  }
  return false;
}

/**
 * Differences between the server's rows and a device's rows of one table: rows missing on either
 * side, and columns (those both sides have) whose values differ. Empty when they are equal.
 */
export function rowDifferences(table: string, server: readonly Row[], local: readonly Row[]): string[] {
  const differences: string[] = [];
  const byId = new Map(local.map((row) => [String(row.id), row]));
  for (const row of server) {
    const id = String(row.id);
    const mine = byId.get(id);
    byId.delete(id);
    if (mine === undefined) {
      differences.push(`${table} ${id}: on the server (version ${String(row.version)}), not on the device`);
      continue;
    }
    for (const column of Object.keys(mine)) {
      if (!(column in row)) continue;
      if (!sameValue(row[column], mine[column]))
        differences.push(
          `${table} ${id}.${column}: server ${JSON.stringify(normalize(row[column]))}, device ${JSON.stringify(normalize(mine[column]))}`,
        );
    }
  }
  for (const [id, row] of byId)
    differences.push(`${table} ${id}: on the device (version ${String(row.version)}), not on the server`);
  return differences;
}

/** Everything in which a device's rows differ from the server's rows of its clinic (empty when equal). */
export async function differencesFromServer(
  t: TestApp,
  clinicId: string,
  store: LocalStore,
  tables: readonly string[] = SYNCED_TABLES,
): Promise<string[]> {
  const differences: string[] = [];
  for (const table of tables)
    differences.push(
      ...rowDifferences(table, await serverRows(t, clinicId, table), deviceRows(store, table)),
    );
  return differences;
}
