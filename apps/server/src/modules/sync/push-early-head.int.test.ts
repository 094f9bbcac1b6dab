import { randomUUID } from 'node:crypto';
import { type IncomingMessage, request } from 'node:http';
import { buffer } from 'node:stream/consumers';
import { gunzipSync } from 'node:zlib';
import { formatProvisionalPatientCode, uuidv7 } from '@clinicdesk/domain';
import {
  PROTOCOL_VERSION,
  PUSH_MORE_FOLLOWS_HEADER,
  PUSH_SEND_NEXT_HEADER,
  SCHEMA_VERSION,
} from '@clinicdesk/sync-protocol';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdLock, LOCK_CHANGE_LOG } from '../../testing/held-lock';
import { createTestApp, type SignedIn, type TestApp } from '../../testing/test-app';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

/** Groups of one patient registration each, numbered from `firstSeq`. */
function registrations(
  { clinicCode, registeredBy }: { clinicCode: string; registeredBy: string },
  firstSeq: number,
  count: number,
) {
  return Array.from({ length: count }, (_, i) => {
    const id = uuidv7();
    return {
      mutationId: randomUUID(),
      seq: firstSeq + i,
      createdAt: new Date().toISOString(),
      ops: [
        {
          op: 'create',
          entity: 'patient',
          id,
          // A provisional code: the server assigns the next number (a notice, still applied).
          data: {
            patientCode: formatProvisionalPatientCode(clinicCode, 2026, id),
            firstName: 'Asha',
            lastName: 'Patil',
            ageYears: 34,
            sex: 'female',
            registeredBy,
          },
        },
      ],
    };
  });
}

async function receptionDesk() {
  const clinic = await t.createClinic();
  const receptionist = await t.createUser(clinic.id, 'receptionist');
  const session = await t.login(receptionist);
  return { clinic, session, desk: { clinicCode: clinic.code, registeredBy: receptionist.id } };
}

function pushBody(groups: unknown[]) {
  return { protocolVersion: PROTOCOL_VERSION, schemaVersion: SCHEMA_VERSION, groups };
}

/** The decisions recorded for these mutation ids. */
async function decided(mutationIds: readonly string[]): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM sync_groups WHERE mutation_id = ANY(CAST(${mutationIds} AS uuid[]))`.execute(
    t.tdb.db.owner,
  );
  return rows[0]?.n ?? 0;
}

describe('a push answered whole', () => {
  it('has no early head unless the device asks for one, and is gzipped when the device takes gzip', async () => {
    const { desk, session } = await receptionDesk();
    for (const encoding of ['identity', 'br, gzip, deflate']) {
      const seq = encoding === 'identity' ? 1 : 31;
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/sync/push',
        headers: { ...session.headers, 'accept-encoding': encoding },
        payload: pushBody(registrations(desk, seq, 30)),
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers[PUSH_SEND_NEXT_HEADER]).toBeUndefined();
      const gzipped = encoding !== 'identity';
      expect(res.headers['content-encoding']).toBe(gzipped ? 'gzip' : undefined);
      const json = JSON.parse((gzipped ? gunzipSync(res.rawPayload) : res.rawPayload).toString('utf8'));
      expect(json.ackSeq).toBe(seq + 29);
      expect(json.results.every((r: { status: string }) => r.status === 'applied')).toBe(true);
    }
  });
});

// A second connection holds a table lock the push waits for and ends a backend: the embedded
// one-connection database cannot show either, so these run on PostgreSQL (CI sets DATABASE_URL).
describe.runIf(process.env.DATABASE_URL)('a push the device means to follow with another', () => {
  let base = '';
  beforeAll(async () => {
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  });

  /** A push over HTTP, resolved as soon as its status and headers arrive (its body may still be on its way). */
  function startPush(session: SignedIn, body: unknown, acceptEncoding: string, moreFollows = true) {
    return new Promise<IncomingMessage>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no head within 10 s')), 10_000);
      const req = request(
        `${base}/v1/sync/push`,
        {
          method: 'POST',
          headers: {
            ...session.headers,
            'content-type': 'application/json',
            'accept-encoding': acceptEncoding,
            ...(moreFollows ? { [PUSH_MORE_FOLLOWS_HEADER]: 'true' } : {}),
          },
        },
        (res) => {
          clearTimeout(timer);
          resolve(res);
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });
  }

  async function answerOf(res: IncomingMessage) {
    const bytes = await buffer(res);
    const gzipped = res.headers['content-encoding'] === 'gzip';
    return JSON.parse((gzipped ? gunzipSync(bytes) : bytes).toString('utf8'));
  }

  /**
   * Holds an exclusive lock on `change_log` (as the owner) until `release`: a push's INSERT waits
   * for it, after the push has read what it decides by.
   */
  function lockChangeLog() {
    return holdLock(t.tdb.db.owner, LOCK_CHANGE_LOG);
  }

  /** Backends of this database waiting for a lock of `kind` (`relation`: a table, `advisory`: a clinic's write lock). */
  async function untilWaiting(kind: 'relation' | 'advisory', count: number): Promise<number[]> {
    for (let i = 0; i < 200; i++) {
      const { rows } = await sql<{ pid: number }>`
        SELECT pid FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = ${kind}`.execute(
        t.tdb.db.owner,
      );
      if (rows.length >= count) return rows.map((r) => r.pid);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`${count} backends never waited for a ${kind} lock`);
  }

  it.each([
    ['gzip', 'gzip'],
    ['identity', 'identity'],
  ])('says the next push may go while its groups still wait (%s), then answers them', async (_, encoding) => {
    const { desk, session } = await receptionDesk();
    const groups = registrations(desk, 1, 3);
    const lock = await lockChangeLog();
    try {
      const res = await startPush(session, pushBody(groups), encoding);
      expect(res.statusCode).toBe(200);
      expect(res.headers[PUSH_SEND_NEXT_HEADER]).toBe('true');
      expect(res.headers['content-encoding']).toBe(encoding === 'gzip' ? 'gzip' : undefined);
      // The head came while the push's INSERT still waits for the table.
      expect(await untilWaiting('relation', 1)).toHaveLength(1);
      expect(await decided(groups.map((g) => g.mutationId))).toBe(0);
      const answer = answerOf(res);
      await lock.release();
      const json = await answer;
      expect(json.ackSeq).toBe(3);
      expect(json.results.map((r: { status: string }) => r.status)).toEqual([
        'applied',
        'applied',
        'applied',
      ]);
    } finally {
      await lock.release();
    }
  });

  it('decides a push sent after that head after the first one, never as a gap', async () => {
    const { desk, session } = await receptionDesk();
    const lock = await lockChangeLog();
    try {
      const first = await startPush(session, pushBody(registrations(desk, 1, 2)), 'identity');
      expect(first.headers[PUSH_SEND_NEXT_HEADER]).toBe('true');
      const second = startPush(session, pushBody(registrations(desk, 3, 2)), 'identity', false);
      // The second waits for the clinic's lock, which the first holds.
      await untilWaiting('advisory', 1);
      const answers = Promise.all([answerOf(first), second.then(answerOf)]);
      await lock.release();
      const [a, b] = await answers;
      expect(a.ackSeq).toBe(2);
      expect(b.ackSeq).toBe(4);
      expect(b.results.map((r: { status: string }) => r.status)).toEqual(['applied', 'applied']);
    } finally {
      await lock.release();
    }
  });

  it('answers a push refused as a whole with its status, the head not sent early', async () => {
    const { clinic, desk, session } = await receptionDesk();
    // The clinic is suspended while the push, past sign-in, waits for the clinic's write lock.
    const clinicLock = await holdLock(
      t.tdb.db.owner,
      sql`SELECT pg_advisory_xact_lock(hashtextextended(${clinic.id}, 7))`,
    );
    try {
      const res = startPush(session, pushBody(registrations(desk, 1, 2)), 'identity');
      await untilWaiting('advisory', 1);
      await t.tdb.db.owner
        .updateTable('clinics')
        .set({ subscription_status: 'suspended' })
        .where('id', '=', clinic.id)
        .execute();
      await clinicLock.release();
      const answer = await res;
      expect(answer.statusCode).toBe(403);
      expect(answer.headers[PUSH_SEND_NEXT_HEADER]).toBeUndefined();
      expect(await answerOf(answer)).toMatchObject({ error: { code: 'CLINIC_SUSPENDED' } });
    } finally {
      await clinicLock.release();
    }
  });

  it('decides the groups of a device that went away after the head, and answers them as duplicates when sent again', async () => {
    const { desk, session } = await receptionDesk();
    const groups = registrations(desk, 1, 2);
    const lock = await lockChangeLog();
    try {
      const res = await startPush(session, pushBody(groups), 'gzip');
      expect(res.headers[PUSH_SEND_NEXT_HEADER]).toBe('true');
      await untilWaiting('relation', 1);
      res.destroy();
      res.socket?.destroy();
    } finally {
      await lock.release();
    }
    // The push commits and its answer goes nowhere; the server is still up and answering.
    for (let i = 0; i < 100 && (await decided(groups.map((g) => g.mutationId))) < 2; i++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await decided(groups.map((g) => g.mutationId))).toBe(2);
    const again = await startPush(session, pushBody(groups), 'identity', false);
    expect(again.statusCode).toBe(200);
    expect((await answerOf(again)).results.map((r: { status: string }) => r.status)).toEqual([
      'duplicate',
      'duplicate',
    ]);
  });

  it('cuts the answer off when the push fails after its head; nothing of it is recorded, and the same groups are applied when sent again', async () => {
    const { desk, session } = await receptionDesk();
    const groups = registrations(desk, 1, 2);
    const lock = await lockChangeLog();
    try {
      const res = await startPush(session, pushBody(groups), 'gzip');
      expect(res.headers[PUSH_SEND_NEXT_HEADER]).toBe('true');
      const [pid] = await untilWaiting('relation', 1);
      const body = buffer(res);
      await sql`SELECT pg_terminate_backend(${pid}::int)`.execute(t.tdb.db.owner);
      await expect(body).rejects.toThrow();
    } finally {
      await lock.release();
    }
    expect(await decided(groups.map((g) => g.mutationId))).toBe(0);
    const again = await t.app.inject({
      method: 'POST',
      url: '/v1/sync/push',
      headers: session.headers,
      payload: pushBody(groups),
    });
    expect(again.statusCode).toBe(200);
    expect(again.json().results.map((r: { status: string }) => r.status)).toEqual(['applied', 'applied']);
  });
});
