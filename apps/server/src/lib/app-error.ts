import type { ErrorCode } from '@clinicdesk/sync-protocol';

/**
 * A refusal the caller can act on: a stable code from the protocol package, a human message, and
 * optional details (field errors, limits). The error plugin turns it into the uniform error body.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

/** Shorthand for the 404 every cross-clinic or unknown id gets (never 403, which would leak existence). */
export function notFound(what: string): AppError {
  return new AppError('NOT_FOUND', `${what} not found`);
}
