/**
 * A desktop install registered with a clinic. It syncs only once a clinic admin approves it;
 * a revoked device cannot sync again.
 */
import { z } from 'zod';
import { IsoDateTime, orNull, requiredText, Uuid } from './common.schema';
import { entitySchema } from './sync-columns.schema';

/** Approval state of a device. */
export const DeviceStatus = z.enum(['pending', 'approved', 'revoked']);
export type DeviceStatus = z.infer<typeof DeviceStatus>;

/** Application version, semver-like (`1.4.2`, `1.5.0-beta.1`). */
export const AppVersion = z.string().regex(/^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/, 'Not a version number');

/** A registered device. */
export const Device = entitySchema({
  name: requiredText(100),
  status: DeviceStatus.default('pending'),
  appVersion: orNull(AppVersion),
  lastSeenAt: orNull(IsoDateTime),
});
export type Device = z.infer<typeof Device>;

/** A desktop install asking to register (its id is generated on the device). */
export const DeviceInput = z
  .object({ id: Uuid, name: requiredText(100), appVersion: orNull(AppVersion) })
  .strict();
export type DeviceInput = z.input<typeof DeviceInput>;
