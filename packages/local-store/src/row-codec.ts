/*
 * Conversion between domain records (camelCase fields, JSON values) and SQLite rows (snake_case
 * columns, TEXT/INTEGER/REAL values).
 *
 * Invariants:
 * - booleans are stored as 0/1 and read back as booleans; json columns hold `JSON.stringify` of the
 *   value (a dose pattern `'sos'` is stored as `"sos"`) and are parsed on the way out;
 * - numbers the server sends as strings (PostgreSQL numeric/bigint) are stored as numbers;
 * - `undefined` is stored as NULL; nothing else is coerced.
 */
import { type JsonValue, toSnakeCase } from '@clinicdesk/domain';
import type { ColumnKind, ColumnSpec, TableSpec } from './local-tables';

/** A value better-sqlite3 binds or returns for these tables. */
export type SqlValue = string | number | bigint | Buffer | null;

/** Encodes one value for a column of `kind`. */
export function encodeValue(kind: ColumnKind, value: unknown): SqlValue {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'boolean':
      return value === true || value === 1 || value === '1' || value === 'true' ? 1 : 0;
    case 'json':
      return JSON.stringify(value);
    case 'integer':
    case 'real':
      if (typeof value === 'number' || typeof value === 'bigint') return value;
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
        return Number(value);
      return typeof value === 'string' ? value : JSON.stringify(value);
    case 'text':
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') return value;
      return typeof value === 'boolean' ? String(value) : JSON.stringify(value);
    default:
      return kind satisfies never;
  }
}

/** Decodes one stored value of a column of `kind`. */
export function decodeValue(kind: ColumnKind, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'boolean':
      return value === 1 || value === 1n;
    case 'json':
      return typeof value === 'string' ? JSON.parse(value) : value;
    case 'integer':
    case 'real':
    case 'text':
      return value;
    default:
      return kind satisfies never;
  }
}

/** A function that encodes one column's value. */
export type ColumnEncoder = (value: unknown) => SqlValue;

/** One encoder per column, in the spec's column order. */
export function columnEncoders(spec: TableSpec): ColumnEncoder[] {
  return spec.columns.map((column) => (value: unknown) => encodeValue(column.kind, value));
}

/**
 * Maps every name an incoming row may use for a column (camelCase field or snake_case column) to
 * the column's position, so a pulled row needs no string conversion per key.
 */
export function columnPositions(spec: TableSpec): ReadonlyMap<string, number> {
  const positions = new Map<string, number>();
  spec.columns.forEach((column, index) => {
    positions.set(column.field, index);
    positions.set(column.column, index);
    positions.set(toSnakeCase(column.field), index);
  });
  return positions;
}

/** Decodes a stored row into a record with camelCase fields. */
export function decodeRow(
  columns: readonly ColumnSpec[],
  row: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const column of columns) record[column.field] = decodeValue(column.kind, row[column.column]);
  return record;
}

/** Encodes a record (camelCase fields) into column values in the spec's order; absent fields are NULL. */
export function encodeRecord(spec: TableSpec, record: Readonly<Record<string, unknown>>): SqlValue[] {
  return spec.columns.map((column) => encodeValue(column.kind, record[column.field]));
}

/** True when `value` is a JSON value (finite numbers, plain objects and arrays only). */
export function isJsonValue(value: unknown): value is JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonValue);
  if (typeof value === 'object') {
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) return false;
    return Object.values(value).every(isJsonValue);
  }
  return false;
}

/** Copies `record` as a JSON object, or throws when a field holds something JSON cannot carry. */
export function toJsonObject(record: Readonly<Record<string, unknown>>): { [field: string]: JsonValue } {
  const out: { [field: string]: JsonValue } = {};
  for (const [field, value] of Object.entries(record)) {
    if (value === undefined) continue;
    if (!isJsonValue(value)) throw new TypeError(`Field "${field}" does not hold a JSON value.`);
    out[field] = value;
  }
  return out;
}
