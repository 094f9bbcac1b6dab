/*
 * POST /v1/sync/leases — a device reserves a block of a counter while online, to assign offline.
 *
 * Invariants:
 * - A block is the inclusive range `from..to` of one counter in one scope, owned by one device; no
 *   two blocks of the same counter and scope overlap, so numbers assigned from them never collide.
 * - Scopes: `patient_code` counts per year (`2025` → PT-<CLINIC>-2025-0001), `queue_token` per
 *   clinic day (`2025-03-14`).
 * - The server may grant fewer numbers than asked, never more.
 */
import { z } from 'zod';
import { timestampSchema, uuidSchema, versionNumberSchema } from './common.schema';

/** Largest block one request may ask for. */
export const LEASE_MAX_SIZE = 1000;

export const counterNameSchema = z.enum(['patient_code', 'queue_token']);
export type CounterName = z.infer<typeof counterNameSchema>;

const requestBase = {
  protocolVersion: versionNumberSchema,
  schemaVersion: versionNumberSchema,
  size: z.int().min(1).max(LEASE_MAX_SIZE),
};

export const leaseRequestSchema = z.discriminatedUnion('counter', [
  z.strictObject({
    counter: z.literal('patient_code'),
    scope: z.string().regex(/^\d{4}$/, 'patient_code scope is a year, e.g. 2025'),
    ...requestBase,
  }),
  z.strictObject({ counter: z.literal('queue_token'), scope: z.iso.date(), ...requestBase }),
]);
export type LeaseRequest = z.infer<typeof leaseRequestSchema>;

export const leaseResponseSchema = z
  .strictObject({
    leaseId: uuidSchema,
    counter: counterNameSchema,
    scope: z.string().min(1),
    /** First number of the block, inclusive. */
    from: z.int().min(1),
    /** Last number of the block, inclusive. */
    to: z.int().min(1),
    issuedAt: timestampSchema,
  })
  .refine((lease) => lease.to >= lease.from, { path: ['to'], message: 'a block ends at or after its start' });
export type LeaseResponse = z.infer<typeof leaseResponseSchema>;
