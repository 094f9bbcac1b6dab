import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalStore } from './local-store';
import { LocalStoreReadOnlyError, LocalWriteValidationError } from './local-store.errors';
import type { OutboxGroup } from './sync-messages';
import {
  change,
  fakeClock,
  makeTempDir,
  openReadyStore,
  patientInput,
  pullPage,
  reception,
  serverPatient,
  uuid,
} from './test-support';

let temp: ReturnType<typeof makeTempDir>;
let store: LocalStore;
let clock: ReturnType<typeof fakeClock>;
beforeEach(async () => {
  temp = makeTempDir();
  clock = fakeClock();
  store = await openReadyStore(join(temp.dir, 'clinic.sqlite'), { now: clock.now });
});
afterEach(async () => {
  await store.close();
  temp.cleanup();
});

function registerPatient(n: number): OutboxGroup {
  const { group } = store.write(reception, (w) =>
    w.create('patient', patientInput(uuid(n), { firstName: `P${n}` })),
  );
  if (group === null) throw new Error('expected a group');
  return group;
}

const refusal = (group: OutboxGroup, code = 'CAPACITY_EXCEEDED') =>
  ({
    mutationId: group.mutationId,
    seq: group.seq,
    status: 'refused',
    code,
    message: 'The clinic has reached its limit of 500 patients',
    details: { limit: 500, used: 500 },
  }) as const;

describe('the outbox for the sync engine', () => {
  it('hands out the oldest groups first, up to the limit', () => {
    const groups = [1, 2, 3].map(registerPatient);
    expect(store.pendingGroups(2)).toEqual(groups.slice(0, 2));
    expect(store.pendingCount()).toBe(3);
    expect(store.pendingCreateCount('patient')).toBe(3);
    expect(store.pendingCreateCount('visit')).toBe(0);
  });

  it('hands out no more groups than fit in the bytes asked for, but always the oldest', () => {
    const groups = [1, 2, 3, 4].map(
      (n) =>
        store.write(reception, (w) =>
          w.create('patient', patientInput(uuid(n), { firstName: `P${n}`, address: 'x'.repeat(n * 100) })),
        ).group,
    );
    const sizes = groups.map((group) => Buffer.byteLength(JSON.stringify(group?.ops)));
    const firstTwo = (sizes[0] ?? 0) + (sizes[1] ?? 0);
    expect(store.pendingGroups(10, firstTwo)).toEqual(groups.slice(0, 2));
    expect(store.pendingGroups(10, firstTwo - 1)).toEqual(groups.slice(0, 1));
    // The oldest goes alone even when it is larger than asked for: the queue must move.
    expect(store.pendingGroups(10, 1)).toEqual(groups.slice(0, 1));
    expect(store.pendingGroups(3, Number.POSITIVE_INFINITY)).toEqual(groups.slice(0, 3));
    expect(store.pendingGroups(10)).toEqual(groups);
    // Groups already on their way are skipped; the budget counts from the first group handed out.
    const seqs = groups.map((group) => group?.seq ?? 0);
    expect(store.pendingGroups(10, undefined, seqs[1])).toEqual(groups.slice(2));
    expect(store.pendingGroups(10, sizes[2], seqs[1])).toEqual(groups.slice(2, 3));
    expect(store.pendingGroups(10, undefined, seqs[3])).toEqual([]);
  });

  it('removes applied groups together, each once, and their seqs for the notices', () => {
    const groups = [1, 2, 3].map(
      (n) =>
        store.write(reception, (w) => w.create('patient', patientInput(uuid(n), { firstName: `P${n}` })))
          .group,
    );
    const applied = (n: number) => ({
      mutationId: groups[n]?.mutationId ?? '',
      seq: groups[n]?.seq ?? 0,
      status: 'applied' as const,
    });
    const outcome = store.recordPushResults([
      { ...applied(0), code: 'CODE_REASSIGNED', message: 'Patient code replaced' },
      applied(2),
      applied(2),
    ]);
    expect(outcome).toMatchObject({ applied: 2, ignored: 1, refused: 0 });
    expect(outcome.notices).toEqual([
      {
        mutationId: groups[0]?.mutationId,
        seq: groups[0]?.seq,
        code: 'CODE_REASSIGNED',
        message: 'Patient code replaced',
      },
    ]);
    expect(store.pendingGroups(10)).toEqual([groups[1]]);
  });
});

describe('store.recordPushResults', () => {
  it('records decisions without waiting for the disk; local writes and everything after wait for it', async () => {
    // The store reads its clock inside each transaction: this one notes the connection's mode then.
    const FULL = 2;
    const NORMAL = 1;
    const modes: number[] = [];
    let failing = false;
    let watched: LocalStore | null = null;
    const synchronous = () => Number(watched?.sqlite.pragma('synchronous', { simple: true }));
    watched = await openReadyStore(join(temp.dir, 'modes.sqlite'), {
      now: () => {
        if (watched) modes.push(synchronous());
        if (failing) throw new Error('clock failed');
        return clock.now();
      },
    });
    try {
      const { group } = watched.write(reception, (w) => w.create('patient', patientInput(uuid(9))));
      if (group === null) throw new Error('expected a group');
      expect(modes.length).toBeGreaterThan(0);
      expect(new Set(modes)).toEqual(new Set([FULL]));

      modes.length = 0;
      const applied = { mutationId: group.mutationId, seq: group.seq, status: 'applied' } as const;
      expect(watched.recordPushResults([applied], { ackSeq: group.seq }).applied).toBe(1);
      expect(modes.length).toBeGreaterThan(0);
      expect(new Set(modes)).toEqual(new Set([NORMAL]));
      expect(synchronous()).toBe(FULL);

      // A recording that fails leaves the connection waiting for the disk as well.
      failing = true;
      expect(() => watched?.recordPushResults([applied])).toThrow('clock failed');
      failing = false;
      expect(synchronous()).toBe(FULL);
    } finally {
      await watched.close();
    }
  });

  it('drops applied groups and moves refused ones to the inbox with the full record', () => {
    const [first, second, third] = [1, 2, 3].map(registerPatient);
    if (first === undefined || second === undefined || third === undefined) throw new Error('groups');
    clock.advance(5_000);

    const outcome = store.recordPushResults(
      [
        { mutationId: first.mutationId, seq: 1, status: 'applied' },
        refusal(second),
        { mutationId: third.mutationId, seq: 3, status: 'duplicate' },
      ],
      { ackSeq: 3 },
    );

    expect(outcome).toEqual({ applied: 2, refused: 1, ignored: 0, notices: [] });
    expect(store.pendingCount()).toBe(0);
    expect(store.syncState()).toMatchObject({ ackSeq: 3, lastPushAt: '2026-03-14T09:30:05.000Z' });
    expect(store.inbox()).toEqual([
      {
        id: second.mutationId,
        seq: 2,
        code: 'CAPACITY_EXCEEDED',
        message: 'The clinic has reached its limit of 500 patients',
        details: { limit: 500, used: 500 },
        ops: second.ops,
        rows: [{ entity: 'patient', id: uuid(2) }],
        actorId: reception.userId,
        createdAt: '2026-03-14T09:30:00.000Z',
        receivedAt: '2026-03-14T09:30:05.000Z',
        resolvedAt: null,
        resolution: null,
        resubmittedAs: null,
      },
    ]);
    // Nothing is dropped silently: the refused patient stays as typed, flagged by the inbox…
    expect(store.patients.byId(uuid(2))?.firstName).toBe('P2');
    // …until the user lets the refusal go: the server never had it, so it leaves the tables.
    store.resolveInboxItem(second.mutationId);
    expect(store.patients.byId(uuid(2))).toBeNull();
    expect(store.inbox({ includeResolved: true })[0]?.ops).toEqual(second.ops);
    expect(store.patients.byId(uuid(1))?.firstName).toBe('P1');
  });

  it('gives a row a refused edit or deletion touched back to the server copy on the next pull', () => {
    store.applyPull(
      pullPage([
        change(1, 'patients', serverPatient(uuid(1), 3, { city: 'Pune' })),
        change(2, 'patients', serverPatient(uuid(2), 2)),
      ]),
    );
    const edit = store.write(reception, (w) =>
      w.update('patient', uuid(1), { firstName: 'Rafi', city: 'Wai' }),
    );
    const removal = store.write(reception, (w) => w.delete('patient', uuid(2)));
    const later = store.write(reception, (w) => w.update('patient', uuid(1), { phone: '+919822012345' }));
    if (edit.group === null || removal.group === null || later.group === null) throw new Error('groups');

    store.recordPushResults([refusal(edit.group, 'CONFLICT'), refusal(removal.group, 'FORBIDDEN')]);
    // Marked as not synced until the server's copy arrives; what was typed is still in the inbox.
    expect(store.patients.byId(uuid(1))).toMatchObject({ version: 0 });
    expect(store.inbox().map((item) => item.code)).toEqual(['CONFLICT', 'FORBIDDEN']);

    // The server logs the rows of a refused group again, at their unchanged versions.
    store.applyPull(
      pullPage(
        [
          change(3, 'patients', serverPatient(uuid(1), 3, { city: 'Pune' })),
          change(4, 'patients', serverPatient(uuid(2), 2)),
        ],
        { nextCursor: 4 },
      ),
    );
    // The refused edit is gone, the later pending edit is kept on top, the deleted patient is back.
    expect(store.patients.byId(uuid(1))).toMatchObject({
      version: 3,
      firstName: 'Ravi',
      city: 'Pune',
      phone: '+919822012345',
    });
    expect(store.patients.byId(uuid(2))).toMatchObject({ version: 2, deletedAt: null });
    expect(store.pendingGroups(10).map((group) => group.mutationId)).toEqual([later.group.mutationId]);
  });

  it('treats a duplicate carrying a code as the refusal it was, and ignores repeated decisions', () => {
    const group = registerPatient(1);
    const duplicate = {
      mutationId: group.mutationId,
      seq: 1,
      status: 'duplicate',
      code: 'FORBIDDEN',
      message: 'No',
    } as const;
    expect(store.recordPushResults([duplicate]).refused).toBe(1);
    expect(store.recordPushResults([duplicate])).toMatchObject({ refused: 0, ignored: 1 });
    expect(store.inbox().map((item) => item.code)).toEqual(['FORBIDDEN']);
  });

  it('applies the rows the server recorded, e.g. a reassigned patient code, and reports the notice', () => {
    const group = registerPatient(1);
    store.write(reception, (w) => w.update('patient', uuid(1), { city: 'Wai' }));
    const recorded = serverPatient(uuid(1), 1, {
      firstName: 'P1',
      patientCode: 'PT-SKH-2026-0777',
      city: null,
    });
    const outcome = store.recordPushResults([
      {
        mutationId: group.mutationId,
        seq: 1,
        status: 'applied',
        code: 'CODE_REASSIGNED',
        message: 'Patient code was taken; assigned PT-SKH-2026-0777',
        changes: [change(10, 'patient', recorded, 'create')],
      },
    ]);
    expect(outcome.notices).toEqual([
      {
        mutationId: group.mutationId,
        seq: 1,
        code: 'CODE_REASSIGNED',
        message: 'Patient code was taken; assigned PT-SKH-2026-0777',
      },
    ]);
    // The server's code, with the still-pending local edit on top.
    expect(store.patients.byId(uuid(1))).toMatchObject({
      version: 1,
      patientCode: 'PT-SKH-2026-0777',
      city: 'Wai',
    });
    expect(store.pendingCount()).toBe(1);
  });

  it('records decisions a pull page carries', () => {
    const group = registerPatient(1);
    const report = store.applyPull(
      pullPage([], { decisions: [refusal(group, 'SUBSCRIPTION_INACTIVE')], ackSeq: 1 }),
    );
    expect(report.decisions.refused).toBe(1);
    expect(store.syncState().ackSeq).toBe(1);
    expect(store.inbox()[0]?.code).toBe('SUBSCRIPTION_INACTIVE');
  });
});

describe('the sync inbox', () => {
  function refuseFirst(): OutboxGroup {
    const group = registerPatient(1);
    store.recordPushResults([refusal(group)]);
    return group;
  }

  it('resubmits a refused group as a new outbox group with the next seq', () => {
    const refused = refuseFirst();
    const resubmitted = store.resubmitInboxItem(refused.mutationId);
    expect(resubmitted).toEqual({
      mutationId: expect.not.stringMatching(refused.mutationId),
      seq: 2,
      createdAt: '2026-03-14T09:30:00.000Z',
      ops: refused.ops,
    });
    expect(store.pendingGroups(10)).toEqual([resubmitted]);
    expect(store.inbox()).toEqual([]);
    expect(store.inbox({ includeResolved: true })[0]).toMatchObject({
      resolution: 'resubmitted',
      resubmittedAs: resubmitted.mutationId,
    });
    expect(() => store.resubmitInboxItem(refused.mutationId)).toThrow(/already resubmitted/);
  });

  it('resubmits fixed ops after validating them, and applies them to the local row', () => {
    const refused = refuseFirst();
    const op = refused.ops[0];
    if (op?.op !== 'create') throw new Error('expected a create');
    expect(() =>
      store.resubmitInboxItem(refused.mutationId, [{ ...op, data: { ...op.data, sex: 'robot' } }]),
    ).toThrow(LocalWriteValidationError);
    expect(store.pendingCount()).toBe(0);

    const fixed = store.resubmitInboxItem(refused.mutationId, [
      { ...op, data: { ...op.data, firstName: 'Priya' } },
    ]);
    expect(fixed.ops[0]).toMatchObject({ op: 'create', data: { firstName: 'Priya' } });
    expect(store.patients.byId(uuid(1))?.firstName).toBe('Priya');
  });

  it('refuses to resubmit while read-only', () => {
    const refused = refuseFirst();
    store.setReadOnly('subscription expired');
    expect(() => store.resubmitInboxItem(refused.mutationId)).toThrow(LocalStoreReadOnlyError);
    expect(store.inbox()).toHaveLength(1);
  });

  it('removes a dismissed refused record even when later edits of it still wait to be sent', () => {
    const refused = refuseFirst();
    const edit = store.write(reception, (w) => w.update('patient', uuid(1), { city: 'Wai' })).group;
    expect(store.resolveInboxItem(refused.mutationId)).toBe(true);
    expect(store.patients.byId(uuid(1))).toBeNull();
    // The edit is not dropped: the server will refuse it into the inbox like any other.
    expect(store.pendingGroups(10).map((group) => group.mutationId)).toEqual([edit?.mutationId]);
  });

  it('dismisses items and exports them as JSON for the user to keep', () => {
    const refused = refuseFirst();
    expect(store.resolveInboxItem(refused.mutationId)).toBe(true);
    expect(store.resolveInboxItem(refused.mutationId)).toBe(false);
    expect(store.inbox()).toEqual([]);

    const exported = JSON.parse(store.exportInbox());
    expect(exported).toMatchObject({
      format: 'clinicdesk-sync-inbox',
      exportedAt: '2026-03-14T09:30:00.000Z',
      items: [
        { id: refused.mutationId, code: 'CAPACITY_EXCEEDED', resolution: 'dismissed', ops: refused.ops },
      ],
    });
  });
});
