import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { type Config, deriveAppUrl } from '../config';
import { type Database, openDatabase } from '../db/database';
import { migrateToLatest } from '../db/migrate';
import type { DB } from '../db/tables';

/**
 * A fresh, migrated database for one test file: a new database on the PostgreSQL server named by
 * DATABASE_URL (CI), or an in-memory PGlite when it is unset (the default for `npm test`).
 */
export type TestDatabase = {
  db: Database;
  config: Config['database'];
  drop(): Promise<void>;
};

/** Creates and migrates a throwaway database; `drop()` closes and removes it. */
export async function createTestDatabase(opts: { appPoolSize?: number } = {}): Promise<TestDatabase> {
  const baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) {
    const config = { kind: 'pglite', dataDir: null } as const;
    const db = await openDatabase(config, opts);
    await migrateToLatest(db.owner);
    return { db, config, drop: () => db.close() };
  }
  const name = `clinicdesk_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const config = { kind: 'postgres', url: url.toString(), appUrl: deriveAppUrl(url.toString()) } as const;
  const db = await openDatabase(config, opts);
  await migrateToLatest(db.owner);
  return {
    db,
    config,
    async drop() {
      await db.close();
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Inserts a clinic without limits, as the platform creates one (owner connection). */
export async function insertClinic(
  owner: Kysely<DB>,
  clinic: { id: string; code: string; slug: string; name: string },
): Promise<void> {
  await owner
    .insertInto('clinics')
    .values({
      ...clinic,
      logo_url: null,
      max_patients: null,
      max_doctors: null,
      max_receptionists: null,
      max_lab_techs: null,
    })
    .execute();
}
