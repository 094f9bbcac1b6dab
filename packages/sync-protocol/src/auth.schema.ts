/*
 * Sessions and device enrolment on the wire: what a desktop sends to sign in, register itself and
 * refresh its tokens, and what it gets back.
 *
 * Invariants:
 * - Clinic users sign in with the clinic's slug; super admins without one.
 * - The offline grant is `base64url(payload).base64url(Ed25519 signature)`, verifiable with the
 *   public key sent beside it; it never outlives 72 hours.
 * - A device secret is shown once, at registration; the server keeps only its hash.
 */
import { z } from 'zod';

const Password = z.string().min(1).max(256);
const Username = z.string().trim().toLowerCase().min(2).max(64);
const Slug = z.string().trim().toLowerCase().min(2).max(63);
export const roleSchema = z.enum(['super_admin', 'admin', 'doctor', 'receptionist', 'lab_tech', 'patient']);

export const loginRequestSchema = z
  .object({
    clinicSlug: Slug.optional(),
    username: Username,
    password: Password,
    deviceId: z.uuid().optional(),
    deviceSecret: z.string().min(16).max(128).optional(),
    totp: z
      .string()
      .regex(/^\d{6}$/)
      .optional(),
  })
  .strict()
  .describe(
    'Clinic users send clinicSlug (and their device); super admins omit it (and send totp once enrolled).',
  );
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const sessionUserSchema = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  clinicId: z.uuid().nullable(),
});
export type SessionUser = z.infer<typeof sessionUserSchema>;

export const sessionClinicSchema = z.object({
  id: z.uuid(),
  code: z.string(),
  slug: z.string(),
  name: z.string(),
  subscriptionStatus: z.enum(['trial', 'active', 'expired', 'suspended']),
  access: z.enum(['full', 'read_only', 'blocked']),
  accessReason: z.string(),
  trialEndsAt: z.string().nullable(),
  paidUntil: z.string().nullable(),
});
export type SessionClinic = z.infer<typeof sessionClinicSchema>;

export const offlineGrantSchema = z.object({
  token: z.string().describe('base64url(payload).base64url(Ed25519 signature)'),
  expiresAt: z.string(),
  publicKey: z.string().describe('SPKI PEM of the key that signed the grant'),
});
export type OfflineGrant = z.infer<typeof offlineGrantSchema>;

export const tokenPairSchema = z.object({
  accessToken: z.string(),
  accessTokenExpiresAt: z.string(),
  refreshToken: z.string(),
});

export const loginResponseSchema = tokenPairSchema.extend({
  user: sessionUserSchema,
  clinic: sessionClinicSchema.nullable(),
  offlineGrant: offlineGrantSchema.nullable(),
});
export type LoginResponse = z.infer<typeof loginResponseSchema>;

export const refreshRequestSchema = z.object({ refreshToken: z.string().min(20).max(400) }).strict();
export const refreshResponseSchema = tokenPairSchema.extend({ offlineGrant: offlineGrantSchema.nullable() });
export type RefreshResponse = z.infer<typeof refreshResponseSchema>;

export const changePasswordRequestSchema = z
  .object({ currentPassword: Password, newPassword: z.string().min(1).max(256) })
  .strict();

export const signingKeyResponseSchema = z.object({ algorithm: z.literal('Ed25519'), publicKey: z.string() });

export const registerDeviceRequestSchema = z
  .object({
    clinicSlug: Slug,
    name: z.string().trim().min(1).max(80),
    platform: z.string().trim().max(40).default(''),
    appVersion: z.string().trim().max(40).default(''),
  })
  .strict();
export type RegisterDeviceRequest = z.input<typeof registerDeviceRequestSchema>;

export const deviceStatusSchema = z.enum(['pending', 'approved', 'revoked']);

export const registerDeviceResponseSchema = z.object({
  deviceId: z.uuid(),
  deviceSecret: z.string().describe('Shown once; the device keeps it to prove who it is'),
  status: deviceStatusSchema,
});
export type RegisterDeviceResponse = z.infer<typeof registerDeviceResponseSchema>;

export const deviceStatusResponseSchema = z.object({ status: deviceStatusSchema });
