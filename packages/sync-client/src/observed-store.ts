/*
 * The store as the engine sees it, with hooks that run after the engine changed it: the desktop
 * refreshes the screens whose records a push result or pull page touched, the benchmarks time
 * each page's apply.
 */
import type { GroupResult, PullResponse } from '@clinicdesk/sync-protocol';
import type { SyncStore } from './sync-store.port';

export interface SyncStoreHooks {
  /** After push results were recorded. */
  readonly afterPush?: (results: readonly GroupResult[]) => void;
  /** After a pull page was applied, with the time `applyPull` took in milliseconds. */
  readonly afterPull?: (page: PullResponse, applyMs: number) => void;
}

/** `store`, calling `hooks` after each recorded push result and each applied pull page. */
export function observeSyncStore(store: SyncStore, hooks: SyncStoreHooks): SyncStore {
  return {
    pendingGroups: (limit, maxBytes, afterSeq) => store.pendingGroups(limit, maxBytes, afterSeq),
    pendingCount: () => store.pendingCount(),
    recordPushResults(results) {
      store.recordPushResults(results);
      hooks.afterPush?.(results);
    },
    applyPull(page) {
      const started = performance.now();
      store.applyPull(page);
      hooks.afterPull?.(page, performance.now() - started);
    },
    cursorState: () => store.cursorState(),
    setCursorState: (patch) => store.setCursorState(patch),
    resetForRebootstrap: () => store.resetForRebootstrap(),
    counterRemaining: (counter, scope) => store.counterRemaining(counter, scope),
    addCounterBlock: (lease) => store.addCounterBlock(lease),
    setReadOnly: (reason) => store.setReadOnly(reason),
  };
}
