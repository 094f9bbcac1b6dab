import { z } from 'zod';

export const RegisterDeviceBody = z
  .object({
    clinicSlug: z.string().trim().toLowerCase().min(2).max(63),
    name: z.string().trim().min(1).max(80),
    platform: z.string().trim().max(40).default(''),
    appVersion: z.string().trim().max(40).default(''),
  })
  .strict();

export const RegisterDeviceResponse = z.object({
  deviceId: z.string().uuid(),
  deviceSecret: z.string().describe('Shown once; the device keeps it to prove who it is'),
  status: z.enum(['pending', 'approved', 'revoked']),
});

export const Device = z.object({
  id: z.string().uuid(),
  name: z.string(),
  status: z.enum(['pending', 'approved', 'revoked']),
  platform: z.string(),
  appVersion: z.string(),
  createdAt: z.string(),
  approvedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  lastSeenAt: z.string().nullable(),
  lastSyncAt: z.string().nullable(),
});
export type Device = z.infer<typeof Device>;

export const DeviceIdParams = z.object({ id: z.string().uuid() }).strict();
export const RenameDeviceBody = z.object({ name: z.string().trim().min(1).max(80) }).strict();
export const DeviceStatusResponse = z.object({ status: z.enum(['pending', 'approved', 'revoked']) });
