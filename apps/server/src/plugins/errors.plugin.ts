import { type ErrorCode, httpStatusFor } from '@clinicdesk/sync-protocol';
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError } from '../lib/app-error';

type ErrorBody = { error: { code: ErrorCode; message: string; details?: unknown } };

function body(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/** Maps Fastify's own error codes (body limit, bad JSON, rate limit...) to the protocol's codes. */
function fromFastifyError(err: FastifyError): { code: ErrorCode; message: string } | null {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { code: 'PAYLOAD_TOO_LARGE', message: 'Request body is too large' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { code: 'VALIDATION_FAILED', message: err.message };
    default:
      break;
  }
  if (err.statusCode === 429) return { code: 'RATE_LIMITED', message: 'Too many requests, slow down' };
  if (err.name === 'SyntaxError' && err.statusCode === 400) {
    return { code: 'VALIDATION_FAILED', message: 'Request body is not valid JSON' };
  }
  return null;
}

/**
 * One error handler for the whole API: every refusal leaves as `{ error: { code, message, details? } }`
 * with a stable code; a 5xx never carries internals (the log has them, with the request id).
 */
export const errorsPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((err: FastifyError, request, reply) => {
      // Error bodies bypass the route's response serializer: they always have the one shape.
      reply.serializer((payload: unknown) => JSON.stringify(payload));
      if (err instanceof AppError) {
        return reply.status(httpStatusFor(err.code)).send(body(err.code, err.message, err.details));
      }
      if (hasZodFastifySchemaValidationErrors(err)) {
        const details = {
          issues: err.validation.map((v) => ({
            path: v.instancePath || `/${err.validationContext ?? ''}`,
            message: v.message,
          })),
        };
        return reply.status(400).send(body('VALIDATION_FAILED', 'Request is invalid', details));
      }
      const mapped = fromFastifyError(err);
      if (mapped) return reply.status(httpStatusFor(mapped.code)).send(body(mapped.code, mapped.message));
      if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
        return reply.status(err.statusCode).send(body('VALIDATION_FAILED', err.message));
      }
      request.log.error({ err }, 'unhandled error');
      return reply.status(500).send(body('INTERNAL', 'Something went wrong on the server; please retry'));
    });

    app.setNotFoundHandler((request, reply) => {
      reply
        .status(404)
        .send(body('NOT_FOUND', `No route for ${request.method} ${request.url.split('?')[0]}`));
    });
  },
  { name: 'errors' },
);
