import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { buildApp } from '../../apps/server/src/app';
import { deriveAppUrl, loadConfig } from '../../apps/server/src/config';
import { openDatabase } from '../../apps/server/src/db/database';
import { migrateToLatest } from '../../apps/server/src/db/migrate';

/** Percentile of a sorted-on-demand sample (nearest rank). */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

/** Prints one figure line: `<name>: <figure>`. */
export function report(name: string, figure: string): void {
  console.log(`${name}: ${figure}`);
}

/** A temporary folder removed by `cleanup()`. */
export function tempDir(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A server on a fresh PostgreSQL database (DATABASE_URL's server, default the local one), listening
 * on loopback. Benchmarks always use real PostgreSQL.
 */
export async function benchServer() {
  const baseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `clinicdesk_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const database = { kind: 'postgres', url: url.toString(), appUrl: deriveAppUrl(url.toString()) } as const;
  const db = await openDatabase(database);
  await migrateToLatest(db.owner);
  const config = {
    ...loadConfig({ NODE_ENV: 'test', RATE_LIMIT_PER_MINUTE: '1000000', LOGIN_RATE_LIMIT_PER_MINUTE: '100000', BODY_LIMIT_BYTES: String(64 * 1024 * 1024) }),
    database,
  };
  const app = await buildApp({ config, db, logger: false });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    app,
    db,
    url: address,
    databaseUrl: url.toString(),
    async close() {
      await app.close();
      await db.close();
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
