/*
 * A tiny forward-only migration runner for the local SQLite store.
 *
 * Invariants:
 * - Migrations are a static, ordered array in code (so they work inside a packaged app); names are
 *   unique and ascend, and a migration never changes once released.
 * - `_migrations` records what ran, by position. The recorded list must be a prefix of the known
 *   list: a name this build does not know (a newer app wrote it) or a different order stops the
 *   store from opening rather than guessing.
 * - Each migration runs in its own transaction together with its `_migrations` row, so a failure
 *   leaves the database at the previous migration.
 */
import { type Kysely, sql } from 'kysely';
import type { MigrationsTable } from './local-database.table';
import { LocalStoreMigrationError } from './local-store.errors';

/**
 * A migration sees the database untyped: it is frozen in time and must not follow the app's current
 * table interfaces (Kysely's documented practice for migrations).
 */
// biome-ignore lint/suspicious/noExplicitAny: Kysely<any> is the only database type every Kysely<DB> is assignable to.
export type UntypedKysely = Kysely<any>;

export interface Migration {
  readonly name: string;
  /** Frozen: works on an untyped database and imports nothing from the app. */
  up(db: UntypedKysely): Promise<void>;
}

type RunnerDatabase = { _migrations: MigrationsTable };

/** Throws unless migration names are unique and strictly ascending. */
export function assertMigrationOrder(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    const previous = migrations[index - 1];
    if (previous !== undefined && previous.name >= migration.name) {
      throw new LocalStoreMigrationError(
        `Migration "${migration.name}" must sort after "${previous.name}"; migration names ascend.`,
      );
    }
  });
}

/** Applies the migrations the database has not run yet, in order; returns their names. */
export async function runMigrations(
  database: UntypedKysely,
  migrations: readonly Migration[],
  now: () => Date,
): Promise<string[]> {
  assertMigrationOrder(migrations);
  const db: Kysely<RunnerDatabase> = database;
  await db.schema
    .createTable('_migrations')
    .ifNotExists()
    .addColumn('position', 'integer', (col) => col.primaryKey())
    .addColumn('name', 'text', (col) => col.notNull().unique())
    .addColumn('applied_at', 'text', (col) => col.notNull())
    .modifyEnd(sql`strict`)
    .execute();

  const applied = await db
    .selectFrom('_migrations')
    .select(['position', 'name'])
    .orderBy('position')
    .execute();
  applied.forEach((row, index) => {
    if (row.position !== index || migrations[index]?.name !== row.name) {
      const known = migrations.some((migration) => migration.name === row.name);
      throw new LocalStoreMigrationError(
        known
          ? `Migration "${row.name}" was applied out of order (position ${row.position}); the database cannot be trusted.`
          : `The database has migration "${row.name}", which this version of ClinicDesk does not know. ` +
              'It was probably written by a newer version; update the app.',
      );
    }
  });

  const pending = migrations.slice(applied.length);
  for (const [offset, migration] of pending.entries()) {
    await db.transaction().execute(async (trx) => {
      await migration.up(trx);
      await trx
        .insertInto('_migrations')
        .values({ position: applied.length + offset, name: migration.name, applied_at: now().toISOString() })
        .execute();
    });
  }
  return pending.map((migration) => migration.name);
}
