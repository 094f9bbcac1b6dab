/**
 * Property: whatever three desks of one clinic do — register, edit, delete patients, check them in,
 * book and move appointments, go offline, restart, crash after a commit — over a network that loses,
 * repeats, delays and reorders requests, while the subscription lapses and comes back and the server
 * compacts its change log, once everything is online and quiet every desk holds exactly the
 * server's rows, every group was decided exactly once, and every refusal is in the inbox of the
 * desk that made it.
 *
 * Real parts only: the production server over HTTP on 127.0.0.1, real SQLite files, the real
 * engine and HTTP transport. `CONVERGENCE_RUNS` sets how many random histories run (default 15),
 * `CONVERGENCE_SEED` and `CONVERGENCE_PATH` replay a reported failure, `CONVERGENCE_SHRINK=1` shrinks
 * one (slow),
 * `CONVERGENCE_VERBOSE=1` prints what each history did (decisions by code, faults, restarts).
 */
import { appointmentTransitions, isProvisionalCode, visitTransitions } from '@clinicdesk/domain';
import { LocalStoreReadOnlyError, type LocalWriter } from '@clinicdesk/local-store';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appliedGroupEvents,
  changeLog,
  compactChangeLog,
  deviceRows,
  livePatientCount,
  rowDifferences,
  SYNCED_TABLES,
  serverRows,
  syncGroups,
} from './server-state';
import {
  checkIn,
  createSyncClinic,
  FaultyNetwork,
  type NetworkMode,
  ReplayQueue,
  registerPatient,
  SkipWrite,
  type SyncClinic,
  SyncDevice,
  type SyncServer,
  seededRandom,
  startSyncServer,
  syncUntilQuiet,
  tempDir,
  today,
} from './sync-world';

const RUNS = Number(process.env.CONVERGENCE_RUNS ?? 15);
const SEED = Number(process.env.CONVERGENCE_SEED ?? 20261128);
const PATH = process.env.CONVERGENCE_PATH;
const SHRINK = process.env.CONVERGENCE_SHRINK === '1';
const MAX_PATIENTS = 4;

const WRITE_ACTIONS = [
  'register',
  'registerAndCheckIn',
  'editContact',
  'editIdentity',
  'deletePatient',
  'checkIn',
  'moveVisit',
  'deleteVisit',
  'book',
  'moveAppointment',
  'deleteAppointment',
  'resubmit',
  'dismiss',
] as const;
type WriteAction = (typeof WRITE_ACTIONS)[number];

/** How often each action comes up: registrations and edits most, so rows exist to act on. */
const WRITE_WEIGHTS: Record<WriteAction, number> = {
  register: 5,
  registerAndCheckIn: 3,
  editContact: 3,
  editIdentity: 3,
  deletePatient: 2,
  checkIn: 3,
  moveVisit: 2,
  deleteVisit: 1,
  book: 2,
  moveAppointment: 1,
  deleteAppointment: 1,
  resubmit: 1,
  dismiss: 1,
};

type Step =
  /**
   * A desk's action; then the desk tells its engine (as the app does), says nothing (a cycle picks
   * it up later), or dies right after the local commit, before anything was pushed.
   */
  | {
      kind: 'write';
      device: number;
      action: WriteAction;
      pick: number;
      value: number;
      after: 'notify' | 'quiet' | 'crash';
    }
  | { kind: 'sync'; device: number }
  | { kind: 'syncAll' }
  | { kind: 'network'; device: number; mode: NetworkMode }
  | { kind: 'restart'; device: number }
  | { kind: 'crashAfterPush'; device: number }
  | { kind: 'tick'; device: number; ms: number }
  | { kind: 'replay' }
  /** The platform changes the clinic's subscription (expired: read-only, pushes refused). */
  | { kind: 'subscription'; status: 'trial' | 'expired' }
  /** The server compacts its change log: every desk's cursor is too old (RESET_REQUIRED). */
  | { kind: 'compact' };

const device = fc.integer({ min: 0, max: 2 });
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 14,
    arbitrary: fc.record({
      kind: fc.constant('write' as const),
      device,
      action: fc.oneof(
        ...WRITE_ACTIONS.map((action) => ({ weight: WRITE_WEIGHTS[action], arbitrary: fc.constant(action) })),
      ),
      pick: fc.nat({ max: 1000 }),
      value: fc.nat({ max: 1000 }),
      after: fc.constantFrom('notify' as const, 'notify' as const, 'quiet' as const, 'crash' as const),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('sync' as const), device }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('syncAll' as const) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('network' as const),
      device,
      mode: fc.constantFrom<NetworkMode>('online', 'offline', 'flaky', 'flaky'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restart' as const), device }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('crashAfterPush' as const), device }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('tick' as const),
      device,
      ms: fc.integer({ min: 100, max: 90_000 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('replay' as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('subscription' as const),
      status: fc.constantFrom('trial' as const, 'trial' as const, 'expired' as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('compact' as const) }) },
);

let server: SyncServer;

beforeAll(async () => {
  server = await startSyncServer();
});
afterAll(async () => {
  await server?.close();
});

const FIRST_NAMES = ['Asha', 'Ravi', 'Meera', 'Kiran'];
const LAST_NAMES = ['Patil', 'Kulkarni', null];
const CITIES = ['Pune', 'Nashik', null];
const SEXES = ['female', 'male', 'other'] as const;

type Live = { id: string; status?: string };

function liveRows(d: SyncDevice, table: 'patients' | 'visits' | 'appointments'): Live[] {
  const status = table === 'patients' ? '' : ', status';
  return d.store.sqlite
    .prepare(`SELECT id${status} FROM "${table}" WHERE deleted_at IS NULL ORDER BY id`)
    .all() as Live[];
}

function chosen<T>(rows: readonly T[], pick: number): T {
  const row = rows[pick % rows.length];
  if (row === undefined) throw new SkipWrite();
  return row;
}

/** Performs one reception/doctor action on a device, as its screen would. */
function performWrite(d: SyncDevice, clinic: SyncClinic, step: Extract<Step, { kind: 'write' }>): void {
  const { pick, value } = step;
  const notify = step.after === 'notify';
  const { date } = today();
  const register = (w: LocalWriter) =>
    registerPatient(w, d.user.id, {
      firstName: FIRST_NAMES[value % FIRST_NAMES.length] ?? 'Asha',
      lastName: LAST_NAMES[value % LAST_NAMES.length] ?? null,
      sex: SEXES[value % SEXES.length] ?? 'female',
      ageYears: 20 + (value % 50),
      phone: `+9198${String(value * 7919)
        .padStart(8, '0')
        .slice(-8)}`,
    });
  const visit = (w: LocalWriter, patientId: string) => checkIn(w, patientId, clinic.doctor.id);
  const patient = () => chosen(liveRows(d, 'patients'), pick).id;
  switch (step.action) {
    case 'register':
      d.write(register, notify);
      return;
    case 'registerAndCheckIn':
      d.write((w) => visit(w, register(w)), notify);
      return;
    case 'editContact':
      d.write((w) => {
        const fields = [
          {
            phone: `+9197${String(value * 104729)
              .padStart(8, '0')
              .slice(-8)}`,
          },
          { city: CITIES[value % CITIES.length] ?? null },
          { email: `p${value}@example.in` },
        ];
        w.update('patient', patient(), fields[pick % fields.length] ?? {});
      }, notify);
      return;
    case 'editIdentity':
      d.write((w) => {
        const fields = [
          { firstName: FIRST_NAMES[value % FIRST_NAMES.length] ?? 'Asha' },
          { lastName: LAST_NAMES[value % LAST_NAMES.length] ?? null },
          { sex: SEXES[value % SEXES.length] ?? 'female' },
        ];
        w.update('patient', patient(), fields[value % fields.length] ?? {});
      }, notify);
      return;
    case 'deletePatient':
      d.write((w) => w.delete('patient', patient()), notify);
      return;
    case 'checkIn':
      d.write((w) => visit(w, patient()), notify);
      return;
    case 'moveVisit':
      d.write((w) => {
        const visit = chosen(liveRows(d, 'visits'), pick);
        const next = visitTransitions[visit.status as keyof typeof visitTransitions] ?? [];
        w.update('visit', visit.id, { status: chosen(next, value) });
      }, notify);
      return;
    case 'deleteVisit':
      d.write((w) => w.delete('visit', chosen(liveRows(d, 'visits'), pick).id), notify);
      return;
    case 'book':
      d.write((w) => {
        w.create('appointment', {
          id: w.newId(),
          patientId: patient(),
          doctorId: clinic.doctor.id,
          date,
          startTime: `${String(9 + (value % 8)).padStart(2, '0')}:${value % 2 === 0 ? '00' : '30'}`,
          slotMinutes: 15,
        });
      }, notify);
      return;
    case 'moveAppointment':
      d.write((w) => {
        const appointment = chosen(liveRows(d, 'appointments'), pick);
        const next = appointmentTransitions[appointment.status as keyof typeof appointmentTransitions] ?? [];
        w.update('appointment', appointment.id, { status: chosen(next, value) });
      }, notify);
      return;
    case 'deleteAppointment':
      d.write((w) => w.delete('appointment', chosen(liveRows(d, 'appointments'), pick).id), notify);
      return;
    case 'resubmit': {
      const items = d.store.inbox();
      if (items.length === 0) return;
      const item = chosen(items, pick);
      try {
        d.groups.add(d.store.resubmitInboxItem(item.id).mutationId);
      } catch {
        // The fix no longer applies locally (e.g. the row is gone); the item stays in the inbox.
        return;
      }
      if (notify) d.engine.notifyLocalWrite();
      return;
    }
    case 'dismiss': {
      const items = d.store.inbox();
      if (items.length > 0) d.store.resolveInboxItem(chosen(items, pick).id);
      return;
    }
    default:
      step.action satisfies never;
  }
}

/** Restarts every desk whose process "died" after a commit. */
async function revive(devices: readonly SyncDevice[]): Promise<void> {
  for (const d of devices) if (d.network.crashed) await d.restart();
}

async function perform(
  step: Step,
  devices: readonly SyncDevice[],
  clinic: SyncClinic,
  replays: ReplayQueue,
  random: () => number,
) {
  const at = (i: number) => {
    const d = devices[i];
    if (d === undefined) throw new Error(`no device ${i}`);
    return d;
  };
  switch (step.kind) {
    case 'write':
      try {
        performWrite(at(step.device), clinic, step);
      } catch (error) {
        // The desk is read-only (expired subscription): its screens refuse the action.
        if (!(error instanceof LocalStoreReadOnlyError)) throw error;
      }
      if (step.after === 'crash') await at(step.device).restart();
      return;
    case 'sync':
      await at(step.device).syncNow();
      return;
    case 'syncAll':
      await Promise.all(devices.map((d) => d.syncNow()));
      return;
    case 'network':
      at(step.device).network.mode = step.mode;
      return;
    case 'restart':
      await at(step.device).restart();
      return;
    case 'crashAfterPush':
      at(step.device).network.nextPushFault = 'crash-after-commit';
      return;
    case 'tick':
      await at(step.device).clock.advance(step.ms);
      return;
    case 'replay':
      await replays.flush(random);
      return;
    case 'subscription':
      await server.t.tdb.db.owner
        .updateTable('clinics')
        .set({ subscription_status: step.status })
        .where('id', '=', clinic.clinic.id)
        .execute();
      return;
    case 'compact':
      await compactChangeLog(server.t, clinic.clinic.id);
      return;
    default:
      step satisfies never;
  }
}

/** Everyone online, held-back requests delivered, and sync rounds until no desk has anything left to do. */
async function quiesce(
  devices: readonly SyncDevice[],
  clinicId: string,
  replays: ReplayQueue,
  random: () => number,
) {
  for (const d of devices) {
    d.network.mode = 'online';
    d.network.nextPushFault = null;
  }
  await revive(devices);
  await replays.flush(random);
  await syncUntilQuiet(server, clinicId, devices);
  for (const d of devices) await d.engine.stop();
}

async function assertConverged(devices: readonly SyncDevice[], clinicId: string, clinicCode: string) {
  const { t } = server;
  const groups = await syncGroups(t, clinicId);
  const applied = await appliedGroupEvents(t, clinicId);
  const log = await changeLog(t, clinicId);

  for (const d of devices) {
    // Outbox empty, and the server decided every group this desk wrote, once, in seq order.
    expect(
      d.store.pendingCount(),
      `${d.name} outbox: ${JSON.stringify({ status: d.engine.status(), pending: d.store.pendingGroups(5) })}`,
    ).toBe(0);
    const mine = groups.filter((g) => g.device_id === d.deviceId);
    expect(new Set(mine.map((g) => g.mutation_id)), `${d.name} decided groups`).toEqual(d.groups);
    expect(mine.map((g) => Number(g.seq))).toEqual(mine.map((_, i) => i + 1));
    expect(mine.length).toBe(d.store.syncState().lastSeq);
    // Every refusal is in this desk's inbox with its reason, and nothing else is.
    const refused = mine.filter((g) => g.status === 'refused');
    const inbox = d.store.inbox({ includeResolved: true });
    expect(inbox.map((item) => [item.id, item.code]).sort(), `${d.name} inbox`).toEqual(
      refused.map((g) => [g.mutation_id, g.code]).sort(),
    );
  }
  // Applied exactly once (the audit chain records each application), refused never.
  for (const g of groups) {
    expect(applied.get(g.mutation_id) ?? 0, `applications of ${g.mutation_id}`).toBe(
      g.status === 'applied' ? 1 : 0,
    );
  }
  expect([...applied.keys()].every((id) => groups.some((g) => g.mutation_id === id))).toBe(true);

  // One change-log entry per row, at distinct, ascending positions, the last one the clinic's last_seq.
  const keys = log.entries.map((e) => `${e.entity}/${e.row_id}`);
  expect(new Set(keys).size).toBe(keys.length);
  expect(new Set(log.entries.map((e) => Number(e.seq))).size).toBe(log.entries.length);
  expect(Math.max(0, ...log.entries.map((e) => Number(e.seq)))).toBe(log.lastSeq);

  for (const table of SYNCED_TABLES) {
    const rows = await serverRows(t, clinicId, table);
    for (const row of rows) {
      const entry = log.entries.find((e) => e.entity === table && e.row_id === row.id);
      expect(entry?.version, `${table} ${String(row.id)} change log`).toBe(Number(row.version));
    }
    const onServer = new Set(rows.map((row) => String(row.id)));
    for (const d of devices) {
      // Besides the clinic's rows a desk may only hold records it created that were refused and
      // still wait in its inbox for the user (never synced: version 0).
      const awaiting = new Set(
        d.store.inbox().flatMap((item) => item.ops.filter((op) => op.op === 'create').map((op) => op.id)),
      );
      const local = deviceRows(d.store, table);
      for (const row of local.filter((r) => !onServer.has(String(r.id)))) {
        expect(
          awaiting.has(String(row.id)) && row.version === 0,
          `${d.name} holds ${table} ${JSON.stringify(row)}, refused as ${JSON.stringify(
            d.store
              .inbox({ includeResolved: true })
              .filter((item) => item.ops.some((op) => op.id === row.id))
              .map((item) => [item.code, item.resolution]),
          )}`,
        ).toBe(true);
      }
      const synced = local.filter((r) => onServer.has(String(r.id)));
      expect(rowDifferences(table, rows, synced), `${d.name} ${table}`).toEqual([]);
    }
  }
  // Once the user lets those refusals go, every desk holds exactly the clinic's rows.
  for (const d of devices) {
    for (const item of d.store.inbox()) d.store.resolveInboxItem(item.id);
    for (const table of SYNCED_TABLES) {
      const rows = await serverRows(t, clinicId, table);
      expect(rowDifferences(table, rows, deviceRows(d.store, table)), `${d.name} ${table}`).toEqual([]);
    }
  }

  const patients = await serverRows(t, clinicId, 'patients');
  expect(patients.filter((p) => p.deleted_at === null).length).toBeLessThanOrEqual(MAX_PATIENTS);
  const codes = patients.map((p) => String(p.patient_code));
  expect(new Set(codes).size).toBe(codes.length);
  for (const code of codes) {
    expect(isProvisionalCode(code), code).toBe(false);
    expect(code.startsWith(`PT-${clinicCode}-`), code).toBe(true);
  }
  const visits = await serverRows(t, clinicId, 'visits');
  const tokens = visits.map((v) => `${String(v.visit_date)}/${String(v.token_number)}`);
  expect(visits.every((v) => typeof v.token_number === 'number')).toBe(true);
  expect(new Set(tokens).size).toBe(tokens.length);
}

async function runHistory(
  steps: readonly Step[],
  modes: readonly NetworkMode[],
  seed: number,
): Promise<void> {
  const { t } = server;
  t.clock.set(new Date());
  const clinic = await createSyncClinic(server, { maxPatients: MAX_PATIENTS });
  const tmp = tempDir('clinicdesk-convergence-');
  const replays = new ReplayQueue();
  const random = seededRandom(seed);
  const users = [clinic.admin, clinic.receptionist, clinic.doctor];
  const devices: SyncDevice[] = [];
  try {
    for (const [i, user] of users.entries()) {
      devices.push(
        await SyncDevice.enrol({
          server,
          clinic: clinic.clinic,
          user,
          name: `desk-${i}-${user.role}`,
          dir: tmp.dir,
          network: new FaultyNetwork(seededRandom(seed + 101 * (i + 1)), replays),
          engine: {
            pushBatch: 3,
            pullLimit: 7,
            leaseThreshold: 2,
            leaseSize: 3,
            random: seededRandom(seed + 7919 * (i + 1)),
          },
        }),
      );
    }
    for (const d of devices) await d.syncNow();
    for (const [i, d] of devices.entries()) d.network.mode = modes[i] ?? 'online';
    for (const step of steps) {
      await revive(devices);
      await perform(step, devices, clinic, replays, random);
      await revive(devices);
      expect(await livePatientCount(t, clinic.clinic.id)).toBeLessThanOrEqual(MAX_PATIENTS);
    }
    await quiesce(devices, clinic.clinic.id, replays, random);
    if (process.env.CONVERGENCE_VERBOSE === '1') {
      const groups = await syncGroups(t, clinic.clinic.id);
      const codes: Record<string, number> = {};
      for (const g of groups) codes[g.code ?? g.status] = (codes[g.code ?? g.status] ?? 0) + 1;
      const faults: Record<string, number> = {};
      for (const d of devices) for (const [f, n] of d.network.faults) faults[f] = (faults[f] ?? 0) + n;
      console.log(
        JSON.stringify({ steps: steps.length, codes, faults, restarts: devices.map((d) => d.restarts) }),
      );
    }
    await assertConverged(devices, clinic.clinic.id, clinic.clinic.code);
  } finally {
    for (const d of devices) await d.close().catch(() => undefined);
    tmp.remove();
  }
}

describe('sync convergence', () => {
  it('converges every desk to the server, deciding each group once, whatever the network does', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(stepArb, { minLength: 20, maxLength: 60 }),
        fc.array(fc.constantFrom<NetworkMode>('online', 'flaky'), { minLength: 3, maxLength: 3 }),
        fc.nat(),
        (steps, modes, seed) => runHistory(steps, modes, seed),
      ),
      { numRuns: RUNS, seed: SEED, path: PATH, endOnFailure: !SHRINK, verbose: 1 },
    );
  }, 600_000);
});
