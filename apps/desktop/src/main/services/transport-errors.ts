/**
 * Turns what the server or the network said into the IPC error a screen can explain. The server's
 * codes and reasons (`FORBIDDEN` + `device_pending`) become the desktop's own codes.
 */
import { IpcError } from '../../shared/ipc-errors';
import { TransportError } from './sync-client.adapter';

function reasonOf(details: unknown): string | null {
  if (typeof details !== 'object' || details === null || !('reason' in details)) return null;
  return typeof details.reason === 'string' ? details.reason : null;
}

function retryAfterOf(details: unknown): number | null {
  if (typeof details !== 'object' || details === null || !('retryAfterSeconds' in details)) return null;
  return typeof details.retryAfterSeconds === 'number' ? details.retryAfterSeconds : null;
}

/** True when the server could not be reached at all (offline, DNS, timeout, 5xx). */
export function isUnreachable(error: unknown): boolean {
  return error instanceof TransportError && error.kind === 'network';
}

/** The IPC error for a failed server call. */
export function ipcErrorFromServer(error: unknown): IpcError {
  if (!(error instanceof TransportError)) return new IpcError('INTERNAL', String(error));
  if (error.kind === 'network') return new IpcError('SERVER_UNREACHABLE', error.message);
  const reason = reasonOf(error.details);
  switch (error.code) {
    case 'UNAUTHORIZED':
      return new IpcError('WRONG_CREDENTIALS', error.message);
    case 'RATE_LIMITED':
      return new IpcError('TOO_MANY_ATTEMPTS', error.message, { seconds: retryAfterOf(error.details) ?? 60 });
    case 'CLINIC_SUSPENDED':
      return new IpcError('CLINIC_SUSPENDED', error.message);
    case 'NOT_FOUND':
      return new IpcError('CLINIC_NOT_FOUND', error.message);
    case 'FORBIDDEN':
      if (reason === 'device_pending') return new IpcError('DEVICE_PENDING', error.message);
      if (reason === 'device_revoked') return new IpcError('DEVICE_REVOKED', error.message);
      if (reason === 'device_unknown' || reason === 'device_required')
        return new IpcError('DEVICE_UNKNOWN', error.message);
      return new IpcError('PERMISSION_DENIED', error.message);
    default:
      return new IpcError('SERVER_ERROR', error.message, { code: error.code, message: error.message });
  }
}
