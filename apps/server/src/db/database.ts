import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Config } from '../config';
import { APP_ROLE } from '../config';
import { createPGlitePool, PGliteLock } from './pglite-pool';
import type { DB } from './tables';

/**
 * The server's two database handles:
 * - `owner`: runs migrations and the audited platform (super-admin) path; never used for a clinic
 *   user's request.
 * - `app`: runs as the request role, which owns no table and cannot bypass row-level security, so
 *   a query that forgot its clinic sees nothing (the second tenancy wall).
 */
export type Database = {
  kind: 'postgres' | 'pglite';
  owner: Kysely<DB>;
  app: Kysely<DB>;
  /** Subscribes to a NOTIFY channel; returns the unsubscribe function. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
};

const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;

// Dates stay 'YYYY-MM-DD' strings (a clinic's calendar day, never shifted by a time zone); counts and
// versions come back as numbers (they stay far below 2^53).
const typeParsers: Record<number, (value: string) => unknown> = {
  [INT8]: (v) => Number(v),
  [NUMERIC]: (v) => Number(v),
  [DATE]: (v) => v,
};

function pgTypes() {
  return {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      const parser = typeParsers[oid];
      return parser ?? pg.types.getTypeParser(oid, format);
    },
  };
}

/** Opens the configured database: PostgreSQL when DATABASE_URL is set, embedded PGlite otherwise. */
export async function openDatabase(
  config: Config['database'],
  opts: { appPoolSize?: number } = {},
): Promise<Database> {
  if (config.kind === 'postgres') return openPostgres(config.url, config.appUrl, opts.appPoolSize ?? 10);
  return openPGlite(config.dataDir);
}

function openPostgres(url: string, appUrl: string, appPoolSize: number): Database {
  // No JIT: the server's statements are short, and one whose estimated cost crosses the JIT
  // threshold (a sync page of thousands of rows built as JSON) spends seconds compiling.
  const options = '-c jit=off';
  const ownerPool = new pg.Pool({ connectionString: url, max: 5, types: pgTypes(), options });
  const appPool = new pg.Pool({ connectionString: appUrl, max: appPoolSize, types: pgTypes(), options });
  // A client that errors (server restart, a backend ended) must not crash the process: idle, the
  // pool replaces it; checked out, its query fails with the error and the pool drops it on release.
  for (const pool of [ownerPool, appPool]) {
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
  }
  return {
    kind: 'postgres',
    owner: new Kysely<DB>({ dialect: new PostgresDialect({ pool: ownerPool }) }),
    app: new Kysely<DB>({ dialect: new PostgresDialect({ pool: appPool }) }),
    async listen(channel, onPayload) {
      const client = new pg.Client({ connectionString: url });
      client.on('error', () => undefined);
      await client.connect();
      client.on('notification', (msg) => {
        if (msg.channel === channel) onPayload(msg.payload ?? '');
      });
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      return async () => {
        await client.end().catch(() => undefined);
      };
    },
    async close() {
      await Promise.all([ownerPool.end(), appPool.end()]);
    },
  };
}

async function openPGlite(dataDir: string | null): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const parsers = Object.fromEntries(Object.entries(typeParsers).map(([oid, fn]) => [oid, fn]));
  const db = await PGlite.create(dataDir ?? undefined, { parsers });
  const lock = new PGliteLock();
  const owner = new Kysely<DB>({ dialect: new PostgresDialect({ pool: createPGlitePool(db, lock) }) });
  const app = new Kysely<DB>({
    dialect: new PostgresDialect({ pool: createPGlitePool(db, lock, APP_ROLE) }),
  });
  return {
    kind: 'pglite',
    owner,
    app,
    async listen(channel, onPayload) {
      const unsubscribe = await db.listen(channel, onPayload);
      return async () => {
        await unsubscribe();
      };
    },
    async close() {
      await db.close();
    },
  };
}
