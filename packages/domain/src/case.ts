/**
 * Column names are the snake_case of entity field names (`bloodSugarMgDl` ↔ `blood_sugar_mg_dl`,
 * `icd10Code` ↔ `icd10_code`), so rows and records convert mechanically. Only top-level keys are
 * converted: JSON columns (dose patterns, reference ranges) keep their camelCase keys inside.
 */

/** Field names converted so far: a sync converts the same few hundred names millions of times. */
const snakeCaseOf = new Map<string, string>();

/** Names remembered at most; past this (only arbitrary input gets there) names are converted each time. */
const REMEMBERED_NAMES = 10_000;

/** `bloodSugarMgDl` → `blood_sugar_mg_dl`. */
export function toSnakeCase(name: string): string {
  const known = snakeCaseOf.get(name);
  if (known !== undefined) return known;
  const converted = name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
  if (snakeCaseOf.size < REMEMBERED_NAMES) snakeCaseOf.set(name, converted);
  return converted;
}

/** `blood_sugar_mg_dl` → `bloodSugarMgDl`. */
export function toCamelCase(name: string): string {
  return name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** Copies an object with its top-level keys in snake_case (record → row). */
export function keysToSnakeCase(record: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [toSnakeCase(key), value]));
}

/** Copies an object with its top-level keys in camelCase (row → record). */
export function keysToCamelCase(row: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [toCamelCase(key), value]));
}
