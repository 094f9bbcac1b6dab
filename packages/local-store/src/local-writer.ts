/*
 * Local writes: `store.write(actor, (w) => { … })` runs the callback in one SQLite transaction,
 * applies each row operation to its table and appends ONE outbox group for the whole call.
 *
 * Invariants:
 * - All or nothing: a validation error, a missing row, a full disk or any exception thrown by the
 *   callback rolls back every row change, every counter number taken and the outbox group (its seq
 *   included).
 * - `create` is validated with the entity's strict `input` schema; `update` with its strict `patch`
 *   schema, then the merged record with the entity schema. Only fields whose value actually changes
 *   are recorded, with the values they had before.
 * - The callback is synchronous (better-sqlite3 transactions cannot span an `await`), and the writer
 *   is unusable once the call returns.
 * - Refused outright while the store is read-only (lapsed licence, expired subscription).
 */
import {
  canonicalJson,
  formatPatientCode,
  formatProvisionalPatientCode,
  type SyncedEntityDefinition,
  type SyncedEntityName,
  type SyncedRecord,
  serverAssignedColumns,
  syncedEntities,
} from '@clinicdesk/domain';
import type { z } from 'zod';
import { requireClinicCode, requireClinicId } from './clinic-info';
import { takeCounterNumber } from './counter-blocks';
import { wireEntityName } from './entity-names';
import {
  LocalRowExistsError,
  LocalRowNotFoundError,
  LocalStoreReadOnlyError,
  LocalWriteValidationError,
  type ValidationIssue,
} from './local-store.errors';
import { type Actor, appendGroup } from './outbox';
import { asEntityRecord } from './record-table';
import { isJsonValue, toJsonObject } from './row-codec';
import type { StoreContext } from './store-context';
import {
  EDIT_REASON_MAX_LENGTH,
  type JsonObject,
  MAX_OPS_PER_GROUP,
  type OutboxGroup,
  type RowOperation,
} from './sync-messages';

/** What `create` accepts for an entity: its create input (`id` + fields; defaults may be omitted). */
export type EntityInput<N extends SyncedEntityName> = z.input<(typeof syncedEntities)[N]['input']>;

/** What `update` accepts for an entity: any subset of its fields. */
export type EntityPatch<N extends SyncedEntityName> = z.input<(typeof syncedEntities)[N]['patch']>;

/** A patient code taken from a leased block, or a provisional one the server will replace. */
export type AssignedPatientCode =
  | { readonly code: string; readonly provisional: false; readonly seq: number }
  | { readonly code: string; readonly provisional: true; readonly seq: null };

/**
 * A queue token taken from a leased block, or none: the visit is saved without a token number
 * (the server assigns it at push) and `queuePosition` is this doctor's place count for the slip.
 */
export type AssignedQueueToken =
  | { readonly tokenNumber: number; readonly provisional: false }
  | { readonly tokenNumber: null; readonly provisional: true; readonly queuePosition: number };

/** The operations available inside `store.write`. */
export interface LocalWriter {
  /** A new UUIDv7 from the store's id generator. */
  newId(): string;
  /** Reads a live (not deleted) record as this transaction sees it. */
  get<N extends SyncedEntityName>(entity: N, id: string): SyncedRecord<N> | null;
  /** Creates a record; returns it with its local sync columns (version 0). */
  create<N extends SyncedEntityName>(entity: N, input: EntityInput<N>): SyncedRecord<N>;
  /**
   * Changes some fields of a record; returns the record after the change. A `reason` (e.g. why a
   * patient's name was corrected) travels with the change to the server's audit.
   */
  update<N extends SyncedEntityName>(
    entity: N,
    id: string,
    changes: EntityPatch<N>,
    options?: { readonly reason?: string | null },
  ): SyncedRecord<N>;
  /** Soft-deletes a record (sets `deletedAt`); deleting an already deleted record does nothing. */
  delete(entity: SyncedEntityName, id: string): void;
  /** The next patient code of `year` for the patient with id `patientId`. */
  nextPatientCode(year: number, patientId: string): AssignedPatientCode;
  /** The next queue token of the clinic day `date` (`YYYY-MM-DD`) for `doctorId`'s queue. */
  nextQueueToken(doctorId: string, date: string): AssignedQueueToken;
}

/** What a write returns: the callback's value and the outbox group it produced (null if it changed nothing). */
export interface WriteResult<T> {
  readonly value: T;
  readonly group: OutboxGroup | null;
}

/** The sync columns a local write never takes from its caller. */
const SYNC_FIELDS: ReadonlySet<string> = new Set<string>(['id', ...serverAssignedColumns]);

/** Converts zod issues to ours (symbols in paths become strings). */
export function toValidationIssues(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): ValidationIssue[] {
  return issues.map((issue) => ({
    path: issue.path.map((part) => (typeof part === 'number' ? part : String(part))),
    message: issue.message,
  }));
}

/** Throws RangeError unless `entity` is a synced entity name (guards JavaScript callers). */
export function assertSyncedEntity(entity: string): asserts entity is SyncedEntityName {
  if (!Object.hasOwn(syncedEntities, entity)) throw new RangeError(`Unknown entity: ${entity}`);
}

function definitionOf(entity: SyncedEntityName): SyncedEntityDefinition {
  return syncedEntities[entity];
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!isJsonValue(a) || !isJsonValue(b)) return false;
  return canonicalJson(a) === canonicalJson(b);
}

function idOf(input: unknown): string | null {
  if (typeof input !== 'object' || input === null || !('id' in input)) return null;
  return typeof input.id === 'string' ? input.id : null;
}

interface WriteSession {
  readonly ctx: StoreContext;
  readonly clinicId: string;
  readonly at: string;
  readonly ops: RowOperation[];
  open: boolean;
}

function createWriter(session: WriteSession): LocalWriter {
  const { ctx, clinicId, at, ops } = session;
  const guard = () => {
    if (!session.open) throw new Error('This writer belongs to a finished store.write call.');
  };
  const live = (entity: SyncedEntityName, id: string) => ctx.synced(entity).findLive(id);

  return {
    newId() {
      guard();
      return ctx.newId();
    },

    get(entity, id) {
      guard();
      assertSyncedEntity(entity);
      const current = live(entity, id);
      return current === null ? null : asEntityRecord(entity, current);
    },

    create(entity, input) {
      guard();
      assertSyncedEntity(entity);
      const parsed = definitionOf(entity).input.safeParse(input);
      if (!parsed.success)
        throw new LocalWriteValidationError(
          entity,
          'create',
          idOf(input),
          toValidationIssues(parsed.error.issues),
        );
      const data = toJsonObject(parsed.data);
      const id = String(data.id);
      const table = ctx.synced(entity);
      if (table.find(id) !== null) throw new LocalRowExistsError(entity, id);
      const record = { ...data, clinicId, version: 0, createdAt: at, updatedAt: at, deletedAt: null };
      table.insert(record);
      ops.push({ op: 'create', entity: wireEntityName(entity), id, data });
      return asEntityRecord(entity, record);
    },

    update(entity, id, changes, options) {
      guard();
      assertSyncedEntity(entity);
      const definition = definitionOf(entity);
      const current = live(entity, id);
      if (current === null) throw new LocalRowNotFoundError(entity, id);
      const parsed = definition.patch.safeParse(changes);
      if (!parsed.success)
        throw new LocalWriteValidationError(entity, 'update', id, toValidationIssues(parsed.error.issues));

      const changed: JsonObject = {};
      const before: JsonObject = {};
      for (const [field, value] of Object.entries(toJsonObject(parsed.data))) {
        const previous = current[field] ?? null;
        if (sameValue(previous, value)) continue;
        changed[field] = value;
        before[field] = isJsonValue(previous) ? previous : null;
      }
      if (Object.keys(changed).length === 0) return asEntityRecord(entity, current);

      const merged = { ...current, ...changed, updatedAt: at };
      const checked = definition.schema.safeParse(merged);
      // Sync columns are the server's (and may use its own timestamp spelling): only the entity's
      // own fields and rules are the user's to satisfy.
      const issues = checked.success
        ? []
        : checked.error.issues.filter((issue) => !SYNC_FIELDS.has(String(issue.path[0])));
      if (issues.length > 0)
        throw new LocalWriteValidationError(entity, 'update', id, toValidationIssues(issues));

      ctx.synced(entity).update(id, { ...changed, updatedAt: at });
      const reason = options?.reason?.trim().slice(0, EDIT_REASON_MAX_LENGTH);
      ops.push({
        op: 'update',
        entity: wireEntityName(entity),
        id,
        changed,
        before,
        ...(reason ? { reason } : {}),
      });
      return asEntityRecord(entity, merged);
    },

    delete(entity, id) {
      guard();
      assertSyncedEntity(entity);
      const current = ctx.synced(entity).find(id);
      if (current === null) throw new LocalRowNotFoundError(entity, id);
      if (current.deletedAt !== null) return;
      ctx.synced(entity).update(id, { deletedAt: at, updatedAt: at });
      ops.push({ op: 'delete', entity: wireEntityName(entity), id });
    },

    nextPatientCode(year, patientId) {
      guard();
      const clinicCode = requireClinicCode(ctx);
      const seq = takeCounterNumber(ctx, 'patient_code', String(year));
      return seq === null
        ? { code: formatProvisionalPatientCode(clinicCode, year, patientId), provisional: true, seq: null }
        : { code: formatPatientCode(clinicCode, year, seq), provisional: false, seq };
    },

    nextQueueToken(doctorId, date) {
      guard();
      const tokenNumber = takeCounterNumber(ctx, 'queue_token', date);
      if (tokenNumber !== null) return { tokenNumber, provisional: false };
      const waiting = ctx
        .statement(
          'SELECT count(*) AS n FROM visits WHERE doctor_id = ? AND visit_date = ? AND deleted_at IS NULL',
        )
        .get(doctorId, date);
      return { tokenNumber: null, provisional: true, queuePosition: Number(waiting?.n ?? 0) + 1 };
    },
  };
}

function isThenable(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'then' in value && typeof value.then === 'function';
}

/** Runs `fn` as one local transaction that records one outbox group; see the header for guarantees. */
export function runWrite<T>(ctx: StoreContext, actor: Actor, fn: (writer: LocalWriter) => T): WriteResult<T> {
  if (typeof actor?.userId !== 'string' || actor.userId === '')
    throw new TypeError('store.write needs the acting user');
  if (ctx.sqlite.inTransaction)
    throw new Error('store.write cannot run inside another transaction (do not call write from a write).');

  const transaction = ctx.sqlite.transaction((): WriteResult<T> => {
    const readOnly = ctx.statement('SELECT read_only_reason FROM sync_state WHERE id = 1').get();
    if (typeof readOnly?.read_only_reason === 'string')
      throw new LocalStoreReadOnlyError(readOnly.read_only_reason);
    const session: WriteSession = {
      ctx,
      clinicId: requireClinicId(ctx),
      at: ctx.now().toISOString(),
      ops: [],
      open: true,
    };
    try {
      const value = fn(createWriter(session));
      if (isThenable(value))
        throw new TypeError('store.write callbacks must be synchronous; the write was rolled back.');
      if (session.ops.length > MAX_OPS_PER_GROUP)
        throw new RangeError(`One write may change at most ${MAX_OPS_PER_GROUP} rows; split it.`);
      const group = session.ops.length === 0 ? null : appendGroup(ctx, actor, session.ops, session.at);
      return { value, group };
    } finally {
      session.open = false;
    }
  });
  return transaction.immediate();
}
