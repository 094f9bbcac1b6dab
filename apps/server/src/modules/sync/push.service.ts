import { randomUUID } from 'node:crypto';
import {
  can,
  canTransition,
  capacityCheck,
  formatPatientCode,
  isProvisionalCode,
  parsePatientCode,
  type Role,
  type SyncedEntityName,
  SyncedEntityName as SyncedEntityNames,
  syncedEntities,
} from '@clinicdesk/domain';
import type {
  ErrorCode,
  GroupResult,
  MutationGroup,
  PushResponse,
  RowOperation,
} from '@clinicdesk/sync-protocol';
import { type Insertable, type Kysely, sql } from 'kysely';
import type { AuditEventsTable, DB } from '../../db/tables';
import type { Caller } from '../../plugins/auth.plugin';
import { clinicPeriodEnd, clinicWriteRefusal, type TenantTransaction } from '../../plugins/tenancy.plugin';
import { CreateRun, type NewRow, rowFacts } from './push-batch';
import { PushLookups } from './push-lookups';
import { type EntityPolicy, syncPolicy } from './sync-policy';
import { jsonEqual, type Row, recordToRow, rowToRecord } from './sync-rows';

/**
 * Applies a device's push (DESIGN §5), all under the clinic's write lock in one transaction:
 *
 * - A group whose mutation id was decided before is answered from `sync_groups` (never applied twice).
 * - A group seq that skips ahead of the device's last decided seq is a gap: processing stops there
 *   (SEQUENCE_GAP, nothing recorded) and the device resends from the first missing group.
 * - Each new group runs inside a savepoint: every op applies, or the group is refused as a whole
 *   (the savepoint rolls back) and the refusal is recorded as decided, so it never blocks the queue.
 * - A refused group's rows that exist here are logged again at the clinic's next sequence numbers, so
 *   the device that made the refused change pulls the server's copy back instead of keeping it.
 * - An infrastructure failure throws: the transaction rolls back, nothing is recorded, the device retries.
 */
export type PushDeps = { db: Kysely<DB>; now: () => Date };

/** How far ahead of the server's clock a device timestamp may be before it is refused. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** How long a licence lease lets a device write offline, at most (never past the clinic's period). */
export const LICENCE_LEASE_DAYS = 7;

class Refusal extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** A group the run of new records cannot take (it needs a write, a refusal or a row of the run): decided on its own. */
class Unbatchable extends Error {}

type Notice = {
  code: ErrorCode;
  message: string;
  changes: { entity: string; id: string; field: string; value: string | number }[];
};

type PushContext = {
  trx: TenantTransaction;
  clinicId: string;
  caller: Caller & { deviceId: string };
  now: Date;
  clinic: { code: string; maxPatients: number | null; writableUntil: Date | null; writable: boolean };
  patientsUsed: number | null;
  notices: Notice[];
  lookups: PushLookups;
  /** What each create of the request makes of its data, checked before the lock (see checkCreates). */
  checked: Map<RowOperation, CheckedCreate>;
  /** Groups checked and waiting to be written together; empty whenever a group is decided alone. */
  run: CreateRun;
  /**
   * While a group is checked for the run: the rows its earlier ops create. Anything that would need
   * a write, or a read of a row of the run or of this list, throws Unbatchable.
   */
  joining: NewRow[] | null;
};

const DB_ERROR_CODES: Record<string, ErrorCode> = {
  '23503': 'NOT_FOUND',
  '23505': 'CONFLICT',
  '23514': 'VALIDATION_FAILED',
  '23502': 'VALIDATION_FAILED',
  '22P02': 'VALIDATION_FAILED',
  '22007': 'VALIDATION_FAILED',
  '22008': 'VALIDATION_FAILED',
};

/**
 * Decides every group of a push in order; returns per-group results and the device's ack seq.
 * `onLocked` is called once the request holds the clinic's write lock and will be answered with
 * its results (the clinic may write, the device's state is read); only an infrastructure failure
 * can end it after that.
 */
export async function applyPush(
  deps: PushDeps,
  caller: Caller & { clinicId: string; deviceId: string },
  groups: readonly MutationGroup[],
  onLocked?: () => void,
): Promise<PushResponse> {
  const { db, now: clock } = deps;
  // The checks a create needs nothing but itself for run before the lock, while the clinic's lock
  // may still be held by the request ahead of this one.
  const checked = checkCreates(caller.clinicId, groups, clock());
  const wants = PushLookups.wanted(groups);
  return db.transaction().execute(async (trx) => {
    const clinicId = caller.clinicId;
    // Binds the clinic, takes its write lock and reads the clinic, the device's last decided seq
    // (its state row created on its first push) and what the groups refer to, in one round trip.
    const { clinic, lastGroupSeq, lookups } = await PushLookups.begin(trx, clinicId, caller.deviceId, wants);
    const now = clock();
    const writeRefusal = clinicWriteRefusal(clinic, now);
    if (writeRefusal?.code === 'CLINIC_SUSPENDED') throw writeRefusal;
    const writable = writeRefusal === null;
    // Writes made offline under a valid lease, before a trial or paid period ended, still count.
    const writableUntil = clinicPeriodEnd(clinic);
    let ackSeq = lastGroupSeq;
    onLocked?.();
    const ctx: PushContext = {
      trx,
      clinicId,
      caller,
      now,
      clinic: { code: clinic.code, maxPatients: clinic.max_patients, writableUntil, writable },
      patientsUsed: null,
      notices: [],
      lookups,
      checked,
      run: new CreateRun(),
      joining: null,
    };
    const results: GroupResult[] = [];
    const decided: Decision[] = [];
    const applied: MutationGroup[] = [];
    const record = (group: MutationGroup, result: GroupResult) => {
      if (result.status !== 'refused') applied.push(group);
      const decision = decisionOf(group, result);
      decided.push(decision);
      lookups.decided.set(group.mutationId, {
        status: decision.status ?? 'applied',
        code: decision.code ?? null,
        message: decision.message ?? null,
      });
      results.push(result);
    };
    for (const group of groups) {
      if (
        group.seq === ackSeq + 1 &&
        !lookups.decided.has(group.mutationId) &&
        !ctx.run.hasMutation(group.mutationId) &&
        (await joinRun(ctx, group))
      ) {
        ackSeq = group.seq;
        continue;
      }
      await writeRun(ctx, record);
      const previous = lookups.decided.get(group.mutationId);
      if (previous) {
        // The code of a duplicate means "refused" to the device: an applied group's notice (e.g.
        // CODE_REASSIGNED) stays out of it, or a retried push would file it as a refusal.
        const refusal = previous.status === 'refused';
        results.push({
          mutationId: group.mutationId,
          seq: group.seq,
          status: 'duplicate',
          ...(refusal && previous.code ? { code: previous.code as ErrorCode } : {}),
          ...(refusal && previous.message ? { message: previous.message } : {}),
        });
        continue;
      }
      if (group.seq <= ackSeq) {
        // A different group under a seq already decided: the device's numbering went wrong.
        results.push(
          refused(group, 'SEQUENCE_GAP', `Group seq ${group.seq} was already used by another change`),
        );
        continue;
      }
      if (group.seq !== ackSeq + 1) {
        results.push(refused(group, 'SEQUENCE_GAP', `Expected group seq ${ackSeq + 1}, got ${group.seq}`));
        break;
      }
      record(group, await decideAlone(ctx, group));
      ackSeq = group.seq;
    }
    await writeRun(ctx, record);
    await recordRequest(ctx, { decided, applied, ackSeq });
    return { results, ackSeq };
  });
}

/** Decides one group on its own, in a savepoint; a refused group's rows are logged again. */
async function decideAlone(ctx: PushContext, group: MutationGroup): Promise<GroupResult> {
  const result = await decideGroup(ctx, group);
  if (result.status === 'refused') await resendRows(ctx, group.ops);
  return result;
}

/**
 * Checks a group for the current run of new records (see CreateRun) and adds it when every check
 * passes in memory. False, with nothing changed, when the group must be decided on its own.
 */
async function joinRun(ctx: PushContext, group: MutationGroup): Promise<boolean> {
  if (group.ops.length === 0 || group.ops.some((op) => op.op !== 'create')) return false;
  if (groupRefusal(ctx, group)) return false;
  const patientsBefore = ctx.patientsUsed;
  const lookupsMark = ctx.lookups.mark();
  const rows: NewRow[] = [];
  ctx.joining = rows;
  let joins = false;
  try {
    for (const op of group.ops) {
      if (op.op !== 'create') throw new Unbatchable();
      const prepared = await prepareCreate(ctx, op);
      rows.push({ table: prepared.table, id: op.id, row: prepared.row });
      recordTaken(ctx, prepared.name, prepared.data);
    }
    joins = ctx.run.accepts(rows);
  } catch (err) {
    if (!(err instanceof Refusal || err instanceof Unbatchable)) throw err;
  } finally {
    ctx.joining = null;
  }
  if (!joins) {
    ctx.patientsUsed = patientsBefore;
    ctx.lookups.undo(lookupsMark);
    return false;
  }
  if (ctx.run.size === 0) ctx.run.start = { patientsUsed: patientsBefore, lookupsMark };
  ctx.run.add(group, rows);
  return true;
}

/**
 * Writes the current run: all its rows in a savepoint, then one applied result per group. If the
 * database refuses a row, the savepoint rolls back and each group of the run is decided on its
 * own, which refuses only the groups the database rejects.
 */
async function writeRun(
  ctx: PushContext,
  record: (group: MutationGroup, result: GroupResult) => void,
): Promise<void> {
  const run = ctx.run;
  if (run.size === 0) return;
  const { trx } = ctx;
  const groups = [...run.groups];
  const start = run.start;
  const created = [...run.createdRows()];
  await sql`SAVEPOINT push_run`.execute(trx);
  let refusedBy: unknown = null;
  try {
    await run.insert(trx);
    await sql`RELEASE SAVEPOINT push_run`.execute(trx);
  } catch (err) {
    const pgCode = (err as { code?: string }).code;
    if (!pgCode || !DB_ERROR_CODES[pgCode]) throw err;
    await sql`ROLLBACK TO SAVEPOINT push_run`.execute(trx);
    await sql`RELEASE SAVEPOINT push_run`.execute(trx);
    refusedBy = err;
  }
  run.clear();
  for (const { table, id } of created) ctx.lookups.forget(table, id);
  if (refusedBy === null) {
    for (const group of groups)
      record(group, { mutationId: group.mutationId, seq: group.seq, status: 'applied' });
    return;
  }
  if (start) {
    ctx.patientsUsed = start.patientsUsed;
    ctx.lookups.undo(start.lookupsMark);
  }
  for (const group of groups) record(group, await decideAlone(ctx, group));
}

function refused(
  group: MutationGroup,
  code: ErrorCode,
  message: string,
  details?: Record<string, unknown>,
): GroupResult {
  return {
    mutationId: group.mutationId,
    seq: group.seq,
    status: 'refused',
    code,
    message,
    ...(details ? { details: details as Record<string, never> } : {}),
  };
}

/** The refusal of a whole group decided before any of its ops: dated in the future, or the clinic read-only. */
function groupRefusal(ctx: PushContext, group: MutationGroup): GroupResult | null {
  const createdAt = Date.parse(group.createdAt);
  if (createdAt > ctx.now.getTime() + MAX_CLOCK_SKEW_MS) {
    return refused(
      group,
      'VALIDATION_FAILED',
      'The change is dated in the future; check the clock of this computer',
    );
  }
  if (!ctx.clinic.writable) {
    // A write dated before the trial or paid period ended was made under a valid licence lease
    // (leases never outlast the period) and is accepted when its device comes back online — but
    // only for as long as a lease lasts, so a device clock set back cannot keep a lapsed clinic
    // writing.
    const until = ctx.clinic.writableUntil;
    if (
      !until ||
      createdAt >= until.getTime() ||
      ctx.now.getTime() >= until.getTime() + LICENCE_LEASE_DAYS * 86_400_000
    ) {
      return refused(
        group,
        'SUBSCRIPTION_INACTIVE',
        'The clinic subscription is not active: records are read-only',
      );
    }
  }
  return null;
}

async function decideGroup(ctx: PushContext, group: MutationGroup): Promise<GroupResult> {
  const { trx } = ctx;
  const refusal = groupRefusal(ctx, group);
  if (refusal) return refusal;
  const patientsBefore = ctx.patientsUsed;
  const noticesBefore = ctx.notices.length;
  const lookupsMark = ctx.lookups.mark();
  await sql`SAVEPOINT push_group`.execute(trx);
  try {
    for (const op of group.ops) await applyOp(ctx, op);
    await sql`RELEASE SAVEPOINT push_group`.execute(trx);
  } catch (err) {
    await sql`ROLLBACK TO SAVEPOINT push_group`.execute(trx);
    ctx.patientsUsed = patientsBefore;
    ctx.notices.length = noticesBefore;
    ctx.lookups.undo(lookupsMark);
    if (err instanceof Refusal) return refused(group, err.code, err.message, err.details);
    const pgCode = (err as { code?: string }).code;
    const mapped = pgCode ? DB_ERROR_CODES[pgCode] : undefined;
    if (mapped) {
      const detail = (err as { detail?: string; constraint?: string }).constraint;
      return refused(group, mapped, describeDbRefusal(mapped), detail ? { constraint: detail } : undefined);
    }
    throw err;
  }
  const notices = ctx.notices.slice(noticesBefore);
  const first = notices[0];
  return {
    mutationId: group.mutationId,
    seq: group.seq,
    status: 'applied',
    ...(first ? { code: first.code, message: first.message } : {}),
  };
}

/**
 * Moves the change-log entries of the rows a refused group names to the clinic's next sequence
 * numbers (versions unchanged), so the device that sent it pulls the server's copy of each row
 * again and drops what was refused. Rows the clinic does not have are skipped: nothing of another
 * clinic is ever looked up, and a refused create has nothing to send back.
 */
async function resendRows(ctx: PushContext, ops: readonly RowOperation[]): Promise<void> {
  const seen = new Set<string>();
  for (const op of ops) {
    const entity = SyncedEntityNames.safeParse(op.entity);
    if (!entity.success) continue;
    const table = syncedEntities[entity.data].table;
    const key = `${table}/${op.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const logged = await ctx.trx
      .selectFrom('change_log')
      .select('seq')
      .where('clinic_id', '=', ctx.clinicId)
      .where('entity', '=', table)
      .where('row_id', '=', op.id)
      .executeTakeFirst();
    if (!logged) continue;
    await sql`
      WITH next AS (
        INSERT INTO clinic_sync_state AS s (clinic_id, last_seq) VALUES (${ctx.clinicId}, 1)
        ON CONFLICT (clinic_id) DO UPDATE SET last_seq = s.last_seq + 1
        RETURNING last_seq)
      UPDATE change_log SET seq = (SELECT last_seq FROM next), at = now()
      WHERE clinic_id = ${ctx.clinicId} AND entity = ${table} AND row_id = ${op.id}`.execute(ctx.trx);
  }
}

function describeDbRefusal(code: ErrorCode): string {
  switch (code) {
    case 'NOT_FOUND':
      return 'The change refers to a record that does not exist on the server';
    case 'CONFLICT':
      return 'The change clashes with a record that already exists';
    default:
      return 'The change has a value the server does not accept';
  }
}

function entityOf(name: string): SyncedEntityName {
  const parsed = SyncedEntityNames.safeParse(name);
  if (!parsed.success) throw new Refusal('VALIDATION_FAILED', `Unknown record type: ${name}`);
  return parsed.data;
}

function allowed(role: Role, permissions: readonly string[]): boolean {
  return permissions.some((p) => can(role, p as Parameters<typeof can>[1]));
}

function zodDetails(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }) {
  return { issues: error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) };
}

function refuseFutureTimestamps(now: Date, data: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(data)) {
    if (!key.endsWith('At') || typeof value !== 'string') continue;
    const at = Date.parse(value);
    if (!Number.isNaN(at) && at > now.getTime() + MAX_CLOCK_SKEW_MS) {
      throw new Refusal('VALIDATION_FAILED', `${key} is in the future; check the clock of this computer`, {
        field: key,
      });
    }
  }
}

function loadRow(ctx: PushContext, table: string, id: string): Promise<Row | undefined> {
  refuseRunRow(ctx, table, id);
  return ctx.lookups.row(table, id);
}

/** A row a group of the current run creates is not in the database yet: that group is decided alone. */
function refuseRunRow(ctx: PushContext, table: string, id: string): void {
  if (ctx.run.creates(table, id) || ctx.joining?.some((r) => r.table === table && r.id === id))
    throw new Unbatchable();
}

/**
 * Whether the clinic already has the row a create names. While a group is checked for a run, only
 * what was read already counts: an id that exists unread fails the run's INSERT on the table's
 * primary key, and the run's groups are then decided one by one, this one as a CONFLICT.
 */
async function createdRowExists(ctx: PushContext, table: string, id: string): Promise<boolean> {
  if (!ctx.joining) return (await loadRow(ctx, table, id)) !== undefined;
  refuseRunRow(ctx, table, id);
  return Boolean(ctx.lookups.known(table, id));
}

async function applyOp(ctx: PushContext, op: RowOperation): Promise<void> {
  const name = entityOf(op.entity);
  const def = syncedEntities[name];
  const policy: EntityPolicy = syncPolicy[name];
  const role = ctx.caller.role as Role;
  switch (op.op) {
    case 'create': {
      const { table, row, data } = await prepareCreate(ctx, op);
      ctx.lookups.forget(table, op.id);
      await sql`INSERT INTO ${sql.table(table)} ${insertValues(row)}`.execute(ctx.trx);
      recordTaken(ctx, name, data);
      return;
    }
    case 'update': {
      if (!allowed(role, policy.update))
        throw new Refusal('FORBIDDEN', `Your role (${role}) may not edit ${name} records`);
      const row = await loadRow(ctx, def.table, op.id);
      if (!row || row.deleted_at)
        throw new Refusal('NOT_FOUND', `This ${name} record no longer exists on the server`);
      const current = rowToRecord(row);
      if (policy.finalizable && current.status === 'final') {
        throw new Refusal(
          'IMMUTABLE',
          `This ${name} is final and cannot be changed; record an amendment instead`,
        );
      }
      if (policy.parent) await assertParentEditable(ctx, policy.parent, current);
      const patch = def.patch.safeParse(op.changed);
      if (!patch.success)
        throw new Refusal('VALIDATION_FAILED', `The ${name} change is not valid`, zodDetails(patch.error));
      const changed = patch.data as Record<string, unknown>;
      refuseFutureTimestamps(ctx.now, changed);
      for (const [field, value] of Object.entries(changed)) {
        const serverValue = current[field];
        const agreed = jsonEqual(serverValue, op.before[field]);
        if (!agreed && policy.identity?.includes(field)) {
          throw new Refusal(
            'CONFLICT',
            `Someone else changed ${field} of this ${name} meanwhile; review and retry`,
            {
              field,
              serverValue: serverValue as never,
              yourValue: value as never,
            },
          );
        }
        if (field === 'status' && policy.machine && !jsonEqual(serverValue, value)) {
          if (!canTransition(policy.machine, String(serverValue), String(value))) {
            throw new Refusal(
              'CONFLICT',
              `A ${name} that is ${String(serverValue)} cannot become ${String(value)}`,
              {
                field,
                serverValue: serverValue as never,
              },
            );
          }
        }
      }
      if (policy.finalizable && changed.status === 'final' && !can(role, policy.finalizable.finalize)) {
        throw new Refusal('FORBIDDEN', `Your role (${role}) may not finalize ${name} records`);
      }
      const merged = def.schema.safeParse({ ...current, ...changed });
      if (!merged.success)
        throw new Refusal('VALIDATION_FAILED', `The ${name} change is not valid`, zodDetails(merged.error));
      const set = recordToRow(name, changed);
      if (Object.keys(set).length === 0) return;
      ctx.lookups.forget(def.table, op.id);
      await sql`UPDATE ${sql.table(def.table)} SET ${sql.join(
        Object.entries(set).map(([k, v]) => sql`${sql.ref(k)} = ${v}`),
      )} WHERE clinic_id = ${ctx.clinicId} AND id = ${op.id}`.execute(ctx.trx);
      return;
    }
    case 'delete': {
      if (!allowed(role, policy.delete))
        throw new Refusal('FORBIDDEN', `Your role (${role}) may not delete ${name} records`);
      const row = await loadRow(ctx, def.table, op.id);
      if (!row) throw new Refusal('NOT_FOUND', `This ${name} record does not exist on the server`);
      if (row.deleted_at) return;
      if (policy.finalizable && row.status === 'final') {
        throw new Refusal('IMMUTABLE', `This ${name} is final and cannot be deleted`);
      }
      if (policy.parent) await assertParentEditable(ctx, policy.parent, rowToRecord(row));
      ctx.lookups.forget(def.table, op.id);
      await sql`UPDATE ${sql.table(def.table)} SET deleted_at = ${ctx.now} WHERE clinic_id = ${ctx.clinicId} AND id = ${op.id}`.execute(
        ctx.trx,
      );
      if (policy.capacity === 'patients' && ctx.patientsUsed !== null) ctx.patientsUsed -= 1;
      return;
    }
    default: {
      const never: never = op;
      throw new Refusal('VALIDATION_FAILED', `Unknown operation ${String(never)}`);
    }
  }
}

/**
 * Every check of a create (role, schema, clock, existence, parent, capacity) and the settling of its
 * patient code or queue token; returns the row to insert. Throws a Refusal.
 */
async function prepareCreate(
  ctx: PushContext,
  op: Extract<RowOperation, { op: 'create' }>,
): Promise<{ name: SyncedEntityName; table: string; row: Row; data: Record<string, unknown> }> {
  const name = entityOf(op.entity);
  const def = syncedEntities[name];
  const policy: EntityPolicy = syncPolicy[name];
  const role = ctx.caller.role as Role;
  if (!allowed(role, policy.create))
    throw new Refusal('FORBIDDEN', `Your role (${role}) may not add ${name} records`);
  const checked = ctx.checked.get(op) ?? checkCreate(ctx.clinicId, name, op, ctx.now);
  if ('refusal' in checked) throw checked.refusal;
  // A copy: settling the patient code or queue token below changes it.
  const data = { ...checked.data };
  const noticesBefore = ctx.notices.length;
  if (await createdRowExists(ctx, def.table, op.id))
    throw new Refusal('CONFLICT', `This ${name} record already exists`);
  if (policy.parent) await assertParentEditable(ctx, policy.parent, data);
  if (policy.capacity === 'patients') await reservePatient(ctx);
  if (name === 'patient') await settlePatientCode(ctx, op.id, data);
  if (name === 'visit') await settleQueueToken(ctx, op.id, data);
  if (policy.finalizable && data.status === 'final' && !can(role, policy.finalizable.finalize)) {
    throw new Refusal('FORBIDDEN', `Your role (${role}) may not finalize ${name} records`);
  }
  // The row checked before the lock, unless a code or token was settled differently since.
  const row =
    ctx.notices.length === noticesBefore
      ? checked.row
      : { ...recordToRow(name, data), clinic_id: ctx.clinicId };
  return { name, table: def.table, row, data };
}

/** A create's data as its entity's schema reads it and the row it becomes, or why it is refused. */
type CheckedCreate = { data: Record<string, unknown>; row: Row } | { refusal: Refusal };

/**
 * The checks of a create that depend on nothing but the create itself (its id, its entity's
 * schema, its timestamps against the server's clock) and the row it becomes, for every create of a
 * request. Run before the clinic's lock is taken; `prepareCreate` throws the refusal in its place
 * among the other checks, so a group gets the same refusal either way. Unknown entities are left to
 * `prepareCreate`.
 */
function checkCreates(
  clinicId: string,
  groups: readonly MutationGroup[],
  now: Date,
): Map<RowOperation, CheckedCreate> {
  const checked = new Map<RowOperation, CheckedCreate>();
  for (const group of groups) {
    for (const op of group.ops) {
      if (op.op !== 'create') continue;
      const entity = SyncedEntityNames.safeParse(op.entity);
      if (entity.success) checked.set(op, checkCreate(clinicId, entity.data, op, now));
    }
  }
  return checked;
}

function checkCreate(
  clinicId: string,
  name: SyncedEntityName,
  op: Extract<RowOperation, { op: 'create' }>,
  now: Date,
): CheckedCreate {
  if (op.data.id !== undefined && op.data.id !== op.id)
    return { refusal: new Refusal('VALIDATION_FAILED', 'id does not match the record') };
  const parsed = syncedEntities[name].input.safeParse({ ...op.data, id: op.id });
  if (!parsed.success) {
    return {
      refusal: new Refusal('VALIDATION_FAILED', `The ${name} record is not valid`, zodDetails(parsed.error)),
    };
  }
  const data = parsed.data as Record<string, unknown>;
  try {
    refuseFutureTimestamps(now, data);
  } catch (err) {
    if (err instanceof Refusal) return { refusal: err };
    throw err;
  }
  const row = { ...recordToRow(name, data), clinic_id: clinicId };
  // What a run needs of the row, worked out now rather than under the lock.
  rowFacts(syncedEntities[name].table, row);
  return { data, row };
}

/** After a create: its patient code or queue token is taken for the rest of the request. */
function recordTaken(ctx: PushContext, name: SyncedEntityName, data: Record<string, unknown>): void {
  if (name === 'patient') ctx.lookups.patientInserted(data.patientCode);
  if (name === 'visit') ctx.lookups.visitInserted(data.visitDate, data.tokenNumber);
}

function insertValues(row: Row) {
  const keys = Object.keys(row);
  return sql`(${sql.join(keys.map((k) => sql.ref(k)))}) VALUES (${sql.join(keys.map((k) => row[k]))})`;
}

async function assertParentEditable(
  ctx: PushContext,
  parent: NonNullable<EntityPolicy['parent']>,
  record: Record<string, unknown>,
): Promise<void> {
  const parentId = record[parent.field];
  if (typeof parentId !== 'string') return;
  const row = await loadRow(ctx, syncedEntities[parent.entity].table, parentId);
  if (row?.status === 'final') {
    throw new Refusal(
      'IMMUTABLE',
      `The ${parent.entity} is final; its items cannot change. Record an amendment instead`,
    );
  }
}

async function reservePatient(ctx: PushContext): Promise<void> {
  // Without a limit nothing is refused, so the clinic's patients need not be counted.
  if (ctx.clinic.maxPatients === null) return;
  if (ctx.patientsUsed === null) {
    const { rows } = await sql<{ n: number }>`
      SELECT count(*) AS n FROM patients WHERE clinic_id = ${ctx.clinicId} AND deleted_at IS NULL`.execute(
      ctx.trx,
    );
    ctx.patientsUsed = Number(rows[0]?.n ?? 0);
  }
  const check = capacityCheck({ limit: ctx.clinic.maxPatients, used: ctx.patientsUsed });
  if (!check.ok) {
    throw new Refusal(
      'CAPACITY_EXCEEDED',
      `This clinic has ${ctx.patientsUsed} of ${ctx.clinic.maxPatients} patients; ask ClinicDesk to raise the limit`,
      {
        resource: 'patients',
        limit: ctx.clinic.maxPatients,
        used: ctx.patientsUsed,
      },
    );
  }
  ctx.patientsUsed += 1;
}

/** Takes the next number of a counter on the server (for codes the server must assign itself). */
async function nextServerNumber(ctx: PushContext, counter: string, scope: string): Promise<number> {
  if (ctx.joining) throw new Unbatchable();
  const { rows } = await sql<{ value: number }>`
    INSERT INTO counters AS c (clinic_id, counter, scope, next_value) VALUES (${ctx.clinicId}, ${counter}, ${scope}, 2)
    ON CONFLICT (clinic_id, counter, scope) DO UPDATE SET next_value = c.next_value + 1
    RETURNING next_value - 1 AS value`.execute(ctx.trx);
  const value = rows[0]?.value;
  if (value === undefined) throw new Error('counter did not return a value');
  return Number(value);
}

/**
 * A pushed patient code must be final, this clinic's, from a block leased to this device, and
 * unused; otherwise (provisional code, or a collision) the server assigns the next number of the
 * same counter the leases come from (so it can never collide with a leased block) and tells the
 * device (CODE_REASSIGNED).
 */
async function settlePatientCode(ctx: PushContext, id: string, data: Record<string, unknown>): Promise<void> {
  const code = String(data.patientCode ?? '');
  const parsed = parsePatientCode(code);
  const year = parsed?.year ?? ctx.now.getUTCFullYear();
  if (parsed && !isProvisionalCode(code) && parsed.clinicCode === ctx.clinic.code && 'seq' in parsed) {
    if (
      !(await ctx.lookups.patientCodeTaken(code)) &&
      (await ctx.lookups.inDeviceLease('patient_code', String(year), Number(parsed.seq)))
    )
      return;
  }
  const next = formatPatientCode(
    ctx.clinic.code,
    year,
    await nextServerNumber(ctx, 'patient_code', String(year)),
  );
  data.patientCode = next;
  ctx.notices.push({
    code: 'CODE_REASSIGNED',
    message: `Patient code ${code} was replaced by ${next}`,
    changes: [{ entity: 'patient', id, field: 'patientCode', value: next }],
  });
}

/** Queue tokens: from this device's block for the day and unused, or assigned here (also when none was given). */
async function settleQueueToken(ctx: PushContext, id: string, data: Record<string, unknown>): Promise<void> {
  const token = data.tokenNumber;
  const date = String(data.visitDate);
  if (typeof token === 'number') {
    if (
      !(await ctx.lookups.queueTokenTaken(date, token)) &&
      (await ctx.lookups.inDeviceLease('queue_token', date, token))
    )
      return;
  }
  const next = await nextServerNumber(ctx, 'queue_token', date);
  data.tokenNumber = next;
  ctx.notices.push({
    code: 'CODE_REASSIGNED',
    message:
      token === null || token === undefined
        ? `Token ${next} assigned`
        : `Token ${String(token)} was replaced by ${next}`,
    changes: [{ entity: 'visit', id, field: 'tokenNumber', value: next }],
  });
}

/**
 * A decision as the request's statement reads it into `sync_groups`: a group applied without a
 * notice or changes is its mutation id and seq alone (status 'applied', no result: the pull rebuilds
 * `{ mutationId, seq, status }` from the columns); any other keeps its status, code, message and
 * the result the device received.
 */
type Decision = {
  mutation_id: string;
  seq: number;
  status?: 'refused' | 'applied';
  code?: string;
  message?: string;
  result?: GroupResult;
};

function decisionOf(group: MutationGroup, result: GroupResult): Decision {
  const decision: Decision = { mutation_id: group.mutationId, seq: group.seq };
  if (
    result.status === 'applied' &&
    result.code === undefined &&
    result.message === undefined &&
    result.changes === undefined
  )
    return decision;
  decision.status = result.status === 'refused' ? 'refused' : 'applied';
  if ('code' in result && result.code !== undefined) decision.code = result.code;
  if ('message' in result && result.message !== undefined) decision.message = result.message;
  decision.result = result;
  return decision;
}

/**
 * A row operation as the audit names it: which record, and for an edit which fields changed and the
 * user's reason — never the values (the audit log holds no patient data).
 */
function auditedOp(op: RowOperation) {
  const named = { op: op.op, entity: op.entity, id: op.id };
  if (op.op !== 'update') return named;
  return { ...named, fields: Object.keys(op.changed), ...(op.reason ? { reason: op.reason } : {}) };
}

/**
 * Everything a request records after its groups, in one statement: the decisions (`sync_groups`,
 * in group order), the audit event of its writes (DESIGN §8: one event naming every applied group
 * and the row operations each applied; the hash-chain trigger chains it), the device's last decided
 * seq, and when the device was last seen.
 */
async function recordRequest(
  ctx: PushContext,
  request: { decided: Decision[]; applied: readonly MutationGroup[]; ackSeq: number },
): Promise<void> {
  const { trx, clinicId, caller, now } = ctx;
  const parts = [];
  if (request.decided.length > 0) {
    // All decisions as one JSON parameter, most of them a mutation id and a seq: PostgreSQL reads
    // them far faster than eight bound parameters a row, or than a JSON result for each.
    parts.push(sql`decided AS (
      INSERT INTO sync_groups (clinic_id, mutation_id, device_id, seq, status, code, message, result)
      SELECT CAST(${clinicId} AS uuid), mutation_id, CAST(${caller.deviceId} AS uuid), seq, coalesce(status, 'applied'), code, message, result
      FROM json_to_recordset(${JSON.stringify(request.decided)}::json) AS d(
        mutation_id uuid, seq bigint, status text, code text, message text, result jsonb))`);
  }
  if (request.applied.length > 0) {
    const event = {
      clinic_id: clinicId,
      id: randomUUID(),
      actor_type: 'user',
      actor_id: caller.sub,
      actor_role: caller.role,
      device_id: caller.deviceId,
      action: 'sync.push.applied',
      entity: 'device',
      entity_id: caller.deviceId,
      details: JSON.stringify({
        groups: request.applied.map((group) => ({
          mutationId: group.mutationId,
          seq: group.seq,
          ops: group.ops.map(auditedOp),
        })),
      }),
    } satisfies Insertable<AuditEventsTable>;
    parts.push(sql`audited AS (${trx.insertInto('audit_events').values(event)})`);
  }
  parts.push(
    sql`state AS (${trx
      .updateTable('device_sync_state')
      .set({ last_group_seq: request.ackSeq, last_push_at: now })
      .where('clinic_id', '=', clinicId)
      .where('device_id', '=', caller.deviceId)})`,
  );
  await sql`WITH ${sql.join(parts)} ${trx
    .updateTable('devices')
    .set({ last_seen_at: now, last_sync_at: now })
    .where('clinic_id', '=', clinicId)
    .where('id', '=', caller.deviceId)}`.execute(trx);
}
