/**
 * Patient codes: `PT-<CLINICCODE>-<YEAR>-<NNNN>`, e.g. `PT-SKH-2026-0042`. The sequence has at
 * least four digits and grows past 9999 without truncation (`PT-SKH-2026-10000`). Devices assign
 * sequence numbers from blocks leased from the server (DESIGN §5), so codes are unique without a
 * round trip and never come from a random suffix or count()+1.
 *
 * Provisional codes: a device whose block ran out offline uses `PT-<CLINICCODE>-<YEAR>-P<TAG>`,
 * where TAG is 8 Crockford base32 characters (no I, L, O, U) taken from the last 40 bits of the
 * patient's UUIDv7 id. Deriving the tag from the id keeps a retried create's code stable and
 * cannot collide with a final code (those are digits only). The server replaces it at push.
 */
import { z } from 'zod';
import { isUuid } from './uuid';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_PATTERN = /^PT-([A-Z0-9]{2,8})-(\d{4})-(?:(\d{4,15})|P([0-9A-HJKMNP-TV-Z]{8}))$/;

/** A final or provisional patient code, in canonical (uppercase) form. */
export const PatientCode = z
  .string()
  .refine(
    (value) => value === value.trim().toUpperCase() && parsePatientCode(value) !== null,
    'Patient code must look like PT-ABC-2026-0001',
  );
export type PatientCode = z.infer<typeof PatientCode>;

/** A parsed patient code: final codes carry the sequence number, provisional ones a tag. */
export type ParsedPatientCode =
  | { clinicCode: string; year: number; seq: number; provisional: false }
  | { clinicCode: string; year: number; seq: null; provisional: true; tag: string };

function checkParts(clinicCode: string, year: number): void {
  if (!/^[A-Z0-9]{2,8}$/.test(clinicCode)) throw new RangeError(`Invalid clinic code: ${clinicCode}`);
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new RangeError(`Invalid year: ${year}`);
}

/** Formats a final patient code; the sequence is zero-padded to at least four digits. */
export function formatPatientCode(clinicCode: string, year: number, seq: number): string {
  checkParts(clinicCode, year);
  if (!Number.isSafeInteger(seq) || seq < 1) throw new RangeError(`Invalid sequence number: ${seq}`);
  return `PT-${clinicCode}-${year}-${String(seq).padStart(4, '0')}`;
}

/** Formats a provisional patient code whose tag derives from the patient's id (a UUID). */
export function formatProvisionalPatientCode(clinicCode: string, year: number, patientId: string): string {
  checkParts(clinicCode, year);
  if (!isUuid(patientId)) throw new RangeError(`Not a UUID: ${patientId}`);
  let bits = Number.parseInt(patientId.replace(/-/g, '').slice(-10), 16);
  let tag = '';
  for (let i = 0; i < 8; i++) {
    tag = (CROCKFORD[bits % 32] ?? '0') + tag;
    bits = Math.floor(bits / 32);
  }
  return `PT-${clinicCode}-${year}-P${tag}`;
}

/** Parses a patient code (surrounding spaces and letter case forgiven); null unless it is canonical otherwise. */
export function parsePatientCode(value: string): ParsedPatientCode | null {
  const match = CODE_PATTERN.exec(value.trim().toUpperCase());
  if (match === null) return null;
  const [, clinicCode = '', yearText = '', seqText, tag] = match;
  const year = Number(yearText);
  if (year < 1000) return null;
  if (tag !== undefined) return { clinicCode, year, seq: null, provisional: true, tag };
  if (seqText === undefined) return null;
  const seq = Number(seqText);
  // Only the canonical spelling parses: no 0000, no padding beyond four digits.
  if (!Number.isSafeInteger(seq) || seq < 1 || String(seq).padStart(4, '0') !== seqText) return null;
  return { clinicCode, year, seq, provisional: false };
}

/** True when `value` is a provisional patient code (to be replaced by the server). */
export function isProvisionalCode(value: string): boolean {
  return parsePatientCode(value)?.provisional === true;
}
