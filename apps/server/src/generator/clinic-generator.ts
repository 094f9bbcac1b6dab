import { randomUUID } from 'node:crypto';
import {
  createUuidv7Generator,
  formatPatientCode,
  type SyncedEntityName,
  syncedEntities,
} from '@clinicdesk/domain';
import { en, en_IN, Faker } from '@faker-js/faker';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../db/tables';
import { hashPassword } from '../lib/passwords';
import { recordToRow } from '../modules/sync/sync-rows';

/**
 * Builds a realistic clinic on the server for demos, tests and benchmarks: Indian names and mobile
 * numbers (faker `en_IN`), staff, patients with codes, visits with daily tokens, final
 * prescriptions with medicine lines, lab orders with results, vitals and consultation notes.
 *
 * Rows go in with multi-row INSERTs through the owner connection. When the owner may (superuser),
 * the per-row sync triggers are skipped for speed and the change log is then written in bulk with
 * the same invariants the triggers keep (one entry per row, gapless per-clinic sequence).
 */
export type GenerateOptions = {
  clinicId?: string;
  clinicName?: string;
  patients: number;
  visitsPerPatient?: number;
  itemsPerPrescription?: number;
  labOrdersPerPatient?: number;
  seed?: number;
  now?: Date;
  onProgress?: (done: number, total: number, table: string) => void;
};

export type GenerateResult = {
  clinicId: string;
  slug: string;
  code: string;
  counts: Record<string, number>;
  staff: { id: string; username: string; role: string }[];
  staffPassword: string;
};

type AnyDb = Kysely<Record<string, Record<string, unknown>>>;
const STAFF_PASSWORD = 'generated-staff-pass-2026';
const BATCH = 500;

const MEDICINES = [
  { medicineName: 'Paracetamol', medicineType: 'tablet', strength: '500 mg' },
  { medicineName: 'Amoxicillin', medicineType: 'capsule', strength: '500 mg' },
  { medicineName: 'Cetirizine', medicineType: 'tablet', strength: '10 mg' },
  { medicineName: 'Pantoprazole', medicineType: 'tablet', strength: '40 mg' },
  { medicineName: 'Metformin', medicineType: 'tablet', strength: '500 mg' },
  { medicineName: 'Amlodipine', medicineType: 'tablet', strength: '5 mg' },
  { medicineName: 'Azithromycin', medicineType: 'tablet', strength: '500 mg' },
  { medicineName: 'Ondansetron', medicineType: 'tablet', strength: '4 mg' },
  { medicineName: 'Cough syrup (Dextromethorphan)', medicineType: 'syrup', strength: '100 ml' },
  { medicineName: 'ORS', medicineType: 'powder', strength: '21 g' },
] as const;
const PATTERNS = [
  { morning: 1, afternoon: 0, evening: 1, night: 0 },
  { morning: 1, afternoon: 1, evening: 1, night: 0 },
  { morning: 1, afternoon: 0, evening: 0, night: 0 },
  { morning: 0, afternoon: 0, evening: 0, night: 1 },
] as const;
const COMPLAINTS = [
  'Fever since 2 days',
  'Cough and cold',
  'Headache',
  'Abdominal pain',
  'Body ache',
  'Follow-up for BP',
  'Skin rash',
  'Loose motions',
];
const DIAGNOSES = [
  'Viral fever',
  'Upper respiratory tract infection',
  'Migraine',
  'Acid peptic disease',
  'Hypertension',
  'Type 2 diabetes mellitus',
  'Allergic dermatitis',
  'Acute gastroenteritis',
];
const LAB_TESTS = [
  {
    testName: 'Complete Blood Count',
    category: 'blood',
    parameter: 'Haemoglobin',
    unit: 'g/dL',
    low: 12,
    high: 16,
  },
  {
    testName: 'Blood Sugar (Fasting)',
    category: 'blood',
    parameter: 'Glucose',
    unit: 'mg/dL',
    low: 70,
    high: 100,
  },
  { testName: 'Urine Routine', category: 'urine', parameter: 'Pus cells', unit: '/hpf', low: 0, high: 5 },
  {
    testName: 'Serum Creatinine',
    category: 'blood',
    parameter: 'Creatinine',
    unit: 'mg/dL',
    low: 0.6,
    high: 1.2,
  },
] as const;

function indianMobile(f: Faker): string {
  return `+91${f.helpers.arrayElement(['6', '7', '8', '9'])}${f.string.numeric(9)}`;
}

async function canSkipTriggers(db: Kysely<DB>): Promise<boolean> {
  const { rows } = await sql<{
    rolsuper: boolean;
  }>`SELECT rolsuper FROM pg_roles WHERE rolname = current_user`.execute(db);
  return rows[0]?.rolsuper === true;
}

/** Generates one clinic's data; returns what was created. */
export async function generateClinic(owner: Kysely<DB>, opts: GenerateOptions): Promise<GenerateResult> {
  const f = new Faker({ locale: [en_IN, en] });
  f.seed(opts.seed ?? 42);
  const now = opts.now ?? new Date();
  const nextId = createUuidv7Generator();
  const visitsPerPatient = opts.visitsPerPatient ?? 2;
  const itemsPerPrescription = opts.itemsPerPrescription ?? 3;
  const labOrdersPerPatient = opts.labOrdersPerPatient ?? 1;
  const counts: Record<string, number> = {};
  // Per patient: the patient; per visit: the visit, vitals, a note, a diagnosis, a prescription and
  // its items; per lab order: the order and its result.
  const total = opts.patients * (1 + visitsPerPatient * (5 + itemsPerPrescription) + labOrdersPerPatient * 2);
  let done = 0;
  const fast = await canSkipTriggers(owner);

  let clinicId = opts.clinicId;
  let code: string;
  let slug: string;
  if (clinicId) {
    const c = await owner
      .selectFrom('clinics')
      .select(['code', 'slug'])
      .where('id', '=', clinicId)
      .executeTakeFirstOrThrow();
    code = c.code;
    slug = c.slug;
  } else {
    clinicId = randomUUID();
    const tag = randomUUID()
      .slice(0, 6)
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, '0');
    code = `G${tag}`.slice(0, 7);
    slug = `generated-${tag.toLowerCase()}`;
    await owner
      .insertInto('clinics')
      .values({
        id: clinicId,
        code,
        slug,
        name: opts.clinicName ?? `${f.person.lastName()} Multispeciality Clinic`,
        logo_url: null,
        city: f.location.city(),
        state: f.location.state(),
        phone: indianMobile(f),
        subscription_status: 'active',
        max_patients: null,
        max_doctors: null,
        max_receptionists: null,
        max_lab_techs: null,
      })
      .execute();
  }

  const passwordHash = await hashPassword(STAFF_PASSWORD);
  const staff: GenerateResult['staff'] = [];
  const roles = ['doctor', 'doctor', 'doctor', 'receptionist', 'receptionist', 'lab_tech'] as const;
  for (const [i, role] of roles.entries()) {
    const id = randomUUID();
    const username = `${role.replace('_', '')}${i + 1}-${slug.slice(-4)}`;
    await owner
      .insertInto('users')
      .values({
        clinic_id: clinicId,
        id,
        username,
        display_name: `${role === 'doctor' ? 'Dr. ' : ''}${f.person.fullName()}`,
        role,
        password_hash: passwordHash,
      })
      .execute();
    staff.push({ id, username, role });
  }
  const doctors = staff.filter((s) => s.role === 'doctor').map((s) => s.id);
  const desk = staff.filter((s) => s.role === 'receptionist').map((s) => s.id);
  const labTech = staff.find((s) => s.role === 'lab_tech')?.id ?? desk[0] ?? '';

  const progress = (n: number, table: string) => {
    done += n;
    counts[table] = (counts[table] ?? 0) + n;
    opts.onProgress?.(done, total, table);
  };

  const tokens = new Map<string, number>();
  const codeSeq = new Map<number, number>();
  await owner.transaction().execute(async (trx) => {
    if (fast) await sql`SET LOCAL session_replication_role = replica`.execute(trx);
    for (let start = 0; start < opts.patients; start += BATCH) {
      const size = Math.min(BATCH, opts.patients - start);
      const batch: Record<SyncedEntityName, Record<string, unknown>[]> = {
        patient: [],
        visit: [],
        vitals: [],
        consultationNote: [],
        diagnosis: [],
        prescription: [],
        prescriptionItem: [],
        labOrder: [],
        labResult: [],
      } as unknown as Record<SyncedEntityName, Record<string, unknown>[]>;
      for (let i = 0; i < size; i++) {
        const sex = f.helpers.arrayElement(['male', 'female'] as const);
        const registered = f.date.between({ from: new Date(now.getTime() - 730 * 86_400_000), to: now });
        const year = registered.getUTCFullYear();
        const seq = (codeSeq.get(year) ?? 0) + 1;
        codeSeq.set(year, seq);
        const patientId = nextId();
        batch.patient.push({
          id: patientId,
          patientCode: formatPatientCode(code, year, seq),
          firstName: f.person.firstName(sex),
          lastName: f.person.lastName(),
          dateOfBirth: null,
          ageYears: f.number.int({ min: 1, max: 90 }),
          sex,
          phone: indianMobile(f),
          altPhone: null,
          email: null,
          address: f.location.streetAddress(),
          city: f.location.city(),
          bloodGroup: f.helpers.arrayElement(['A+', 'B+', 'O+', 'AB+', 'O-', null]),
          allergies: null,
          weightKg: f.number.int({ min: 8, max: 110 }),
          status: 'registered',
          registeredBy: f.helpers.arrayElement(desk),
        });
        const visitIds: string[] = [];
        for (let v = 0; v < visitsPerPatient; v++) {
          const at = f.date.between({ from: registered, to: now });
          const day = at.toISOString().slice(0, 10);
          const token = (tokens.get(day) ?? 0) + 1;
          tokens.set(day, token);
          const visitId = nextId();
          const doctorId = f.helpers.arrayElement(doctors);
          visitIds.push(visitId);
          const complaint = f.helpers.arrayElement(COMPLAINTS);
          batch.visit.push({
            id: visitId,
            patientId,
            doctorId,
            visitDate: day,
            tokenNumber: token,
            purpose: complaint,
            status: 'done',
            checkedInAt: at.toISOString(),
            startedAt: at.toISOString(),
            completedAt: new Date(at.getTime() + 900_000).toISOString(),
            appointmentId: null,
            notes: null,
          });
          batch.vitals.push({
            id: nextId(),
            visitId,
            patientId,
            bpSystolic: f.number.int({ min: 100, max: 160 }),
            bpDiastolic: f.number.int({ min: 60, max: 100 }),
            pulse: f.number.int({ min: 60, max: 110 }),
            temperatureC: f.helpers.arrayElement([36.6, 37.2, 38.1, 38.9]),
            spo2: f.number.int({ min: 93, max: 100 }),
            bloodSugarMgDl: null,
            weightKg: null,
            heightCm: null,
            respiratoryRate: null,
            recordedAt: at.toISOString(),
            recordedBy: f.helpers.arrayElement(desk),
          });
          const finalizedAt = new Date(at.getTime() + 600_000).toISOString();
          batch.consultationNote.push({
            id: nextId(),
            visitId,
            patientId,
            doctorId,
            complaints: complaint,
            observations: null,
            findings: null,
            treatmentPlan: null,
            advice: 'Plenty of fluids',
            notes: null,
            status: 'final',
            finalizedAt,
            amendsId: null,
          });
          batch.diagnosis.push({
            id: nextId(),
            visitId,
            patientId,
            description: f.helpers.arrayElement(DIAGNOSES),
            icd10Code: null,
            isPrimary: true,
          });
          const rxId = nextId();
          batch.prescription.push({
            id: rxId,
            visitId,
            patientId,
            doctorId,
            status: 'final',
            admissionRecommended: false,
            admissionReason: null,
            followUpDate: null,
            advice: 'Review after 5 days if not better',
            finalizedAt,
            amendsId: null,
          });
          for (let k = 0; k < itemsPerPrescription; k++) {
            const med = f.helpers.arrayElement(MEDICINES);
            const pattern = f.helpers.arrayElement(PATTERNS);
            const days = f.helpers.arrayElement([3, 5, 7, 10]);
            const perDay = pattern.morning + pattern.afternoon + pattern.evening + pattern.night;
            const countable = med.medicineType === 'tablet' || med.medicineType === 'capsule';
            batch.prescriptionItem.push({
              id: nextId(),
              prescriptionId: rxId,
              position: k,
              ...med,
              dosage: null,
              dosePattern: pattern,
              foodInstruction: f.helpers.arrayElement(['after_food', 'before_food', 'any_time']),
              days,
              quantity: countable ? perDay * days : null,
              instructions: null,
              catalogueMedicineId: null,
            });
          }
        }
        for (let l = 0; l < labOrdersPerPatient; l++) {
          const test = f.helpers.arrayElement(LAB_TESTS);
          const orderId = nextId();
          const orderedAt = f.date.between({ from: registered, to: now }).toISOString();
          batch.labOrder.push({
            id: orderId,
            visitId: visitIds[0] ?? null,
            prescriptionId: null,
            patientId,
            orderedBy: f.helpers.arrayElement(doctors),
            testId: null,
            testName: test.testName,
            category: test.category,
            priority: 'routine',
            status: 'resulted',
            orderedAt,
            sampleCollectedAt: orderedAt,
            resultedAt: orderedAt,
            notes: null,
          });
          const value = Number(
            f.number.float({ min: test.low * 0.7, max: test.high * 1.3, fractionDigits: 1 }).toFixed(1),
          );
          batch.labResult.push({
            id: nextId(),
            labOrderId: orderId,
            patientId,
            position: 0,
            parameter: test.parameter,
            value: String(value),
            numericValue: value,
            unit: test.unit,
            referenceRange: `${test.low}-${test.high}`,
            flag: value < test.low ? 'low' : value > test.high ? 'high' : 'normal',
            enteredBy: labTech,
            status: 'final',
            finalizedAt: orderedAt,
            amendsId: null,
          });
        }
      }
      for (const [name, rows] of Object.entries(batch) as [SyncedEntityName, Record<string, unknown>[]][]) {
        if (rows.length === 0) continue;
        if (start === 0) {
          // The generator's shapes must stay valid records: check the first of each kind.
          syncedEntities[name].input.parse(rows[0]);
        }
        await insertRows(trx, name, clinicId, rows);
        progress(rows.length, syncedEntities[name].table);
      }
    }
    if (fast) await writeChangeLog(trx, clinicId);
    for (const [year, last] of codeSeq) {
      await sql`
        INSERT INTO counters AS c (clinic_id, counter, scope, next_value) VALUES (${clinicId}, 'patient_code', ${String(year)}, ${last + 1})
        ON CONFLICT (clinic_id, counter, scope) DO UPDATE SET next_value = greatest(c.next_value, EXCLUDED.next_value)`.execute(
        trx,
      );
    }
    for (const [day, last] of tokens) {
      await sql`
        INSERT INTO counters AS c (clinic_id, counter, scope, next_value) VALUES (${clinicId}, 'queue_token', ${day}, ${last + 1})
        ON CONFLICT (clinic_id, counter, scope) DO UPDATE SET next_value = greatest(c.next_value, EXCLUDED.next_value)`.execute(
        trx,
      );
    }
  });
  // Fresh planner statistics for the bulk load, as autovacuum would gather on a running server;
  // without them the first pulls plan the change log as an empty table.
  await sql`ANALYZE`.execute(owner);
  return { clinicId, slug, code, counts, staff, staffPassword: STAFF_PASSWORD };
}

async function insertRows(
  trx: Transaction<DB>,
  name: SyncedEntityName,
  clinicId: string,
  rows: Record<string, unknown>[],
): Promise<void> {
  const values = rows.map((r) => ({ ...recordToRow(name, r), clinic_id: clinicId }));
  // Tables of the clinical schema are not in the server's typed DB interface; rows come from
  // records the registry's schemas accept (checked above).
  await (trx as unknown as AnyDb).insertInto(syncedEntities[name].table).values(values).execute();
}

/**
 * The change log the skipped triggers would have written: users first, then every synced table in
 * dependency order, one entry per row, numbered after the clinic's last sequence number.
 */
async function writeChangeLog(trx: Transaction<DB>, clinicId: string): Promise<void> {
  const tables = ['users', ...Object.values(syncedEntities).map((d) => d.table)];
  await sql`INSERT INTO clinic_sync_state (clinic_id, last_seq) VALUES (${clinicId}, 0) ON CONFLICT (clinic_id) DO NOTHING`.execute(
    trx,
  );
  for (const table of tables) {
    await sql`
      WITH numbered AS (
        SELECT t.id, t.version,
               (SELECT last_seq FROM clinic_sync_state WHERE clinic_id = ${clinicId}) + row_number() OVER (ORDER BY t.id) AS seq
        FROM ${sql.table(table)} t
        WHERE t.clinic_id = ${clinicId}
          AND NOT EXISTS (SELECT 1 FROM change_log l WHERE l.clinic_id = t.clinic_id AND l.entity = ${table} AND l.row_id = t.id)
      ), logged AS (
        INSERT INTO change_log (clinic_id, seq, entity, row_id, version, deleted)
        SELECT ${clinicId}, seq, ${table}, id, greatest(version, 1), false FROM numbered
        RETURNING seq
      )
      UPDATE clinic_sync_state SET last_seq = greatest(last_seq, coalesce((SELECT max(seq) FROM logged), last_seq))
      WHERE clinic_id = ${clinicId}`.execute(trx);
    await sql`UPDATE ${sql.table(table)} SET version = 1 WHERE clinic_id = ${clinicId} AND version = 0`.execute(
      trx,
    );
  }
}
