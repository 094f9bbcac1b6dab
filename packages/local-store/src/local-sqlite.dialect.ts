import type Database from 'better-sqlite3';
import { type DatabaseConnection, type Driver, SqliteDialect, SqliteDriver } from 'kysely';

/**
 * Kysely's SqliteDialect over one better-sqlite3 connection, with one fix: on SQLITE_FULL, IOERR,
 * BUSY or NOMEM SQLite may already have rolled the transaction back itself, and Kysely's own
 * `rollback` would then fail with "no transaction is active" and hide the real error (a full disk
 * would surface as a puzzling SQLITE_ERROR). The rollback is skipped when nothing is open.
 */
export class LocalSqliteDialect extends SqliteDialect {
  readonly #sqlite: Database.Database;

  constructor(sqlite: Database.Database) {
    super({ database: sqlite });
    this.#sqlite = sqlite;
  }

  override createDriver(): Driver {
    return new RollbackSafeSqliteDriver(this.#sqlite);
  }
}

class RollbackSafeSqliteDriver extends SqliteDriver {
  readonly #sqlite: Database.Database;

  constructor(sqlite: Database.Database) {
    super({ database: sqlite });
    this.#sqlite = sqlite;
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.#sqlite.inTransaction) await super.rollbackTransaction(connection);
  }
}
