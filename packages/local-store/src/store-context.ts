import type { SyncedEntityName } from '@clinicdesk/domain';
import type Database from 'better-sqlite3';
import { buildPulledTargets, type PulledTarget } from './entity-names';
import type { LocalTableSpecs, PulledOnlyTable, TableSpec } from './local-tables';
import { RecordTable } from './record-table';

/** A prepared statement whose rows are plain column objects. */
export type RowStatement = Database.Statement<unknown[], Record<string, unknown>>;

/**
 * What every part of one open store shares: the connection, its clock and id generator, the table
 * specs and a cache of prepared statements. One per `openLocalStore`; nothing lives at module level.
 */
export interface StoreContext {
  readonly sqlite: Database.Database;
  readonly now: () => Date;
  readonly newId: () => string;
  readonly specs: LocalTableSpecs;
  readonly targets: ReadonlyMap<string, PulledTarget>;
  /** The prepared statement for `sql`, compiled once per store. */
  statement(sql: string): RowStatement;
  /** The record table of a synced entity. */
  synced(entity: SyncedEntityName): RecordTable;
  /** A table that only changes through pull. */
  pulledOnly(table: PulledOnlyTable): RecordTable;
}

/** Creates the shared context of an open store (call after migrations: tables must exist). */
export function createStoreContext(options: {
  sqlite: Database.Database;
  now: () => Date;
  newId: () => string;
  specs: LocalTableSpecs;
}): StoreContext {
  const { sqlite, specs } = options;
  const statements = new Map<string, RowStatement>();
  const statement = (sql: string): RowStatement => {
    let prepared = statements.get(sql);
    if (prepared === undefined) {
      prepared = sqlite.prepare<unknown[], Record<string, unknown>>(sql);
      statements.set(sql, prepared);
    }
    return prepared;
  };
  const tables = new Map<string, RecordTable>();
  const tableFor = (spec: TableSpec): RecordTable => {
    let table = tables.get(spec.table);
    if (table === undefined) {
      table = new RecordTable(spec, statement);
      tables.set(spec.table, table);
    }
    return table;
  };
  return {
    sqlite,
    now: options.now,
    newId: options.newId,
    specs,
    targets: buildPulledTargets(),
    statement,
    synced: (entity) => tableFor(specs.synced[entity]),
    pulledOnly: (table) => tableFor(specs.pulledOnly[table]),
  };
}
