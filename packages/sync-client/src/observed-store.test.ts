import type { GroupResult, PullResponse } from '@clinicdesk/sync-protocol';
import { describe, expect, it } from 'vitest';
import { observeSyncStore } from './observed-store';
import type { SyncStore } from './sync-store.port';

/** A store that records what the engine asked of it, in order. */
function recordingStore(calls: string[]): SyncStore {
  let cursor = 0;
  return {
    pendingGroups: (limit) => {
      calls.push(`pendingGroups ${limit}`);
      return [];
    },
    pendingCount: () => {
      calls.push('pendingCount');
      return 3;
    },
    recordPushResults: (results) => void calls.push(`recordPushResults ${results.length}`),
    applyPull: (page) => {
      cursor = page.nextCursor;
      calls.push(`applyPull ${page.nextCursor}`);
    },
    cursorState: () => ({ cursor, bootstrapped: false, progress: null, lastSyncAt: null }),
    setCursorState: (patch) => void calls.push(`setCursorState ${JSON.stringify(patch)}`),
    resetForRebootstrap: () => void calls.push('resetForRebootstrap'),
    counterRemaining: (counter, scope) => {
      calls.push(`counterRemaining ${counter} ${scope}`);
      return 7;
    },
    addCounterBlock: (lease) => void calls.push(`addCounterBlock ${lease.counter}`),
    setReadOnly: (reason) => void calls.push(`setReadOnly ${reason}`),
  };
}

describe('observeSyncStore', () => {
  it('calls the hooks after the store has recorded push results and applied a pull page', () => {
    const calls: string[] = [];
    const store = recordingStore(calls);
    const observed = observeSyncStore(store, {
      afterPush: (results) => calls.push(`afterPush ${results.length}`),
      afterPull: (page, applyMs) => {
        calls.push(`afterPull ${page.nextCursor} cursor=${store.cursorState().cursor}`);
        expect(applyMs).toBeGreaterThanOrEqual(0);
      },
    });
    observed.recordPushResults([{} as GroupResult, {} as GroupResult]);
    observed.applyPull({ nextCursor: 42 } as PullResponse);
    expect(calls).toEqual(['recordPushResults 2', 'afterPush 2', 'applyPull 42', 'afterPull 42 cursor=42']);
  });

  it('passes every other call straight to the store, and works without hooks', () => {
    const calls: string[] = [];
    const observed = observeSyncStore(recordingStore(calls), {});
    expect(observed.pendingGroups(100)).toEqual([]);
    expect(observed.pendingCount()).toBe(3);
    observed.setCursorState({ bootstrapped: true });
    observed.resetForRebootstrap();
    expect(observed.counterRemaining('queue_token', '2026-12-07')).toBe(7);
    observed.addCounterBlock({ counter: 'patient_code' } as Parameters<SyncStore['addCounterBlock']>[0]);
    observed.setReadOnly('licence_lapsed');
    observed.recordPushResults([]);
    observed.applyPull({ nextCursor: 1 } as PullResponse);
    expect(calls).toEqual([
      'pendingGroups 100',
      'pendingCount',
      'setCursorState {"bootstrapped":true}',
      'resetForRebootstrap',
      'counterRemaining queue_token 2026-12-07',
      'addCounterBlock patient_code',
      'setReadOnly licence_lapsed',
      'recordPushResults 0',
      'applyPull 1',
    ]);
  });
});
