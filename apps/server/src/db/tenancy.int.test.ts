import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ROLE } from '../config';
import { inClinic } from '../plugins/tenancy.plugin';
import { createTestDatabase, insertClinic, type TestDatabase } from '../testing/test-database';

// The database wall of tenancy, checked against the live catalogue so that a table added later
// without row-level security fails here.

let tdb: TestDatabase;
const clinicA = randomUUID();
const clinicB = randomUUID();
const userA = randomUUID();
const userB = randomUUID();

async function seedClinic(id: string, code: string, userId: string) {
  await insertClinic(tdb.db.owner, { id, code, slug: code.toLowerCase(), name: code });
  await tdb.db.owner
    .insertInto('users')
    .values({
      clinic_id: id,
      id: userId,
      username: `u-${code.toLowerCase()}`,
      display_name: code,
      role: 'doctor',
      password_hash: null,
    })
    .execute();
}

beforeAll(async () => {
  tdb = await createTestDatabase({ appPoolSize: 1 });
  await seedClinic(clinicA, 'AAA', userA);
  await seedClinic(clinicB, 'BBB', userB);
});
afterAll(async () => {
  await tdb?.drop();
});

describe('row-level security catalogue', () => {
  it('forces RLS with a clinic policy on every table that has a clinic_id column', async () => {
    const { rows } = await sql<{
      table_name: string;
      rls: boolean;
      forced: boolean;
      policies: string | null;
    }>`
      SELECT c.table_name,
             cl.relrowsecurity AS rls,
             cl.relforcerowsecurity AS forced,
             (SELECT string_agg(p.qual, ' ') FROM pg_policies p
               WHERE p.tablename = c.table_name AND p.schemaname = 'public' AND ${APP_ROLE} = ANY (p.roles)) AS policies
      FROM information_schema.columns c
      JOIN pg_class cl ON cl.relname = c.table_name AND cl.relkind = 'r'
      JOIN pg_namespace n ON n.oid = cl.relnamespace AND n.nspname = 'public'
      WHERE c.table_schema = 'public' AND c.column_name = 'clinic_id'`.execute(tdb.db.owner);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    const unprotected = rows.filter(
      (r) => !r.rls || !r.forced || !r.policies?.includes('app_current_clinic()'),
    );
    expect(unprotected.map((r) => r.table_name)).toEqual([]);
  });

  it('gives every tenant table a primary key that starts with clinic_id', async () => {
    const { rows } = await sql<{ table_name: string; first_column: string }>`
      SELECT cl.relname AS table_name, a.attname AS first_column
      FROM pg_constraint con
      JOIN pg_class cl ON cl.oid = con.conrelid
      JOIN pg_namespace n ON n.oid = cl.relnamespace AND n.nspname = 'public'
      JOIN pg_attribute a ON a.attrelid = cl.oid AND a.attnum = con.conkey[1]
      WHERE con.contype = 'p'
        AND EXISTS (SELECT 1 FROM information_schema.columns c
                    WHERE c.table_schema = 'public' AND c.table_name = cl.relname AND c.column_name = 'clinic_id')`.execute(
      tdb.db.owner,
    );
    expect(rows.filter((r) => r.first_column !== 'clinic_id')).toEqual([]);
  });

  it('runs requests as a role that owns no table, is no superuser and cannot bypass RLS', async () => {
    const { rows: role } = await sql<{ rolsuper: boolean; rolbypassrls: boolean }>`
      SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = ${APP_ROLE}`.execute(tdb.db.owner);
    expect(role).toEqual([{ rolsuper: false, rolbypassrls: false }]);
    const { rows: owned } = await sql<{ relname: string }>`
      SELECT c.relname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = ${APP_ROLE}`.execute(
      tdb.db.owner,
    );
    expect(owned).toEqual([]);
    const { rows: member } = await sql<{ platform: boolean }>`
      SELECT pg_has_role(${APP_ROLE}, 'clinicdesk_platform', 'MEMBER') AS platform`.execute(tdb.db.owner);
    expect(member).toEqual([{ platform: false }]);
    const { rows: who } = await sql<{ current_user: string }>`SELECT current_user`.execute(tdb.db.app);
    expect(who[0]?.current_user).toBe(APP_ROLE);
  });
});

describe('clinic-bound transactions', () => {
  it('see nothing without a clinic', async () => {
    expect(await tdb.db.app.selectFrom('users').selectAll().execute()).toEqual([]);
    expect(await tdb.db.app.selectFrom('clinics').selectAll().execute()).toEqual([]);
    const inTx = await tdb.db.app
      .transaction()
      .execute((trx) => trx.selectFrom('users').selectAll().execute());
    expect(inTx).toEqual([]);
  });

  it("cannot read another clinic's rows even when the query names that clinic", async () => {
    const rows = await inClinic(tdb.db.app, clinicB, (trx) =>
      trx.selectFrom('users').select(['id', 'clinic_id']).where('clinic_id', '=', clinicA).execute(),
    );
    expect(rows).toEqual([]);
    const byId = await inClinic(tdb.db.app, clinicB, (trx) =>
      trx.selectFrom('users').select('id').where('id', '=', userA).execute(),
    );
    expect(byId).toEqual([]);
    const own = await inClinic(tdb.db.app, clinicB, (trx) => trx.selectFrom('users').select('id').execute());
    expect(own.map((r) => r.id)).toEqual([userB]);
  });

  it("cannot write, update or delete another clinic's rows", async () => {
    await expect(
      inClinic(tdb.db.app, clinicB, (trx) =>
        trx
          .insertInto('users')
          .values({
            clinic_id: clinicA,
            id: randomUUID(),
            username: 'intruder',
            display_name: 'x',
            role: 'admin',
            password_hash: null,
          })
          .execute(),
      ),
    ).rejects.toThrow(/row-level security/);
    const updated = await inClinic(tdb.db.app, clinicB, (trx) =>
      trx
        .updateTable('users')
        .set({ display_name: 'hacked' })
        .where('clinic_id', '=', clinicA)
        .executeTakeFirst(),
    );
    expect(Number(updated.numUpdatedRows)).toBe(0);
    const deleted = await inClinic(tdb.db.app, clinicB, (trx) =>
      trx.deleteFrom('users').where('id', '=', userA).executeTakeFirst(),
    );
    expect(Number(deleted.numDeletedRows)).toBe(0);
    const a = await tdb.db.owner
      .selectFrom('users')
      .select('display_name')
      .where('id', '=', userA)
      .executeTakeFirstOrThrow();
    expect(a.display_name).toBe('AAA');
  });

  it('leaks nothing from one request to the next on a pool of one connection', async () => {
    const a = await inClinic(tdb.db.app, clinicA, (trx) => trx.selectFrom('users').select('id').execute());
    expect(a.map((r) => r.id)).toEqual([userA]);
    // The same (only) connection, right after clinic A's transaction: nothing bound any more.
    expect(await tdb.db.app.selectFrom('users').select('id').execute()).toEqual([]);
    const b = await inClinic(tdb.db.app, clinicB, (trx) => trx.selectFrom('users').select('id').execute());
    expect(b.map((r) => r.id)).toEqual([userB]);
    // A failed clinic-A transaction leaves nothing behind either.
    await expect(
      inClinic(tdb.db.app, clinicA, async (trx) => {
        await trx.selectFrom('users').select('id').execute();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const after = await inClinic(tdb.db.app, clinicB, (trx) =>
      trx.selectFrom('users').select('id').execute(),
    );
    expect(after.map((r) => r.id)).toEqual([userB]);
  });
});

// Only PostgreSQL has a JIT compiler to turn off; the embedded database is built without one.
describe.runIf(process.env.DATABASE_URL)('connections', () => {
  it('run without JIT compilation, for requests and for the owner', async () => {
    for (const db of [tdb.db.app, tdb.db.owner]) {
      const { rows } = await sql<{ jit: string }>`SHOW jit`.execute(db);
      expect(rows[0]?.jit).toBe('off');
    }
  });
});
