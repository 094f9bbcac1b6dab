/*
 * The stable error codes of the ClinicDesk API and the one error body every route answers with.
 *
 * Invariants:
 * - Codes are part of the wire contract: never rename or remove one, only add.
 * - Every code maps to exactly one HTTP status (`httpStatusFor`); 4xx codes are the caller's
 *   mistake or a business refusal, INTERNAL is the only 5xx and never carries internals.
 * - The same codes appear inside push results for refused groups, where no HTTP status applies.
 * - Error bodies are strict: `{ error: { code, message, details? } }` and nothing else.
 */
import { z } from 'zod';
import { jsonObjectSchema } from './common.schema';

/** Every error code the API can answer with. */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'SUBSCRIPTION_INACTIVE',
  'CLINIC_SUSPENDED',
  'CAPACITY_EXCEEDED',
  'IMMUTABLE',
  'CODE_REASSIGNED',
  'RESET_REQUIRED',
  'UPGRADE_REQUIRED',
  'SEQUENCE_GAP',
  'INTERNAL',
] as const;

export const errorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

/** The enum as an object (`ErrorCode.CONFLICT`), for call sites that prefer a qualified name. */
export const ErrorCode = errorCodeSchema.enum;

const HTTP_STATUS = {
  VALIDATION_FAILED: 400,
  UNAUTHORIZED: 401,
  // Payment Required: the clinic is readable but may not write until its subscription is renewed.
  SUBSCRIPTION_INACTIVE: 402,
  FORBIDDEN: 403,
  CLINIC_SUSPENDED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  CAPACITY_EXCEEDED: 409,
  IMMUTABLE: 409,
  CODE_REASSIGNED: 409,
  SEQUENCE_GAP: 409,
  // Gone: the pull cursor is older than the change log the server keeps.
  RESET_REQUIRED: 410,
  PAYLOAD_TOO_LARGE: 413,
  UPGRADE_REQUIRED: 426,
  RATE_LIMITED: 429,
  INTERNAL: 500,
} as const satisfies Record<ErrorCode, number>;

/** The HTTP status a response carrying this error code must have. */
export function httpStatusFor(code: ErrorCode): number {
  return HTTP_STATUS[code];
}

/** The uniform error body of every non-2xx response. */
export const errorBodySchema = z.strictObject({
  error: z.strictObject({
    code: errorCodeSchema,
    message: z.string().min(1),
    details: jsonObjectSchema.optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** Builds an error body, leaving `details` out when there are none. */
export function errorBody(
  code: ErrorCode,
  message: string,
  details?: ErrorBody['error']['details'],
): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}
