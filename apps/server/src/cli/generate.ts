import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { migrateToLatest } from '../db/migrate';
import { generateClinic } from '../generator/clinic-generator';

/**
 * `npm run generate -- --patients 1000 [--visits 2] [--items 3] [--lab-orders 1] [--seed 42]
 * [--clinic <slug>]`: builds a realistic clinic on the configured server database.
 */
const { values } = parseArgs({
  options: {
    patients: { type: 'string', default: '1000' },
    visits: { type: 'string', default: '2' },
    items: { type: 'string', default: '3' },
    'lab-orders': { type: 'string', default: '1' },
    seed: { type: 'string', default: '42' },
    clinic: { type: 'string' },
    name: { type: 'string' },
  },
});
const config = loadConfig();
const db = await openDatabase(config.database);
try {
  await migrateToLatest(db.owner);
  let clinicId: string | undefined;
  if (values.clinic) {
    const row = await db.owner
      .selectFrom('clinics')
      .select('id')
      .where('slug', '=', values.clinic)
      .executeTakeFirst();
    if (!row) throw new Error(`No clinic with slug ${values.clinic}`);
    clinicId = row.id;
  }
  let lastPercent = -1;
  const started = Date.now();
  const result = await generateClinic(db.owner, {
    ...(clinicId ? { clinicId } : {}),
    ...(values.name ? { clinicName: values.name } : {}),
    patients: Number(values.patients),
    visitsPerPatient: Number(values.visits),
    itemsPerPrescription: Number(values.items),
    labOrdersPerPatient: Number(values['lab-orders']),
    seed: Number(values.seed),
    onProgress(done, total) {
      const percent = Math.floor((done / total) * 100);
      if (percent !== lastPercent) {
        lastPercent = percent;
        process.stdout.write(`\rgenerating… ${percent}% (${done.toLocaleString('en-IN')} rows)`);
      }
    },
  });
  process.stdout.write('\n');
  console.log(`Clinic ${result.slug} (${result.code}) in ${((Date.now() - started) / 1000).toFixed(1)} s:`);
  for (const [table, n] of Object.entries(result.counts))
    console.log(`  ${table}: ${n.toLocaleString('en-IN')}`);
  console.log(`Staff (password ${result.staffPassword}, local use only):`);
  for (const s of result.staff) console.log(`  ${s.role}: ${s.username}`);
} finally {
  await db.close();
}
