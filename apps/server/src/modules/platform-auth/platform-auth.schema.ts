import { z } from 'zod';

/** Request and response bodies of a super admin's second factor (TOTP); OpenAPI is generated from these. */
export const TotpStatus = z.object({
  enabled: z.boolean().describe('True once a code has confirmed the enrolment; sign-in then needs a code'),
  pending: z.boolean().describe('True while an enrolment has started and is waiting for its first code'),
});
export type TotpStatus = z.infer<typeof TotpStatus>;

export const TotpEnrolment = z.object({
  secret: z.string().describe('Base32 secret, shown once for typing into an authenticator app'),
  uri: z.string().describe('otpauth:// URI for the QR code'),
  account: z.string(),
});
export type TotpEnrolment = z.infer<typeof TotpEnrolment>;

export const TotpConfirmBody = z
  .object({ code: z.string().regex(/^\d{6}$/, 'The code is 6 digits') })
  .strict();
