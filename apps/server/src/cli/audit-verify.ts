import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { migrateToLatest } from '../db/migrate';
import { countChainEvents, findChainBreaks } from '../modules/audit/audit.repository';

/**
 * `npm run audit:verify`: recomputes every audit chain (each clinic's and the platform's) and
 * reports the first broken link of each broken chain. Exits 1 when any chain is broken.
 */
const config = loadConfig();
const db = await openDatabase(config.database);
try {
  await migrateToLatest(db.owner);
  const [breaks, counts] = await Promise.all([findChainBreaks(db.owner), countChainEvents(db.owner)]);
  if (breaks.length === 0) {
    console.log(`Audit chains intact: ${counts.events} events in ${counts.chains} chains.`);
  } else {
    for (const b of breaks) {
      console.error(`BROKEN chain ${b.chain}: first bad event seq ${b.seq} (${b.reason})`);
    }
    process.exitCode = 1;
  }
} finally {
  await db.close();
}
