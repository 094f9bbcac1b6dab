import type { ErrorCode } from '@clinicdesk/sync-protocol';

/** Why the last attempt failed: the server could not be reached, or it answered with an error code. */
export type SyncError =
  | { kind: 'network'; message: string; at: number }
  | { kind: 'server'; code: ErrorCode; message: string; at: number };

/** What the sync indicator and sync centre show. Times are epoch milliseconds. */
export interface SyncStatus {
  online: boolean;
  syncing: boolean;
  /** Local groups not yet decided by the server. */
  pending: number;
  lastSyncAt: number | null;
  lastError: SyncError | null;
}

export type SyncStatusEvent =
  | { type: 'online' }
  | { type: 'offline' }
  | { type: 'pending-changed'; pending: number }
  | { type: 'sync-started' }
  | { type: 'sync-succeeded'; at: number; pending: number }
  | { type: 'sync-failed'; error: SyncError };

/** The status before anything is known: offline until the first attempt or online event says otherwise. */
export function initialSyncStatus(pending = 0): SyncStatus {
  return { online: false, syncing: false, pending, lastSyncAt: null, lastError: null };
}

/** Applies one event; returns the same object when nothing changed, so views can skip a render. */
export function reduceSyncStatus(status: SyncStatus, event: SyncStatusEvent): SyncStatus {
  switch (event.type) {
    case 'online':
      return status.online ? status : { ...status, online: true };
    case 'offline':
      return status.online ? { ...status, online: false } : status;
    case 'pending-changed':
      return status.pending === event.pending ? status : { ...status, pending: event.pending };
    case 'sync-started':
      return status.syncing ? status : { ...status, syncing: true };
    case 'sync-succeeded':
      // Reaching the server proves we are online, whatever the OS said.
      return { online: true, syncing: false, pending: event.pending, lastSyncAt: event.at, lastError: null };
    case 'sync-failed':
      // A server error still means the server was reached; only a network failure means offline.
      return { ...status, syncing: false, online: event.error.kind === 'server', lastError: event.error };
    default:
      return event satisfies never;
  }
}
