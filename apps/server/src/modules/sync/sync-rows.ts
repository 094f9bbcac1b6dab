import { keysToCamelCase, keysToSnakeCase, toCamelCase } from '@clinicdesk/domain';

/**
 * Conversions between PostgreSQL rows (snake_case, Date, jsonb) and wire records (camelCase, ISO
 * strings, JSON). One place, so every entity maps the same way in push and pull.
 */
export type Row = Record<string, unknown>;

/** A database row as a wire record: camelCase keys, timestamps as ISO strings. */
export function rowToRecord(row: Row): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(keysToCamelCase(row))) {
    out[key] = value instanceof Date ? value.toISOString() : value;
  }
  return out;
}

/** A wire record (or a subset of fields) as column values: snake_case, objects and arrays as JSON text. */
export function recordToRow(record: Record<string, unknown>): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(keysToSnakeCase(record))) {
    out[key] = value !== null && typeof value === 'object' ? JSON.stringify(value) : value;
  }
  return out;
}

/** Structural equality for JSON values (field comparisons in conflict checks). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined) return b === null;
  if (b === undefined) return a === null;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** A column of a table as the pull statement needs it: its name and whether it is a `timestamptz`. */
export interface WireColumn {
  readonly name: string;
  readonly timestamptz: boolean;
}

/** `"name"` with inner quotes doubled: a PostgreSQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * SQL for `row_to_json` of one row of `alias` as the wire record `rowToRecord` makes of it: camelCase
 * keys in column order, timestamps as `toISOString` writes them (UTC, milliseconds truncated, `Z`),
 * every other value as PostgreSQL's JSON of it (dates `YYYY-MM-DD`, numbers, booleans, jsonb, null),
 * which parses to what `rowToRecord` returns. Pulls build their pages' JSON in PostgreSQL with it.
 */
export function wireRecordSql(alias: string, columns: readonly WireColumn[]): string {
  const fields = columns.map((column) => {
    const value = `${alias}.${quoteIdent(column.name)}`;
    const expression = column.timestamptz
      ? `to_char(${value} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
      : value;
    return `${expression} AS ${quoteIdent(toCamelCase(column.name))}`;
  });
  return `(SELECT row_to_json(r)::text FROM (SELECT ${fields.join(', ')}) r)`;
}
