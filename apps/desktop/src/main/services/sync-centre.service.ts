/**
 * The sync centre (DESIGN §5: nothing is dropped silently): the change groups waiting for the
 * server, the ones it refused with their reason and full record, and what the user can do about a
 * refusal — fix fields and resubmit it as a new group, dismiss it, or export the inbox as a file.
 */
import { formatToken, patientFullName } from '@clinicdesk/domain';
import type { JsonObject, LocalStore, RowOperation } from '@clinicdesk/local-store';
import type { FieldValue, PendingGroupView, RefusedGroupView, SyncOpView } from '../../shared/app-views';
import { IpcError } from '../../shared/ipc-errors';

/** Field edits for some ops of a refused group, by op index. */
export type OpFixes = readonly {
  readonly opIndex: number;
  readonly fields: Readonly<Record<string, FieldValue>>;
}[];

const PENDING_SHOWN = 200;

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function fieldsOf(op: RowOperation): JsonObject {
  switch (op.op) {
    case 'create':
      return op.data;
    case 'update':
      return op.changed;
    case 'delete':
      return {};
    default:
      return op satisfies never;
  }
}

/** A label for the record an op touches, from its own fields or the stored rows. */
export function opLabel(store: LocalStore, op: RowOperation): string {
  const fields = fieldsOf(op);
  const patientLabel = (patientId: unknown) => {
    const patient = typeof patientId === 'string' ? store.get('patient', patientId) : null;
    return patient === null ? null : `${patientFullName(patient)} (${patient.patientCode})`;
  };
  switch (op.entity) {
    case 'patient': {
      const first = text(fields.firstName);
      if (first !== null) {
        const name = patientFullName({ firstName: first, lastName: text(fields.lastName) });
        const code = text(fields.patientCode);
        return code === null ? name : `${name} (${code})`;
      }
      return patientLabel(op.id) ?? op.id;
    }
    case 'visit': {
      const visit = store.get('visit', op.id);
      const token = typeof fields.tokenNumber === 'number' ? fields.tokenNumber : visit?.tokenNumber;
      const who = patientLabel(fields.patientId ?? visit?.patientId) ?? op.id;
      return typeof token === 'number' ? `${who} · ${formatToken(token)}` : who;
    }
    case 'appointment': {
      const appointment = store.get('appointment', op.id);
      const who = patientLabel(fields.patientId ?? appointment?.patientId) ?? op.id;
      const when = [text(fields.date) ?? appointment?.date, text(fields.startTime) ?? appointment?.startTime];
      return `${who} · ${when.filter((part) => part != null).join(' ')}`;
    }
    default:
      return op.id;
  }
}

function opView(store: LocalStore, op: RowOperation): SyncOpView {
  return { op: op.op, entity: op.entity, id: op.id, label: opLabel(store, op), fields: fieldsOf(op) };
}

/** The groups waiting for the server, oldest first. */
export function pendingView(store: LocalStore): PendingGroupView[] {
  return store.pendingGroups(PENDING_SHOWN).map((group) => ({
    mutationId: group.mutationId,
    seq: group.seq,
    createdAt: group.createdAt,
    ops: group.ops.map((op) => opView(store, op)),
  }));
}

/** The refused groups not yet resolved, oldest first. */
export function refusedView(store: LocalStore): RefusedGroupView[] {
  return store.inbox().map((item) => ({
    id: item.id,
    seq: item.seq,
    code: item.code,
    message: item.message,
    details: item.details,
    createdAt: item.createdAt,
    receivedAt: item.receivedAt,
    ops: item.ops.map((op) => opView(store, op)),
  }));
}

/** The refused group's ops with the user's fixes applied (creates: data; updates: changed fields). */
export function applyFixes(ops: readonly RowOperation[], fixes: OpFixes): RowOperation[] {
  const byIndex = new Map(fixes.map((fix) => [fix.opIndex, fix.fields]));
  for (const index of byIndex.keys()) {
    if (!Number.isInteger(index) || index < 0 || index >= ops.length) {
      throw new IpcError('INVALID_ARGUMENTS', `No operation ${index} in this group`);
    }
  }
  return ops.map((op, index): RowOperation => {
    const fields = byIndex.get(index);
    if (fields === undefined) return op;
    switch (op.op) {
      case 'create':
        return { ...op, data: { ...op.data, ...fields } };
      case 'update': {
        // Only fields the update already changes may be edited: `before` must keep naming them.
        const unknown = Object.keys(fields).filter((field) => !Object.hasOwn(op.changed, field));
        if (unknown.length > 0)
          throw new IpcError('INVALID_ARGUMENTS', `Not changed by this update: ${unknown.join(', ')}`);
        return { ...op, changed: { ...op.changed, ...fields } };
      }
      case 'delete':
        throw new IpcError('INVALID_ARGUMENTS', 'A deletion has no fields to fix');
      default:
        return op satisfies never;
    }
  });
}

/** Resubmits a refused group, fixed or as it was; returns the new group's mutation id. */
export function resubmit(store: LocalStore, userId: string, id: string, fixes: OpFixes): string {
  const item = store.inbox().find((candidate) => candidate.id === id);
  if (item === undefined) throw new IpcError('NOT_FOUND', 'That refused change is no longer waiting');
  const ops = fixes.length === 0 ? undefined : applyFixes(item.ops, fixes);
  return store.resubmitInboxItem(id, ops, { userId }).mutationId;
}
