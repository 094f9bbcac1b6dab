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

/**
 * A converter doing what `rowToRecord` does for every row of one query result: the column names are
 * the same for each row, so they are picked (only `keep`, when given) and converted to field names
 * once, not per row. Pulls convert hundreds of thousands of rows this way.
 */
export function rowConverter(
  columnNames: readonly string[],
  keep: readonly string[] | null = null,
): (row: Row) => Record<string, unknown> {
  const columns = keep ? columnNames.filter((c) => keep.includes(c)) : [...columnNames];
  const fields = columns.map(toCamelCase);
  const n = columns.length;
  return (row) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const value = row[columns[i] as string];
      out[fields[i] as string] = value instanceof Date ? value.toISOString() : value;
    }
    return out;
  };
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
