import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalStore } from './local-store';
import {
  change,
  countRows,
  makeTempDir,
  openReadyStore,
  patientInput,
  pullPage,
  reception,
  serverPatient,
  uuid,
} from './test-support';

let temp: ReturnType<typeof makeTempDir>;
let file: string;
let store: LocalStore;
beforeEach(async () => {
  temp = makeTempDir();
  file = join(temp.dir, 'clinic.sqlite');
  store = await openReadyStore(file);
});
afterEach(async () => {
  await store.close();
  temp.cleanup();
});

describe('store.setSyncState', () => {
  it('persists times, the last error and first-sync progress across restarts', async () => {
    store.setSyncState({
      lastSyncAt: '2026-03-14T09:00:00.000Z',
      lastError: {
        kind: 'server',
        code: 'RATE_LIMITED',
        message: 'Slow down',
        at: '2026-03-14T09:29:00.000Z',
      },
      bootstrap: { status: 'running', rowsDone: 4000, rowsTotal: 120000 },
      cursor: 4000,
    });
    await store.close();
    store = await openReadyStore(file);
    expect(store.syncState()).toEqual({
      cursor: 4000,
      ackSeq: 0,
      lastSeq: 0,
      lastPushAt: null,
      lastPullAt: null,
      lastSyncAt: '2026-03-14T09:00:00.000Z',
      lastError: {
        kind: 'server',
        code: 'RATE_LIMITED',
        message: 'Slow down',
        at: '2026-03-14T09:29:00.000Z',
      },
      bootstrap: { status: 'running', rowsDone: 4000, rowsTotal: 120000 },
      readOnly: null,
    });
    store.setSyncState({ lastError: null });
    expect(store.syncState().lastError).toBeNull();
    expect(() => store.setSyncState({ cursor: -1 })).toThrow(RangeError);
  });
});

describe('store.resetForRebootstrap', () => {
  it('clears pulled rows and the cursor but keeps the outbox, the inbox and rows with pending edits', () => {
    store.applyPull(
      pullPage([
        change(1, 'patients', serverPatient(uuid(1), 1)),
        change(2, 'patients', serverPatient(uuid(2), 1, { firstName: 'Kiran' })),
      ]),
    );
    store.write(reception, (w) => w.update('patient', uuid(2), { city: 'Wai' }));
    const refused = store.write(reception, (w) => w.create('patient', patientInput(uuid(3)))).group;
    const pending = store.write(reception, (w) => w.create('patient', patientInput(uuid(4)))).group;
    if (refused === null || pending === null) throw new Error('groups');
    store.recordPushResults([
      {
        mutationId: refused.mutationId,
        seq: refused.seq,
        status: 'refused',
        code: 'FORBIDDEN',
        message: 'No',
      },
    ]);

    const report = store.resetForRebootstrap();

    expect(report).toEqual({ removedRows: 2, keptRows: 2 });
    expect(store.syncState()).toMatchObject({
      cursor: 0,
      lastSeq: 3,
      bootstrap: { status: 'pending', rowsDone: 0 },
    });
    expect(store.pendingGroups(10).map((group) => group.seq)).toEqual([1, 3]);
    expect(store.inbox().map((item) => item.id)).toEqual([refused.mutationId]);
    expect(store.patients.byId(uuid(1))).toBeNull();
    expect(store.searchPatients('Ravi')).toEqual([]);
    expect(store.patients.byId(uuid(2))).toMatchObject({ version: 0, city: 'Wai' });
    expect(store.patients.byId(uuid(4))).not.toBeNull();

    // The snapshot brings the server rows back; the pending edit stays on top.
    store.applyPull(
      pullPage([
        change(1, 'patients', serverPatient(uuid(1), 1)),
        change(2, 'patients', serverPatient(uuid(2), 1, { firstName: 'Kiran', city: 'Pune' })),
      ]),
    );
    expect(countRows(store, 'patients')).toBe(3);
    expect(store.patients.byId(uuid(2))).toMatchObject({ version: 1, city: 'Wai' });
    expect(store.write(reception, (w) => w.create('patient', patientInput(uuid(5)))).group?.seq).toBe(4);
  });
});

describe('the cursor state for the sync engine', () => {
  it('tracks a first sync through the engine’s port and the pages themselves', () => {
    expect(store.cursorState()).toEqual({ cursor: 0, bootstrapped: false, progress: null, lastSyncAt: null });
    store.applyPull(
      pullPage([change(1, 'patient', serverPatient(uuid(1), 1))], { hasMore: true, remaining: 2 }),
    );
    expect(store.cursorState()).toEqual({
      cursor: 1,
      bootstrapped: false,
      progress: { done: 1, total: 3 },
      lastSyncAt: null,
    });
    store.setCursorState({ progress: { done: 1, total: 3 } });
    store.applyPull(
      pullPage(
        [change(2, 'patient', serverPatient(uuid(2), 1)), change(3, 'patient', serverPatient(uuid(3), 1))],
        {
          remaining: 0,
        },
      ),
    );
    store.setCursorState({ bootstrapped: true, progress: null, lastSyncAt: '2026-03-14T09:31:00.000Z' });
    expect(store.cursorState()).toEqual({
      cursor: 3,
      bootstrapped: true,
      progress: null,
      lastSyncAt: '2026-03-14T09:31:00.000Z',
    });
    store.setCursorState({ cursor: 0, bootstrapped: false, progress: null });
    expect(store.cursorState()).toMatchObject({ cursor: 0, bootstrapped: false, progress: null });
  });
});
