/**
 * Canonical JSON for hashing (the audit chain): object keys sorted by UTF-16 code units at every
 * level, no whitespace, numbers and strings as `JSON.stringify` writes them. Two equal values
 * always give the same string, whatever order their keys were written in.
 */
import type { JsonValue } from './common.schema';

/** Serializes a JSON value canonically; throws TypeError for values JSON cannot hold (undefined, NaN, functions…). */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`Cannot serialize ${value} as JSON`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  if (typeof value === 'object') {
    const keys = Object.keys(value).sort();
    const members = keys.map((key) => {
      const member = value[key];
      if (member === undefined) throw new TypeError(`Cannot serialize undefined at key ${key}`);
      return `${JSON.stringify(key)}:${canonicalJson(member)}`;
    });
    return `{${members.join(',')}}`;
  }
  throw new TypeError(`Cannot serialize a ${typeof value} as JSON`);
}
