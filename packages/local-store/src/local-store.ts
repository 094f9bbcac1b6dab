import Database from 'better-sqlite3';
import { Kysely } from 'kysely';
import { type BackupOptions, type BackupProgress, backupDatabase } from './backup';
import type { LocalDatabase } from './local-database.table';
import { LocalSqliteDialect } from './local-sqlite.dialect';
import { runMigrations } from './migration.runner';
import { LOCAL_MIGRATIONS } from './migrations/local-migrations';
import { assertIntact } from './quick-check';

/** How long a statement waits for another connection's lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

export interface OpenLocalStoreOptions {
  /** Path of the SQLite file; created when missing. */
  file: string;
  /** The store's clock (migration timestamps, later row timestamps). */
  now?: () => Date;
}

export interface LocalStore {
  readonly file: string;
  /** Typed queries over the local tables. */
  readonly db: Kysely<LocalDatabase>;
  /** The underlying connection, for pragmas and SQLite features Kysely does not cover. */
  readonly sqlite: Database.Database;
  readonly now: () => Date;
  /** Writes a verified copy of the live database to `toFile` with the SQLite backup API. */
  backup(toFile: string, options?: BackupOptions): Promise<BackupProgress>;
  /** Closes the database; the store cannot be used afterwards. */
  close(): Promise<void>;
}

/**
 * Opens (or creates) the local database: integrity check first, then WAL, `synchronous=FULL`,
 * foreign keys and pending migrations. Throws LocalStoreCorruptError on a damaged file.
 */
export async function openLocalStore({
  file,
  now = () => new Date(),
}: OpenLocalStoreOptions): Promise<LocalStore> {
  const sqlite = new Database(file);
  try {
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Before anything writes: a damaged file must be reported, not migrated or checkpointed into.
    assertIntact(sqlite, file);
    const journalMode = sqlite.pragma('journal_mode = WAL', { simple: true });
    if (journalMode !== 'wal')
      throw new Error(`Could not put ${file} in WAL mode (got ${String(journalMode)}).`);
    // FULL: a committed outbox entry survives power loss, not just an application crash.
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
  } catch (error) {
    sqlite.close();
    throw error;
  }

  const db = new Kysely<LocalDatabase>({ dialect: new LocalSqliteDialect(sqlite) });
  const close = async () => {
    await db.destroy();
    if (sqlite.open) sqlite.close();
  };
  try {
    await runMigrations(db, LOCAL_MIGRATIONS, now);
  } catch (error) {
    await close();
    throw error;
  }

  return {
    file,
    db,
    sqlite,
    now,
    backup: (toFile, options) => backupDatabase(sqlite, toFile, options),
    close,
  };
}
