import {
  parsePatientCode,
  type SyncedEntityName,
  SyncedEntityName as SyncedEntityNames,
  syncedEntities,
} from '@clinicdesk/domain';
import type { MutationGroup } from '@clinicdesk/sync-protocol';
import { type Selectable, sql } from 'kysely';
import type { ClinicsTable } from '../../db/tables';
import type { TenantTransaction } from '../../plugins/tenancy.plugin';
import { type EntityPolicy, syncPolicy } from './sync-policy';
import type { Row } from './sync-rows';

/**
 * What a push needs to read, fetched for the whole request in a few queries (one per table) under
 * the clinic's write lock, instead of one round trip per group. Answers stay those the database
 * would give at the moment of each read:
 *
 * - A row the push writes is forgotten, so the next read of it goes to the database.
 * - The ids of the records the request creates are not read up front: a create checked for a run
 *   of new records relies on the table's primary key instead (see CreateRun), and the first create
 *   decided on its own reads them all for its table.
 * - Codes and tokens taken by rows the push inserts are added as they are inserted, and removed
 *   again when their group rolls back (`mark` / `undo`).
 * - A request that edits a patient's code or a visit's date or token reads those from the database
 *   for every check (nothing is cached for them).
 * - Counter leases do not change during a push (leasing takes the same lock); those of the years and
 *   dates the request's codes and tokens name are read up front, any other when first asked.
 */
export type DecidedGroup = { status: string; code: string | null; message: string | null };

/** What the groups of one push refer to (see `PushLookups.wanted`). */
export type PushWants = {
  readonly mutationIds: readonly string[];
  readonly idsByTable: Map<string, Set<string>>;
  readonly createdByTable: Map<string, Set<string>>;
  readonly codes: Set<string>;
  readonly dates: Set<string>;
  readonly tokens: Set<number>;
  readonly years: Set<string>;
  readonly codesEdited: boolean;
  readonly tokensEdited: boolean;
};

/** The clinic's row as a push reads it. */
export type PushClinic = Pick<
  Selectable<ClinicsTable>,
  'code' | 'max_patients' | 'subscription_status' | 'trial_ends_at' | 'paid_until' | 'is_active'
>;

/** `sync_push_begin`'s answer (timestamps as JSON text). */
type BeginRead = {
  clinic:
    | (Omit<PushClinic, 'trial_ends_at' | 'paid_until'> & {
        trial_ends_at: string | null;
        paid_until: string | null;
      })
    | null;
  last_group_seq: number | null;
  decided: { mutation_id: string; status: string; code: string | null; message: string | null }[];
  codes: string[];
  tokens: { date: string; token: number }[];
  leases: { counter: string; scope: string; from: number; to: number }[];
};

export class PushLookups {
  private readonly rows = new Map<string, Row | null>();
  /** Ids of the request's new records, per table, not read yet. */
  private readonly deferred = new Map<string, Set<string>>();
  private readonly leases = new Map<string, { from: number; to: number }[]>();
  private readonly journal: { set: Set<string>; key: string }[] = [];

  private constructor(
    private readonly trx: TenantTransaction,
    private readonly clinicId: string,
    private readonly deviceId: string,
    /** Mutation ids decided before or during this request. */
    readonly decided: Map<string, DecidedGroup>,
    private readonly patientCodes: Set<string> | null,
    private readonly queueTokens: Set<string> | null,
    /** What was read into the sets above: any other code or token is looked up in the database. */
    private readonly loaded: { codes: Set<string>; dates: Set<string>; tokens: Set<number> },
  ) {}

  /**
   * What the groups of one push refer to: worked out before the clinic's lock is taken, and read by
   * `begin` once it is.
   */
  static wanted(groups: readonly MutationGroup[]): PushWants {
    const idsByTable = new Map<string, Set<string>>();
    const createdByTable = new Map<string, Set<string>>();
    const add = (into: Map<string, Set<string>>, entity: SyncedEntityName, id: unknown) => {
      if (typeof id !== 'string') return;
      const table = syncedEntities[entity].table;
      const ids = into.get(table) ?? new Set<string>();
      ids.add(id);
      into.set(table, ids);
    };
    const want = (entity: SyncedEntityName, id: unknown) => add(idsByTable, entity, id);
    const codes = new Set<string>();
    const dates = new Set<string>();
    const tokens = new Set<number>();
    let codesEdited = false;
    let tokensEdited = false;
    // Groups decided before are read too (their decision is not known yet): a few rows more at most.
    for (const group of groups) {
      for (const op of group.ops) {
        const entity = SyncedEntityNames.safeParse(op.entity);
        if (!entity.success) continue;
        // The ids of new records are read only if a create is decided on its own (see `row`).
        if (op.op === 'create') add(createdByTable, entity.data, op.id);
        else want(entity.data, op.id);
        const policy: EntityPolicy = syncPolicy[entity.data];
        const parent = policy.parent;
        if (op.op === 'create') {
          if (parent) want(parent.entity, op.data[parent.field]);
          if (entity.data === 'patient' && typeof op.data.patientCode === 'string')
            codes.add(op.data.patientCode);
          // Only values the database can compare; anything else fails validation before it is asked.
          if (entity.data === 'visit' && isCalendarDate(op.data.visitDate)) {
            dates.add(op.data.visitDate);
            if (isTokenNumber(op.data.tokenNumber)) tokens.add(op.data.tokenNumber);
          }
        } else if (op.op === 'update') {
          if (entity.data === 'patient' && 'patientCode' in op.changed) codesEdited = true;
          if (entity.data === 'visit' && ('visitDate' in op.changed || 'tokenNumber' in op.changed))
            tokensEdited = true;
        }
      }
    }
    if (codesEdited) codes.clear();
    // Only the tokens the request claims (not every visit of the day); others are asked for alone.
    if (tokensEdited) tokens.clear();
    const years = new Set<string>();
    for (const code of codes) {
      const year = parsePatientCode(code)?.year;
      if (year !== undefined) years.add(String(year));
    }
    return {
      mutationIds: groups.map((g) => g.mutationId),
      idsByTable,
      createdByTable,
      codes,
      dates,
      tokens,
      years,
      codesEdited,
      tokensEdited,
    };
  }

  /**
   * Binds the clinic, takes its write lock and reads, in one round trip (`sync_push_begin`), the
   * clinic, the device's last decided seq and the decisions, codes, tokens and leases `wants`
   * names; then the rows it names, one statement per table.
   */
  static async begin(
    trx: TenantTransaction,
    clinicId: string,
    deviceId: string,
    wants: PushWants,
  ): Promise<{ clinic: PushClinic; lastGroupSeq: number; lookups: PushLookups }> {
    const { idsByTable, createdByTable, codes, dates, tokens, years, codesEdited, tokensEdited } = wants;
    const wanted = JSON.stringify({
      mutationIds: wants.mutationIds,
      codes: [...codes],
      dates: [...dates],
      tokens: [...tokens],
      years: [...years],
    });
    const { rows: found } = await sql<{ begun: BeginRead }>`
      SELECT sync_push_begin(${clinicId}, ${deviceId}, ${wanted}::json) AS begun`.execute(trx);
    const read = found[0]?.begun;
    if (!read) throw new Error('sync_push_begin returned nothing');
    if (!read.clinic) throw new Error(`Clinic ${clinicId} not found`);
    if (read.last_group_seq === null) throw new Error('device_sync_state row missing');
    const clinic: PushClinic = {
      ...read.clinic,
      trial_ends_at: read.clinic.trial_ends_at === null ? null : new Date(read.clinic.trial_ends_at),
      paid_until: read.clinic.paid_until === null ? null : new Date(read.clinic.paid_until),
    };
    const decided = new Map<string, DecidedGroup>(
      read.decided.map((r) => [r.mutation_id, { status: r.status, code: r.code, message: r.message }]),
    );

    const rows = new Map<string, Row | null>();
    for (const [table, idSet] of idsByTable) {
      const ids = [...idSet];
      const result = await sql<Row>`
        SELECT * FROM ${sql.table(table)} WHERE clinic_id = ${clinicId} AND id = ANY(${ids})`.execute(trx);
      for (const id of ids) rows.set(`${table}/${id}`, null);
      for (const row of result.rows) rows.set(`${table}/${String(row.id)}`, row);
    }

    const patientCodes = codesEdited ? null : new Set(read.codes);
    const queueTokens = tokensEdited
      ? null
      : new Set(read.tokens.map((r) => tokenKey(r.date, Number(r.token))));
    const lookups = new PushLookups(trx, clinicId, deviceId, decided, patientCodes, queueTokens, {
      codes,
      dates,
      tokens,
    });
    for (const [key, row] of rows) lookups.rows.set(key, row);
    for (const [table, ids] of createdByTable) lookups.deferred.set(table, ids);
    for (const year of years) lookups.leases.set(`patient_code/${year}`, []);
    for (const date of dates) lookups.leases.set(`queue_token/${date}`, []);
    for (const r of read.leases) {
      lookups.leases.get(`${r.counter}/${r.scope}`)?.push({ from: Number(r.from), to: Number(r.to) });
    }
    return { clinic, lastGroupSeq: read.last_group_seq, lookups };
  }

  /**
   * The row as the database has it now (undefined when the clinic has no such row). The first
   * read of a new record's id reads the ids of every new record of that table in the request.
   */
  async row(table: string, id: string): Promise<Row | undefined> {
    const key = `${table}/${id}`;
    const cached = this.rows.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const deferred = this.deferred.get(table);
    if (deferred?.has(id)) {
      this.deferred.delete(table);
      const ids = [...deferred].filter((d) => !this.rows.has(`${table}/${d}`));
      const found = await sql<Row>`
        SELECT * FROM ${sql.table(table)} WHERE clinic_id = ${this.clinicId} AND id = ANY(${ids})`.execute(
        this.trx,
      );
      for (const d of ids) this.rows.set(`${table}/${d}`, null);
      for (const row of found.rows) this.rows.set(`${table}/${String(row.id)}`, row);
      return this.rows.get(key) ?? undefined;
    }
    const { rows } = await sql<Row>`
      SELECT * FROM ${sql.table(table)} WHERE clinic_id = ${this.clinicId} AND id = ${id}`.execute(this.trx);
    return rows[0];
  }

  /** The row if it has been read (null: read, and the clinic has none), undefined when not read yet. */
  known(table: string, id: string): Row | null | undefined {
    return this.rows.get(`${table}/${id}`);
  }

  /** Call before writing a row: later reads of it go to the database. */
  forget(table: string, id: string): void {
    this.rows.delete(`${table}/${id}`);
  }

  /** Whether a row of this clinic has the patient code. */
  async patientCodeTaken(code: string): Promise<boolean> {
    if (this.patientCodes?.has(code)) return true;
    if (this.patientCodes && this.loaded.codes.has(code)) return false;
    const { rows } = await sql<{ id: string }>`
      SELECT id FROM patients WHERE clinic_id = ${this.clinicId} AND patient_code = ${code}`.execute(
      this.trx,
    );
    return rows.length > 0;
  }

  /** Whether a visit of this clinic has the token on that date. */
  async queueTokenTaken(date: string, token: number): Promise<boolean> {
    if (this.queueTokens?.has(tokenKey(date, token))) return true;
    if (this.queueTokens && this.loaded.dates.has(date) && this.loaded.tokens.has(token)) return false;
    const { rows } = await sql<{ id: string }>`
      SELECT id FROM visits WHERE clinic_id = ${this.clinicId} AND visit_date = ${date} AND token_number = ${token}`.execute(
      this.trx,
    );
    return rows.length > 0;
  }

  /** Call after inserting a patient: its code is taken. */
  patientInserted(code: unknown): void {
    if (this.patientCodes && typeof code === 'string') this.take(this.patientCodes, code);
  }

  /** Call after inserting a visit: its token is taken for its date. */
  visitInserted(date: unknown, token: unknown): void {
    if (this.queueTokens && typeof date === 'string' && typeof token === 'number')
      this.take(this.queueTokens, tokenKey(date, token));
  }

  /** Whether n falls in a block of the counter leased to this device. */
  async inDeviceLease(counter: string, scope: string, n: number): Promise<boolean> {
    const key = `${counter}/${scope}`;
    let blocks = this.leases.get(key);
    if (!blocks) {
      const rows = await this.trx
        .selectFrom('counter_leases')
        .select(['from_value', 'to_value'])
        .where('clinic_id', '=', this.clinicId)
        .where('device_id', '=', this.deviceId)
        .where('counter', '=', counter)
        .where('scope', '=', scope)
        .execute();
      blocks = rows.map((r) => ({ from: Number(r.from_value), to: Number(r.to_value) }));
      this.leases.set(key, blocks);
    }
    return blocks.some((b) => b.from <= n && n <= b.to);
  }

  /** A point to return to if the group being decided rolls back. */
  mark(): number {
    return this.journal.length;
  }

  /** Forgets the codes and tokens taken since the mark (their group rolled back). */
  undo(mark: number): void {
    for (const { set, key } of this.journal.splice(mark)) set.delete(key);
  }

  private take(set: Set<string>, key: string): void {
    if (set.has(key)) return;
    set.add(key);
    this.journal.push({ set, key });
  }
}

/** A 'YYYY-MM-DD' string naming a real calendar day. */
function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const at = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(at) && new Date(at).toISOString().slice(0, 10) === value;
}

/** A value PostgreSQL's integer column can hold. */
function isTokenNumber(value: unknown): value is number {
  return (
    Number.isSafeInteger(value) && (value as number) >= -2_147_483_648 && (value as number) <= 2_147_483_647
  );
}

function tokenKey(date: string, token: number): string {
  return `${date}#${token}`;
}
