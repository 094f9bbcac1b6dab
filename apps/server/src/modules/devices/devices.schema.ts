import {
  deviceStatusResponseSchema,
  registerDeviceRequestSchema,
  registerDeviceResponseSchema,
} from '@clinicdesk/sync-protocol';
import { z } from 'zod';

/** Registration and status polling are part of the device wire contract (sync-protocol). */
export const RegisterDeviceBody = registerDeviceRequestSchema;
export const RegisterDeviceResponse = registerDeviceResponseSchema;
export const DeviceStatusResponse = deviceStatusResponseSchema;

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
