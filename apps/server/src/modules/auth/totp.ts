import { Secret, TOTP } from 'otpauth';

/**
 * Time-based one-time passwords (RFC 6238: SHA-1, 6 digits, 30 s) for super admins' second factor.
 * One step of clock drift either way is accepted.
 */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URI an authenticator app enrols from (shown as a QR code). */
export function totpUri(secret: string, account: string): string {
  return new TOTP({ issuer: 'ClinicDesk', label: account, secret: Secret.fromBase32(secret) }).toString();
}

/** The code for `at` (used by tests and by the enrolment check). */
export function totpCode(secret: string, at: Date): string {
  return new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: at.getTime() });
}

const STEP_MS = 30_000;

/**
 * The time step `code` belongs to when it is valid for `secret` at `now` (±1 step), else null.
 * Callers accept a step only once, so an overheard code cannot be replayed.
 */
export function totpStep(secret: string, code: string, now: Date): number | null {
  if (!secret) return null;
  const delta = new TOTP({ secret: Secret.fromBase32(secret) }).validate({
    token: code,
    timestamp: now.getTime(),
    window: 1,
  });
  return delta === null ? null : Math.floor(now.getTime() / STEP_MS) + delta;
}
