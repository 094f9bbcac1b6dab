export type { BackupOptions, BackupProgress } from './backup';
export type {
  LocalDatabase,
  MetaTable,
  MigrationsTable,
  OutboxStatus,
  OutboxTable,
  SyncInboxTable,
  SyncStateTable,
} from './local-database.table';
export { type LocalStore, type OpenLocalStoreOptions, openLocalStore } from './local-store';
export { LocalStoreCorruptError, LocalStoreMigrationError } from './local-store.errors';
export { assertMigrationOrder, type Migration, runMigrations, type UntypedKysely } from './migration.runner';
export { LOCAL_MIGRATIONS } from './migrations/local-migrations';
