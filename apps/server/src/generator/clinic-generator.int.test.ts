import { parsePatientCode, syncedEntities } from '@clinicdesk/domain';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowToRecord } from '../modules/sync/sync-rows';
import { createTestApp, type TestApp } from '../testing/test-app';
import { generateClinic } from './clinic-generator';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('clinic generator', () => {
  it('builds a realistic clinic whose rows are valid records, logged once each for sync', async () => {
    const seen: number[] = [];
    let reportedTotal = 0;
    const result = await generateClinic(t.tdb.db.owner, {
      patients: 40,
      seed: 7,
      onProgress: (done, total) => {
        seen.push(done);
        reportedTotal = total;
      },
    });
    const owner = t.tdb.db.owner;
    // 40 patients, 2 visits each with vitals, note, diagnosis and a prescription of 3 items, 1 lab
    // order with its result.
    expect(result.counts).toMatchObject({
      patients: 40,
      visits: 80,
      prescriptions: 80,
      prescription_items: 240,
      lab_orders: 40,
    });
    const rowsGenerated = Object.values(result.counts).reduce((a, b) => a + b, 0);
    expect(seen.at(-1)).toBe(rowsGenerated);
    expect(reportedTotal).toBe(rowsGenerated);
    expect(result.staff.map((s) => s.role).sort()).toEqual([
      'doctor',
      'doctor',
      'doctor',
      'lab_tech',
      'receptionist',
      'receptionist',
    ]);

    const patients = await owner
      .selectFrom('patients' as never)
      .selectAll()
      .where('clinic_id' as never, '=', result.clinicId as never)
      .execute();
    const records = patients.map((row) => rowToRecord(row as Record<string, unknown>));
    for (const record of records) {
      expect(() => syncedEntities.patient.schema.parse(record)).not.toThrow();
      expect(record.phone).toMatch(/^\+91[6-9]\d{9}$/);
      expect(record.firstName).toMatch(/\S/);
      expect(parsePatientCode(String(record.patientCode))?.clinicCode).toBe(result.code);
    }
    expect(new Set(records.map((r) => r.patientCode)).size).toBe(40);

    // One change-log entry per row, numbered 1..n without gaps, as the sync triggers would leave it.
    const log = await sql<{ n: number; first: number; last: number; distinct_rows: number }>`
      SELECT count(*)::int AS n, min(seq)::int AS first, max(seq)::int AS last,
             count(DISTINCT (entity, row_id))::int AS distinct_rows
      FROM change_log WHERE clinic_id = ${result.clinicId}`.execute(owner);
    const staffRows = result.staff.length;
    expect(log.rows[0]).toEqual({
      n: rowsGenerated + staffRows,
      first: 1,
      last: rowsGenerated + staffRows,
      distinct_rows: rowsGenerated + staffRows,
    });

    // The next patient code a device leases continues after the generated ones.
    const counter = await sql<{ next_value: number }>`
      SELECT next_value::int FROM counters WHERE clinic_id = ${result.clinicId} AND counter = 'patient_code'`.execute(
      owner,
    );
    const highest = Math.max(...records.map((r) => parsePatientCode(String(r.patientCode))?.seq ?? 0));
    expect(counter.rows.every((row) => row.next_value > 0)).toBe(true);
    expect(Math.max(...counter.rows.map((row) => row.next_value))).toBe(highest + 1);
  });

  it('is repeatable: the same seed gives the same patients', async () => {
    const a = await generateClinic(t.tdb.db.owner, { patients: 5, seed: 11 });
    const b = await generateClinic(t.tdb.db.owner, { patients: 5, seed: 11 });
    const names = async (clinicId: string) =>
      (
        await sql<{ first_name: string; phone: string }>`
          SELECT first_name, phone FROM patients WHERE clinic_id = ${clinicId} ORDER BY patient_code`.execute(
          t.tdb.db.owner,
        )
      ).rows;
    expect(await names(a.clinicId)).toEqual(await names(b.clinicId));
  });
});
