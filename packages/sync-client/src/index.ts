export { type BackoffOptions, backoffDelay } from './backoff.policy';
export { type Cancel, type Clock, systemClock } from './clock';
export {
  createRetryScheduler,
  type RetryScheduler,
  type RetrySchedulerOptions,
  type RetrySchedulerState,
} from './retry.scheduler';
export {
  initialSyncStatus,
  reduceSyncStatus,
  type SyncError,
  type SyncStatus,
  type SyncStatusEvent,
} from './sync-status.reducer';
