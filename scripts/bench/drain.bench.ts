/**
 * `drain`: a device that worked offline drains its outbox to the server.
 *
 * A clinic with a history (HISTORY_PATIENTS) on the server, synced to a reception desk. 10 000
 * groups (full scale) are written through the local store's write API while the engine is
 * stopped, as reception works offline: every other group registers a patient (code from a leased
 * block), the next checks that patient in with a doctor (visit with a leased queue token). Then the
 * real sync engine pushes them over HTTP to a real server on real PostgreSQL, in the desktop's
 * batch size. Timed: from the start of the cycle until the last push result empties the outbox.
 *
 * Baseline, same process: the same rows (taken from the outbox before the drain) inserted into
 * PostgreSQL as plainly as possible — multi-row INSERTs of 500 rows, one transaction, as the owner,
 * into scratch copies of the `patients` and `visits` tables (same columns, defaults, constraints
 * and indexes; no triggers, no row-level security). Ratio = baseline time / drain time; target ≥ 0.25.
 *
 * Rounds (`BENCH_DRAIN_ROUNDS`, default 3): the offline morning, its drain and its baseline again,
 * on the same server (the clinic a morning larger each round). Each round's ratio pairs a drain with
 * the baseline measured right after it; the figures are the medians over the rounds, each round's
 * on stderr. One drain and one baseline alone moved by a third from run to run on this machine.
 */
import { join } from 'node:path';
import type { SyncedEntityName } from '@clinicdesk/domain';
import type { EntityInput, LocalStore, OutboxGroup } from '@clinicdesk/local-store';
import { LEASE_MAX_SIZE, PROTOCOL_VERSION, SCHEMA_VERSION } from '@clinicdesk/sync-protocol';
import { en, en_IN, Faker } from '@faker-js/faker';
import { sql } from 'kysely';
import { generateClinic } from '../../apps/server/src/generator/clinic-generator';
import { recordToRow } from '../../apps/server/src/modules/sync/sync-rows';
import {
  analyzeDatabase,
  type BenchDevice,
  benchServer,
  enrolDevice,
  progress,
  report,
  scaled,
  syncOnce,
  tempDir,
  timed,
} from './bench-support';

const INSERT_BATCH = 500;

/** The middle value (the upper one of an even count). */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/**
 * Patients (with their visits, prescriptions and lab orders) the clinic already has on the server
 * before the offline morning is drained, and the device has pulled. Draining into a server whose
 * tables were empty when last analysed measures a start-up artefact instead: PostgreSQL keeps the
 * plan it made for the empty tables (e.g. the foreign-key check of visits → patients reads
 * patients sequentially), and on this machine autovacuum is off, so nothing re-plans as the drain
 * fills them. `BENCH_DRAIN_HISTORY=0` measures that case.
 */
const HISTORY_PATIENTS = 10_000;

/** Leases enough numbers of one counter for `count` assignments (blocks of at most LEASE_MAX_SIZE). */
async function leaseNumbers(
  device: BenchDevice,
  counter: 'patient_code' | 'queue_token',
  scope: string,
  count: number,
): Promise<void> {
  for (let leased = 0; leased < count; leased += LEASE_MAX_SIZE) {
    const lease = await device.transport.lease({
      protocolVersion: PROTOCOL_VERSION,
      schemaVersion: SCHEMA_VERSION,
      counter,
      scope,
      size: Math.min(LEASE_MAX_SIZE, count - leased),
    });
    device.store.addCounterBlock(lease);
  }
}

/** Reception's offline morning: `groups` local writes, registrations and check-ins alternating. */
function writeOfflineGroups(
  store: LocalStore,
  who: { userId: string; doctorIds: readonly string[] },
  groups: number,
  today: string,
  seed: number,
): void {
  const f = new Faker({ locale: [en_IN, en] });
  f.seed(seed);
  const year = Number(today.slice(0, 4));
  let lastPatient = '';
  for (let i = 0; i < groups; i++) {
    store.write({ userId: who.userId }, (w) => {
      if (i % 2 === 0) {
        const id = w.newId();
        const sex = f.helpers.arrayElement(['male', 'female'] as const);
        const patient: EntityInput<'patient'> = {
          id,
          patientCode: w.nextPatientCode(year, id).code,
          firstName: f.person.firstName(sex),
          lastName: f.person.lastName(),
          ageYears: f.number.int({ min: 1, max: 90 }),
          sex,
          phone: `+91${f.helpers.arrayElement(['6', '7', '8', '9'])}${f.string.numeric(9)}`,
          city: f.location.city(),
          registeredBy: who.userId,
        };
        w.create('patient', patient);
        lastPatient = id;
      } else {
        const doctorId = f.helpers.arrayElement(who.doctorIds);
        w.create('visit', {
          id: w.newId(),
          patientId: lastPatient,
          doctorId,
          visitDate: today,
          tokenNumber: w.nextQueueToken(doctorId, today).tokenNumber,
          purpose: 'Fever since 2 days',
          checkedInAt: new Date().toISOString(),
        });
      }
    });
  }
}

/** The rows the groups create, per server table, as PostgreSQL column values. */
function rowsOf(groups: readonly OutboxGroup[], clinicId: string): Map<string, Record<string, unknown>[]> {
  const tables = new Map<string, Record<string, unknown>[]>([
    ['patient', []],
    ['visit', []],
  ]);
  for (const group of groups) {
    for (const op of group.ops) {
      if (op.op !== 'create') throw new Error(`Unexpected ${op.op} in the drain workload`);
      tables
        .get(op.entity)
        ?.push({ ...recordToRow(op.entity as SyncedEntityName, op.data), id: op.id, clinic_id: clinicId });
    }
  }
  return tables;
}

export async function run(): Promise<void> {
  const groups = scaled(10_000, 20);
  const server = await benchServer();
  const temp = tempDir('clinicdesk-drain-');
  try {
    // A clinic with a history on a server whose statistics are current (see HISTORY_PATIENTS).
    const history = Number(process.env.BENCH_DRAIN_HISTORY ?? scaled(HISTORY_PATIENTS, 100));
    const clinic = await generateClinic(server.db.owner, { patients: history, seed: 5 });
    await analyzeDatabase(server);
    const receptionist = clinic.staff.find((s) => s.role === 'receptionist');
    const doctorIds = clinic.staff.filter((s) => s.role === 'doctor').map((s) => s.id);
    if (!receptionist || doctorIds.length === 0) throw new Error('The generator made no reception staff');

    // Pull pages also record (empty) decisions: only the drain's own push results count.
    let draining = false;
    let drainedAt = 0;
    const device = await enrolDevice(server, {
      clinicSlug: clinic.slug,
      username: receptionist.username,
      password: clinic.staffPassword,
      file: join(temp.dir, 'device.sqlite'),
      observer: {
        pushed() {
          if (draining && drainedAt === 0 && device.store.pendingCount() === 0) drainedAt = performance.now();
        },
      },
    });
    await syncOnce(device.engine);
    const today = new Date().toISOString().slice(0, 10);
    const owner = server.db.owner;
    const rounds = Math.max(1, Number(process.env.BENCH_DRAIN_ROUNDS ?? 3));
    const measured: { drainMs: number; insertMs: number }[] = [];
    for (let round = 1; round <= rounds; round++) {
      await leaseNumbers(device, 'patient_code', today.slice(0, 4), Math.ceil(groups / 2));
      await leaseNumbers(device, 'queue_token', today, Math.ceil(groups / 2));

      progress(`round ${round}/${rounds}: writing ${groups} groups offline`);
      writeOfflineGroups(device.store, { userId: device.userId, doctorIds }, groups, today, 2 + round);
      const queued = device.store.pendingGroups(groups + 1);
      if (queued.length !== groups) throw new Error(`${queued.length} groups queued, expected ${groups}`);
      const rows = rowsOf(queued, device.clinicId);

      progress(`round ${round}/${rounds}: draining`);
      draining = true;
      drainedAt = 0;
      const started = performance.now();
      await syncOnce(device.engine);
      draining = false;
      if (drainedAt === 0) throw new Error('The outbox did not drain');
      const drainMs = drainedAt - started;
      const inbox = device.store.inbox().length;
      if (inbox > 0)
        throw new Error(`${inbox} groups were refused: ${JSON.stringify(device.store.inbox()[0])}`);

      progress(`round ${round}/${rounds}: baseline, plain multi-row INSERTs`);
      for (const table of ['patients', 'visits']) {
        await sql`DROP TABLE IF EXISTS ${sql.table(`bench_${table}`)}`.execute(owner);
        await sql`CREATE TABLE ${sql.table(`bench_${table}`)} (LIKE ${sql.table(table)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)`.execute(
          owner,
        );
      }
      const insertMs = await timed(() =>
        owner.transaction().execute(async (trx) => {
          for (const [entity, values] of rows) {
            const table = `bench_${entity === 'patient' ? 'patients' : 'visits'}`;
            for (let i = 0; i < values.length; i += INSERT_BATCH) {
              // Scratch tables are not in the typed schema; the rows are the server's own column values.
              await (trx as unknown as typeof owner)
                .insertInto(table as 'clinics')
                .values(values.slice(i, i + INSERT_BATCH) as never)
                .execute();
            }
          }
        }),
      );
      measured.push({ drainMs, insertMs });
      progress(
        `round ${round}/${rounds}: drain ${(drainMs / 1000).toFixed(2)} s, baseline ${(insertMs / 1000).toFixed(2)} s, ratio ${(insertMs / drainMs).toFixed(3)}`,
      );
    }
    await device.close();

    const drainMs = median(measured.map((m) => m.drainMs));
    const insertMs = median(measured.map((m) => m.insertMs));
    report('drain-groups', String(groups));
    report('drain-rounds', String(rounds));
    report('drain-seconds', (drainMs / 1000).toFixed(2));
    report('drain-groups-per-second', String(Math.round(groups / (drainMs / 1000))));
    report('drain-plain-insert-rows-per-second', String(Math.round(groups / (insertMs / 1000))));
    report('drain-ratio', median(measured.map((m) => m.insertMs / m.drainMs)).toFixed(3));
    report('drain-ratio-rounds', measured.map((m) => (m.insertMs / m.drainMs).toFixed(3)).join(' '));
  } finally {
    await server.close();
    temp.cleanup();
  }
}
