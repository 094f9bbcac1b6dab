/**
 * Sync scenarios end to end: desks with real SQLite files and real engines talking HTTP to the
 * production server. Each names a promise of DESIGN §5 and checks it where the user would see it
 * (the desk's rows, its inbox, its read-only state) and where the clinic keeps it (the server).
 */
import { LocalStoreReadOnlyError } from '@clinicdesk/local-store';
import { createAuthClient, createHttpTransport, createTokenKeeper } from '@clinicdesk/sync-client';
import {
  changesOfRuns,
  type MutationGroup,
  PROTOCOL_VERSION,
  SCHEMA_VERSION,
} from '@clinicdesk/sync-protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestUser } from '../../apps/server/src/testing/test-app';
import { compactChangeLog, deviceRows, differencesFromServer, serverRows, syncGroups } from './server-state';
import {
  checkIn,
  createSyncClinic,
  FaultyNetwork,
  ReplayQueue,
  registerPatient,
  type SyncClinic,
  SyncDevice,
  type SyncServer,
  seededRandom,
  startSyncServer,
  syncUntilQuiet,
  tempDir,
  today,
} from './sync-world';

let server: SyncServer;
let opened: SyncDevice[] = [];
let dirs: (() => void)[] = [];

beforeAll(async () => {
  server = await startSyncServer();
});
afterEach(async () => {
  for (const d of opened) await d.close().catch(() => undefined);
  for (const remove of dirs) remove();
  opened = [];
  dirs = [];
});
afterAll(async () => {
  await server?.close();
});

/** One desk per user, each with its own store file and a well-behaved network, synced once. */
async function desks(c: SyncClinic, users: readonly TestUser[]): Promise<SyncDevice[]> {
  const tmp = tempDir('clinicdesk-sync-scenario-');
  dirs.push(tmp.remove);
  const made: SyncDevice[] = [];
  for (const [i, user] of users.entries()) {
    const d = await SyncDevice.enrol({
      server,
      clinic: c.clinic,
      user,
      name: `desk-${i}`,
      dir: tmp.dir,
      network: new FaultyNetwork(seededRandom(i + 1), new ReplayQueue()),
    });
    opened.push(d);
    made.push(d);
    await d.syncNow();
  }
  return made;
}

async function expectSameAsServer(c: SyncClinic, devices: readonly SyncDevice[], tables?: readonly string[]) {
  for (const d of devices) {
    expect(await differencesFromServer(server.t, c.clinic.id, d.store, tables), d.name).toEqual([]);
  }
}

function requireValue<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new Error('expected a value');
  return value;
}

describe('offline edits on two desks', () => {
  it('merges contact fields field by field and refuses the conflicting identity edit into that desk’s inbox', async () => {
    const c = await createSyncClinic(server);
    const [a, b] = await desks(c, [c.receptionist, c.receptionist]);
    if (a === undefined || b === undefined) throw new Error('desks');
    const id = requireValue(a.write((w) => registerPatient(w, c.receptionist.id, { firstName: 'Asha' })));
    await a.syncNow();
    await b.syncNow();
    expect(b.store.patients.byId(id)?.firstName).toBe('Asha');

    a.network.mode = 'offline';
    b.network.mode = 'offline';
    a.write((w) => w.update('patient', id, { phone: '+919822000001', firstName: 'Aasha' }));
    b.write((w) => w.update('patient', id, { city: 'Nashik', email: 'asha@example.in' }));
    b.write((w) => w.update('patient', id, { firstName: 'Ashaa' }));
    // Desk A reaches the server first (B stays offline until then, so the cycle its own write
    // started cannot overtake A).
    a.network.mode = 'online';
    await a.syncNow();
    b.network.mode = 'online';
    await b.syncNow();
    await a.syncNow();

    const [row] = (await serverRows(server.t, c.clinic.id, 'patients')).filter((p) => p.id === id);
    expect(row).toMatchObject({
      first_name: 'Aasha',
      phone: '+919822000001',
      city: 'Nashik',
      email: 'asha@example.in',
    });
    expect(a.store.inbox()).toEqual([]);
    expect(b.store.inbox()).toEqual([
      expect.objectContaining({
        code: 'CONFLICT',
        details: { field: 'firstName', serverValue: 'Aasha', yourValue: 'Ashaa' },
        ops: [expect.objectContaining({ op: 'update', changed: { firstName: 'Ashaa' } })],
      }),
    ]);
    // The refused spelling does not linger on desk B: it shows the clinic's record.
    expect(b.store.patients.byId(id)).toMatchObject({ firstName: 'Aasha', city: 'Nashik' });
    await expectSameAsServer(c, [a, b]);
  });
});

describe('clinical documents', () => {
  it('refuses an offline edit of a prescription finalized meanwhile, and accepts an amendment', async () => {
    const c = await createSyncClinic(server);
    const [desk, dr1, dr2] = await desks(c, [c.receptionist, c.doctor, c.doctor]);
    if (desk === undefined || dr1 === undefined || dr2 === undefined) throw new Error('desks');
    const { patientId, visitId } = requireValue(
      desk.write((w) => {
        const patient = registerPatient(w, c.receptionist.id);
        return { patientId: patient, visitId: checkIn(w, patient, c.doctor.id) };
      }),
    );
    await desk.syncNow();
    await dr1.syncNow();
    const rx = { visitId, patientId, doctorId: c.doctor.id };
    const rxId = requireValue(
      dr1.write((w) => w.create('prescription', { id: w.newId(), ...rx, advice: 'Rest' }).id),
    );
    await dr1.syncNow();
    await dr2.syncNow();
    expect(dr2.store.get('prescription', rxId)).toMatchObject({ status: 'draft', advice: 'Rest' });

    // The second workstation edits the draft offline while the first finalizes it.
    dr2.network.mode = 'offline';
    dr2.write((w) => w.update('prescription', rxId, { advice: 'Rest and fluids' }));
    const finalizedAt = new Date().toISOString();
    dr1.write((w) => w.update('prescription', rxId, { status: 'final', finalizedAt }));
    await dr1.syncNow();
    dr2.network.mode = 'online';
    await dr2.syncNow();

    expect(dr2.store.inbox()).toEqual([
      expect.objectContaining({
        code: 'IMMUTABLE',
        ops: [expect.objectContaining({ changed: { advice: 'Rest and fluids' } })],
      }),
    ]);
    expect(dr2.store.get('prescription', rxId)).toMatchObject({ status: 'final', advice: 'Rest' });

    const amendmentId = requireValue(
      dr2.write(
        (w) =>
          w.create('prescription', {
            id: w.newId(),
            ...rx,
            status: 'final',
            finalizedAt: new Date().toISOString(),
            advice: 'Rest and fluids',
            amendsId: rxId,
          }).id,
      ),
    );
    expect(await syncUntilQuiet(server, c.clinic.id, [desk, dr1, dr2])).toBe(true);
    expect(dr2.store.inbox()).toHaveLength(1);
    expect(dr1.store.get('prescription', amendmentId)).toMatchObject({
      amendsId: rxId,
      advice: 'Rest and fluids',
    });
    await expectSameAsServer(c, [desk, dr1, dr2], ['patients', 'visits', 'prescriptions']);
  });
});

describe('tenancy', () => {
  it('never gives clinic B’s desks a row of clinic A, whatever B’s device sends', async () => {
    const clinicA = await createSyncClinic(server);
    const clinicB = await createSyncClinic(server);
    const [deskA] = await desks(clinicA, [clinicA.receptionist]);
    const [deskB] = await desks(clinicB, [clinicB.receptionist]);
    if (deskA === undefined || deskB === undefined) throw new Error('desks');
    const secret = 'Zubeida';
    const a = requireValue(
      deskA.write((w) => {
        const patient = registerPatient(w, clinicA.receptionist.id, { firstName: secret });
        return { patient, visit: checkIn(w, patient, clinicA.doctor.id) };
      }),
    );
    await deskA.syncNow();
    const [groupOfA] = await syncGroups(server.t, clinicA.clinic.id);

    // A second device of clinic B, signed in as B's admin, sends hand-made groups naming A's rows.
    const credentials = await server.t.createDevice(clinicB.clinic.id);
    const auth = createAuthClient({ baseUrl: server.url });
    const session = await auth.login({
      clinicSlug: clinicB.clinic.slug,
      username: clinicB.admin.username,
      password: clinicB.admin.password,
      deviceId: credentials.deviceId,
      deviceSecret: credentials.deviceSecret,
    });
    const rogue = createHttpTransport({
      baseUrl: server.url,
      auth: createTokenKeeper({ auth, initial: session, now: () => Date.now() }),
    });
    const ops: MutationGroup['ops'][] = [
      [{ op: 'update', entity: 'patient', id: a.patient, changed: { city: 'Leak' }, before: { city: null } }],
      [{ op: 'delete', entity: 'patient', id: a.patient }],
      [
        {
          op: 'create',
          entity: 'visit',
          id: crypto.randomUUID(),
          data: {
            patientId: a.patient,
            doctorId: clinicB.doctor.id,
            visitDate: today().date,
            tokenNumber: null,
            checkedInAt: today().at,
          },
        },
      ],
      // A's group id and A's patient id, but B's own record: a new group, a new row in B.
      [
        {
          op: 'create',
          entity: 'patient',
          id: a.patient,
          data: {
            patientCode: `PT-${clinicB.clinic.code}-${today().year}-0999`,
            firstName: 'Bina',
            ageYears: 50,
            sex: 'female',
            registeredBy: clinicB.admin.id,
          },
        },
      ],
      [
        {
          op: 'create',
          entity: 'patient',
          id: crypto.randomUUID(),
          data: {
            clinicId: clinicA.clinic.id,
            patientCode: 'PT-X-2026-0001',
            firstName: 'Mole',
            ageYears: 30,
            sex: 'male',
            registeredBy: clinicB.admin.id,
          },
        },
      ],
    ];
    const pushed = await rogue.push({
      protocolVersion: PROTOCOL_VERSION,
      schemaVersion: SCHEMA_VERSION,
      groups: ops.map((groupOps, i) => ({
        mutationId: i === 3 ? requireValue(groupOfA).mutation_id : crypto.randomUUID(),
        seq: i + 1,
        createdAt: new Date().toISOString(),
        ops: groupOps,
      })),
    });
    expect(pushed.results.map((r) => [r.status, r.code ?? null])).toEqual([
      ['refused', 'NOT_FOUND'],
      ['refused', 'NOT_FOUND'],
      ['refused', 'NOT_FOUND'],
      ['applied', 'CODE_REASSIGNED'],
      ['refused', 'VALIDATION_FAILED'],
    ]);

    // Everything B's devices can pull is B's.
    const snapshot = await rogue.pull(0, 5000);
    expect(changesOfRuns(snapshot.runs).every((change) => change.data.clinicId === clinicB.clinic.id)).toBe(
      true,
    );
    expect(JSON.stringify(snapshot)).not.toContain(secret);
    expect(JSON.stringify(snapshot)).not.toContain(a.visit);
    await deskB.syncNow();
    for (const table of ['patients', 'visits', 'appointments', 'staff']) {
      for (const row of deviceRows(deskB.store, table)) expect(row.clinic_id, table).toBe(clinicB.clinic.id);
    }
    expect(deskB.store.patients.byId(a.patient)?.firstName).toBe('Bina');
    expect(deskB.store.visits.byId(a.visit)).toBeNull();
    expect(deskB.store.searchPatients(secret)).toEqual([]);
    await expectSameAsServer(clinicB, [deskB]);

    // And A's record is untouched, on the server and on A's desk.
    await deskA.syncNow();
    expect(deskA.store.patients.byId(a.patient)).toMatchObject({ firstName: secret, city: null, version: 1 });
    await expectSameAsServer(clinicA, [deskA]);
  });
});

describe('subscription and capacity', () => {
  it('refuses pushes of an expired clinic into the inbox and turns read-only, while pull keeps working', async () => {
    const c = await createSyncClinic(server);
    const [desk, other] = await desks(c, [c.receptionist, c.admin]);
    if (desk === undefined || other === undefined) throw new Error('desks');
    desk.network.mode = 'offline';
    const offline = requireValue(
      desk.write((w) => registerPatient(w, c.receptionist.id, { firstName: 'Kamala' })),
    );
    const before = requireValue(other.write((w) => registerPatient(w, c.admin.id, { firstName: 'Sunita' })));
    await other.syncNow();

    await server.t.tdb.db.owner
      .updateTable('clinics')
      .set({ subscription_status: 'expired' })
      .where('id', '=', c.clinic.id)
      .execute();
    desk.network.mode = 'online';
    await desk.syncNow();

    expect(desk.store.inbox()).toEqual([
      expect.objectContaining({
        code: 'SUBSCRIPTION_INACTIVE',
        ops: [
          expect.objectContaining({
            op: 'create',
            id: offline,
            data: expect.objectContaining({ firstName: 'Kamala' }),
          }),
        ],
      }),
    ]);
    expect(desk.engine.status().readOnly).toBe('subscription_inactive');
    expect(desk.store.readOnly()?.reason).toBe('subscription_inactive');
    expect(() => desk.write((w) => registerPatient(w, c.receptionist.id))).toThrow(LocalStoreReadOnlyError);
    // Pull still works: the other desk's patient, written before the expiry, arrived.
    expect(desk.store.patients.byId(before)?.firstName).toBe('Sunita');
    // The refused registration is still on the desk as typed, never synced, until the user decides.
    expect(desk.store.patients.byId(offline)).toMatchObject({ firstName: 'Kamala', version: 0 });

    // Renewed: writable again, and the refused registration goes through when resubmitted.
    await server.t.tdb.db.owner
      .updateTable('clinics')
      .set({ subscription_status: 'active', paid_until: null })
      .where('id', '=', c.clinic.id)
      .execute();
    await desk.syncNow();
    expect(desk.store.readOnly()).toBeNull();
    const [item] = desk.store.inbox();
    desk.groups.add(desk.store.resubmitInboxItem(requireValue(item).id).mutationId);
    expect(await syncUntilQuiet(server, c.clinic.id, [desk, other])).toBe(true);
    expect(other.store.patients.byId(offline)?.firstName).toBe('Kamala');
    await expectSameAsServer(c, [desk, other]);
  });

  it('puts a patient over the plan limit in the inbox with the whole record, and takes it once the limit is raised', async () => {
    const c = await createSyncClinic(server, { maxPatients: 1 });
    const [a, b] = await desks(c, [c.receptionist, c.admin]);
    if (a === undefined || b === undefined) throw new Error('desks');
    a.network.mode = 'offline';
    b.network.mode = 'offline';
    a.write((w) => registerPatient(w, c.receptionist.id, { firstName: 'Asha' }));
    const extra = requireValue(
      b.write((w) => registerPatient(w, c.admin.id, { firstName: 'Ravi', sex: 'male', city: 'Wai' })),
    );
    // The reception desk reaches the server first; the admin's desk stays offline until then, so
    // the cycle its own write started cannot overtake it.
    a.network.mode = 'online';
    await a.syncNow();
    expect(a.store.inbox()).toEqual([]);
    b.network.mode = 'online';
    await b.syncNow();

    const [refusal] = b.store.inbox();
    expect(refusal).toMatchObject({
      code: 'CAPACITY_EXCEEDED',
      details: { resource: 'patients', limit: 1, used: 1 },
      ops: [
        {
          op: 'create',
          entity: 'patient',
          id: extra,
          data: expect.objectContaining({
            firstName: 'Ravi',
            sex: 'male',
            city: 'Wai',
            phone: '+919876543210',
          }),
        },
      ],
    });
    expect(await syncUntilQuiet(server, c.clinic.id, [a, b])).toBe(true);
    expect((await serverRows(server.t, c.clinic.id, 'patients')).length).toBe(1);
    await expectSameAsServer(c, [a]);
    expect(b.store.patients.byId(extra)).toMatchObject({ firstName: 'Ravi', version: 0 });

    await server.t.tdb.db.owner
      .updateTable('clinics')
      .set({ max_patients: 2 })
      .where('id', '=', c.clinic.id)
      .execute();
    b.store.resubmitInboxItem(requireValue(refusal).id);
    b.engine.notifyLocalWrite();
    expect(await syncUntilQuiet(server, c.clinic.id, [a, b])).toBe(true);
    expect(a.store.patients.byId(extra)).toMatchObject({ firstName: 'Ravi', city: 'Wai' });
    await expectSameAsServer(c, [a, b]);
  });
});

describe('protocol edges', () => {
  it('re-downloads the clinic on RESET_REQUIRED and keeps the changes made meanwhile', async () => {
    const c = await createSyncClinic(server);
    const [a, b] = await desks(c, [c.admin, c.receptionist]);
    if (a === undefined || b === undefined) throw new Error('desks');
    const first = requireValue(a.write((w) => registerPatient(w, c.admin.id, { firstName: 'Asha' })));
    const second = requireValue(a.write((w) => registerPatient(w, c.admin.id, { firstName: 'Ravi' })));
    await a.syncNow();
    await b.syncNow();
    a.write((w) => w.update('patient', first, { city: 'Pune' }));
    a.write((w) => w.delete('patient', second));
    await a.syncNow();
    expect(a.store.inbox()).toEqual([]);
    // The server compacted its log past desk B's cursor.
    expect(await compactChangeLog(server.t, c.clinic.id)).toBeGreaterThan(b.store.cursorState().cursor);

    // Reception keeps typing while desk B's pull is on the wire.
    const behind = b.store.cursorState().cursor;
    const pulls: string[] = [];
    const typed: { id: string | null } = { id: null };
    b.network.onRequest = (url) => {
      if (!url.includes('/v1/sync/pull')) return;
      pulls.push(new URL(url).searchParams.get('cursor') ?? '');
      if (typed.id !== null) return;
      typed.id = b.write((w) => registerPatient(w, c.receptionist.id, { firstName: 'Meera' }));
      b.write((w) => w.update('patient', first, { email: 'asha@example.in' }));
    };
    await b.syncNow();
    expect(await syncUntilQuiet(server, c.clinic.id, [a, b])).toBe(true);

    expect(pulls.slice(0, 2)).toEqual([String(behind), '0']);
    expect(b.store.inbox()).toEqual([]);
    expect(a.store.patients.byId(requireValue(typed.id))?.firstName).toBe('Meera');
    expect(a.store.patients.byId(first)).toMatchObject({ city: 'Pune', email: 'asha@example.in' });
    expect(b.store.patients.byId(second)).toBeNull();
    await expectSameAsServer(c, [a, b]);
  });

  it('turns read-only on 426, keeps the outbox, and sends it after the app is updated', async () => {
    const c = await createSyncClinic(server);
    const [d] = await desks(c, [c.receptionist]);
    if (d === undefined) throw new Error('desks');
    // The server was upgraded past this app's protocol.
    d.network.answerSyncWith = { status: 426, code: 'UPGRADE_REQUIRED' };
    const id = requireValue(d.write((w) => registerPatient(w, c.receptionist.id, { firstName: 'Lata' })));
    await d.syncNow();
    expect(d.engine.status()).toMatchObject({ readOnly: 'upgrade_required' });
    expect(d.store.readOnly()?.reason).toBe('upgrade_required');
    expect(d.store.pendingCount()).toBe(1);
    expect(() => d.write((w) => registerPatient(w, c.receptionist.id))).toThrow(LocalStoreReadOnlyError);

    // The updated app starts on the same file.
    d.network.answerSyncWith = null;
    await d.restart();
    await d.syncNow();
    expect(d.store.readOnly()).toBeNull();
    expect(d.store.pendingCount()).toBe(0);
    expect((await serverRows(server.t, c.clinic.id, 'patients')).map((p) => p.id)).toEqual([id]);
    await expectSameAsServer(c, [d]);
  });
});
