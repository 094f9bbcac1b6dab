import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalStoreMigrationError } from './local-store.errors';
import { assertMigrationOrder, type Migration, runMigrations } from './migration.runner';
import { makeTempDir } from './test-support';

const now = () => new Date('2026-01-02T03:04:05.000Z');

/** A migration that creates one table named after it. */
function createTable(name: string): Migration {
  return {
    name,
    up: (db) => db.schema.createTable(name.replace(/\W/g, '_')).addColumn('id', 'integer').execute(),
  };
}

const first = createTable('001-first');
const second = createTable('002-second');
const third = createTable('003-third');

let temp: ReturnType<typeof makeTempDir>;
let sqlite: Database.Database;
let db: Kysely<unknown>;
beforeEach(() => {
  temp = makeTempDir();
  sqlite = new Database(join(temp.dir, 'runner.sqlite'));
  db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
});
afterEach(async () => {
  await db.destroy();
  temp.cleanup();
});

const tables = () =>
  sqlite.prepare("select name from sqlite_schema where type = 'table' order by name").pluck().all();

describe('runMigrations', () => {
  it('applies pending migrations in order and records them, then does nothing on a second run', async () => {
    expect(await runMigrations(db, [first, second], now)).toEqual(['001-first', '002-second']);
    expect(await runMigrations(db, [first, second], now)).toEqual([]);
    expect(
      sqlite.prepare('select position, name, applied_at from _migrations order by position').all(),
    ).toEqual([
      { position: 0, name: '001-first', applied_at: '2026-01-02T03:04:05.000Z' },
      { position: 1, name: '002-second', applied_at: '2026-01-02T03:04:05.000Z' },
    ]);
  });

  it('applies only the migrations appended since the last run', async () => {
    await runMigrations(db, [first], now);
    expect(await runMigrations(db, [first, second, third], now)).toEqual(['002-second', '003-third']);
  });

  it('refuses a database that ran a migration this build does not know', async () => {
    await runMigrations(db, [first, second], now);
    await expect(runMigrations(db, [first], now)).rejects.toThrow(/does not know.*newer version/s);
  });

  it('refuses a database whose migrations ran in a different order', async () => {
    await runMigrations(db, [first, third], now);
    const error = runMigrations(db, [first, second, third], now);
    await expect(error).rejects.toThrow(LocalStoreMigrationError);
    await expect(error).rejects.toThrow(/"003-third" was applied out of order/);
    expect(tables()).not.toContain('002_second');
  });

  it('leaves the database at the previous migration when one fails', async () => {
    const broken: Migration = {
      name: '002-broken',
      async up(trx) {
        await trx.schema.createTable('half_done').addColumn('id', 'integer').execute();
        await sql`insert into no_such_table values (1)`.execute(trx);
      },
    };
    await expect(runMigrations(db, [first, broken], now)).rejects.toThrow(/no such table/);
    expect(tables()).not.toContain('half_done');
    expect(sqlite.prepare('select name from _migrations').pluck().all()).toEqual(['001-first']);
  });
});

describe('assertMigrationOrder', () => {
  it('accepts ascending unique names', () => {
    expect(() => assertMigrationOrder([first, second, third])).not.toThrow();
  });

  it.each([
    ['descending names', [second, first]],
    ['a repeated name', [first, first]],
  ])('refuses %s before touching the database', async (_label, migrations) => {
    expect(() => assertMigrationOrder(migrations)).toThrow(LocalStoreMigrationError);
    await expect(runMigrations(db, migrations, now)).rejects.toThrow(LocalStoreMigrationError);
    expect(tables()).toEqual([]);
  });
});
