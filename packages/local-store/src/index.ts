/** @clinicdesk/local-store: the desktop's SQLite store (records, outbox, sync inbox, counters, search, backup). */
export type { ApplyPullReport } from './apply-pull';
export type { AppointmentEntry, AppointmentRepository } from './appointment.repository';
export type { BackupOptions, BackupProgress } from './backup';
export type { ApplyChangesReport } from './change-applier';
export type { ClinicInfo, ClinicProfileInput, DeviceIdentity } from './clinic-info';
export { wireEntityName } from './entity-names';
export type {
  ClinicInfoTable,
  CounterBlocksTable,
  LocalDatabase,
  MetaTable,
  MigrationsTable,
  OutboxRowsTable,
  OutboxStatus,
  OutboxTable,
  SyncInboxTable,
  SyncStateTable,
} from './local-database.table';
export { type LocalStore, type OpenLocalStoreOptions, openLocalStore } from './local-store';
export {
  LocalRowExistsError,
  LocalRowNotFoundError,
  LocalStoreCorruptError,
  LocalStoreMigrationError,
  LocalStoreNotReadyError,
  LocalStoreReadOnlyError,
  LocalWriteValidationError,
  type ValidationIssue,
} from './local-store.errors';
export {
  buildLocalTableSpecs,
  type ColumnKind,
  type ColumnSpec,
  type LocalTableSpecs,
  type ReconcileReport,
  reconcileLocalTables,
  type TableSpec,
} from './local-tables';
export type {
  AssignedPatientCode,
  AssignedQueueToken,
  EntityInput,
  EntityPatch,
  LocalWriter,
  WriteResult,
} from './local-writer';
export { assertMigrationOrder, type Migration, runMigrations, type UntypedKysely } from './migration.runner';
export { LOCAL_MIGRATIONS } from './migrations/local-migrations';
export type { Actor } from './outbox';
export type { PatientRepository } from './patient.repository';
export {
  type PatientMatch,
  type PatientSearchOptions,
  type PatientSearchResult,
  patientMatchExpression,
} from './patient-search';
export type { PushNotice, PushOutcome } from './push-results';
export type { InboxItem } from './sync-inbox';
export {
  type ChangeRun,
  type ClinicSnapshot,
  type CounterLease,
  type CounterName,
  type JsonObject,
  MAX_OPS_PER_GROUP,
  type OutboxGroup,
  type PulledChange,
  type PullPage,
  type PushGroupResult,
  type RowOperation,
  type RunRow,
  runChangeCount,
  runsOfChanges,
} from './sync-messages';
export type {
  BootstrapProgress,
  RebootstrapReport,
  SyncCursorState,
  SyncErrorRecord,
  SyncState,
  SyncStatePatch,
} from './sync-state';
export type { PatientSummary, QueueEntry, VisitRepository } from './visit.repository';
