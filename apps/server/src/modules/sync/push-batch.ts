import type { MutationGroup } from '@clinicdesk/sync-protocol';
import { CompiledQuery, sql } from 'kysely';
import type { TenantTransaction } from '../../plugins/tenancy.plugin';
import type { Row } from './sync-rows';

/**
 * A run of consecutive push groups that only create new records and that every check made in
 * memory already accepts: ids not known to exist (one that does makes the table's primary key
 * refuse the INSERT), patient codes and queue tokens unused and in this device's leases, capacity
 * left. Their rows are inserted with one INSERT per table and set of columns (a "unit") instead of
 * a savepoint and a statement per group.
 *
 * Invariants:
 * - A group joins a run only after its checks passed against the state the earlier groups of the
 *   request (run included) leave behind, so applying the run at once gives each group the result
 *   it would get alone: applied, without notice.
 * - No group of a run reads a row another group of the run creates (`pending`; its checks would
 *   need it in the database), and no row names one created after it (`accepts`): such a group
 *   ends the run and is decided on its own after the run is written.
 * - Units are written in the order their first row appears in the run, and a row may name a row
 *   of the run only if that row's unit comes no later (the same unit is one statement, whose
 *   foreign keys are checked at its end), so a row created by an earlier group (a visit's patient,
 *   an amended prescription) exists before a later group's row refers to it.
 * - If the database refuses any of these statements, the caller rolls back to the savepoint taken
 *   before them, restores the in-memory state to `start`, and decides the run's groups one by one.
 * - A row is not changed once it is checked (a settled patient code or queue token makes a new
 *   row), so what the run needs of it (`rowFacts`) is worked out once, before the clinic's lock.
 */
export type NewRow = { table: string; id: string; row: Row };

/** What a run needs of a row: its unit, the values in it that could name a row, its JSON text. */
type RowFacts = { readonly unit: string; readonly names: readonly string[]; readonly json: string };

const factsByRow = new WeakMap<Row, RowFacts>();

/** Row ids are UUIDs in their 36-character form, so only a value of that length can name a row. */
const ROW_ID_LENGTH = 36;

/**
 * What the run needs of a row, worked out on first use and remembered for the row: the push does
 * it for every create before it takes the clinic's lock, so the lock is not held for it.
 */
export function rowFacts(table: string, row: Row): RowFacts {
  const known = factsByRow.get(row);
  if (known) return known;
  const columns = Object.keys(row);
  const names: string[] = [];
  for (const column of columns) {
    const value = row[column];
    if (column !== 'id' && typeof value === 'string' && value.length === ROW_ID_LENGTH) names.push(value);
  }
  const facts = { unit: `${table}\u0000${columns.join(',')}`, names, json: JSON.stringify(row) };
  factsByRow.set(row, facts);
  return facts;
}

export class CreateRun {
  readonly groups: MutationGroup[] = [];
  /** The run's rows by unit: a table and the columns its rows have. */
  private readonly rowsByUnit = new Map<string, { table: string; rows: Row[] }>();
  /** Table and unit of each row the run creates, by id. */
  private readonly pending = new Map<string, { table: string; unit: string }>();
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
    return this.pending.get(id)?.table === table;
  }

  /**
   * Whether the rows (of one group, in op order) can join the run with the same outcome as
   * inserting them one by one after the run: a row may name a row created before it only if that
   * row's unit is written no later than its own, and no row may be named before it is created.
   */
  accepts(rows: readonly NewRow[]): boolean {
    const order = [...this.rowsByUnit.keys()];
    const ids = new Map<string, string>();
    const named = new Set<string>();
    for (const { table, id, row } of rows) {
      if (this.referenced.has(id) || named.has(id) || this.pending.has(id) || ids.has(id)) return false;
      const { unit, names } = rowFacts(table, row);
      if (!order.includes(unit)) order.push(unit);
      const position = order.indexOf(unit);
      for (const value of names) {
        const target = this.pending.get(value)?.unit ?? ids.get(value);
        if (target === undefined) named.add(value);
        else if (order.indexOf(target) > position) return false;
      }
      ids.set(id, unit);
    }
    return true;
  }

  /** Adds a checked group and the rows it creates (`accepts` said yes). */
  add(group: MutationGroup, rows: readonly NewRow[]): void {
    this.groups.push(group);
    this.mutationIds.add(group.mutationId);
    for (const { table, id, row } of rows) {
      const { unit, names } = rowFacts(table, row);
      this.pending.set(id, { table, unit });
      this.created.push({ table, id });
      for (const value of names) if (!this.pending.has(value)) this.referenced.add(value);
      const rowsOfUnit = this.rowsByUnit.get(unit);
      if (rowsOfUnit) rowsOfUnit.rows.push(row);
      else this.rowsByUnit.set(unit, { table, rows: [row] });
    }
  }

  /** Inserts every row of the run: one INSERT per unit, in first-appearance order. */
  async insert(trx: TenantTransaction): Promise<void> {
    for (const { table, rows } of this.rowsByUnit.values()) await insertRows(trx, table, rows);
  }

  /** The rows the run creates. */
  createdRows(): readonly { table: string; id: string }[] {
    return this.created;
  }

  clear(): void {
    this.groups.length = 0;
    this.rowsByUnit.clear();
    this.pending.clear();
    this.created.length = 0;
    this.referenced.clear();
    this.mutationIds.clear();
    this.start = null;
  }
}

/** A table or column name as a quoted SQL identifier. */
function identifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Each table's columns and their types (`format_type`): asked once per process, then remembered. */
const columnTypesByTable = new Map<string, ReadonlyMap<string, string>>();

async function columnTypes(trx: TenantTransaction, table: string): Promise<ReadonlyMap<string, string>> {
  const known = columnTypesByTable.get(table);
  if (known) return known;
  const { rows } = await sql<{ name: string; type: string }>`
    SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
    WHERE attrelid = to_regclass(${table}) AND attnum > 0 AND NOT attisdropped`.execute(trx);
  const types = new Map(rows.map((r) => [r.name, r.type]));
  columnTypesByTable.set(table, types);
  return types;
}

/**
 * Inserts rows that all have the same columns into one table, with one statement that reads them
 * from one JSON parameter (`json_to_recordset`, each value read as its column's type, as a bound
 * parameter would be): PostgreSQL reads one JSON text faster than thousands of bound parameters,
 * and the server joins the rows' JSON texts, made before the lock (`rowFacts`). The columns the
 * rows lack are left out of the statement, so they get their DEFAULT. A JSON column's value is its
 * JSON text (see recordToRow), read as text and cast, so text that is not JSON is refused as before.
 */
async function insertRows(trx: TenantTransaction, table: string, rows: readonly Row[]): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const types = await columnTypes(trx, table);
  const names = Object.keys(first);
  const read: string[] = [];
  const declared: string[] = [];
  for (const name of names) {
    const type = types.get(name) ?? 'text';
    const json = type === 'json' || type === 'jsonb';
    read.push(json ? `${identifier(name)}::${type}` : identifier(name));
    declared.push(`${identifier(name)} ${json ? 'text' : type}`);
  }
  await trx.executeQuery(
    CompiledQuery.raw(
      `INSERT INTO ${identifier(table)} (${names.map(identifier).join(', ')}) SELECT ${read.join(', ')} FROM json_to_recordset($1) AS r(${declared.join(', ')})`,
      [`[${rows.map((row) => rowFacts(table, row).json).join(',')}]`],
    ),
  );
}
