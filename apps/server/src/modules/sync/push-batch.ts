import type { MutationGroup } from '@clinicdesk/sync-protocol';
import { CompiledQuery } from 'kysely';
import type { TenantTransaction } from '../../plugins/tenancy.plugin';
import type { Row } from './sync-rows';

/**
 * A run of consecutive push groups that only create new records and that every check made in
 * memory already accepts: ids not known to exist (one that does makes the table's primary key
 * refuse the INSERT), patient codes and queue tokens unused and in this device's leases, capacity
 * left. Their rows are inserted with one multi-row INSERT per table instead of a savepoint and a
 * statement per group.
 *
 * Invariants:
 * - A group joins a run only after its checks passed against the state the earlier groups of the
 *   request (run included) leave behind, so applying the run at once gives each group the result
 *   it would get alone: applied, without notice.
 * - No group of a run reads a row another group of the run creates (`pending`; its checks would
 *   need it in the database), and no row names one created after it (`accepts`): such a group
 *   ends the run and is decided on its own after the run is written.
 * - Tables are written in the order their first row appears in the run, and a row may name a row
 *   of the run only if that row's table comes no later, so a row created by an earlier group (a
 *   visit's patient) exists before a later group's row refers to it.
 * - If the database refuses any of these statements, the caller rolls back to the savepoint taken
 *   before them, restores the in-memory state to `start`, and decides the run's groups one by one.
 */
export type NewRow = { table: string; id: string; row: Row };

export class CreateRun {
  readonly groups: MutationGroup[] = [];
  private readonly rowsByTable = new Map<string, Row[]>();
  /** Table of each row the run creates, by id. */
  private readonly pending = new Map<string, string>();
  private readonly created: { table: string; id: string }[] = [];
  /** Every other value the run's rows hold that could name a row: a later create of it is a forward reference. */
  private readonly referenced = new Set<string>();
  private readonly mutationIds = new Set<string>();

  /** The in-memory state from before the run's first group (restored if the run falls back). */
  start: { patientsUsed: number | null; lookupsMark: number } | null = null;

  get size(): number {
    return this.groups.length;
  }

  /** Whether a group of the run has this mutation id. */
  hasMutation(mutationId: string): boolean {
    return this.mutationIds.has(mutationId);
  }

  /** Whether a group of the run creates this row. */
  creates(table: string, id: string): boolean {
    return this.pending.get(id) === table;
  }

  /**
   * Whether the rows (of one group, in op order) can join the run with the same outcome as
   * inserting them one by one after the run: a row may name a row created before it only if that
   * row's table is written no later than its own, and no row may be named before it is created.
   */
  accepts(rows: readonly NewRow[]): boolean {
    const order = [...this.rowsByTable.keys()];
    const ids = new Map<string, string>();
    const named = new Set<string>();
    for (const { table, id, row } of rows) {
      if (this.referenced.has(id) || named.has(id) || this.pending.has(id) || ids.has(id)) return false;
      if (!order.includes(table)) order.push(table);
      const position = order.indexOf(table);
      for (const [column, value] of Object.entries(row)) {
        if (column === 'id' || typeof value !== 'string') continue;
        const target = this.pending.get(value) ?? ids.get(value);
        if (target === undefined) named.add(value);
        else if (order.indexOf(target) > position) return false;
      }
      ids.set(id, table);
    }
    return true;
  }

  /** Adds a checked group and the rows it creates (`accepts` said yes). */
  add(group: MutationGroup, rows: readonly NewRow[]): void {
    this.groups.push(group);
    this.mutationIds.add(group.mutationId);
    for (const { table, id, row } of rows) {
      this.pending.set(id, table);
      this.created.push({ table, id });
      for (const [column, value] of Object.entries(row)) {
        if (column !== 'id' && typeof value === 'string' && !this.pending.has(value))
          this.referenced.add(value);
      }
      const list = this.rowsByTable.get(table) ?? [];
      list.push(row);
      this.rowsByTable.set(table, list);
    }
  }

  /** Inserts every row of the run: one multi-row INSERT per table (per chunk), in first-appearance order. */
  async insert(trx: TenantTransaction): Promise<void> {
    for (const [table, rows] of this.rowsByTable) await insertRows(trx, table, rows);
  }

  /** The rows the run creates. */
  createdRows(): readonly { table: string; id: string }[] {
    return this.created;
  }

  clear(): void {
    this.groups.length = 0;
    this.rowsByTable.clear();
    this.pending.clear();
    this.created.length = 0;
    this.referenced.clear();
    this.mutationIds.clear();
    this.start = null;
  }
}

/** Bind parameters per statement, well under PostgreSQL's 65 535. */
const MAX_PARAMS = 30_000;

/** A table or column name as a quoted SQL identifier. */
function identifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Inserts rows into one table with multi-row INSERTs. A column a row lacks gets its DEFAULT, as it
 * would in a single-row INSERT that leaves it out. The statement text is built here rather than
 * through the query builder: for thousands of values its node tree cost more than the insert.
 */
async function insertRows(trx: TenantTransaction, table: string, rows: readonly Row[]): Promise<void> {
  const columnSet = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) columnSet.add(key);
  const columns = [...columnSet];
  const head = `INSERT INTO ${identifier(table)} (${columns.map(identifier).join(', ')}) VALUES `;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  for (let i = 0; i < rows.length; i += perStatement) {
    const parameters: unknown[] = [];
    const tuples = rows.slice(i, i + perStatement).map((row) => {
      const cells = columns.map((c) => {
        if (!(c in row)) return 'DEFAULT';
        parameters.push(row[c]);
        return `$${parameters.length}`;
      });
      return `(${cells.join(', ')})`;
    });
    await trx.executeQuery(CompiledQuery.raw(head + tuples.join(', '), parameters));
  }
}
