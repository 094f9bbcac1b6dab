import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalStore } from './local-store';
import {
  LocalRowNotFoundError,
  LocalStoreReadOnlyError,
  LocalWriteValidationError,
} from './local-store.errors';
import {
  countRows,
  fakeClock,
  makeTempDir,
  openReadyStore,
  patientInput,
  reception,
  testIds,
  uuid,
} from './test-support';

let temp: ReturnType<typeof makeTempDir>;
let file: string;
let clock: ReturnType<typeof fakeClock>;
let store: LocalStore;
beforeEach(async () => {
  temp = makeTempDir();
  file = join(temp.dir, 'clinic.sqlite');
  clock = fakeClock();
  store = await openReadyStore(file, { now: clock.now });
});
afterEach(async () => {
  await store.close();
  temp.cleanup();
});

const seqs = () => store.pendingGroups(100).map((group) => group.seq);

describe('store.write', () => {
  it('commits the row and one outbox group for the whole call, in the push format', () => {
    const { value, group } = store.write(reception, (w) => {
      const patient = w.create('patient', patientInput(uuid(1)));
      w.create('visit', {
        id: uuid(2),
        patientId: patient.id,
        doctorId: testIds.doctor,
        visitDate: '2026-03-14',
        checkedInAt: clock.now().toISOString(),
      });
      return patient;
    });

    expect(value).toMatchObject({ id: uuid(1), clinicId: testIds.clinic, version: 0, deletedAt: null });
    expect(store.get('patient', uuid(1))).toEqual(value);
    expect(group).toEqual({
      mutationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      seq: 1,
      createdAt: '2026-03-14T09:30:00.000Z',
      ops: [
        {
          op: 'create',
          entity: 'patient',
          id: uuid(1),
          data: expect.objectContaining({ firstName: 'Asha' }),
        },
        { op: 'create', entity: 'visit', id: uuid(2), data: expect.objectContaining({ status: 'waiting' }) },
      ],
    });
    expect(store.pendingGroups(10)).toEqual([group]);
    expect(store.pendingCreateCount('patient')).toBe(1);
  });

  it('sends the whole validated input on create, defaults filled in', () => {
    const { group } = store.write(reception, (w) => w.create('patient', patientInput(uuid(1))));
    const op = group?.ops[0];
    expect(op?.op === 'create' && op.data).toEqual({
      id: uuid(1),
      patientCode: 'PT-SKH-2026-0001',
      firstName: 'Asha',
      lastName: 'Patil',
      dateOfBirth: '1990-04-12',
      ageYears: null,
      sex: 'female',
      phone: '+919876543210',
      altPhone: null,
      email: null,
      address: null,
      city: null,
      bloodGroup: null,
      allergies: null,
      weightKg: null,
      status: 'registered',
      registeredBy: testIds.receptionist,
    });
  });

  it('leaves neither rows nor an outbox entry when the callback throws after writing', () => {
    expect(() =>
      store.write(reception, (w) => {
        w.create('patient', patientInput(uuid(1)));
        throw new Error('printer on fire');
      }),
    ).toThrow('printer on fire');
    expect(countRows(store, 'patients')).toBe(0);
    expect(store.pendingCount()).toBe(0);
    expect(store.syncState().lastSeq).toBe(0);
  });

  it('refuses invalid input with a typed error and keeps nothing of the write', () => {
    const error = (() => {
      try {
        store.write(reception, (w) => {
          w.create('patient', patientInput(uuid(1)));
          w.create('patient', patientInput(uuid(2), { dateOfBirth: null, phone: '98765' }));
        });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(LocalWriteValidationError);
    expect(error).toMatchObject({ entity: 'patient', op: 'create', id: uuid(2) });
    expect((error as LocalWriteValidationError).issues.map((issue) => issue.path[0])).toEqual(
      expect.arrayContaining(['phone', 'dateOfBirth']),
    );
    expect(countRows(store, 'patients')).toBe(0);
    expect(store.pendingCount()).toBe(0);
  });

  it('hands out gapless seqs that continue after reopening', async () => {
    store.write(reception, (w) => w.create('patient', patientInput(uuid(1))));
    expect(() =>
      store.write(reception, (w) => {
        w.create('patient', patientInput(uuid(2)));
        throw new Error('abandoned');
      }),
    ).toThrow();
    store.write(reception, (w) => w.create('patient', patientInput(uuid(3))));
    await store.close();

    store = await openReadyStore(file, { now: clock.now });
    store.write(reception, (w) => w.create('patient', patientInput(uuid(4))));
    expect(seqs()).toEqual([1, 2, 3]);
  });

  it('records only the fields that changed, with their previous values', () => {
    store.write(reception, (w) => w.create('patient', patientInput(uuid(1))));
    clock.advance(60_000);
    const { value, group } = store.write(reception, (w) =>
      w.update('patient', uuid(1), { firstName: 'Asha', city: 'Pune', phone: '+919876500000' }),
    );
    expect(group?.ops).toEqual([
      {
        op: 'update',
        entity: 'patient',
        id: uuid(1),
        changed: { city: 'Pune', phone: '+919876500000' },
        before: { city: null, phone: '+919876543210' },
      },
    ]);
    expect(value).toMatchObject({ city: 'Pune', updatedAt: '2026-03-14T09:31:00.000Z' });
    expect(store.get('patient', uuid(1))).toEqual(value);
  });

  it("carries the user's reason for an edit in the outbox, trimmed, and none when none was given", () => {
    store.write(reception, (w) => w.create('patient', patientInput(uuid(1))));
    const { group } = store.write(reception, (w) =>
      w.update('patient', uuid(1), { lastName: 'Sharma' }, { reason: '  Spelling on the Aadhaar card ' }),
    );
    expect(group?.ops).toEqual([
      expect.objectContaining({
        op: 'update',
        changed: { lastName: 'Sharma' },
        reason: 'Spelling on the Aadhaar card',
      }),
    ]);
    expect(store.pendingGroups(10).at(-1)?.ops[0]).toMatchObject({ reason: 'Spelling on the Aadhaar card' });
    const blank = store.write(reception, (w) =>
      w.update('patient', uuid(1), { city: 'Pune' }, { reason: '  ' }),
    );
    const plain = store.write(reception, (w) => w.update('patient', uuid(1), { city: 'Nashik' }));
    for (const { group: g } of [blank, plain]) expect(g?.ops[0] && 'reason' in g.ops[0]).toBe(false);
  });

  it('compares JSON fields by value, whatever their key order', () => {
    const pattern = { morning: 1, afternoon: 0, evening: 1, night: 0 };
    store.write(reception, (w) =>
      w.create('medicine', { id: uuid(5), name: 'Paracetamol', type: 'tablet', defaultDosePattern: pattern }),
    );
    const same = store.write(reception, (w) =>
      w.update('medicine', uuid(5), {
        defaultDosePattern: { night: 0, evening: 1, afternoon: 0, morning: 1 },
      }),
    );
    expect(same.group).toBeNull();
    const changed = store.write(reception, (w) =>
      w.update('medicine', uuid(5), { defaultDosePattern: 'sos' }),
    );
    expect(changed.group?.ops).toEqual([
      {
        op: 'update',
        entity: 'medicine',
        id: uuid(5),
        changed: { defaultDosePattern: 'sos' },
        before: { defaultDosePattern: pattern },
      },
    ]);
    expect(store.get('medicine', uuid(5))?.defaultDosePattern).toBe('sos');
    expect(store.get('medicine', uuid(5))?.isActive).toBe(true);
  });

  it('makes no outbox group for a write that changes nothing', () => {
    store.write(reception, (w) => w.create('patient', patientInput(uuid(1))));
    const { group } = store.write(reception, (w) => w.update('patient', uuid(1), { firstName: 'Asha' }));
    expect(group).toBeNull();
    expect(seqs()).toEqual([1]);
  });

  it('validates the merged record on update (date of birth or age)', () => {
    store.write(reception, (w) => w.create('patient', patientInput(uuid(1))));
    expect(() => store.write(reception, (w) => w.update('patient', uuid(1), { dateOfBirth: null }))).toThrow(
      LocalWriteValidationError,
    );
    expect(() =>
      store.write(reception, (w) => w.update('patient', uuid(1), { firstName: 'X', nickname: 'A' } as never)),
    ).toThrow(/nickname/);
    expect(store.get('patient', uuid(1))?.dateOfBirth).toBe('1990-04-12');
    expect(seqs()).toEqual([1]);
  });

  it('soft-deletes, and refuses to update or delete a row it does not have', () => {
    store.write(reception, (w) => w.create('patient', patientInput(uuid(1))));
    const { group } = store.write(reception, (w) => w.delete('patient', uuid(1)));
    expect(group?.ops).toEqual([{ op: 'delete', entity: 'patient', id: uuid(1) }]);
    expect(store.get('patient', uuid(1))).toBeNull();
    expect(store.write(reception, (w) => w.delete('patient', uuid(1))).group).toBeNull();
    expect(() => store.write(reception, (w) => w.update('patient', uuid(1), { city: 'Pune' }))).toThrow(
      LocalRowNotFoundError,
    );
    expect(() => store.write(reception, (w) => w.delete('visit', uuid(9)))).toThrow(LocalRowNotFoundError);
  });

  it('names entities by their registry key on the wire', () => {
    const { group } = store.write(reception, (w) =>
      w.create('labTest', {
        id: uuid(6),
        name: 'Haemoglobin',
        category: 'blood',
        referenceRanges: [{ low: 12 }],
      }),
    );
    expect(group?.ops[0]).toMatchObject({ entity: 'labTest' });
    expect(store.get('labTest', uuid(6))?.referenceRanges).toEqual([{ low: 12 }]);
  });

  it('refuses asynchronous callbacks and nested writes, rolling back', () => {
    expect(() =>
      store.write(reception, async (w) => {
        w.create('patient', patientInput(uuid(1)));
      }),
    ).toThrow(/synchronous/);
    expect(() =>
      store.write(reception, () => store.write(reception, (w) => w.create('patient', patientInput(uuid(2))))),
    ).toThrow(/inside another transaction/);
    expect(countRows(store, 'patients')).toBe(0);
  });
});

describe('read-only mode', () => {
  it('refuses writes with a clear error until the engine lifts it, even across restarts', async () => {
    store.setReadOnly('licence lease expired on 2026-03-10');
    const attempt = () => store.write(reception, (w) => w.create('patient', patientInput(uuid(1))));
    expect(attempt).toThrow(LocalStoreReadOnlyError);
    expect(attempt).toThrow(/read-only.*licence lease expired/);
    await store.close();

    store = await openReadyStore(file, { now: clock.now });
    expect(store.readOnly()).toEqual({
      reason: 'licence lease expired on 2026-03-10',
      since: '2026-03-14T09:30:00.000Z',
    });
    expect(attempt).toThrow(LocalStoreReadOnlyError);
    expect(countRows(store, 'patients')).toBe(0);

    store.setReadOnly(null);
    expect(attempt().group?.seq).toBe(1);
  });
});

describe('a full disk during a write', () => {
  it('rolls the write back and keeps the outbox and its seq intact', () => {
    store.write(reception, (w) => w.create('patient', patientInput(uuid(1))));
    const pages = store.sqlite.pragma('page_count', { simple: true });
    store.sqlite.pragma(`max_page_count = ${Number(pages)}`);

    const many = () =>
      store.write(reception, (w) => {
        for (let n = 0; n < 400; n++)
          w.create('patient', patientInput(uuid(100 + n), { allergies: 'x'.repeat(900) }));
      });
    expect(many).toThrow(expect.objectContaining({ code: 'SQLITE_FULL' }));

    expect(countRows(store, 'patients')).toBe(1);
    expect(seqs()).toEqual([1]);
    expect(store.syncState().lastSeq).toBe(1);
    store.sqlite.pragma('max_page_count = 1073741823');
    expect(store.write(reception, (w) => w.create('patient', patientInput(uuid(2)))).group?.seq).toBe(2);
  });
});
