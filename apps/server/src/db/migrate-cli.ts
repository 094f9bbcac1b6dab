import { loadConfig } from '../config';
import { openDatabase } from './database';
import { migrateToLatest } from './migrate';

/** `npm run migrate`: applies pending migrations to the configured database and lists them. */
const config = loadConfig();
const db = await openDatabase(config.database);
try {
  const result = await migrateToLatest(db.owner);
  const applied = result.results ?? [];
  if (applied.length === 0) console.log('Database is up to date.');
  for (const r of applied) console.log(`${r.status}: ${r.migrationName}`);
} finally {
  await db.close();
}
