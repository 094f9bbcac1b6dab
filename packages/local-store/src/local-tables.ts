/*
 * The record tables of the local store, derived from the domain's zod schemas so they never drift
 * from the entities: one table per synced entity (`syncedEntities`), plus `staff` and
 * `doctor_profiles`, which only arrive through pull.
 *
 * Invariants:
 * - Columns are the snake_case of the schema's fields (`case.ts`), in schema order; `id TEXT PRIMARY
 *   KEY`, `version INTEGER NOT NULL DEFAULT 0` (the server's version; 0 = never synced).
 * - Every other column is nullable and unchecked: the server is the system of record, and a device
 *   must store whatever a (possibly newer) server sends rather than refuse a pull page. Local writes
 *   are validated with the domain schemas before they reach these tables.
 * - Storage kinds: text, integer, real, boolean (INTEGER 0/1) and json (TEXT holding JSON; arrays,
 *   objects and unions such as dose patterns).
 * - Schema changes are additive: `reconcileLocalTables` adds any table, column or index the domain
 *   has gained since the database was created; nothing is ever dropped or retyped.
 * - The staff table never has a password column: only the `User` schema's fields are stored.
 */
import {
  DoctorProfile,
  type FieldKind,
  fieldKindOf,
  type SyncedEntityName,
  syncedEntities,
  syncedEntityNames,
  toSnakeCase,
  User,
} from '@clinicdesk/domain';
import type Database from 'better-sqlite3';

/** How a field is stored in SQLite. */
export type ColumnKind = FieldKind;

export interface ColumnSpec {
  /** The domain field name (camelCase). */
  readonly field: string;
  /** The column name (snake_case). */
  readonly column: string;
  readonly kind: ColumnKind;
}

export interface TableSpec {
  readonly table: string;
  readonly columns: readonly ColumnSpec[];
  /** Secondary indexes, each a list of columns. */
  readonly indexes: readonly (readonly string[])[];
}

/** Tables that only ever change through pull. */
export type PulledOnlyTable = 'staff' | 'doctor_profiles';

/** Every record table of the local store. */
export interface LocalTableSpecs {
  readonly synced: Readonly<Record<SyncedEntityName, TableSpec>>;
  readonly pulledOnly: Readonly<Record<PulledOnlyTable, TableSpec>>;
}

// Indexes follow the screens' queries: reception's duplicate check and search, the doctor's queue
// for a day, a patient's history, the lab worklist. Every column named here must exist (a test checks).
const SYNCED_INDEXES: Readonly<Record<SyncedEntityName, readonly (readonly string[])[]>> = {
  patient: [['phone'], ['alt_phone'], ['patient_code']],
  medicine: [['name']],
  labTest: [['name']],
  pharmacy: [],
  appointment: [
    ['doctor_id', 'date', 'start_time'],
    ['patient_id', 'date'],
  ],
  visit: [
    ['visit_date', 'doctor_id', 'token_number'],
    ['patient_id', 'visit_date'],
  ],
  vitals: [['visit_id'], ['patient_id', 'recorded_at']],
  consultationNote: [['visit_id'], ['patient_id']],
  diagnosis: [['visit_id'], ['patient_id']],
  prescription: [['visit_id'], ['patient_id']],
  prescriptionItem: [['prescription_id', 'position']],
  labOrder: [['status', 'ordered_at'], ['patient_id', 'ordered_at'], ['visit_id']],
  labResult: [['lab_order_id', 'position'], ['patient_id']],
  prescriptionTemplate: [['doctor_id', 'keyword']],
  admission: [['patient_id'], ['status']],
  treatmentLog: [['admission_id', 'given_at']],
  dischargeSummary: [['admission_id']],
  followUp: [
    ['due_date', 'doctor_id'],
    ['patient_id', 'due_date'],
  ],
  document: [['patient_id']],
};

const PULLED_ONLY_INDEXES: Readonly<Record<PulledOnlyTable, readonly (readonly string[])[]>> = {
  staff: [['role'], ['username']],
  doctor_profiles: [['user_id']],
};

/** Builds a table spec from an object schema's fields. */
export function tableSpecFromShape(
  table: string,
  shape: Readonly<Record<string, unknown>>,
  indexes: readonly (readonly string[])[],
): TableSpec {
  const columns = Object.entries(shape).map(([field, schema]) => ({
    field,
    column: toSnakeCase(field),
    kind: fieldKindOf(schema),
  }));
  return { table, columns, indexes };
}

/** Derives every record table from the domain schemas. */
export function buildLocalTableSpecs(): LocalTableSpecs {
  const synced = Object.fromEntries(
    syncedEntityNames.map((name) => {
      const definition = syncedEntities[name];
      return [name, tableSpecFromShape(definition.table, definition.schema.shape, SYNCED_INDEXES[name])];
    }),
  ) as Record<SyncedEntityName, TableSpec>;
  return {
    synced,
    pulledOnly: {
      staff: tableSpecFromShape('staff', User.shape, PULLED_ONLY_INDEXES.staff),
      doctor_profiles: tableSpecFromShape(
        'doctor_profiles',
        DoctorProfile.shape,
        PULLED_ONLY_INDEXES.doctor_profiles,
      ),
    },
  };
}

/** Every record table spec, synced tables first in dependency order. */
export function allTableSpecs(specs: LocalTableSpecs): TableSpec[] {
  return [...syncedEntityNames.map((name) => specs.synced[name]), ...Object.values(specs.pulledOnly)];
}

/** Quotes an identifier for SQL (identifiers here come from the domain, never from users). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

const SQL_TYPES: Readonly<Record<ColumnKind, string>> = {
  text: 'TEXT',
  integer: 'INTEGER',
  real: 'REAL',
  boolean: 'INTEGER',
  json: 'TEXT',
};

function columnDefinition(column: ColumnSpec): string {
  const type = SQL_TYPES[column.kind];
  if (column.column === 'id') return `${quoteIdent('id')} TEXT PRIMARY KEY NOT NULL`;
  if (column.column === 'version') return `${quoteIdent('version')} INTEGER NOT NULL DEFAULT 0`;
  return `${quoteIdent(column.column)} ${type}`;
}

/** `CREATE TABLE` for a record table. */
export function createTableSql(spec: TableSpec): string {
  return `CREATE TABLE ${quoteIdent(spec.table)} (${spec.columns.map(columnDefinition).join(', ')})`;
}

/** The name of an index over `columns` of `table`. */
export function indexName(table: string, columns: readonly string[]): string {
  return `${table}_${columns.join('_')}_idx`;
}

/** `CREATE INDEX IF NOT EXISTS` statements for a table's indexes. */
export function createIndexSql(spec: TableSpec): string[] {
  return spec.indexes.map(
    (columns) =>
      `CREATE INDEX IF NOT EXISTS ${quoteIdent(indexName(spec.table, columns))} ON ${quoteIdent(spec.table)} (${columns.map(quoteIdent).join(', ')})`,
  );
}

/** What `reconcileLocalTables` changed. */
export interface ReconcileReport {
  createdTables: string[];
  addedColumns: string[];
}

/**
 * Brings the record tables up to the current domain schemas, additively: creates missing tables,
 * adds missing columns (nullable) and missing indexes. Runs in one transaction.
 */
export function reconcileLocalTables(sqlite: Database.Database, specs: LocalTableSpecs): ReconcileReport {
  const report: ReconcileReport = { createdTables: [], addedColumns: [] };
  const columnsOf = sqlite.prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?)');
  sqlite.transaction(() => {
    for (const spec of allTableSpecs(specs)) {
      const existing = new Set(columnsOf.all(spec.table).map((row) => row.name));
      if (existing.size === 0) {
        sqlite.exec(createTableSql(spec));
        report.createdTables.push(spec.table);
      } else {
        for (const column of spec.columns) {
          if (existing.has(column.column)) continue;
          sqlite.exec(`ALTER TABLE ${quoteIdent(spec.table)} ADD COLUMN ${columnDefinition(column)}`);
          report.addedColumns.push(`${spec.table}.${column.column}`);
        }
      }
      for (const statement of createIndexSql(spec)) sqlite.exec(statement);
    }
  })();
  return report;
}
