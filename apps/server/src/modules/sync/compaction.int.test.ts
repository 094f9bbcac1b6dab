import { PROTOCOL_VERSION, SCHEMA_VERSION } from '@clinicdesk/sync-protocol';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config';
import { generateClinic } from '../../generator/clinic-generator';
import { readPullBody } from '../../testing/pull-body';
import { createTestApp, type SignedIn, type TestApp } from '../../testing/test-app';
import { type CompactionReport, compactChangeLog, scheduleCompaction } from './compaction.service';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const DAY_MS = 24 * 60 * 60 * 1000;

async function pull(session: SignedIn, cursor: number) {
  return t.app.inject({
    method: 'GET',
    url: `/v1/sync/pull?cursor=${cursor}&limit=5000&protocolVersion=${PROTOCOL_VERSION}&schemaVersion=${SCHEMA_VERSION}`,
    headers: session.headers,
  });
}

async function minSeq(clinicId: string): Promise<number> {
  const row = await t.tdb.db.owner
    .selectFrom('clinic_sync_state')
    .select('min_seq')
    .where('clinic_id', '=', clinicId)
    .executeTakeFirstOrThrow();
  return Number(row.min_seq);
}

describe('change-log compaction', () => {
  it('removes entries of rows deleted before the cut, sends devices behind them back to a new download, and keeps everything else', async () => {
    const owner = t.tdb.db.owner;
    const clinic = await generateClinic(owner, { patients: 3, seed: 21 });
    const other = await generateClinic(owner, { patients: 2, seed: 22 });
    const receptionist = clinic.staff.find((s) => s.role === 'receptionist');
    if (!receptionist) throw new Error('no receptionist');
    const session = await t.login({
      id: receptionist.id,
      username: receptionist.username,
      password: clinic.staffPassword,
      clinicId: clinic.clinicId,
      role: 'receptionist',
    });

    const { rows: patients } = await sql<{ id: string }>`
      SELECT id FROM patients WHERE clinic_id = ${clinic.clinicId} ORDER BY id`.execute(owner);
    const [longGone, justGone] = patients.map((p) => p.id);
    if (!longGone || !justGone) throw new Error('the generator made too few patients');
    await sql`UPDATE patients SET deleted_at = now() WHERE id IN (${longGone}, ${justGone})`.execute(owner);
    // One deletion is 40 days old; the other clinic's log is older still but has no deletion.
    await sql`UPDATE change_log SET at = now() - interval '40 days' WHERE row_id = ${longGone}`.execute(
      owner,
    );
    await sql`UPDATE change_log SET at = now() - interval '400 days' WHERE clinic_id = ${other.clinicId}`.execute(
      owner,
    );
    const entry = await owner
      .selectFrom('change_log')
      .select(['seq', 'deleted'])
      .where('row_id', '=', longGone)
      .executeTakeFirstOrThrow();
    expect(entry.deleted).toBe(true);
    const removedSeq = Number(entry.seq);
    const logBefore = await owner
      .selectFrom('change_log')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();

    const report = await compactChangeLog(owner, new Date(Date.now() - 30 * DAY_MS));

    expect(report).toEqual({ clinics: 1, removed: 1 });
    const logAfter = await owner
      .selectFrom('change_log')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    expect(logAfter.n).toBe(logBefore.n - 1);
    expect(
      await owner.selectFrom('change_log').select('seq').where('row_id', '=', longGone).execute(),
    ).toEqual([]);
    expect(await minSeq(clinic.clinicId)).toBe(removedSeq);
    expect(await minSeq(other.clinicId)).toBe(0);
    // The row itself stays: deletes are soft.
    const { rows } = await sql<{ deleted_at: Date | null }>`
      SELECT deleted_at FROM patients WHERE id = ${longGone}`.execute(owner);
    const row = rows[0];
    expect(row?.deleted_at).toBeInstanceOf(Date);

    // A device that had not pulled past the removed entry downloads the clinic again.
    const behind = await pull(session, removedSeq - 1);
    expect(behind.statusCode).toBe(410);
    expect(behind.json().error).toMatchObject({
      code: 'RESET_REQUIRED',
      details: { oldestCursor: removedSeq },
    });
    expect((await pull(session, removedSeq)).statusCode).toBe(200);
    // A new download no longer carries the long-deleted patient, and still the recent deletion.
    const snapshot = await pull(session, 0);
    expect(snapshot.statusCode).toBe(200);
    const ids = readPullBody(snapshot.json(), PROTOCOL_VERSION).changes.map((c) => [c.id, c.op]);
    expect(ids.filter(([id]) => id === longGone)).toEqual([]);
    expect(ids.filter(([id]) => id === justGone)).toEqual([[justGone, 'delete']]);

    // Nothing left to remove: a second run changes nothing.
    expect(await compactChangeLog(owner, new Date(Date.now() - 30 * DAY_MS))).toEqual({
      clinics: 0,
      removed: 0,
    });
    expect(await minSeq(clinic.clinicId)).toBe(removedSeq);
  });

  it('never moves a clinic back to an older position', async () => {
    const owner = t.tdb.db.owner;
    const clinic = await generateClinic(owner, { patients: 2, seed: 23 });
    const { rows } = await sql<{ id: string }>`
      SELECT id FROM patients WHERE clinic_id = ${clinic.clinicId} ORDER BY id`.execute(owner);
    const [first, second] = rows.map((p) => p.id);
    // Deleted one after the other: the second deletion has the larger seq.
    await sql`UPDATE patients SET deleted_at = now() WHERE id = ${first}`.execute(owner);
    await sql`UPDATE patients SET deleted_at = now() WHERE id = ${second}`.execute(owner);
    // The later deletion is compacted first; the earlier one (a smaller seq) later.
    await sql`UPDATE change_log SET at = now() - interval '60 days' WHERE row_id = ${second}`.execute(owner);
    await compactChangeLog(owner, new Date(Date.now() - 30 * DAY_MS));
    const afterFirstRun = await minSeq(clinic.clinicId);
    await sql`UPDATE change_log SET at = now() - interval '60 days' WHERE row_id = ${first}`.execute(owner);
    expect(await compactChangeLog(owner, new Date(Date.now() - 30 * DAY_MS))).toEqual({
      clinics: 1,
      removed: 1,
    });
    expect(await minSeq(clinic.clinicId)).toBe(afterFirstRun);
  });
});

describe('compaction schedule', () => {
  it('runs again after a failed run, one run at a time, until stopped', async () => {
    const results: ({ report: CompactionReport } | { error: unknown })[] = [];
    let calls = 0;
    let concurrent = 0;
    let overlapped = false;
    const stop = scheduleCompaction({
      everyMs: 5,
      firstAfterMs: 0,
      compact: async () => {
        calls += 1;
        concurrent += 1;
        overlapped ||= concurrent > 1;
        await new Promise((resolve) => setTimeout(resolve, 15));
        concurrent -= 1;
        if (calls === 1) throw new Error('database unavailable');
        return { clinics: 0, removed: calls };
      },
      onResult: (result) => results.push(result),
    });
    await expect.poll(() => results.length, { timeout: 2000 }).toBeGreaterThanOrEqual(3);
    await stop();
    const settled = calls;
    await new Promise((resolve) => setTimeout(resolve, 40));

    expect(calls).toBe(settled);
    expect(overlapped).toBe(false);
    expect(results[0]).toEqual({ error: new Error('database unavailable') });
    expect(results[1]).toEqual({ report: { clinics: 0, removed: 2 } });
  });

  it('keeps deleted rows for 30 days unless the server is told otherwise; 0 turns compaction off', () => {
    expect(loadConfig({}).changeLogRetentionDays).toBe(30);
    expect(loadConfig({ CHANGE_LOG_RETENTION_DAYS: '0' }).changeLogRetentionDays).toBe(0);
    expect(() => loadConfig({ CHANGE_LOG_RETENTION_DAYS: '-1' })).toThrow(/CHANGE_LOG_RETENTION_DAYS/);
  });
});
