import type { Migration } from '../migration.runner';
import { syncTables } from './20261128040000-sync-tables';
import { localRecords } from './20261201090000-local-records';
import { patientSearchIndex } from './20261202090000-patient-search-index';

/** Every migration of the local store, oldest first. Append only; never edit a released one. */
export const LOCAL_MIGRATIONS: readonly Migration[] = [syncTables, localRecords, patientSearchIndex];
