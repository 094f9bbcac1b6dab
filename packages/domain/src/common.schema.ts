/**
 * Building blocks shared by every entity schema: identifiers, dates, free text and contact fields.
 * Dates travel as strings (ISO 8601) so the same record means the same thing on SQLite, PostgreSQL
 * and the wire; conversion to `Date` happens at the edges.
 */
import { z } from 'zod';

/** RFC 9562 UUID string (any version). ClinicDesk ids are UUIDv7 generated on the client. */
export const Uuid = z.uuid();

/** Instant as an ISO 8601 date-time string, e.g. `2026-11-28T09:30:00.000Z`. */
export const IsoDateTime = z.iso.datetime({ offset: true });

/** Calendar date `YYYY-MM-DD` (a real date: `2026-02-30` is refused). */
export const IsoDate = z.iso.date();

/** Wall-clock time of day `HH:MM` (24 h), in the clinic's time zone. */
export const TimeOfDay = z.iso.time({ precision: -1 });

/** E-mail address. */
export const Email = z.email().max(254);

/** Absolute http(s) URL. */
export const HttpUrl = z.url({ protocol: /^https?$/ }).max(2048);

/** Any JSON value. */
export const JsonValue = z.json();
export type JsonValue = z.infer<typeof JsonValue>;

/** Lowercase hex SHA-256 digest. */
export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'SHA-256 digest is 64 lowercase hex digits');

/** Server-assigned row version (monotonic per row, starts at 0). */
export const Version = z.number().int().min(0);

/** Required single-line text: trimmed, non-empty, at most `max` characters. */
export function requiredText(max = 200) {
  return z.string().trim().min(1).max(max);
}

/** Optional free text: `null` when absent, so create inputs may omit it. */
export function optionalText(max = 2000) {
  return z.string().trim().max(max).nullable().default(null);
}

/** Makes a field nullable and defaults it to `null`, so create inputs may omit it. */
export function orNull<T extends z.ZodType>(schema: T) {
  return schema.nullable().default(null);
}
