import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inClinic } from '../plugins/tenancy.plugin';
import { createTestDatabase, insertClinic, type TestDatabase } from '../testing/test-database';
import type { DB } from './tables';

// The change log as the database keeps it (DESIGN §5): every insert or update of a synced table
// moves the row's single entry to the clinic's next sequence number, gapless and in commit order.

let tdb: TestDatabase;
const clinicA = randomUUID();
const clinicB = randomUUID();

async function seedClinic(id: string, code: string) {
  await insertClinic(tdb.db.owner, { id, code, slug: code.toLowerCase(), name: code });
}

function staff(clinicId: string, name: string) {
  return {
    clinic_id: clinicId,
    id: randomUUID(),
    username: `${name}-${randomUUID().slice(0, 8)}`,
    display_name: name,
    role: 'receptionist' as const,
    password_hash: null,
  };
}

async function lastSeq(clinicId: string): Promise<number> {
  const row = await tdb.db.owner
    .selectFrom('clinic_sync_state')
    .select('last_seq')
    .where('clinic_id', '=', clinicId)
    .executeTakeFirst();
  return Number(row?.last_seq ?? 0);
}

async function entries(db: Kysely<DB>, clinicId: string, ids: readonly string[]) {
  const rows = await db
    .selectFrom('change_log')
    .select(['row_id', 'seq', 'entity', 'version', 'deleted'])
    .where('clinic_id', '=', clinicId)
    .where('row_id', 'in', ids)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ ...r, seq: Number(r.seq), version: Number(r.version) }));
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  await seedClinic(clinicA, 'LOGA');
  await seedClinic(clinicB, 'LOGB');
});
afterAll(async () => {
  await tdb?.drop();
});

describe('change log', () => {
  it('numbers the rows of one multi-row insert consecutively, in the order they were inserted', async () => {
    const before = await lastSeq(clinicA);
    const rows = ['asha', 'bela', 'chitra', 'devi'].map((name) => staff(clinicA, name));
    await inClinic(tdb.db.app, clinicA, (trx) => trx.insertInto('users').values(rows).execute());

    expect(await lastSeq(clinicA)).toBe(before + 4);
    expect(
      await entries(
        tdb.db.owner,
        clinicA,
        rows.map((r) => r.id),
      ),
    ).toEqual(
      rows.map((r, i) => ({
        row_id: r.id,
        seq: before + 1 + i,
        entity: 'users',
        version: 1,
        deleted: false,
      })),
    );
  });

  it('gives each clinic its own gapless block when one statement inserts rows of two clinics', async () => {
    const beforeA = await lastSeq(clinicA);
    const beforeB = await lastSeq(clinicB);
    const rows = [staff(clinicA, 'a1'), staff(clinicB, 'b1'), staff(clinicA, 'a2'), staff(clinicB, 'b2')];
    await tdb.db.owner.insertInto('users').values(rows).execute();

    const seqs = async (clinicId: string) =>
      (
        await entries(
          tdb.db.owner,
          clinicId,
          rows.map((r) => r.id),
        )
      ).map((e) => [e.row_id, e.seq]);
    expect(await seqs(clinicA)).toEqual([
      [rows[0]?.id, beforeA + 1],
      [rows[2]?.id, beforeA + 2],
    ]);
    expect(await seqs(clinicB)).toEqual([
      [rows[1]?.id, beforeB + 1],
      [rows[3]?.id, beforeB + 2],
    ]);
  });

  it('moves an updated row to the next number and keeps one entry for it', async () => {
    const [first, second] = [staff(clinicA, 'edit1'), staff(clinicA, 'edit2')];
    await inClinic(tdb.db.app, clinicA, (trx) => trx.insertInto('users').values([first, second]).execute());
    const before = await lastSeq(clinicA);
    await inClinic(tdb.db.app, clinicA, (trx) =>
      trx.updateTable('users').set({ display_name: 'Edited' }).where('id', '=', first.id).execute(),
    );

    expect(await lastSeq(clinicA)).toBe(before + 1);
    expect(await entries(tdb.db.owner, clinicA, [first.id, second.id])).toEqual([
      { row_id: second.id, seq: before, entity: 'users', version: 1, deleted: false },
      { row_id: first.id, seq: before + 1, entity: 'users', version: 2, deleted: false },
    ]);
  });

  it('leaves no gap when a transaction that inserted rows rolls back', async () => {
    const before = await lastSeq(clinicA);
    await expect(
      inClinic(tdb.db.app, clinicA, async (trx) => {
        await trx
          .insertInto('users')
          .values([staff(clinicA, 'gone1'), staff(clinicA, 'gone2')])
          .execute();
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await lastSeq(clinicA)).toBe(before);

    const kept = staff(clinicA, 'kept');
    await inClinic(tdb.db.app, clinicA, (trx) => trx.insertInto('users').values(kept).execute());
    expect((await entries(tdb.db.owner, clinicA, [kept.id]))[0]?.seq).toBe(before + 1);
  });

  it('moves the entry of a row inserted again under an id that has one, and logs the rest of the statement', async () => {
    // Rows are never deleted for good by the product; an operator's DELETE and a later insert of
    // the same id must still leave one entry per row, at the new numbers.
    const again = staff(clinicA, 'again');
    await inClinic(tdb.db.app, clinicA, (trx) => trx.insertInto('users').values(again).execute());
    await tdb.db.owner.deleteFrom('users').where('id', '=', again.id).execute();
    const fresh = staff(clinicA, 'fresh');
    const before = await lastSeq(clinicA);
    await inClinic(tdb.db.app, clinicA, (trx) => trx.insertInto('users').values([again, fresh]).execute());

    expect(await lastSeq(clinicA)).toBe(before + 2);
    expect(await entries(tdb.db.owner, clinicA, [again.id, fresh.id])).toEqual([
      { row_id: again.id, seq: before + 1, entity: 'users', version: 1, deleted: false },
      { row_id: fresh.id, seq: before + 2, entity: 'users', version: 1, deleted: false },
    ]);
  });

  it('logs nothing for an insert of no rows', async () => {
    const before = await lastSeq(clinicA);
    await inClinic(tdb.db.app, clinicA, (trx) =>
      sql`INSERT INTO users (clinic_id, id, username, display_name, role)
          SELECT clinic_id, id, username, display_name, role FROM users WHERE false`.execute(trx),
    );
    expect(await lastSeq(clinicA)).toBe(before);
  });
});
