/*
 * What the sync engine needs from the device's store. The local store implements it; the engine
 * never reaches into SQLite itself.
 *
 * Invariants the store keeps for the engine:
 * - `pendingGroups` returns outbox groups in seq order, oldest first (at most `limit`, and no more
 *   than fit in `maxBytes` of row operations, but always the oldest; only those after seq
 *   `afterSeq`), and each group only until a push result for it is recorded.
 * - `applyPull` applies one page atomically (rows, cursor, ack, clinic snapshot together).
 * - `resetForRebootstrap` clears synced rows and the cursor but keeps the outbox and the inbox.
 */
import type { GroupResult, LeaseResponse, MutationGroup, PullResponse } from '@clinicdesk/sync-protocol';

export interface SyncCursorState {
  /** Last change seq applied from the server (0 = never pulled). */
  cursor: number;
  /** True once a full pull from cursor 0 has completed at least once. */
  bootstrapped: boolean;
  /** Rows applied / expected during the first sync (survives restarts). */
  progress: { done: number; total: number } | null;
  lastSyncAt: string | null;
}

export interface SyncStore {
  pendingGroups(limit: number, maxBytes?: number, afterSeq?: number): MutationGroup[];
  pendingCount(): number;
  recordPushResults(results: readonly GroupResult[]): void;
  applyPull(page: PullResponse): void;
  cursorState(): SyncCursorState;
  setCursorState(patch: Partial<SyncCursorState>): void;
  resetForRebootstrap(): void;
  counterRemaining(counter: LeaseResponse['counter'], scope: string): number;
  addCounterBlock(lease: LeaseResponse): void;
  setReadOnly(reason: string | null): void;
}
