/*
 * The sync inbox: groups the server refused, with the reason and the full ops, until the user
 * dismisses them, fixes and resubmits them, or exports them (DESIGN §5: nothing is dropped silently).
 *
 * Invariants:
 * - An item is never deleted; resolving only stamps `resolved_at` and how it was resolved.
 * - Dismissing an item removes the rows its refused group created that the server never had, so
 *   the device ends up with the clinic's records only; the record itself stays in the item.
 * - Resubmitting validates every op with the domain schemas, applies it to the local rows, appends
 *   ONE new outbox group (new mutation id, next seq) and resolves the item, all in one transaction.
 *   The original group is never resent: the server has already decided it.
 */
import { type JsonValue, syncedEntities } from '@clinicdesk/domain';
import { readIdentity, requireClinicId } from './clinic-info';
import { syncedEntityFromWire, wireEntityName } from './entity-names';
import {
  LocalRowNotFoundError,
  LocalStoreReadOnlyError,
  LocalWriteValidationError,
  type ValidationIssue,
} from './local-store.errors';
import { quoteIdent } from './local-tables';
import { toValidationIssues } from './local-writer';
import { type Actor, appendGroup } from './outbox';
import { isJsonValue, toJsonObject } from './row-codec';
import type { StoreContext } from './store-context';
import { type JsonObject, MAX_OPS_PER_GROUP, type OutboxGroup, type RowOperation } from './sync-messages';

/** One refused group as the sync centre shows it. */
export interface InboxItem {
  /** The refused group's mutation id. */
  readonly id: string;
  readonly seq: number;
  /** The server's error code, e.g. CAPACITY_EXCEEDED, CONFLICT. */
  readonly code: string;
  readonly message: string;
  readonly details: { readonly [key: string]: JsonValue } | null;
  /** The group's ops, exactly as they were pushed. */
  readonly ops: readonly RowOperation[];
  /** The rows the group touched. */
  readonly rows: readonly { readonly entity: string; readonly id: string }[];
  readonly actorId: string | null;
  /** When the group was written locally. */
  readonly createdAt: string | null;
  /** When the refusal arrived. */
  readonly receivedAt: string;
  readonly resolvedAt: string | null;
  readonly resolution: 'dismissed' | 'resubmitted' | null;
  /** The mutation id of the group that resubmitted it. */
  readonly resubmittedAs: string | null;
}

function text(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

function parseJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : null;
}

function toItem(row: Record<string, unknown>): InboxItem {
  // Ops were written by this package from validated groups; the column is CHECKed to be a JSON array.
  const ops = parseJson(row.ops) as RowOperation[];
  const details = parseJson(row.details);
  return {
    id: String(row.group_id),
    seq: Number(row.seq),
    code: String(row.code),
    message: String(row.message),
    details:
      isJsonValue(details) && typeof details === 'object' && details !== null && !Array.isArray(details)
        ? details
        : null,
    ops,
    rows: ops.map((op) => ({ entity: op.entity, id: op.id })),
    actorId: text(row.actor_id),
    createdAt: text(row.created_at),
    receivedAt: String(row.received_at),
    resolvedAt: text(row.resolved_at),
    resolution: row.resolution === 'dismissed' || row.resolution === 'resubmitted' ? row.resolution : null,
    resubmittedAs: text(row.resubmitted_as),
  };
}

/** Inbox items, oldest first; resolved ones only when asked for. */
export function listInbox(ctx: StoreContext, options: { includeResolved?: boolean } = {}): InboxItem[] {
  const sql = options.includeResolved
    ? 'SELECT * FROM sync_inbox ORDER BY seq'
    : 'SELECT * FROM sync_inbox WHERE resolved_at IS NULL ORDER BY seq';
  return ctx.statement(sql).all().map(toItem);
}

/** One inbox item, or null. */
export function findInboxItem(ctx: StoreContext, id: string): InboxItem | null {
  const row = ctx.statement('SELECT * FROM sync_inbox WHERE group_id = ?').get(id);
  return row === undefined ? null : toItem(row);
}

/**
 * Marks an item dismissed (the user saw it and let it go); false when it was already resolved.
 * Rows the refused group created that the server never had (version 0) leave the tables with it:
 * letting the refusal go means the record is not the clinic's.
 */
export function resolveInboxItem(ctx: StoreContext, id: string): boolean {
  const item = findInboxItem(ctx, id);
  if (item === null) throw new LocalRowNotFoundError('sync inbox item', id);
  return ctx.sqlite
    .transaction((): boolean => {
      const result = ctx
        .statement(
          "UPDATE sync_inbox SET resolved_at = ?, resolution = 'dismissed' WHERE group_id = ? AND resolved_at IS NULL",
        )
        .run(ctx.now().toISOString(), id);
      if (result.changes === 0) return false;
      for (const op of item.ops) {
        const entity = op.op === 'create' ? syncedEntityFromWire(ctx.targets, op.entity) : null;
        if (entity === null) continue;
        const table = ctx.synced(entity).spec.table;
        // Later local edits of the row still go to the server, which refuses them into the inbox.
        ctx.statement(`DELETE FROM ${quoteIdent(table)} WHERE id = ? AND version = 0`).run(op.id);
      }
      return true;
    })
    .immediate();
}

function fail(entity: string, id: string | null, issues: ValidationIssue[]): never {
  throw new LocalWriteValidationError(entity, 'resubmit', id, issues);
}

/** Validates one resubmitted op and applies it to the local row; returns the op as it will be pushed. */
function applyResubmittedOp(ctx: StoreContext, op: RowOperation, clinicId: string, at: string): RowOperation {
  const entity = syncedEntityFromWire(ctx.targets, op.entity);
  if (entity === null) fail(op.entity, op.id, [{ path: ['entity'], message: `Unknown entity ${op.entity}` }]);
  const definition = syncedEntities[entity];
  const table = ctx.synced(entity);
  const wire = wireEntityName(entity);
  const current = table.find(op.id);

  switch (op.op) {
    case 'create': {
      const parsed = definition.input.safeParse({ ...op.data, id: op.id });
      if (!parsed.success) fail(entity, op.id, toValidationIssues(parsed.error.issues));
      const data = toJsonObject(parsed.data);
      if (current === null) {
        table.insert({ ...data, clinicId, version: 0, createdAt: at, updatedAt: at, deletedAt: null });
      } else {
        const { id: _id, ...fields } = data;
        table.update(op.id, { ...fields, updatedAt: at, deletedAt: null });
      }
      return { op: 'create', entity: wire, id: op.id, data };
    }
    case 'update': {
      const parsed = definition.patch.safeParse(op.changed);
      if (!parsed.success) fail(entity, op.id, toValidationIssues(parsed.error.issues));
      const changed: JsonObject = toJsonObject(parsed.data);
      const keys = Object.keys(changed).sort().join();
      if (keys === '' || keys !== Object.keys(op.before).sort().join())
        fail(entity, op.id, [{ path: ['before'], message: 'before must name exactly the changed fields' }]);
      if (current === null) throw new LocalRowNotFoundError(entity, op.id);
      table.update(op.id, { ...changed, updatedAt: at });
      return { op: 'update', entity: wire, id: op.id, changed, before: toJsonObject(op.before) };
    }
    case 'delete':
      if (current !== null && current.deletedAt === null)
        table.update(op.id, { deletedAt: at, updatedAt: at });
      return { op: 'delete', entity: wire, id: op.id };
    default:
      return op satisfies never;
  }
}

/**
 * Resubmits a refused group as a new outbox group, with the user's fixed ops or the original ones;
 * resolves the item. Refused while the store is read-only.
 */
export function resubmitInboxItem(
  ctx: StoreContext,
  id: string,
  fixedOps?: readonly RowOperation[],
  actor?: Actor,
): OutboxGroup {
  return ctx.sqlite
    .transaction((): OutboxGroup => {
      const readOnly = ctx.statement('SELECT read_only_reason FROM sync_state WHERE id = 1').get();
      if (typeof readOnly?.read_only_reason === 'string')
        throw new LocalStoreReadOnlyError(readOnly.read_only_reason);
      const item = findInboxItem(ctx, id);
      if (item === null) throw new LocalRowNotFoundError('sync inbox item', id);
      if (item.resolvedAt !== null) throw new Error(`Sync inbox item ${id} was already ${item.resolution}.`);
      const ops = fixedOps ?? item.ops;
      if (ops.length === 0 || ops.length > MAX_OPS_PER_GROUP)
        throw new RangeError(`A resubmitted group needs 1 to ${MAX_OPS_PER_GROUP} ops.`);

      const at = ctx.now().toISOString();
      const clinicId = requireClinicId(ctx);
      const applied = ops.map((op) => applyResubmittedOp(ctx, op, clinicId, at));
      const by = actor ?? (item.actorId === null ? null : { userId: item.actorId });
      const group = appendGroup(ctx, by, applied, at);
      ctx
        .statement(
          "UPDATE sync_inbox SET resolved_at = ?, resolution = 'resubmitted', resubmitted_as = ? WHERE group_id = ?",
        )
        .run(at, group.mutationId, id);
      return group;
    })
    .immediate();
}

/** The inbox as a JSON document the user can save or send to support. */
export function exportInbox(ctx: StoreContext, options: { includeResolved?: boolean } = {}): string {
  const identity = readIdentity(ctx);
  return JSON.stringify(
    {
      format: 'clinicdesk-sync-inbox',
      formatVersion: 1,
      exportedAt: ctx.now().toISOString(),
      deviceId: identity?.deviceId ?? null,
      clinicId: identity?.clinicId ?? null,
      items: listInbox(ctx, { includeResolved: options.includeResolved ?? true }),
    },
    null,
    2,
  );
}
