import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLocalStore } from './local-store';
import { LocalStoreCorruptError, LocalStoreMigrationError } from './local-store.errors';
import { LOCAL_MIGRATIONS } from './migrations/local-migrations';
import { appendOutboxGroup, makeTempDir } from './test-support';

const fixedNow = () => new Date('2026-03-14T09:30:00.000Z');
const patientOp = (n: number) => ({
  op: 'create',
  entity: 'patient',
  id: `p-${n}`,
  data: { name: `Patient ${n}` },
});

let temp: ReturnType<typeof makeTempDir>;
let file: string;
beforeEach(() => {
  temp = makeTempDir();
  file = join(temp.dir, 'clinic.sqlite');
});
afterEach(() => temp.cleanup());

/** Creates a closed database with enough outbox rows to span many pages. */
async function createPopulatedDatabase(groups: number): Promise<void> {
  const store = await openLocalStore({ file, now: fixedNow });
  for (let n = 1; n <= groups; n++)
    await appendOutboxGroup(store, [patientOp(n), { padding: 'x'.repeat(2000) }]);
  await store.close();
}

describe('openLocalStore', () => {
  it('puts the connection in WAL, synchronous FULL, foreign keys on, with a busy timeout', async () => {
    const store = await openLocalStore({ file });
    expect(store.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.sqlite.pragma('synchronous', { simple: true })).toBe(2);
    expect(store.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
    await store.close();
    expect(store.sqlite.open).toBe(false);
  });

  it('creates the sync tables once and keeps data across reopening', async () => {
    const first = await openLocalStore({ file, now: fixedNow });
    await first.db.insertInto('meta').values({ key: 'device_id', value: 'dev-1' }).execute();
    const seq = await appendOutboxGroup(first, [patientOp(1)]);
    await first.close();

    const second = await openLocalStore({ file });
    const migrations = await second.db.selectFrom('_migrations').selectAll().execute();
    expect(migrations).toEqual(
      LOCAL_MIGRATIONS.map((migration, position) => ({
        position,
        name: migration.name,
        applied_at: '2026-03-14T09:30:00.000Z',
      })),
    );
    expect(await second.db.selectFrom('meta').selectAll().execute()).toEqual([
      { key: 'device_id', value: 'dev-1' },
    ]);
    const outbox = await second.db.selectFrom('outbox').select(['seq', 'status', 'created_at']).execute();
    expect(outbox).toEqual([{ seq, status: 'pending', created_at: '2026-03-14T09:30:00.000Z' }]);
    const state = await second.db.selectFrom('sync_state').selectAll().execute();
    expect(state).toEqual([
      expect.objectContaining({
        id: 1,
        last_seq: 1,
        acked_seq: 0,
        pull_cursor: 0,
        last_push_at: null,
        last_pull_at: null,
      }),
    ]);
    await second.close();
  });

  it('enforces the outbox constraints in SQLite itself', async () => {
    const store = await openLocalStore({ file });
    const insert = (values: { group_id: string; seq: number; ops: string; status?: 'pending' | 'sent' }) =>
      store.db
        .insertInto('outbox')
        .values({ created_at: 'now', ...values })
        .execute();
    const groupId = '0190b8e5-6f3a-7cc2-9a43-3b1e6d0a1234';
    await insert({ group_id: groupId, seq: 1, ops: '[]' });
    await expect(insert({ group_id: groupId.replace('1234', '5678'), seq: 1, ops: '[]' })).rejects.toThrow(
      /UNIQUE/,
    );
    await expect(
      insert({ group_id: groupId.replace('1234', '5678'), seq: 2, ops: '{not json' }),
    ).rejects.toThrow(/CHECK/);
    const lostStatus = store.sqlite.prepare(
      "insert into outbox (group_id, seq, created_at, ops, status) values (?, 9, 'now', '[]', 'lost')",
    );
    expect(() => lostStatus.run(groupId.replace('1234', '9999'))).toThrow(/CHECK/);
    await store.close();
  });

  it('refuses a database written by a newer version with unknown migrations', async () => {
    await (await openLocalStore({ file })).close();
    const raw = new Database(file);
    raw
      .prepare(
        "insert into _migrations (position, name, applied_at) values (?, '29990101000000-future', 'x')",
      )
      .run(LOCAL_MIGRATIONS.length);
    raw.close();

    await expect(openLocalStore({ file })).rejects.toThrow(LocalStoreMigrationError);
    // The refused open released the file: a plain connection can still use it.
    const again = new Database(file);
    expect(again.prepare('select count(*) as n from _migrations').get()).toEqual({
      n: LOCAL_MIGRATIONS.length + 1,
    });
    again.close();
  });
});

describe('openLocalStore on a damaged file', () => {
  async function expectCorrupt(): Promise<LocalStoreCorruptError> {
    const error = await openLocalStore({ file }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LocalStoreCorruptError);
    return error instanceof LocalStoreCorruptError ? error : expect.unreachable();
  }

  it('reports a file that is not a database, names it, and leaves it untouched', async () => {
    writeFileSync(file, 'these are not the pages you are looking for\n'.repeat(200));
    const before = readFileSync(file);
    const error = await expectCorrupt();
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/damaged.*restore it from a backup/s);
    expect(error.problems.join()).toMatch(/SQLITE_NOTADB/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('reports garbage written over the header', async () => {
    await createPopulatedDatabase(50);
    const bytes = readFileSync(file);
    bytes.fill(0x5a, 0, 100);
    writeFileSync(file, bytes);
    await expectCorrupt();
  });

  it('reports garbage written over interior pages', async () => {
    await createPopulatedDatabase(200);
    const bytes = readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    bytes.fill(0x5a, pageSize * 2, pageSize * 40);
    writeFileSync(file, bytes);
    const error = await expectCorrupt();
    expect(error.problems.length).toBeGreaterThan(0);
  });

  it('reports a file truncated in the middle of its pages', async () => {
    await createPopulatedDatabase(200);
    const size = readFileSync(file).length;
    truncateSync(file, Math.floor(size / 2 / 4096) * 4096);
    await expectCorrupt();
  });
});

describe('a failed write', () => {
  it('rolls back everything the transaction did', async () => {
    const store = await openLocalStore({ file });
    await appendOutboxGroup(store, [patientOp(1)]);
    const failing = store.db.transaction().execute(async (trx) => {
      await trx.updateTable('sync_state').set({ last_seq: 99 }).execute();
      throw new Error('validation failed after the first statement');
    });
    await expect(failing).rejects.toThrow('validation failed');
    const state = await store.db.selectFrom('sync_state').select('last_seq').executeTakeFirstOrThrow();
    expect(state.last_seq).toBe(1);
    await store.close();
  });
});

describe('a full disk', () => {
  it('rolls back the failing transaction and keeps earlier outbox rows', async () => {
    const store = await openLocalStore({ file });
    await appendOutboxGroup(store, [patientOp(1)]);
    await appendOutboxGroup(store, [patientOp(2)]);
    // Simulate a full disk: the file may not grow past the pages it already has.
    const pages = store.sqlite.pragma('page_count', { simple: true });
    store.sqlite.pragma(`max_page_count = ${Number(pages)}`);

    const huge = [patientOp(3), { padding: 'x'.repeat(1_000_000) }];
    // SQLite rolls the transaction back itself here; the caller still sees the real cause.
    await expect(appendOutboxGroup(store, huge)).rejects.toMatchObject({ code: 'SQLITE_FULL' });

    const outbox = await store.db.selectFrom('outbox').select(['seq', 'ops']).orderBy('seq').execute();
    expect(outbox.map((row) => row.seq)).toEqual([1, 2]);
    expect(JSON.parse(outbox[1]?.ops ?? '[]')).toEqual([patientOp(2)]);
    // The sequence bump inside the failed transaction was undone too: no seq is skipped.
    const state = await store.db.selectFrom('sync_state').select('last_seq').executeTakeFirstOrThrow();
    expect(state.last_seq).toBe(2);
    // Once there is room again the store carries on where it left off.
    store.sqlite.pragma('max_page_count = 1073741823');
    expect(await appendOutboxGroup(store, [patientOp(3)])).toBe(3);
    await store.close();
  });
});
