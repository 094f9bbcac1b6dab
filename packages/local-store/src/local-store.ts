import { createUuidv7Generator, type SyncedEntityName, type SyncedRecord } from '@clinicdesk/domain';
import Database from 'better-sqlite3';
import { Kysely } from 'kysely';
import { type ApplyPullReport, applyPull } from './apply-pull';
import { type AppointmentRepository, createAppointmentRepository } from './appointment.repository';
import { type BackupOptions, type BackupProgress, backupDatabase } from './backup';
import {
  type ClinicInfo,
  type ClinicProfileInput,
  type DeviceIdentity,
  readClinicInfo,
  readIdentity,
  writeClinicProfile,
  writeIdentity,
} from './clinic-info';
import { addCounterBlock, counterRemaining } from './counter-blocks';
import type { LocalDatabase } from './local-database.table';
import { LocalSqliteDialect } from './local-sqlite.dialect';
import { buildLocalTableSpecs, reconcileLocalTables } from './local-tables';
import { assertSyncedEntity, type LocalWriter, runWrite, type WriteResult } from './local-writer';
import { runMigrations } from './migration.runner';
import { LOCAL_MIGRATIONS } from './migrations/local-migrations';
import { type Actor, pendingCount, pendingCreateCount, pendingGroups } from './outbox';
import { createPatientRepository, type PatientRepository } from './patient.repository';
import {
  type PatientSearchOptions,
  type PatientSearchResult,
  rebuildPatientSearchIndex,
  searchPatients,
} from './patient-search';
import { type PushOutcome, recordPushResults } from './push-results';
import { assertIntact } from './quick-check';
import { asEntityRecord } from './record-table';
import { createStoreContext } from './store-context';
import { exportInbox, type InboxItem, listInbox, resolveInboxItem, resubmitInboxItem } from './sync-inbox';
import type {
  CounterLease,
  CounterName,
  OutboxGroup,
  PullPage,
  PushGroupResult,
  RowOperation,
} from './sync-messages';
import {
  type RebootstrapReport,
  readCursorState,
  readSyncState,
  resetForRebootstrap,
  type SyncCursorState,
  type SyncState,
  type SyncStatePatch,
  writeCursorState,
  writeReadOnly,
  writeSyncState,
} from './sync-state';
import { createVisitRepository, type VisitRepository } from './visit.repository';

/** How long a statement waits for another connection's lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

export interface OpenLocalStoreOptions {
  /** Path of the SQLite file; created when missing. */
  file: string;
  /** The store's clock (row timestamps, outbox groups, migration records). */
  now?: () => Date;
  /** Generates row ids and mutation ids; defaults to a monotonic UUIDv7 generator on `now`. */
  newId?: () => string;
}

/**
 * The desktop's local database. Every method except `backup` and `close` is synchronous:
 * better-sqlite3 runs on the calling thread, and a transaction must never span an `await`.
 */
export interface LocalStore {
  readonly file: string;
  /** Typed queries over the fixed local tables (not for use while a store method runs). */
  readonly db: Kysely<LocalDatabase>;
  /** The underlying connection, for pragmas and SQLite features Kysely does not cover. */
  readonly sqlite: Database.Database;
  readonly now: () => Date;

  /** This install's device and clinic ids, or null before registration. */
  identity(): DeviceIdentity | null;
  /** Records the device and clinic ids after registration (local writes need the clinic id). */
  setIdentity(identity: DeviceIdentity): void;
  /** What the device knows about its clinic: profile, status, limits, usage and licence lease. */
  clinicInfo(): ClinicInfo;
  /** Stores the clinic profile from REST; false when an equal or newer version is already stored. */
  setClinicProfile(profile: ClinicProfileInput): boolean;

  /** Runs `fn` as one local transaction: row changes plus ONE outbox group (see `local-writer.ts`). */
  write<T>(actor: Actor, fn: (writer: LocalWriter) => T): WriteResult<T>;
  /** A live (not deleted) record by id, or null. */
  get<N extends SyncedEntityName>(entity: N, id: string): SyncedRecord<N> | null;
  /** Why writes are refused, or null when the store is writable. */
  readOnly(): { readonly reason: string; readonly since: string } | null;
  /** Turns read-only mode on (with the reason shown to users) or off (null); persisted. */
  setReadOnly(reason: string | null): void;

  /** Stores a block leased from the server; false when that lease was already stored. */
  addCounterBlock(lease: CounterLease): boolean;
  /** Numbers of a counter still available offline in a scope (the engine leases more when low). */
  counterRemaining(counter: CounterName, scope: string): number;

  /** Applies one pull page in one transaction: decisions, rows, clinic snapshot, cursor. */
  applyPull(page: PullPage): ApplyPullReport;
  /**
   * The oldest undecided outbox groups, in seq order, exactly as they are pushed: at most `limit`,
   * and no more than fit in `maxBytes` of row operations as stored (JSON), but always the oldest;
   * only groups after seq `afterSeq` (those before it are on their way to the server already).
   */
  pendingGroups(limit: number, maxBytes?: number, afterSeq?: number): OutboxGroup[];
  /** How many outbox groups wait for the server's decision. */
  pendingCount(): number;
  /** How many creates of `entity` wait to sync (capacity pre-check). */
  pendingCreateCount(entity: SyncedEntityName): number;
  /** Records a push response: applied groups leave the outbox, refused ones move to the inbox. */
  recordPushResults(results: readonly PushGroupResult[], options?: { readonly ackSeq?: number }): PushOutcome;
  /** Cursor, acknowledged seq, times, last error, first-sync progress and the read-only flag. */
  syncState(): SyncState;
  /** Sets sync bookkeeping fields (omitted fields are unchanged). */
  setSyncState(patch: SyncStatePatch): void;
  /** The cursor state in the sync engine's port shape (`SyncStore.cursorState`). */
  cursorState(): SyncCursorState;
  /** Updates the cursor state from the sync engine's port shape (`SyncStore.setCursorState`). */
  setCursorState(patch: Partial<SyncCursorState>): void;
  /** After RESET_REQUIRED: clears pulled rows and the cursor, keeps outbox, inbox and pending rows. */
  resetForRebootstrap(): RebootstrapReport;

  /** Refused groups waiting for the user, oldest first (resolved ones too when asked). */
  inbox(options?: { includeResolved?: boolean }): InboxItem[];
  /** Dismisses an inbox item; false when it was already resolved. */
  resolveInboxItem(id: string): boolean;
  /** Resubmits an inbox item (optionally with fixed ops) as a new outbox group. */
  resubmitInboxItem(id: string, fixedOps?: readonly RowOperation[], actor?: Actor): OutboxGroup;
  /** The inbox as a JSON document for the user to save. */
  exportInbox(options?: { includeResolved?: boolean }): string;

  /** Ranked patient search by name, phone digits or code; safe for any user input. */
  searchPatients(query: string, options?: PatientSearchOptions): PatientSearchResult[];
  /** Rebuilds the patient search index from the patients table. */
  rebuildPatientSearch(): void;
  readonly patients: PatientRepository;
  readonly visits: VisitRepository;
  readonly appointments: AppointmentRepository;

  /** Writes a verified copy of the live database to `toFile` with the SQLite backup API. */
  backup(toFile: string, options?: BackupOptions): Promise<BackupProgress>;
  /** Closes the database; the store cannot be used afterwards. */
  close(): Promise<void>;
}

/**
 * Opens (or creates) the local database: integrity check first, then WAL, `synchronous=FULL`,
 * foreign keys, pending migrations and additive reconciliation of the record tables with the
 * domain schemas. Throws LocalStoreCorruptError on a damaged file.
 */
export async function openLocalStore({
  file,
  now = () => new Date(),
  newId = createUuidv7Generator({ now: () => now().getTime() }),
}: OpenLocalStoreOptions): Promise<LocalStore> {
  const sqlite = new Database(file);
  try {
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Before anything writes: a damaged file must be reported, not migrated or checkpointed into.
    assertIntact(sqlite, file);
    const journalMode = sqlite.pragma('journal_mode = WAL', { simple: true });
    if (journalMode !== 'wal')
      throw new Error(`Could not put ${file} in WAL mode (got ${String(journalMode)}).`);
    // FULL: a committed outbox entry survives power loss, not just an application crash.
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
  } catch (error) {
    sqlite.close();
    throw error;
  }

  const db = new Kysely<LocalDatabase>({ dialect: new LocalSqliteDialect(sqlite) });
  const close = async () => {
    await db.destroy();
    if (sqlite.open) sqlite.close();
  };
  const specs = buildLocalTableSpecs();
  try {
    await runMigrations(db, LOCAL_MIGRATIONS, now);
    reconcileLocalTables(sqlite, specs);
  } catch (error) {
    await close();
    throw error;
  }

  const ctx = createStoreContext({ sqlite, now, newId, specs });
  return {
    file,
    db,
    sqlite,
    now,

    identity: () => readIdentity(ctx),
    setIdentity: (identity) => writeIdentity(ctx, identity),
    clinicInfo: () => readClinicInfo(ctx),
    setClinicProfile: (profile) => writeClinicProfile(ctx, profile),

    write: (actor, fn) => runWrite(ctx, actor, fn),
    get: (entity, id) => {
      assertSyncedEntity(entity);
      const record = ctx.synced(entity).findLive(id);
      return record === null ? null : asEntityRecord(entity, record);
    },
    readOnly: () => readSyncState(ctx).readOnly,
    setReadOnly: (reason) => writeReadOnly(ctx, reason),

    addCounterBlock: (lease) => addCounterBlock(ctx, lease),
    counterRemaining: (counter, scope) => counterRemaining(ctx, counter, scope),

    applyPull: (page) => applyPull(ctx, page),
    pendingGroups: (limit, maxBytes, afterSeq) => pendingGroups(ctx, limit, maxBytes, afterSeq),
    pendingCount: () => pendingCount(ctx),
    pendingCreateCount: (entity) => pendingCreateCount(ctx, entity),
    recordPushResults: (results, options) => recordPushResults(ctx, results, options),
    syncState: () => readSyncState(ctx),
    setSyncState: (patch) => writeSyncState(ctx, patch),
    cursorState: () => readCursorState(ctx),
    setCursorState: (patch) => writeCursorState(ctx, patch),
    resetForRebootstrap: () => resetForRebootstrap(ctx),

    inbox: (options) => listInbox(ctx, options),
    resolveInboxItem: (id) => resolveInboxItem(ctx, id),
    resubmitInboxItem: (id, fixedOps, actor) => resubmitInboxItem(ctx, id, fixedOps, actor),
    exportInbox: (options) => exportInbox(ctx, options),

    searchPatients: (query, options) => searchPatients(ctx, query, options),
    rebuildPatientSearch: () => rebuildPatientSearchIndex(ctx),
    patients: createPatientRepository(ctx),
    visits: createVisitRepository(ctx),
    appointments: createAppointmentRepository(ctx),

    backup: (toFile, options) => backupDatabase(sqlite, toFile, options),
    close,
  };
}
