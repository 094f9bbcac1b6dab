/**
 * Queue tokens: each doctor's queue numbers its visits 1, 2, 3… per clinic day. Devices assign
 * token numbers from blocks leased from the server (like patient codes), so two reception desks
 * offline at the same time never hand out the same number. On the slip a token reads `007`, or
 * `B-007` when a clinic with several doctors gives each doctor a letter.
 */
import { z } from 'zod';

/** A token number within one doctor's day. */
export const TokenNumber = z.number().int().min(1).max(99_999);
export type TokenNumber = z.infer<typeof TokenNumber>;

const TOKEN_PATTERN = /^(?:([A-Z]{1,3})-)?(\d{1,5})$/;

/** Formats a token for display: at least three digits, with an optional doctor prefix (`A-007`). */
export function formatToken(n: number, prefix?: string): string {
  if (!Number.isInteger(n) || n < 1 || n > 99_999) throw new RangeError(`Invalid token number: ${n}`);
  const digits = String(n).padStart(3, '0');
  if (prefix === undefined || prefix === '') return digits;
  if (!/^[A-Z]{1,3}$/.test(prefix))
    throw new RangeError(`Token prefix must be 1–3 capital letters: ${prefix}`);
  return `${prefix}-${digits}`;
}

/** Parses a displayed token (`7`, `007`, `a-7`) back to its prefix and number; null if it is not one. */
export function parseToken(value: string): { prefix: string | null; number: number } | null {
  const match = TOKEN_PATTERN.exec(value.trim().toUpperCase());
  if (match === null) return null;
  const number = Number(match[2]);
  if (number < 1) return null;
  return { prefix: match[1] ?? null, number };
}

/** The letter prefix for the doctor at position `index` (0 → A, 25 → Z, 26 → AA). */
export function doctorTokenPrefix(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= 26 + 26 * 26) {
    throw new RangeError(`Doctor index out of range: ${index}`);
  }
  const letter = (i: number) => String.fromCharCode(65 + i);
  return index < 26 ? letter(index) : letter(Math.floor(index / 26) - 1) + letter(index % 26);
}
