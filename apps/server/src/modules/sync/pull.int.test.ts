import { get, type IncomingMessage } from 'node:http';
import { text } from 'node:stream/consumers';
import { gunzipSync } from 'node:zlib';
import { toCamelCase, uuidv7 } from '@clinicdesk/domain';
import {
  PROTOCOL_VERSION,
  PULL_HAS_MORE_HEADER,
  PULL_NEXT_CURSOR_HEADER,
  PULL_RUNS_SINCE_VERSION,
  SCHEMA_VERSION,
} from '@clinicdesk/sync-protocol';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GenerateResult, generateClinic } from '../../generator/clinic-generator';
import { holdLock, LOCK_SYNC_GROUPS } from '../../testing/held-lock';
import { type PulledBody, readPullBody } from '../../testing/pull-body';
import { createTestApp, type SignedIn, type TestApp } from '../../testing/test-app';
import { rowToRecord, type WireColumn, wireRecordSql, wireRunRowSql } from './sync-rows';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const STAFF_FIELDS = [
  'id',
  'clinic_id',
  'username',
  'display_name',
  'role',
  'phone',
  'email',
  'is_active',
  'version',
  'created_at',
  'updated_at',
  'deleted_at',
];

/**
 * Every page from cursor 0, with each answer's headers, its raw JSON and its body checked against
 * the schema of `protocolVersion` (changes as objects either way).
 */
async function pullAll(session: SignedIn, limit: number, protocolVersion = PROTOCOL_VERSION) {
  const pages: { headers: Record<string, unknown>; raw: Record<string, unknown>; body: PulledBody }[] = [];
  let cursor = 0;
  for (;;) {
    const res = await t.app.inject({
      method: 'GET',
      url: `/v1/sync/pull?cursor=${cursor}&limit=${limit}&protocolVersion=${protocolVersion}&schemaVersion=${SCHEMA_VERSION}`,
      headers: session.headers,
    });
    expect(res.statusCode).toBe(200);
    const raw = res.json();
    const body = readPullBody(raw, protocolVersion);
    pages.push({ headers: res.headers, raw, body });
    cursor = body.nextCursor;
    if (!body.hasMore) return pages;
  }
}

/** Text that JSON must escape: quotes, a backslash, a newline, a tab, a control character, non-ASCII. */
const ADDRESS_TO_ESCAPE = 'Flat "2B"\\ Main St.\nBlock\t7 \u0001 — Zürich 東京';

/** Signs in as the first member of a generated clinic's staff with `role`. */
async function signInAs(clinic: GenerateResult, role: 'doctor' | 'receptionist'): Promise<SignedIn> {
  const member = clinic.staff.find((s) => s.role === role);
  if (!member) throw new Error(`no ${role}`);
  return t.login({
    id: member.id,
    username: member.username,
    password: clinic.staffPassword,
    clinicId: clinic.clinicId,
    role,
  });
}

/** Both page formats a server serves: change runs (protocol 2 on) and change objects (protocol 1). */
const FORMATS: [string, number][] = [
  ['change runs', PROTOCOL_VERSION],
  ['change objects', PULL_RUNS_SINCE_VERSION - 1],
];

describe('pull pages written as JSON by PostgreSQL', () => {
  it.each(FORMATS)(
    'carry every row exactly as the row converted in Node, as %s (protocol %i): timestamps, dates, nulls, numbers, booleans, JSON',
    async (_format, protocolVersion) => {
      const owner = t.tdb.db.owner;
      const clinic = await generateClinic(owner, { patients: 4, seed: 11 });
      // Catalogue rows with numeric, jsonb (object and string) and boolean columns, a microsecond
      // timestamp (truncated to milliseconds, as Date does), a tombstone and NULLs.
      await sql`
      INSERT INTO lab_tests (clinic_id, id, name, code, category, unit, reference_ranges, price, is_active)
      VALUES (${clinic.clinicId}, ${uuidv7()}, 'Haemoglobin', 'HB', 'blood', 'g/dL',
              ${JSON.stringify({ male: '13-17', female: [12, 15.5], note: null })}::jsonb, 120.50, false),
             (${clinic.clinicId}, ${uuidv7()}, 'Glucose "fasting"', NULL, 'blood', NULL, DEFAULT, NULL, true)`.execute(
        owner,
      );
      await sql`
      INSERT INTO medicines (clinic_id, id, name, type, default_dose_pattern, default_days, is_active)
      VALUES (${clinic.clinicId}, ${uuidv7()}, 'Paracetamol', 'tablet', '"sos"'::jsonb, 3, true)`.execute(
        owner,
      );
      await sql`
      UPDATE patients SET created_at = '2026-03-04 05:06:07.123999+00', weight_kg = 61.25, email = NULL,
        deleted_at = '2026-03-05 00:00:00.000001+00', address = ${ADDRESS_TO_ESCAPE}
      WHERE id = (SELECT id FROM patients WHERE clinic_id = ${clinic.clinicId} ORDER BY id LIMIT 1)`.execute(
        owner,
      );

      const session = await signInAs(clinic, 'receptionist');
      const pages = await pullAll(session, 23, protocolVersion);
      expect(pages.length).toBeGreaterThan(3);
      const changes = pages.flatMap((p) => p.body.changes);
      if (protocolVersion >= PULL_RUNS_SINCE_VERSION) {
        // Runs: one per stretch of one entity (every entry here has its row), never a change object.
        for (const { raw } of pages) {
          expect(raw).not.toHaveProperty('changes');
          const entities = (raw.runs as { entity: string }[]).map((run) => run.entity);
          for (let i = 1; i < entities.length; i++) expect(entities[i]).not.toBe(entities[i - 1]);
        }
        expect(pages.some(({ raw }) => (raw.runs as unknown[]).length > 1)).toBe(true);
      } else {
        for (const { raw } of pages) expect(raw).not.toHaveProperty('runs');
      }

      const log = await sql<{
        seq: number;
        entity: string;
        row_id: string;
        version: number;
        deleted: boolean;
      }>`
      SELECT seq, entity, row_id, version, deleted FROM change_log WHERE clinic_id = ${clinic.clinicId} ORDER BY seq`.execute(
        owner,
      );
      expect(changes.map((c) => c.seq)).toEqual(log.rows.map((r) => r.seq));
      for (const [index, entry] of log.rows.entries()) {
        const change = changes[index] as PulledBody['changes'][number];
        const { rows } = await sql<Record<string, unknown>>`
        SELECT * FROM ${sql.table(entry.entity)} WHERE clinic_id = ${clinic.clinicId} AND id = ${entry.row_id}`.execute(
          owner,
        );
        const row = rows[0] as Record<string, unknown>;
        const kept =
          entry.entity === 'users'
            ? Object.fromEntries(Object.entries(row).filter(([column]) => STAFF_FIELDS.includes(column)))
            : row;
        // Field by field: what JSON.stringify of the Node conversion would send; change objects
        // (protocol 1) in its key order too, runs in their own field order (text columns last).
        const node = JSON.parse(JSON.stringify(rowToRecord(kept)));
        if (protocolVersion >= PULL_RUNS_SINCE_VERSION) expect(change.data).toStrictEqual(node);
        else expect(Object.entries(change.data)).toEqual(Object.entries(node));
        expect(change).toMatchObject({
          id: entry.row_id,
          version: Math.max(1, entry.version),
          op: entry.deleted ? 'delete' : entry.version <= 1 ? 'create' : 'update',
        });
      }
      const tombstone = changes.find((c) => c.data.deletedAt === '2026-03-05T00:00:00.000Z');
      expect(tombstone?.data).toMatchObject({
        createdAt: '2026-03-04T05:06:07.123Z',
        weightKg: 61.25,
        email: null,
        address: ADDRESS_TO_ESCAPE,
      });
      const hb = changes.find((c) => c.data.code === 'HB');
      expect(hb).toMatchObject({
        entity: 'labTest',
        data: {
          price: 120.5,
          isActive: false,
          referenceRanges: { male: '13-17', female: [12, 15.5], note: null },
        },
      });
      expect(changes.find((c) => c.entity === 'medicine')?.data).toMatchObject({
        defaultDosePattern: 'sos',
        defaultDays: 3,
      });
      expect(JSON.stringify(changes)).not.toContain('password');
    },
  );

  it.each(FORMATS)(
    'leaves out entries of a table that does not reach devices wherever they fall on a page, as %s (protocol %i)',
    async (_format, protocolVersion) => {
      const owner = t.tdb.db.owner;
      const clinic = await generateClinic(owner, { patients: 2, seed: 21 });
      // A tracked table no device receives (the server keeps such rows to itself).
      await sql`
        CREATE TABLE IF NOT EXISTS server_only_rows (
          clinic_id uuid NOT NULL, id uuid NOT NULL, version bigint NOT NULL DEFAULT 0,
          created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(),
          deleted_at timestamptz, PRIMARY KEY (clinic_id, id))`.execute(owner);
      await sql`
        SELECT enable_sync_tracking('server_only_rows')
        WHERE NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'sync_track_insert'
                          AND tgrelid = 'server_only_rows'::regclass)`.execute(owner);
      const hidden = (n: number) =>
        sql`INSERT INTO server_only_rows (clinic_id, id)
            SELECT ${clinic.clinicId}, gen_random_uuid() FROM generate_series(1, ${n}::int)`.execute(owner);
      // The log ends: 3 hidden entries, a patient, 2 hidden, a visit, 4 hidden.
      await hidden(3);
      await sql`UPDATE patients SET city = 'Pune' WHERE clinic_id = ${clinic.clinicId}
                AND id = (SELECT id FROM patients WHERE clinic_id = ${clinic.clinicId} ORDER BY id LIMIT 1)`.execute(
        owner,
      );
      await hidden(2);
      await sql`UPDATE visits SET purpose = 'Review' WHERE clinic_id = ${clinic.clinicId}
                AND id = (SELECT id FROM visits WHERE clinic_id = ${clinic.clinicId} ORDER BY id LIMIT 1)`.execute(
        owner,
      );
      await hidden(4);
      const log = await sql<{ seq: number; entity: string }>`
        SELECT seq, entity FROM change_log WHERE clinic_id = ${clinic.clinicId} ORDER BY seq`.execute(owner);
      const h = 'server_only_rows';
      expect(log.rows.slice(-11).map((r) => r.entity)).toEqual([
        h,
        h,
        h,
        'patients',
        h,
        h,
        'visits',
        h,
        h,
        h,
        h,
      ]);
      const expected = log.rows.filter((r) => r.entity !== 'server_only_rows').map((r) => r.seq);
      const session = await signInAs(clinic, 'receptionist');
      // Every page size from 1 to 7: pages that start, end or consist of hidden entries.
      for (let limit = 1; limit <= 7; limit++) {
        const pages = await pullAll(session, limit, protocolVersion);
        expect(pages.flatMap((p) => p.body.changes.map((c) => c.seq))).toEqual(expected);
        expect(pages.at(-1)?.body.nextCursor).toBe(log.rows.at(-1)?.seq);
      }
    },
  );

  it('refuses a page one of whose entries has lost its row, rather than send the page without it', async () => {
    const owner = t.tdb.db.owner;
    const clinic = await generateClinic(owner, { patients: 2, seed: 22 });
    // Rows are never deleted for good; one that is anyway leaves its log entry without a row.
    await sql`DELETE FROM prescription_items WHERE clinic_id = ${clinic.clinicId}
              AND id = (SELECT id FROM prescription_items WHERE clinic_id = ${clinic.clinicId} ORDER BY id LIMIT 1)`.execute(
      owner,
    );
    const session = await signInAs(clinic, 'receptionist');
    const res = await t.app.inject({
      method: 'GET',
      url: `/v1/sync/pull?cursor=0&limit=5000&protocolVersion=${PROTOCOL_VERSION}&schemaVersion=${SCHEMA_VERSION}`,
      headers: session.headers,
    });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('"runs"');
  });

  it("states each page's end in its headers, equal to the body", async () => {
    const clinic = await generateClinic(t.tdb.db.owner, { patients: 2, seed: 3 });
    const session = await signInAs(clinic, 'doctor');
    const pages = await pullAll(session, 10);
    for (const { headers, body } of pages) {
      expect(headers[PULL_NEXT_CURSOR_HEADER]).toBe(String(body.nextCursor));
      expect(headers[PULL_HAS_MORE_HEADER]).toBe(String(body.hasMore));
    }
    expect(pages.at(-1)?.body.hasMore).toBe(false);
  });

  it('counts usage again whenever the clinic has changed since the last count', async () => {
    const owner = t.tdb.db.owner;
    const clinic = await generateClinic(owner, { patients: 3, seed: 5 });
    const session = await signInAs(clinic, 'doctor');
    const usage = async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: `/v1/sync/pull?cursor=0&limit=5&protocolVersion=${PROTOCOL_VERSION}&schemaVersion=${SCHEMA_VERSION}`,
        headers: session.headers,
      });
      return res.json().clinic.usage;
    };
    expect(await usage()).toEqual({ patients: 3, doctors: 3, receptionists: 2, labTechs: 1 });
    expect(await usage()).toEqual({ patients: 3, doctors: 3, receptionists: 2, labTechs: 1 });
    const { rows } = await sql<{ id: string }>`
      SELECT id FROM patients WHERE clinic_id = ${clinic.clinicId} ORDER BY id LIMIT 1`.execute(owner);
    await sql`UPDATE patients SET deleted_at = now() WHERE clinic_id = ${clinic.clinicId} AND id = ${rows[0]?.id}`.execute(
      owner,
    );
    await sql`UPDATE users SET is_active = false WHERE clinic_id = ${clinic.clinicId} AND role = 'lab_tech'`.execute(
      owner,
    );
    expect(await usage()).toEqual({ patients: 2, doctors: 3, receptionists: 2, labTechs: 0 });
  });

  it('writes a record of more columns than one concat call takes, each type as row_to_json would, NULL or NOT NULL', async () => {
    const samples: { type: string; value: string; json: unknown }[] = [
      { type: 'integer', value: '42', json: 42 },
      { type: 'text', value: `'say "hi"\\'`, json: 'say "hi"\\' },
      {
        type: 'uuid',
        value: "'0190a5c2-7b1e-7c3d-8e4f-5a6b7c8d9e0f'",
        json: '0190a5c2-7b1e-7c3d-8e4f-5a6b7c8d9e0f',
      },
      {
        type: 'timestamp with time zone',
        value: "'2026-01-02 03:04:05.678901+00'",
        json: '2026-01-02T03:04:05.678Z',
      },
      { type: 'boolean', value: 'true', json: true },
      { type: 'jsonb', value: `'{"a": [1, null]}'`, json: { a: [1, null] } },
      { type: 'numeric', value: '12.50', json: 12.5 },
      { type: 'date', value: "'2026-02-03'", json: '2026-02-03' },
      { type: 'text', value: 'NULL', json: null },
    ];
    const columns: WireColumn[] = [];
    const selects: string[] = [];
    const expected: Record<string, unknown> = {};
    for (let i = 0; i < 60; i++) {
      const sample = samples[i % samples.length] as (typeof samples)[number];
      // Every other column as NOT NULL (its quotes written as concat arguments), unless it holds NULL.
      columns.push({ name: `c${i}_value`, type: sample.type, nullable: i % 2 === 0 || sample.json === null });
      selects.push(`${sample.value}::${sample.type} AS c${i}_value`);
      expected[`c${i}Value`] = sample.json;
    }
    const { rows } = await sql<{ json: string }>`
      SELECT ${sql.raw(wireRecordSql('t', columns))} AS json FROM (SELECT ${sql.raw(selects.join(', '))}) t`.execute(
      t.tdb.db.owner,
    );
    expect(Object.entries(JSON.parse(rows[0]?.json ?? 'null'))).toEqual(Object.entries(expected));
    // The same values as a change run's row, under the run's field names (text columns last).
    const runRow = wireRunRowSql('t', columns, [{ literal: '[' }]);
    const values = await sql<{ json: string }>`
      SELECT ${sql.raw(runRow.sql)} AS json FROM (SELECT ${sql.raw(selects.join(', '))}) t`.execute(
      t.tdb.db.owner,
    );
    const row = JSON.parse(values.rows[0]?.json ?? 'null') as unknown[];
    const textFields = columns.filter((c) => c.type === 'text').map((c) => toCamelCase(c.name));
    expect(runRow.fields.slice(-textFields.length)).toEqual(textFields);
    expect(Object.fromEntries(runRow.fields.map((field, index) => [field, row[index]]))).toStrictEqual(
      expected,
    );
  });
});

// These hold a lock from a second connection, watch pg_stat_activity and end a backend: they need
// PostgreSQL (CI sets DATABASE_URL). The embedded database has one connection, so a pull there
// would wait for the lock's transaction instead of showing what happens while the page waits.
describe.runIf(process.env.DATABASE_URL)('the head of a page with more pages after it', () => {
  let base = '';
  beforeAll(async () => {
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  });

  const pullPath = (cursor: number, limit: number) =>
    `/v1/sync/pull?cursor=${cursor}&limit=${limit}&protocolVersion=${PROTOCOL_VERSION}&schemaVersion=${SCHEMA_VERSION}`;

  /** A pull over HTTP, resolved as soon as its status and headers arrive (its body may still be on its way). */
  function startPull(session: SignedIn, cursor: number, limit: number, acceptEncoding: string) {
    return new Promise<IncomingMessage>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no head within 10 s')), 10_000);
      get(
        `${base}${pullPath(cursor, limit)}`,
        { headers: { ...session.headers, 'accept-encoding': acceptEncoding } },
        (res) => {
          clearTimeout(timer);
          resolve(res);
        },
      ).on('error', reject);
    });
  }

  /**
   * Holds an exclusive lock on `sync_groups` (as the owner) until `release`: a page statement,
   * which reads the device's recent decisions, waits for it; reading where a page ends does not.
   */
  function lockDecisions() {
    return holdLock(t.tdb.db.owner, LOCK_SYNC_GROUPS);
  }

  /** Backends of this database waiting for a lock while running a page statement. */
  async function waitingPages(): Promise<number[]> {
    const { rows } = await sql<{ pid: number }>`
      SELECT pid FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%WITH page AS%'`.execute(
      t.tdb.db.owner,
    );
    return rows.map((r) => r.pid);
  }

  async function untilWaiting(count: number): Promise<number[]> {
    for (let i = 0; i < 200; i++) {
      const pids = await waitingPages();
      if (pids.length >= count) return pids;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`${count} page statements never waited`);
  }

  it.each([
    ['gzip', 'gzip'],
    ['identity', 'identity'],
  ])(
    'says where the page ends while the page is still being read (%s), then sends the page',
    async (_, encoding) => {
      const clinic = await generateClinic(t.tdb.db.owner, { patients: 3, seed: 11 });
      const session = await signInAs(clinic, 'receptionist');
      const [first] = await pullAll(session, 5);
      if (!first) throw new Error('no page');
      const lock = await lockDecisions();
      try {
        const res = await startPull(session, 0, 5, encoding);
        expect(res.statusCode).toBe(200);
        expect(res.headers[PULL_NEXT_CURSOR_HEADER]).toBe(String(first.body.nextCursor));
        expect(res.headers[PULL_HAS_MORE_HEADER]).toBe('true');
        expect(res.headers['content-encoding']).toBe(encoding === 'gzip' ? 'gzip' : undefined);
        // The head came while the page statement still waits for the lock.
        expect(await untilWaiting(1)).toHaveLength(1);
        const body = (async () => {
          const chunks: Buffer[] = [];
          for await (const chunk of res) chunks.push(chunk as Buffer);
          return Buffer.concat(chunks);
        })();
        await lock.release();
        const bytes = await body;
        const json = (encoding === 'gzip' ? gunzipSync(bytes) : bytes).toString('utf8');
        expect(readPullBody(JSON.parse(json), PROTOCOL_VERSION).changes).toEqual(first.body.changes);
        expect(JSON.parse(json).nextCursor).toBe(first.body.nextCursor);
      } finally {
        await lock.release();
      }
    },
  );

  it('cuts the answer off when the page fails after its head, and the page comes whole on the next pull', async () => {
    const clinic = await generateClinic(t.tdb.db.owner, { patients: 3, seed: 12 });
    const session = await signInAs(clinic, 'receptionist');
    const [first] = await pullAll(session, 5);
    const lock = await lockDecisions();
    try {
      const res = await startPull(session, 0, 5, 'gzip');
      expect(res.statusCode).toBe(200);
      const [pid] = await untilWaiting(1);
      const body = text(res);
      await sql`SELECT pg_terminate_backend(${pid}::int)`.execute(t.tdb.db.owner);
      await expect(body).rejects.toThrow();
    } finally {
      await lock.release();
    }
    const again = await t.app.inject({ method: 'GET', url: pullPath(0, 5), headers: session.headers });
    expect(again.statusCode).toBe(200);
    expect(readPullBody(again.json(), PROTOCOL_VERSION).changes).toEqual(first?.body.changes);
  });

  it.each([
    ['gzip', 'gzip'],
    ['identity', 'identity'],
  ])(
    'carries on when the device goes away after the head (%s): the page is dropped, the server keeps answering',
    async (_, encoding) => {
      const clinic = await generateClinic(t.tdb.db.owner, { patients: 3, seed: 14 });
      const session = await signInAs(clinic, 'receptionist');
      const [first] = await pullAll(session, 5);
      const lock = await lockDecisions();
      try {
        const res = await startPull(session, 0, 5, encoding);
        expect(res.headers[PULL_HAS_MORE_HEADER]).toBe('true');
        await untilWaiting(1);
        res.destroy();
        res.socket?.destroy();
      } finally {
        await lock.release();
      }
      // The page statement finishes and its body goes nowhere; the server is still up and answering.
      for (let i = 0; i < 100 && (await waitingPages()).length > 0; i++)
        await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const again = await startPull(session, 0, 5, 'identity');
      expect(again.statusCode).toBe(200);
      expect(readPullBody(JSON.parse(await text(again)), PROTOCOL_VERSION).changes).toEqual(
        first?.body.changes,
      );
    },
  );

  it("answers a device's overlapping pulls, each its own page, and records the pull", async () => {
    const clinic = await generateClinic(t.tdb.db.owner, { patients: 3, seed: 13 });
    const session = await signInAs(clinic, 'receptionist');
    const pages = await pullAll(session, 5);
    expect(pages.length).toBeGreaterThan(3);
    // The app's clock moves a minute on, so the time recorded is this test's pulls' own.
    t.clock.advance(60_000);
    const pulledAt = t.clock.now.getTime();
    const lock = await lockDecisions();
    let answers: IncomingMessage[];
    try {
      answers = await Promise.all(
        [0, 1, 2].map((i) =>
          startPull(session, i === 0 ? 0 : (pages[i - 1]?.body.nextCursor ?? 0), 5, 'identity'),
        ),
      );
      await untilWaiting(3);
    } finally {
      await lock.release();
    }
    const bodies = await Promise.all(answers.map((res) => text(res)));
    answers.forEach((res, i) => {
      expect(res.statusCode).toBe(200);
      expect(readPullBody(JSON.parse(bodies[i] ?? ''), PROTOCOL_VERSION).changes).toEqual(
        pages[i]?.body.changes,
      );
    });
    const { rows } = await sql<{ last_sync_at: Date | null }>`
      SELECT last_sync_at FROM devices WHERE id = ${session.claims.deviceId}`.execute(t.tdb.db.owner);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.last_sync_at?.getTime()).toBeGreaterThanOrEqual(pulledAt);
  });
});
