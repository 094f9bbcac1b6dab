/**
 * An audit event, written only by the server, append-only. Events of one clinic (or of the
 * platform, `clinicId` null) form a hash chain: `seq` counts from 1 and each `hash` covers the
 * previous one (`prevHash`, null for the first event) and the event's canonical JSON
 * (`canonicalJson`), so a removed or edited event breaks every later hash.
 */
import { z } from 'zod';
import { IsoDateTime, JsonValue, Sha256Hex, Uuid } from './common.schema';
import { Role } from './role.schema';

/** Dotted lowercase action name, e.g. `auth.login`, `patient.update`, `clinic.subscription.change`. */
export const AuditAction = z
  .string()
  .regex(/^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+$/, 'Not an audit action name');

/** An audit event. */
export const AuditEvent = z.object({
  id: Uuid,
  clinicId: Uuid.nullable(),
  seq: z.number().int().min(1),
  at: IsoDateTime,
  actorUserId: Uuid.nullable(),
  actorRole: Role.nullable(),
  deviceId: Uuid.nullable(),
  action: AuditAction,
  entity: z.string().max(100).nullable(),
  entityId: z.string().max(100).nullable(),
  details: z.record(z.string(), JsonValue),
  prevHash: Sha256Hex.nullable(),
  hash: Sha256Hex,
});
export type AuditEvent = z.infer<typeof AuditEvent>;
