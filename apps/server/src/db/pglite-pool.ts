import type { PGlite } from '@electric-sql/pglite';
import type { PostgresPool, PostgresPoolClient } from 'kysely';

/**
 * A `pg`-shaped pool over one embedded PGlite instance, so Kysely's own PostgresDialect drives it.
 *
 * Invariants:
 * - PGlite is a single connection. Callers hold it exclusively from `connect()` until `release()`,
 *   so two Kysely transactions never interleave their statements.
 * - A pool created with `role` runs every checkout as that role (`SET ROLE` on checkout,
 *   `RESET ROLE` before the next caller gets the connection), which is how the embedded database
 *   gives request queries the same row-level-security role that a PostgreSQL server gives by login.
 */
export class PGliteLock {
  #tail: Promise<void> = Promise.resolve();

  /** Waits for the connection and returns the function that hands it to the next caller. */
  acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => {
      release = resolve;
    });
    const ready = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => next);
    return ready;
  }
}

type Command = 'UPDATE' | 'DELETE' | 'INSERT' | 'SELECT' | 'MERGE' | 'COMMIT' | 'ROLLBACK';
type QueryResult = { command: Command; rowCount: number; rows: unknown[] };
const COMMANDS = new Set<string>(['UPDATE', 'DELETE', 'INSERT', 'SELECT', 'MERGE', 'COMMIT', 'ROLLBACK']);

function isCommand(word: string): word is Command {
  return COMMANDS.has(word);
}

// PGlite does not report the command tag; Kysely only needs it to count affected rows.
function commandOf(sql: string, affectedRows: number | undefined): Command {
  const word = /^\s*([a-zA-Z]+)/.exec(sql)?.[1]?.toUpperCase() ?? '';
  if (word === 'WITH' && affectedRows !== undefined && affectedRows > 0) return 'UPDATE';
  return isCommand(word) ? word : 'SELECT';
}

/** Creates a pool for Kysely's PostgresDialect over a shared PGlite instance and lock. */
export function createPGlitePool(db: PGlite, lock: PGliteLock, role?: string): PostgresPool {
  async function query(sql: unknown, params?: readonly unknown[]): Promise<QueryResult> {
    if (typeof sql !== 'string')
      throw new Error('Streaming cursors are not supported on the embedded database');
    const result = await db.query(sql, params ? [...params] : []);
    return {
      command: commandOf(sql, result.affectedRows),
      rowCount: result.affectedRows ?? result.rows.length,
      rows: result.rows,
    };
  }
  return {
    async connect(): Promise<PostgresPoolClient> {
      const unlock = await lock.acquire();
      if (role) await db.query(`SET ROLE ${role}`);
      let released = false;
      return {
        // Kysely's client type overloads query() for cursors, which this pool refuses at run time.
        query: query as PostgresPoolClient['query'],
        release() {
          if (released) return;
          released = true;
          const reset = role ? db.query('RESET ROLE').then(() => undefined) : Promise.resolve();
          reset.finally(unlock).catch(() => undefined);
        },
      };
    },
    async end(): Promise<void> {},
  };
}
