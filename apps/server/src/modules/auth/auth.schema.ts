import { z } from 'zod';

/** Request and response bodies of the auth routes; OpenAPI is generated from these. */
const Password = z.string().min(1).max(256);
const Username = z.string().trim().toLowerCase().min(2).max(64);

export const LoginBody = z
  .object({
    clinicSlug: z.string().trim().toLowerCase().min(2).max(63).optional(),
    username: Username,
    password: Password,
    deviceId: z.string().uuid().optional(),
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
export type LoginBody = z.infer<typeof LoginBody>;

export const SessionUser = z.object({
  id: z.string().uuid(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(['super_admin', 'admin', 'doctor', 'receptionist', 'lab_tech', 'patient']),
  clinicId: z.string().uuid().nullable(),
});

export const SessionClinic = z.object({
  id: z.string().uuid(),
  code: z.string(),
  slug: z.string(),
  name: z.string(),
  subscriptionStatus: z.enum(['trial', 'active', 'expired', 'suspended']),
  access: z.enum(['full', 'read_only', 'blocked']),
  accessReason: z.string(),
  trialEndsAt: z.string().nullable(),
  paidUntil: z.string().nullable(),
});

export const OfflineGrant = z.object({
  token: z.string().describe('base64url(payload).base64url(Ed25519 signature)'),
  expiresAt: z.string(),
  publicKey: z.string().describe('SPKI PEM of the key that signed the grant'),
});

export const TokenPair = z.object({
  accessToken: z.string(),
  accessTokenExpiresAt: z.string(),
  refreshToken: z.string(),
});

export const LoginResponse = TokenPair.extend({
  user: SessionUser,
  clinic: SessionClinic.nullable(),
  offlineGrant: OfflineGrant.nullable(),
});
export type LoginResponse = z.infer<typeof LoginResponse>;

export const RefreshBody = z.object({ refreshToken: z.string().min(20).max(400) }).strict();
export const RefreshResponse = TokenPair.extend({ offlineGrant: OfflineGrant.nullable() });

export const ChangePasswordBody = z
  .object({ currentPassword: Password, newPassword: z.string().min(1).max(256) })
  .strict();

export const SigningKeyResponse = z.object({ algorithm: z.literal('Ed25519'), publicKey: z.string() });
