/*
 * The sync messages the local store produces and consumes, as plain types.
 *
 * The local store may import only the domain (DESIGN §1), so it cannot import the wire schemas of
 * `@clinicdesk/sync-protocol`. These types mirror them structurally instead:
 * - what the store hands out (`OutboxGroup`, `RowOperation`) is assignable to sync-protocol's
 *   `MutationGroup` / `RowOperation` (same field names, JSON values only);
 * - what the store accepts (`PullPage`, `PushGroupResult`, `CounterLease`) is a supertype of
 *   sync-protocol's `PullResponse`, `GroupResult` and `LeaseResponse`, so the sync engine passes
 *   parsed wire messages straight in. A drift fails to compile at the engine's call site.
 *
 * Invariants:
 * - Groups carry a mutation id (UUID) and a per-device seq that grows by exactly one per group.
 * - `create` carries the whole validated input; `update` the changed fields and the values they had
 *   before the edit, with the same keys in both, and the user's reason when one was given (the
 *   server's audit records it); `delete` only the row's identity.
 * - Field names inside ops are the domain's camelCase field names; entity names are the domain
 *   registry's keys (`labResult`).
 */
import type { JsonValue } from '@clinicdesk/domain';

/** Most row operations one group may carry (sync-protocol `GROUP_MAX_OPS`). */
export const MAX_OPS_PER_GROUP = 1000;

/** Longest reason an edit carries; longer ones are cut (sync-protocol `EDIT_REASON_MAX_LENGTH`). */
export const EDIT_REASON_MAX_LENGTH = 500;

/** A JSON object: a row's fields, or a subset of them. */
export type JsonObject = { [field: string]: JsonValue };

/** One row operation of a group, exactly as pushed. */
export type RowOperation =
  | { op: 'create'; entity: string; id: string; data: JsonObject }
  | { op: 'update'; entity: string; id: string; changed: JsonObject; before: JsonObject; reason?: string }
  | { op: 'delete'; entity: string; id: string };

/** One local transaction's changes, exactly as pushed (`mutationGroupSchema`). */
export interface OutboxGroup {
  mutationId: string;
  seq: number;
  createdAt: string;
  ops: RowOperation[];
}

/** One committed server change, as a pull page or an applied push result carries it. */
export interface PulledChange {
  readonly seq: number;
  readonly entity: string;
  readonly id: string;
  readonly version: number;
  readonly op: 'create' | 'update' | 'delete';
  /** The whole row after the change, field names in camelCase or snake_case. */
  readonly data: Readonly<Record<string, unknown>>;
}

/** Values at the head of every run row, before the row's field values: seq, version, op. */
export const RUN_ROW_HEAD = 3;

/** One change of a run: `[seq, version, op, ...values in the run's field order]` (sync-protocol `RunRow`). */
export type RunRow = readonly unknown[];

/**
 * Consecutive changes of one entity as a pull page carries them (sync-protocol `ChangeRun`): the
 * field names once, then one array per change. `fields` include `id`.
 */
export interface ChangeRun {
  readonly entity: string;
  readonly fields: readonly string[];
  readonly rows: readonly RunRow[];
}

/** How many changes `runs` hold. */
export function runChangeCount(runs: readonly ChangeRun[]): number {
  let count = 0;
  for (const run of runs) count += run.rows.length;
  return count;
}

/** One row of a run as a change object. */
export function changeOfRunRow(run: ChangeRun, row: RunRow): PulledChange {
  const data: Record<string, unknown> = {};
  run.fields.forEach((field, index) => {
    data[field] = row[RUN_ROW_HEAD + index] ?? null;
  });
  return {
    seq: Number(row[0]),
    entity: run.entity,
    id: String(data.id),
    version: Number(row[1]),
    op: row[2] as PulledChange['op'],
    data,
  };
}

/**
 * Change objects as runs: consecutive changes of one entity with the same fields share a run. The
 * change's `id` is the run's `id` field (it wins over an `id` in `data`).
 */
export function runsOfChanges(changes: readonly PulledChange[]): ChangeRun[] {
  const runs: { entity: string; fields: string[]; rows: unknown[][] }[] = [];
  let current: (typeof runs)[number] | undefined;
  for (const change of changes) {
    const fields = ['id', ...Object.keys(change.data).filter((field) => field !== 'id')];
    if (
      current === undefined ||
      current.entity !== change.entity ||
      current.fields.length !== fields.length ||
      current.fields.some((field, index) => field !== fields[index])
    ) {
      current = { entity: change.entity, fields, rows: [] };
      runs.push(current);
    }
    current.rows.push([
      change.seq,
      change.version,
      change.op,
      change.id,
      ...fields.slice(1).map((field) => change.data[field]),
    ]);
  }
  return runs;
}

/** The server's decision on one pushed group (push results and pull decisions). */
export interface PushGroupResult {
  readonly mutationId: string;
  readonly seq: number;
  readonly status: 'applied' | 'refused' | 'duplicate';
  /** Refusal code; on `applied` only a notice (e.g. CODE_REASSIGNED). */
  readonly code?: string | undefined;
  readonly message?: string | undefined;
  readonly details?: Readonly<Record<string, unknown>> | undefined;
  /** For `applied`: the rows as the server recorded them. */
  readonly changes?: readonly PulledChange[] | undefined;
}

/** The clinic's status, limits, usage and licence lease, carried by every pull page. */
export interface ClinicSnapshot {
  readonly status: 'trial' | 'active' | 'expired' | 'suspended';
  readonly limits: Readonly<Record<'patients' | 'doctors' | 'receptionists' | 'labTechs', number | null>>;
  readonly usage: Readonly<Record<'patients' | 'doctors' | 'receptionists' | 'labTechs', number>>;
  readonly lease: { readonly issuedAt: string; readonly expiresAt: string; readonly token: string };
}

/** One pull page (`pullResponseSchema`): its changes as runs, in seq order. */
export interface PullPage {
  readonly runs: readonly ChangeRun[];
  readonly hasMore: boolean;
  readonly nextCursor: number;
  /** At most this many changes remain after `nextCursor` (for first-sync progress). */
  readonly remaining?: number | undefined;
  readonly ackSeq: number;
  readonly decisions: readonly PushGroupResult[];
  readonly clinic: ClinicSnapshot;
}

/** Counters a device leases blocks of. */
export type CounterName = 'patient_code' | 'queue_token';

/** A leased block of counter numbers (`leaseResponseSchema`). */
export interface CounterLease {
  readonly leaseId: string;
  readonly counter: CounterName;
  /** `patient_code`: the year (`2026`); `queue_token`: the clinic day (`2026-03-14`). */
  readonly scope: string;
  /** First number of the block, inclusive. */
  readonly from: number;
  /** Last number of the block, inclusive. */
  readonly to: number;
  readonly issuedAt: string;
}
