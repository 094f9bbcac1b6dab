import { describe, expect, it } from 'vitest';
import {
  initialSyncStatus,
  reduceSyncStatus,
  type SyncStatus,
  type SyncStatusEvent,
} from './sync-status.reducer';

const replay = (events: SyncStatusEvent[], start: SyncStatus = initialSyncStatus()) =>
  events.reduce(reduceSyncStatus, start);

describe('sync status', () => {
  it('starts offline, idle, with nothing synced yet', () => {
    expect(initialSyncStatus(3)).toEqual({
      online: false,
      syncing: false,
      pending: 3,
      lastSyncAt: null,
      lastError: null,
    });
  });

  it('follows a successful round: online, syncing, synced with the new pending count', () => {
    const status = replay([
      { type: 'online' },
      { type: 'pending-changed', pending: 4 },
      { type: 'sync-started' },
      { type: 'sync-succeeded', at: 1000, pending: 0 },
    ]);
    expect(status).toEqual({ online: true, syncing: false, pending: 0, lastSyncAt: 1000, lastError: null });
  });

  it('goes offline on a network failure and keeps the last successful sync time', () => {
    const status = replay([
      { type: 'sync-succeeded', at: 1000, pending: 0 },
      { type: 'pending-changed', pending: 2 },
      { type: 'sync-started' },
      { type: 'sync-failed', error: { kind: 'network', message: 'ECONNREFUSED', at: 2000 } },
    ]);
    expect(status).toEqual({
      online: false,
      syncing: false,
      pending: 2,
      lastSyncAt: 1000,
      lastError: { kind: 'network', message: 'ECONNREFUSED', at: 2000 },
    });
  });

  it('stays online on a server error and clears the error on the next success', () => {
    const failed = replay([
      { type: 'online' },
      { type: 'sync-failed', error: { kind: 'server', code: 'UPGRADE_REQUIRED', message: 'Update', at: 5 } },
    ]);
    expect(failed).toMatchObject({ online: true, lastError: { code: 'UPGRADE_REQUIRED' } });
    expect(reduceSyncStatus(failed, { type: 'sync-succeeded', at: 9, pending: 0 }).lastError).toBeNull();
  });

  it('an OS offline event marks the device offline without touching the rest', () => {
    const online = replay([{ type: 'sync-succeeded', at: 1000, pending: 1 }]);
    expect(reduceSyncStatus(online, { type: 'offline' })).toEqual({ ...online, online: false });
  });

  it.each<SyncStatusEvent>([
    { type: 'online' },
    { type: 'sync-started' },
    { type: 'pending-changed', pending: 2 },
  ])('returns the same object when $type changes nothing', (event) => {
    const status = replay([event]);
    expect(reduceSyncStatus(status, event)).toBe(status);
  });

  it('returns the same object for offline when already offline', () => {
    const status = initialSyncStatus();
    expect(reduceSyncStatus(status, { type: 'offline' })).toBe(status);
  });
});
