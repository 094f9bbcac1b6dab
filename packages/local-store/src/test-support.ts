import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUuidv7Generator } from '@clinicdesk/domain';
import { type LocalStore, openLocalStore } from './local-store';
import type { EntityInput } from './local-writer';
import type { Actor } from './outbox';
import { type PulledChange, type PullPage, runsOfChanges } from './sync-messages';

// Helpers shared by this package's tests; not part of the public API.

/** Creates a fresh temporary directory and a function that removes it. */
export function makeTempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'clinicdesk-local-store-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Appends one outbox group the way a local write will: next seq and the entry, in one transaction. */
export async function appendOutboxGroup(store: LocalStore, ops: unknown[]): Promise<number> {
  return store.db.transaction().execute(async (trx) => {
    const { last_seq } = await trx
      .updateTable('sync_state')
      .set((eb) => ({ last_seq: eb('last_seq', '+', 1) }))
      .returning('last_seq')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('outbox')
      .values({
        group_id: randomUUID(),
        seq: last_seq,
        created_at: store.now().toISOString(),
        ops: JSON.stringify(ops),
      })
      .execute();
    return last_seq;
  });
}

/** Fixed ids the tests share. */
export const testIds = {
  clinic: '01936b2e-0000-7000-8000-000000000001',
  device: '01936b2e-0000-7000-8000-0000000000d1',
  doctor: '01936b2e-0000-7000-8000-000000000002',
  otherDoctor: '01936b2e-0000-7000-8000-000000000004',
  receptionist: '01936b2e-0000-7000-8000-000000000003',
} as const;

/** The receptionist as the acting user of local writes. */
export const reception: Actor = { userId: testIds.receptionist };

/** A clock that stands still until moved. */
export function fakeClock(start = '2026-03-14T09:30:00.000Z'): {
  now: () => Date;
  advance: (ms: number) => void;
} {
  let current = Date.parse(start);
  return {
    now: () => new Date(current),
    advance: (ms) => {
      current += ms;
    },
  };
}

/** Opens a store that is ready for local writes: identity and clinic profile (code `SKH`) set. */
export async function openReadyStore(file: string, options: { now?: () => Date } = {}): Promise<LocalStore> {
  const now = options.now ?? fakeClock().now;
  const store = await openLocalStore({
    file,
    now,
    newId: createUuidv7Generator({ now: () => now().getTime() }),
  });
  store.setIdentity({ deviceId: testIds.device, clinicId: testIds.clinic });
  store.setClinicProfile({
    id: testIds.clinic,
    code: 'SKH',
    name: 'Santkrupa Hospital',
    timezone: 'Asia/Kolkata',
  });
  return store;
}

/** A valid patient create input with `overrides`. */
export function patientInput(
  id: string,
  overrides: Partial<EntityInput<'patient'>> = {},
): EntityInput<'patient'> {
  return {
    id,
    patientCode: 'PT-SKH-2026-0001',
    firstName: 'Asha',
    lastName: 'Patil',
    dateOfBirth: '1990-04-12',
    sex: 'female',
    phone: '+919876543210',
    registeredBy: testIds.receptionist,
    ...overrides,
  };
}

/** A patient row as the server sends it in a pull (camelCase, every column). */
export function serverPatient(
  id: string,
  version: number,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id,
    clinicId: testIds.clinic,
    version,
    createdAt: '2026-03-01T08:00:00.000Z',
    updatedAt: '2026-03-01T08:00:00.000Z',
    deletedAt: null,
    patientCode: 'PT-SKH-2026-0100',
    firstName: 'Ravi',
    lastName: 'Kumar',
    dateOfBirth: null,
    ageYears: 40,
    sex: 'male',
    phone: '+919812345678',
    altPhone: null,
    email: null,
    address: null,
    city: 'Pune',
    bloodGroup: null,
    allergies: null,
    weightKg: null,
    status: 'registered',
    registeredBy: testIds.receptionist,
    ...overrides,
  };
}

/** A pulled change of `entity`. */
export function change(
  seq: number,
  entity: string,
  data: Record<string, unknown>,
  op: PulledChange['op'] = 'update',
): PulledChange {
  return { seq, entity, id: String(data.id), version: Number(data.version), op, data };
}

/** A pull page of `changes` (as runs) with a default clinic snapshot. */
export function pullPage(changes: PulledChange[], overrides: Partial<PullPage> = {}): PullPage {
  const last = changes.at(-1)?.seq ?? 0;
  return {
    runs: runsOfChanges(changes),
    hasMore: false,
    nextCursor: last,
    ackSeq: 0,
    decisions: [],
    clinic: {
      status: 'active',
      limits: { patients: 500, doctors: 5, receptionists: 5, labTechs: null },
      usage: { patients: 10, doctors: 2, receptionists: 1, labTechs: 0 },
      lease: { issuedAt: '2026-03-14T09:00:00.000Z', expiresAt: '2026-03-21T09:00:00.000Z', token: 'signed' },
    },
    ...overrides,
  };
}

/** Row counts of the outbox and a record table, to prove a write left nothing behind. */
export function countRows(store: LocalStore, table: string): number {
  return Number(store.sqlite.prepare(`SELECT count(*) FROM "${table}"`).pluck().get());
}

/** A valid UUIDv7 numbered `n`, for readable fixtures. */
export function uuid(n: number): string {
  return `01936b2e-1111-7000-8000-${n.toString(16).padStart(12, '0')}`;
}
