import { errorCodeSchema, jsonObjectSchema } from '@clinicdesk/sync-protocol';
import { z } from 'zod';

/**
 * The 400 answer of the administration routes. For a request that fails its schema, the error
 * plugin sends `details` as a list of `{ path, message }`, which the protocol's `errorBodySchema`
 * (details: an object) refuses, so documenting 400 with it turns every validation error into a 500.
 * This schema documents what is really sent; drop it once the plugin and the protocol agree.
 */
export const InvalidRequest = z.strictObject({
  error: z.strictObject({
    code: errorCodeSchema,
    message: z.string().min(1),
    details: z
      .union([jsonObjectSchema, z.array(z.object({ path: z.string(), message: z.string() }))])
      .optional(),
  }),
});
