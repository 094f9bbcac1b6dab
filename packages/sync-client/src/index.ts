export { type AuthClient, createAuthClient, createTokenKeeper } from './auth-client';
export { type BackoffOptions, backoffDelay } from './backoff.policy';
export { type Cancel, type Clock, systemClock } from './clock';
export { createHttpTransport, errorFromResponse, type HttpTransportOptions } from './http-transport';
export { observeSyncStore, type SyncStoreHooks } from './observed-store';
export {
  createRetryScheduler,
  type RetryScheduler,
  type RetrySchedulerOptions,
  type RetrySchedulerState,
} from './retry.scheduler';
export {
  createSyncEngine,
  type EngineStatus,
  type ReadOnlyReason,
  type SyncEngine,
  type SyncEngineOptions,
} from './sync-engine';
export {
  initialSyncStatus,
  reduceSyncStatus,
  type SyncError,
  type SyncStatus,
  type SyncStatusEvent,
} from './sync-status.reducer';
export type { SyncCursorState, SyncStore } from './sync-store.port';
export {
  type LiveConnection,
  type PullHead,
  type PullOptions,
  type SyncTransport,
  TransportError,
  type TransportErrorKind,
} from './transport';
