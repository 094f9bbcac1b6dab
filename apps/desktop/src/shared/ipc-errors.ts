/**
 * What an IPC call answers: a value, or an error with a stable code the renderer translates.
 * Errors travel as data (an envelope), not as thrown exceptions, because Electron's `invoke`
 * flattens a thrown error to its message and the web host would have to rebuild it anyway.
 */

/** Stable error codes of the IPC surface; the renderer has a translated sentence for each. */
export const IPC_ERROR_CODES = [
  'UNKNOWN_CHANNEL',
  'FORBIDDEN_SENDER',
  'INVALID_ARGUMENTS',
  'NOT_SIGNED_IN',
  'LOCKED',
  'PERMISSION_DENIED',
  'NOT_SET_UP',
  'READ_ONLY',
  'NOT_FOUND',
  'VALIDATION_FAILED',
  'DUPLICATE_SUSPECTED',
  'REASON_REQUIRED',
  'SLOT_TAKEN',
  'ALREADY_CHECKED_IN',
  'INVALID_TRANSITION',
  'CAPACITY_REACHED',
  'WRONG_CREDENTIALS',
  'TOO_MANY_ATTEMPTS',
  'CLINIC_NOT_FOUND',
  'PENDING_CHANGES',
  'OFFLINE_BACKOFF',
  'OFFLINE_LOGIN_UNAVAILABLE',
  'DEVICE_PENDING',
  'DEVICE_REVOKED',
  'DEVICE_UNKNOWN',
  'CLINIC_SUSPENDED',
  'SERVER_UNREACHABLE',
  'SERVER_ERROR',
  'LINK_NOT_ALLOWED',
  'INTERNAL',
] as const;
export type IpcErrorCode = (typeof IPC_ERROR_CODES)[number];

/** A JSON-safe description of a failed call. */
export interface IpcErrorBody {
  readonly code: IpcErrorCode;
  /** English text for logs and developers; screens show the translation of `code`. */
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** The answer to every IPC call, in Electron and through the web host alike. */
export type IpcEnvelope<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: IpcErrorBody };

/** An error a handler throws on purpose; the router turns it into an error envelope. */
export class IpcError extends Error {
  override readonly name = 'IpcError';

  constructor(
    readonly code: IpcErrorCode,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
  }

  /** The JSON body of this error. */
  toBody(): IpcErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}
