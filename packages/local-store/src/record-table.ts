import type { SyncedEntityName, SyncedRecord } from '@clinicdesk/domain';
import { quoteIdent, type TableSpec } from './local-tables';
import {
  type ColumnEncoder,
  columnEncoders,
  columnPositions,
  decodeRow,
  encodeRecord,
  encodeValue,
  type SqlValue,
} from './row-codec';
import type { RowStatement } from './store-context';
import { RUN_ROW_HEAD, type RunRow } from './sync-messages';

/**
 * Declares a decoded row to be its entity's record type. Rows are written from validated input or
 * come from the server, and decodeRow restores each column's JSON type, so this is the one place
 * where a row becomes a typed record.
 */
export function asEntityRecord<N extends SyncedEntityName>(
  _entity: N,
  record: Record<string, unknown>,
): SyncedRecord<N> {
  return record as SyncedRecord<N>;
}

function positionOf(spec: TableSpec, column: string): number {
  const index = spec.columns.findIndex((candidate) => candidate.column === column);
  if (index < 0) throw new Error(`Table ${spec.table} has no ${column} column.`);
  return index;
}

/**
 * Row access to one record table with its SQL built once: find, insert, update of named fields,
 * and the version-checked upsert that pulls use. Records in and out use camelCase fields.
 */
export class RecordTable {
  readonly spec: TableSpec;
  readonly #statement: (sql: string) => RowStatement;
  readonly #positions: ReadonlyMap<string, number>;
  readonly #encoders: readonly ColumnEncoder[];
  readonly #versionIndex: number;
  readonly #deletedAtIndex: number;
  readonly #updatedAtIndex: number;
  readonly #findSql: string;
  readonly #insertSql: string;
  readonly #upsertSql: string;

  constructor(spec: TableSpec, statement: (sql: string) => RowStatement) {
    this.spec = spec;
    this.#statement = statement;
    this.#positions = columnPositions(spec);
    this.#encoders = columnEncoders(spec);
    positionOf(spec, 'id'); // throws for a table without `id`, which the upsert conflicts on
    this.#versionIndex = positionOf(spec, 'version');
    this.#deletedAtIndex = positionOf(spec, 'deleted_at');
    this.#updatedAtIndex = positionOf(spec, 'updated_at');
    const table = quoteIdent(spec.table);
    const columns = spec.columns.map((column) => quoteIdent(column.column));
    const placeholders = columns.map(() => '?').join(', ');
    const assignments = columns
      .filter((column) => column !== '"id"')
      .map((column) => `${column} = excluded.${column}`)
      .join(', ');
    this.#findSql = `SELECT * FROM ${table} WHERE id = ?`;
    this.#insertSql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${placeholders})`;
    this.#upsertSql =
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${placeholders}) ` +
      `ON CONFLICT (id) DO UPDATE SET ${assignments} WHERE excluded.version > ${table}.version`;
  }

  /** The row with `id` as a record (deleted rows included), or null. */
  find(id: string): Record<string, unknown> | null {
    const row = this.#statement(this.#findSql).get(id);
    return row === undefined ? null : decodeRow(this.spec.columns, row);
  }

  /** The row with `id` unless it is missing or deleted. */
  findLive(id: string): Record<string, unknown> | null {
    const record = this.find(id);
    return record === null || record.deletedAt !== null ? null : record;
  }

  /** Inserts a whole record. */
  insert(record: Readonly<Record<string, unknown>>): void {
    this.#statement(this.#insertSql).run(...encodeRecord(this.spec, record));
  }

  /** Sets the given fields (camelCase) of row `id`; unknown fields are an error. */
  update(id: string, fields: Readonly<Record<string, unknown>>): void {
    const entries = Object.entries(fields);
    if (entries.length === 0) return;
    const assignments: string[] = [];
    const values: SqlValue[] = [];
    for (const [field, value] of entries) {
      const index = this.#positions.get(field);
      const column = index === undefined ? undefined : this.spec.columns[index];
      if (column === undefined) throw new Error(`Table ${this.spec.table} has no field ${field}.`);
      assignments.push(`${quoteIdent(column.column)} = ?`);
      values.push(encodeValue(column.kind, value));
    }
    const sql = `UPDATE ${quoteIdent(this.spec.table)} SET ${assignments.join(', ')} WHERE id = ?`;
    this.#statement(sql).run(...values, id);
  }

  /**
   * The column values of each row of a run with `fields` (a pull page's runs): the fields are
   * matched to columns once per run, unknown fields are left out, and the version comes from the
   * row's head. A tombstone without its deletion time gets the row's last update as that time
   * (else `fallbackTime`).
   */
  runValues(fields: readonly string[]): (row: RunRow, fallbackTime: string) => SqlValue[] {
    const targets: number[] = [];
    const sources: number[] = [];
    const encoders: ColumnEncoder[] = [];
    fields.forEach((field, index) => {
      const target = this.#positions.get(field);
      const encoder = target === undefined ? undefined : this.#encoders[target];
      if (target === undefined || encoder === undefined) return;
      targets.push(target);
      sources.push(RUN_ROW_HEAD + index);
      encoders.push(encoder);
    });
    const width = this.spec.columns.length;
    const versionIndex = this.#versionIndex;
    const deletedAtIndex = this.#deletedAtIndex;
    const updatedAtIndex = this.#updatedAtIndex;
    return (row, fallbackTime) => {
      const values: SqlValue[] = new Array(width).fill(null);
      for (let i = 0; i < targets.length; i++)
        values[targets[i] as number] = (encoders[i] as ColumnEncoder)(row[sources[i] as number]);
      values[versionIndex] = row[1] as number;
      if (row[2] === 'delete' && values[deletedAtIndex] === null)
        values[deletedAtIndex] = values[updatedAtIndex] ?? fallbackTime;
      return values;
    };
  }

  /** Inserts the row, or replaces it when `values` carry a newer version; true when it was written. */
  upsertIfNewer(values: readonly SqlValue[]): boolean {
    // One array argument: better-sqlite3 binds its elements in order, without spreading them.
    return this.#statement(this.#upsertSql).run(values).changes > 0;
  }
}
