/**
 * Checking a server-signed offline grant (DESIGN §3). The grant is
 * `base64url(payload).base64url(Ed25519 signature)`; it is trusted only when the signature checks
 * against the server key this install pinned at its first online sign-in (never the key that
 * travels beside the grant), and the payload names this user, clinic and device, is not expired
 * and never spans more than 72 hours.
 */
import { createPublicKey, verify } from 'node:crypto';
import { z } from 'zod';

/** The longest an offline grant may last. */
export const OFFLINE_GRANT_MAX_HOURS = 72;

const GrantPayload = z.object({
  v: z.literal(1),
  kind: z.literal('offline-grant'),
  sub: z.uuid(),
  username: z.string(),
  role: z.string(),
  clinicId: z.uuid(),
  deviceId: z.uuid(),
  iat: z.iso.datetime({ offset: true }),
  exp: z.iso.datetime({ offset: true }),
});
export type GrantPayload = z.infer<typeof GrantPayload>;

/** Why a grant was not accepted. */
export type GrantProblem = 'malformed' | 'bad_signature' | 'wrong_subject' | 'expired' | 'too_long';

/** Verifies a grant for `expected` at `now`; the payload when valid, else the problem. */
export function verifyOfflineGrant(
  token: string,
  publicKeyPem: string,
  expected: { userId: string; clinicId: string; deviceId: string },
  now: number,
): { ok: true; payload: GrantPayload } | { ok: false; problem: GrantProblem } {
  const [body, signature, extra] = token.split('.');
  if (
    body === undefined ||
    signature === undefined ||
    extra !== undefined ||
    body === '' ||
    signature === ''
  ) {
    return { ok: false, problem: 'malformed' };
  }
  let signed = false;
  try {
    signed = verify(
      null,
      Buffer.from(body),
      createPublicKey(publicKeyPem),
      Buffer.from(signature, 'base64url'),
    );
  } catch {
    return { ok: false, problem: 'bad_signature' };
  }
  if (!signed) return { ok: false, problem: 'bad_signature' };
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, problem: 'malformed' };
  }
  const parsed = GrantPayload.safeParse(json);
  if (!parsed.success) return { ok: false, problem: 'malformed' };
  const payload = parsed.data;
  if (
    payload.sub !== expected.userId ||
    payload.clinicId !== expected.clinicId ||
    payload.deviceId !== expected.deviceId
  ) {
    return { ok: false, problem: 'wrong_subject' };
  }
  const issued = Date.parse(payload.iat);
  const expires = Date.parse(payload.exp);
  if (expires - issued > OFFLINE_GRANT_MAX_HOURS * 3_600_000) return { ok: false, problem: 'too_long' };
  if (now >= expires) return { ok: false, problem: 'expired' };
  return { ok: true, payload };
}
