// biome-ignore-all lint/suspicious/noExplicitAny: migrations are frozen in time and use Kysely<any>
import { type Kysely, sql } from 'kysely';

/**
 * The clinical tables: every record devices create and edit offline and sync (patients, queue,
 * consultation, prescriptions, lab, catalogues, admissions, documents).
 *
 * - Each table starts with `clinic_id` and has `PRIMARY KEY (clinic_id, id)`; every foreign key
 *   between tenant tables includes `clinic_id` (ready to distribute by clinic, co-located).
 * - References to staff go to `users (clinic_id, id)` from migration 0001.
 * - Column names are the snake_case of the domain schema's field names; enumerations are `text`
 *   with CHECK constraints, structured fields `jsonb`, calendar dates `date`, wall-clock times
 *   `text` (`HH:MM`) so they read back exactly as written.
 * - Row-level security is not set here: migration 0003 enables it on every table with `clinic_id`.
 */

const tables = [
  'patients',
  'medicines',
  'lab_tests',
  'pharmacies',
  'appointments',
  'visits',
  'vitals',
  'consultation_notes',
  'diagnoses',
  'prescriptions',
  'prescription_items',
  'lab_orders',
  'lab_results',
  'prescription_templates',
  'admissions',
  'treatment_logs',
  'discharge_summaries',
  'follow_ups',
  'documents',
] as const;

/** `column IN ('a', 'b', …)` as a CHECK expression. */
function oneOf(column: string, values: readonly string[]) {
  return sql`${sql.ref(column)} IN (${sql.join(values.map((value) => sql.lit(value)))})`;
}

/** A draft has no `finalized_at`; a final record has one; other statuses (cancelled) may have either. */
const finalizedMatchesStatus = sql`(status <> 'final' OR finalized_at IS NOT NULL) AND (status <> 'draft' OR finalized_at IS NULL)`;

/** The columns and primary key every tenant-scoped synced table starts with. */
function tenantTable(db: Kysely<any>, name: string) {
  return db.schema
    .createTable(name)
    .addColumn('clinic_id', 'uuid', (c) => c.notNull().references('clinics.id'))
    .addColumn('id', 'uuid', (c) => c.notNull())
    .addColumn('version', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('deleted_at', 'timestamptz')
    .addPrimaryKeyConstraint(`${name}_pkey`, ['clinic_id', 'id']);
}

export async function up(db: Kysely<any>): Promise<void> {
  await tenantTable(db, 'patients')
    .addColumn('patient_code', 'text', (c) => c.notNull())
    .addColumn('first_name', 'text', (c) => c.notNull())
    .addColumn('last_name', 'text')
    .addColumn('date_of_birth', 'date')
    .addColumn('age_years', 'integer', (c) => c.check(sql`age_years BETWEEN 0 AND 150`))
    .addColumn('sex', 'text', (c) => c.notNull().check(oneOf('sex', ['male', 'female', 'other'])))
    .addColumn('phone', 'text')
    .addColumn('alt_phone', 'text')
    .addColumn('email', 'text')
    .addColumn('address', 'text')
    .addColumn('city', 'text')
    .addColumn('blood_group', 'text', (c) =>
      c.check(oneOf('blood_group', ['A+', 'A-', 'B+', 'B-', 'AB+', 'AB-', 'O+', 'O-'])),
    )
    .addColumn('allergies', 'text')
    .addColumn('weight_kg', 'double precision', (c) => c.check(sql`weight_kg > 0`))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('registered')
        .check(oneOf('status', ['registered', 'in_diagnosis', 'treatment_started', 'discharged'])),
    )
    .addColumn('registered_by', 'uuid', (c) => c.notNull())
    .addCheckConstraint('patients_dob_or_age_check', sql`date_of_birth IS NOT NULL OR age_years IS NOT NULL`)
    .addForeignKeyConstraint('patients_registered_by_fkey', ['clinic_id', 'registered_by'], 'users', [
      'clinic_id',
      'id',
    ])
    .execute();
  await db.schema
    .createIndex('patients_clinic_patient_code_key')
    .unique()
    .on('patients')
    .columns(['clinic_id', 'patient_code'])
    .execute();
  await db.schema
    .createIndex('patients_clinic_phone_idx')
    .on('patients')
    .columns(['clinic_id', 'phone'])
    .execute();
  await db.schema
    .createIndex('patients_clinic_name_idx')
    .on('patients')
    .expression(sql`clinic_id, lower(first_name), lower(last_name)`)
    .execute();

  await tenantTable(db, 'medicines')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('generic_name', 'text')
    .addColumn('type', 'text', (c) =>
      c
        .notNull()
        .check(
          oneOf('type', [
            'tablet',
            'capsule',
            'syrup',
            'injection',
            'ointment',
            'drops',
            'soap',
            'lotion',
            'powder',
            'inhaler',
            'other',
          ]),
        ),
    )
    .addColumn('strength', 'text')
    .addColumn('default_dose_pattern', 'jsonb')
    .addColumn('default_food_instruction', 'text', (c) =>
      c.check(oneOf('default_food_instruction', ['before_food', 'after_food', 'with_food', 'any_time'])),
    )
    .addColumn('default_days', 'integer', (c) => c.check(sql`default_days BETWEEN 0 AND 365`))
    .addColumn('is_active', 'boolean', (c) => c.notNull().defaultTo(true))
    .execute();
  await db.schema
    .createIndex('medicines_clinic_name_idx')
    .on('medicines')
    .expression(sql`clinic_id, lower(name)`)
    .execute();

  await tenantTable(db, 'lab_tests')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('code', 'text')
    .addColumn('category', 'text', (c) =>
      c
        .notNull()
        .check(oneOf('category', ['blood', 'urine', 'xray', 'ultrasound', 'ecg', 'ct', 'mri', 'other'])),
    )
    .addColumn('unit', 'text')
    .addColumn('reference_ranges', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('price', 'numeric(12, 2)', (c) => c.check(sql`price >= 0`))
    .addColumn('is_active', 'boolean', (c) => c.notNull().defaultTo(true))
    .execute();
  await db.schema
    .createIndex('lab_tests_clinic_name_idx')
    .on('lab_tests')
    .expression(sql`clinic_id, lower(name)`)
    .execute();

  await tenantTable(db, 'pharmacies')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('phone', 'text')
    .addColumn('licence_number', 'text')
    .addColumn('print_on_prescription', 'boolean', (c) => c.notNull().defaultTo(true))
    .execute();

  await tenantTable(db, 'appointments')
    .addColumn('patient_id', 'uuid', (c) => c.notNull())
    .addColumn('doctor_id', 'uuid', (c) => c.notNull())
    .addColumn('date', 'date', (c) => c.notNull())
    .addColumn('start_time', 'text', (c) =>
      c.notNull().check(sql`start_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'`),
    )
    .addColumn('slot_minutes', 'integer', (c) =>
      c.notNull().defaultTo(15).check(sql`slot_minutes BETWEEN 5 AND 480`),
    )
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('booked')
        .check(oneOf('status', ['booked', 'arrived', 'cancelled', 'no_show'])),
    )
    .addColumn('reason', 'text')
    .addForeignKeyConstraint('appointments_patient_fkey', ['clinic_id', 'patient_id'], 'patients', [
      'clinic_id',
      'id',
    ])
    .addForeignKeyConstraint('appointments_doctor_fkey', ['clinic_id', 'doctor_id'], 'users', [
      'clinic_id',
      'id',
    ])
    .execute();
  await db.schema
    .createIndex('appointments_clinic_doctor_date_idx')
    .on('appointments')
    .columns(['clinic_id', 'doctor_id', 'date'])
    .execute();
  await db.schema
    .createIndex('appointments_clinic_patient_idx')
    .on('appointments')
    .columns(['clinic_id', 'patient_id'])
    .execute();

  await tenantTable(db, 'visits')
    .addColumn('patient_id', 'uuid', (c) => c.notNull())
    .addColumn('doctor_id', 'uuid', (c) => c.notNull())
    .addColumn('visit_date', 'date', (c) => c.notNull())
    .addColumn('token_number', 'integer', (c) => c.check(sql`token_number >= 1`))
    .addColumn('purpose', 'text')
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('waiting')
        .check(oneOf('status', ['waiting', 'with_doctor', 'in_lab', 'done', 'cancelled', 'no_show'])),
    )
    .addColumn('checked_in_at', 'timestamptz', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz')
    .addColumn('completed_at', 'timestamptz')
    .addColumn('appointment_id', 'uuid')
    .addColumn('notes', 'text')
    .addForeignKeyConstraint('visits_patient_fkey', ['clinic_id', 'patient_id'], 'patients', [
      'clinic_id',
      'id',
    ])
    .addForeignKeyConstraint('visits_doctor_fkey', ['clinic_id', 'doctor_id'], 'users', ['clinic_id', 'id'])
    .addForeignKeyConstraint('visits_appointment_fkey', ['clinic_id', 'appointment_id'], 'appointments', [
      'clinic_id',
      'id',
    ])
    .execute();
  await db.schema
    .createIndex('visits_clinic_date_doctor_idx')
    .on('visits')
    .columns(['clinic_id', 'visit_date', 'doctor_id'])
    .execute();
  // One token number per doctor per day (NULL tokens, i.e. none given yet, do not collide).
  await db.schema
    .createIndex('visits_clinic_doctor_date_token_key')
    .unique()
    .on('visits')
    .columns(['clinic_id', 'doctor_id', 'visit_date', 'token_number'])
    .execute();
  await db.schema
    .createIndex('visits_clinic_patient_idx')
    .on('visits')
    .columns(['clinic_id', 'patient_id'])
    .execute();

  await tenantTable(db, 'vitals')
    .addColumn('visit_id', 'uuid', (c) => c.notNull())
    .addColumn('patient_id', 'uuid', (c) => c.notNull())
    .addColumn('bp_systolic', 'integer')
    .addColumn('bp_diastolic', 'integer')
    .addColumn('pulse', 'integer')
    .addColumn('temperature_c', 'double precision')
    .addColumn('spo2', 'integer', (c) => c.check(sql`spo2 BETWEEN 0 AND 100`))
    .addColumn('blood_sugar_mg_dl', 'double precision')
    .addColumn('weight_kg', 'double precision')
    .addColumn('height_cm', 'double precision')
    .addColumn('respiratory_rate', 'integer')
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
    .addColumn('recorded_by', 'uuid', (c) => c.notNull())
    .addForeignKeyConstraint('vitals_visit_fkey', ['clinic_id', 'visit_id'], 'visits', ['clinic_id', 'id'])
    .addForeignKeyConstraint('vitals_patient_fkey', ['clinic_id', 'patient_id'], 'patients', [
      'clinic_id',
      'id',
    ])
    .addForeignKeyConstraint('vitals_recorded_by_fkey', ['clinic_id', 'recorded_by'], 'users', [
      'clinic_id',
      'id',
    ])
    .execute();
  await db.schema
    .createIndex('vitals_clinic_visit_idx')
    .on('vitals')
    .columns(['clinic_id', 'visit_id'])
    .execute();
  await db.schema
    .createIndex('vitals_clinic_patient_idx')
    .on('vitals')
    .columns(['clinic_id', 'patient_id'])
    .execute();

  await tenantTable(db, 'consultation_notes')
    .addColumn('visit_id', 'uuid', (c) => c.notNull())
    .addColumn('patient_id', 'uuid', (c) => c.notNull())
    .addColumn('doctor_id', 'uuid', (c) => c.notNull())
    .addColumn('complaints', 'text')
    .addColumn('observations', 'text')
    .addColumn('findings', 'text')
    .addColumn('treatment_plan', 'text')
    .addColumn('advice', 'text')
    .addColumn('notes', 'text')
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('draft')
        .check(oneOf('status', ['draft', 'final'])),
    )
    .addColumn('finalized_at', 'timestamptz')
    .addColumn('amends_id', 'uuid')
    .addCheckConstraint('consultation_notes_finalized_check', finalizedMatchesStatus)
    .addForeignKeyConstraint('consultation_notes_visit_fkey', ['clinic_id', 'visit_id'], 'visits', [
      'clinic_id',
      'id',
    ])
    .addForeignKeyConstraint('consultation_notes_patient_fkey', ['clinic_id', 'patient_id'], 'patients', [
      'clinic_id',
      'id',
    ])
    .addForeignKeyConstraint('consultation_notes_doctor_fkey', ['clinic_id', 'doctor_id'], 'users', [
      'clinic_id',
      'id',
    ])
    .addForeignKeyConstraint(
      'consultation_notes_amends_fkey',
      ['clinic_id', 'amends_id'],
      'consultation_notes',
      ['clinic_id', 'id'],
    )
    .execute();
  await db.schema
    .createIndex('consultation_notes_clinic_visit_idx')
    .on('consultation_notes')
    .columns(['clinic_id', 'visit_id'])
    .execute();
  await db.schema
    .createIndex('consultation_notes_clinic_patient_idx')
    .on('consultation_notes')
    .columns(['clinic_id', 'patient_id'])
    .execute();

  await tenantTable(db, 'diagnoses')
    .addColumn('visit_id', 'uuid', (c) => c.notNull())
    .addColumn('patient_id', 'uuid', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('icd10_code', 'text', (c) =>
      c.check(sql`icd10_code ~ '^[A-Z][0-9][0-9A-Z](\\.[0-9A-Z]{1,4})?$'`),
    )
    .addColumn('is_primary', 'boolean', (c) => c.notNull().defaultTo(false))
    .addForeignKeyConstraint('diagnoses_visit_fkey', ['clinic_id', 'visit_id'], 'visits', ['clinic_id', 'id'])
    .addForeignKeyConstraint('diagnoses_patient_fkey', ['clinic_id', 'patient_id'], 'patients', [
      'clinic_id',
      'id',
    ])
    .execute();
  await db.schema
    .createIndex('diagnoses_clinic_visit_idx')
    .on('diagnoses')
    .columns(['clinic_id', 'visit_id'])
    .execute();
  await db.schema
    .createIndex('diagnoses_clinic_patient_idx')
    .on('diagnoses')
    .columns(['clinic_id', 'patient_id'])
    .execute();

  await tenantTable(db, 'prescriptions')
    .addColumn('visit_id', 'uuid', (c) => c.notNull())
    .addColumn('patient_id', 'uuid', (c) => c.notNull())
    .addColumn('doctor_id', 'uuid', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('draft')
        .check(oneOf('status', ['draft', 'final', 'cancelled'])),
    )
    .addColumn('admission_recommended', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('admission_reason', 'text')
    .addColumn('follow_up_date', 'date')
    .addColumn('advice', 'text')
    .addColumn('finalized_at', 'timestamptz')
    .addColumn('amends_id', 'uuid')
    .addCheckConstraint('prescriptions_finalized_check', finalizedMatchesStatus)
    .addForeignKeyConstraint('prescriptions_visit_fkey', ['clinic_id', 'visit_id'], 'visits', [
      'clinic_id',
      'id',
    ])
    .addForeignKeyConstraint('prescriptions_patient_fkey', ['clinic_id', 'patient_id'], 'patients', [
      'clinic_id',
      'id',
    ])
    .addForeignKeyConstraint('prescriptions_doctor_fkey', ['clinic_id', 'doctor_id'], 'users', [
      'clinic_id',
      'id',
    ])
    .addForeignKeyConstraint('prescriptions_amends_fkey', ['clinic_id', 'amends_id'], 'prescriptions', [
      'clinic_id',
      'id',
    ])
    .execute();
  await db.schema
    .createIndex('prescriptions_clinic_visit_idx')
    .on('prescriptions')
    .columns(['clinic_id', 'visit_id'])
    .execute();
  await db.schema
    .createIndex('prescriptions_clinic_patient_idx')
    .on('prescriptions')
    .columns(['clinic_id', 'patient_id'])
    .execute();

  await tenantTable(db, 'prescription_items')
    .addColumn('prescription_id', 'uuid', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0).check(sql`position >= 0`))
    .addColumn('medicine_name', 'text', (c) => c.notNull())
    .addColumn('medicine_type', 'text', (c) =>
      c
        .notNull()
        .check(
          oneOf('medicine_type', [
            'tablet',
            'capsule',
            'syrup',
            'injection',
            'ointment',
            'drops',
            'soap',
            'lotion',
            'powder',
            'inhaler',
            'other',
          ]),
        ),
    )
    .addColumn('strength', 'text')
    .addColumn('dosage', 'text')
    .addColumn('dose_pattern', 'jsonb', (c) => c.notNull())
    .addColumn('food_instruction', 'text', (c) =>
      c
        .notNull()
        .defaultTo('after_food')
        .check(oneOf('food_instruction', ['before_food', 'after_food', 'with_food', 'any_time'])),
    )
    .addColumn('days', 'integer', (c) => c.check(sql`days BETWEEN 0 AND 365`))
    .addColumn('quantity', 'integer', (c) => c.check(sql`quantity >= 0`))
    .addColumn('instructions', 'text')
    .addColumn('catalogue_medicine_id', 'uuid')
    .addForeignKeyConstraint(
      'prescription_items_prescription_fkey',
      ['clinic_id', 'prescription_id'],
      'prescriptions',
      ['clinic_id', 'id'],
    )
    .addForeignKeyConstraint(
      'prescription_items_medicine_fkey',
      ['clinic_id', 'catalogue_medicine_id'],
      'medicines',
      ['clinic_id', 'id'],
    )
    .execute();
  await db.schema
    .createIndex('prescription_items_clinic_prescription_idx')
    .on('prescription_items')
    .columns(['clinic_id', 'prescription_id', 'position'])
    .execute();

  await tenantTable(db, 'lab_orders')
    .addColumn('visit_id', 'uuid')
    .addColumn('prescription_id', 'uuid')
    .addColumn('patient_id', 'uuid', (c) => c.notNull())
    .addColumn('ordered_by', 'uuid', (c) => c.notNull())
    .addColumn('test_id', 'uuid')
    .addColumn('test_name', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) =>
      c
        .notNull()
        .check(oneOf('category', ['blood', 'urine', 'xray', 'ultrasound', 'ecg', 'ct', 'mri', 'other'])),
    )
    .addColumn('priority', 'text', (c) =>
      c
        .notNull()
        .defaultTo('routine')
        .check(oneOf('priority', ['routine', 'urgent', 'stat'])),
    )
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('ordered')
        .check(oneOf('status', ['ordered', 'sample_collected', 'in_progress', 'resulted', 'cancelled'])),
    )
    .addColumn('ordered_at', 'timestamptz', (c) => c.notNull())
    .addColumn('sample_collected_at', 'timestamptz')
    .addColumn('resulted_at', 'timestamptz')
    .addColumn('notes', 'text')
    .addForeignKeyConstraint('lab_orders_visit_fkey', ['clinic_id', 'visit_id'], 'visits', [
      'clinic_id',
      'id',
    ])
    .addForeignKeyConstraint(
      'lab_orders_prescription_fkey',
      ['clinic_id', 'prescription_id'],
      'prescriptions',
      ['clinic_id', 'id'],
    )
    .addForeignKeyConstraint('lab_orders_patient_fkey', ['clinic_id', 'patient_id'], 'patients', [
      'clinic_id',
      'id',
    ])
    .addForeignKeyConstraint('lab_orders_ordered_by_fkey', ['clinic_id', 'ordered_by'], 'users', [
      'clinic_id',
      'id',
    ])
    .addForeignKeyConstraint('lab_orders_test_fkey', ['clinic_id', 'test_id'], 'lab_tests', [
      'clinic_id',
      'id',
    ])
    .execute();
  await db.schema
    .createIndex('lab_orders_clinic_patient_idx')
    .on('lab_orders')
    .columns(['clinic_id', 'patient_id'])
    .execute();
  await db.schema
    .createIndex('lab_orders_clinic_visit_idx')
    .on('lab_orders')
    .columns(['clinic_id', 'visit_id'])
    .execute();
  // The lab's worklist: open orders, oldest first.
  await db.schema
    .createIndex('lab_orders_clinic_open_idx')
    .on('lab_orders')
    .columns(['clinic_id', 'ordered_at'])
    .where(sql.ref('status'), 'in', ['ordered', 'sample_collected', 'in_progress'])
    .execute();

  await tenantTable(db, 'lab_results')
    .addColumn('lab_order_id', 'uuid', (c) => c.notNull())
    .addColumn('patient_id', 'uuid', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0).check(sql`position >= 0`))
    .addColumn('parameter', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('numeric_value', 'double precision')
    .addColumn('unit', 'text')
    .addColumn('reference_range', 'text')
    .addColumn('flag', 'text', (c) =>
      c
        .notNull()
        .defaultTo('none')
        .check(oneOf('flag', ['low', 'normal', 'high', 'critical_low', 'critical_high', 'abnormal', 'none'])),
    )
    .addColumn('entered_by', 'uuid', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('draft')
        .check(oneOf('status', ['draft', 'final'])),
    )
    .addColumn('finalized_at', 'timestamptz')
    .addColumn('amends_id', 'uuid')
    .addCheckConstraint('lab_results_finalized_check', finalizedMatchesStatus)
    .addForeignKeyConstraint('lab_results_lab_order_fkey', ['clinic_id', 'lab_order_id'], 'lab_orders', [
      'clinic_id',
      'id',
    ])
    .addForeignKeyConstraint('lab_results_patient_fkey', ['clinic_id', 'patient_id'], 'patients', [
      'clinic_id',
      'id',
    ])
    .addForeignKeyConstraint('lab_results_entered_by_fkey', ['clinic_id', 'entered_by'], 'users', [
      'clinic_id',
      'id',
    ])
    .addForeignKeyConstraint('lab_results_amends_fkey', ['clinic_id', 'amends_id'], 'lab_results', [
      'clinic_id',
      'id',
    ])
    .execute();
  await db.schema
    .createIndex('lab_results_clinic_order_idx')
    .on('lab_results')
    .columns(['clinic_id', 'lab_order_id', 'position'])
    .execute();
  await db.schema
    .createIndex('lab_results_clinic_patient_idx')
    .on('lab_results')
    .columns(['clinic_id', 'patient_id'])
    .execute();

  await tenantTable(db, 'prescription_templates')
    .addColumn('doctor_id', 'uuid', (c) => c.notNull())
    .addColumn('keyword', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('items', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('tests', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('advice', 'text')
    .addForeignKeyConstraint('prescription_templates_doctor_fkey', ['clinic_id', 'doctor_id'], 'users', [
      'clinic_id',
      'id',
    ])
    .execute();
  await db.schema
    .createIndex('prescription_templates_clinic_doctor_keyword_idx')
    .on('prescription_templates')
    .expression(sql`clinic_id, doctor_id, lower(keyword)`)
    .execute();

  await tenantTable(db, 'admissions')
    .addColumn('patient_id', 'uuid', (c) => c.notNull())
    .addColumn('doctor_id', 'uuid', (c) => c.notNull())
    .addColumn('visit_id', 'uuid')
    .addColumn('type', 'text', (c) =>
      c
        .notNull()
        .defaultTo('general')
        .check(oneOf('type', ['general', 'icu', 'emergency', 'day_care', 'isolation'])),
    )
    .addColumn('ward', 'text')
    .addColumn('room', 'text')
    .addColumn('bed', 'text')
    .addColumn('reason', 'text')
    .addColumn('history', 'text')
    .addColumn('allergies', 'text')
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('admitted')
        .check(oneOf('status', ['admitted', 'under_treatment', 'discharged', 'shifted', 'deceased'])),
    )
    .addColumn('admitted_at', 'timestamptz', (c) => c.notNull())
    .addColumn('discharged_at', 'timestamptz')
    .addCheckConstraint(
      'admissions_discharge_order_check',
      sql`discharged_at IS NULL OR discharged_at >= admitted_at`,
    )
    .addForeignKeyConstraint('admissions_patient_fkey', ['clinic_id', 'patient_id'], 'patients', [
      'clinic_id',
      'id',
    ])
    .addForeignKeyConstraint('admissions_doctor_fkey', ['clinic_id', 'doctor_id'], 'users', [
      'clinic_id',
      'id',
    ])
    .addForeignKeyConstraint('admissions_visit_fkey', ['clinic_id', 'visit_id'], 'visits', [
      'clinic_id',
      'id',
    ])
    .execute();
  await db.schema
    .createIndex('admissions_clinic_status_idx')
    .on('admissions')
    .columns(['clinic_id', 'status'])
    .execute();
  await db.schema
    .createIndex('admissions_clinic_patient_idx')
    .on('admissions')
    .columns(['clinic_id', 'patient_id'])
    .execute();

  await tenantTable(db, 'treatment_logs')
    .addColumn('admission_id', 'uuid', (c) => c.notNull())
    .addColumn('patient_id', 'uuid', (c) => c.notNull())
    .addColumn('kind', 'text', (c) =>
      c
        .notNull()
        .check(
          oneOf('kind', [
            'medication',
            'injection',
            'saline',
            'oxygen',
            'procedure',
            'monitoring',
            'therapy',
          ]),
        ),
    )
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('dosage', 'text')
    .addColumn('route', 'text')
    .addColumn('quantity', 'text')
    .addColumn('flow_rate', 'text')
    .addColumn('given_at', 'timestamptz', (c) => c.notNull())
    .addColumn('given_by', 'uuid', (c) => c.notNull())
    .addColumn('notes', 'text')
    .addForeignKeyConstraint('treatment_logs_admission_fkey', ['clinic_id', 'admission_id'], 'admissions', [
      'clinic_id',
      'id',
    ])
    .addForeignKeyConstraint('treatment_logs_patient_fkey', ['clinic_id', 'patient_id'], 'patients', [
      'clinic_id',
      'id',
    ])
    .addForeignKeyConstraint('treatment_logs_given_by_fkey', ['clinic_id', 'given_by'], 'users', [
      'clinic_id',
      'id',
    ])
    .execute();
  await db.schema
    .createIndex('treatment_logs_clinic_admission_idx')
    .on('treatment_logs')
    .columns(['clinic_id', 'admission_id', 'given_at'])
    .execute();

  await tenantTable(db, 'discharge_summaries')
    .addColumn('admission_id', 'uuid', (c) => c.notNull())
    .addColumn('patient_id', 'uuid', (c) => c.notNull())
    .addColumn('summary', 'text')
    .addColumn('discharge_notes', 'text')
    .addColumn('condition', 'text')
    .addColumn('follow_up_date', 'date')
    .addColumn('follow_up_instructions', 'text')
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('draft')
        .check(oneOf('status', ['draft', 'final'])),
    )
    .addColumn('finalized_at', 'timestamptz')
    .addCheckConstraint('discharge_summaries_finalized_check', finalizedMatchesStatus)
    .addForeignKeyConstraint(
      'discharge_summaries_admission_fkey',
      ['clinic_id', 'admission_id'],
      'admissions',
      ['clinic_id', 'id'],
    )
    .addForeignKeyConstraint('discharge_summaries_patient_fkey', ['clinic_id', 'patient_id'], 'patients', [
      'clinic_id',
      'id',
    ])
    .execute();
  await db.schema
    .createIndex('discharge_summaries_clinic_admission_idx')
    .on('discharge_summaries')
    .columns(['clinic_id', 'admission_id'])
    .execute();

  await tenantTable(db, 'follow_ups')
    .addColumn('patient_id', 'uuid', (c) => c.notNull())
    .addColumn('doctor_id', 'uuid', (c) => c.notNull())
    .addColumn('visit_id', 'uuid')
    .addColumn('due_date', 'date', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(oneOf('status', ['pending', 'done', 'missed', 'cancelled'])),
    )
    .addForeignKeyConstraint('follow_ups_patient_fkey', ['clinic_id', 'patient_id'], 'patients', [
      'clinic_id',
      'id',
    ])
    .addForeignKeyConstraint('follow_ups_doctor_fkey', ['clinic_id', 'doctor_id'], 'users', [
      'clinic_id',
      'id',
    ])
    .addForeignKeyConstraint('follow_ups_visit_fkey', ['clinic_id', 'visit_id'], 'visits', [
      'clinic_id',
      'id',
    ])
    .execute();
  await db.schema
    .createIndex('follow_ups_clinic_status_due_idx')
    .on('follow_ups')
    .columns(['clinic_id', 'status', 'due_date'])
    .execute();
  await db.schema
    .createIndex('follow_ups_clinic_patient_idx')
    .on('follow_ups')
    .columns(['clinic_id', 'patient_id'])
    .execute();

  await tenantTable(db, 'documents')
    .addColumn('patient_id', 'uuid', (c) => c.notNull())
    .addColumn('visit_id', 'uuid')
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(oneOf('kind', ['medical_report', 'test_report', 'prescription_scan', 'other'])),
    )
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('mime_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull().check(sql`size_bytes >= 0`))
    .addColumn('sha256', 'text', (c) => c.notNull().check(sql`sha256 ~ '^[0-9a-f]{64}$'`))
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'uuid', (c) => c.notNull())
    .addForeignKeyConstraint('documents_patient_fkey', ['clinic_id', 'patient_id'], 'patients', [
      'clinic_id',
      'id',
    ])
    .addForeignKeyConstraint('documents_visit_fkey', ['clinic_id', 'visit_id'], 'visits', ['clinic_id', 'id'])
    .addForeignKeyConstraint('documents_uploaded_by_fkey', ['clinic_id', 'uploaded_by'], 'users', [
      'clinic_id',
      'id',
    ])
    .execute();
  await db.schema
    .createIndex('documents_clinic_patient_idx')
    .on('documents')
    .columns(['clinic_id', 'patient_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [...tables].reverse()) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
