// biome-ignore-all lint/suspicious/noExplicitAny: migrations are frozen in time and use Kysely<any>
import { type Kysely, sql } from 'kysely';

/**
 * Roles, clinics, platform admins, clinic staff, doctor profiles and devices.
 *
 * - `clinicdesk_app` is the login role for request queries: it owns nothing and cannot bypass RLS.
 * - `clinicdesk_platform` is a no-login role granted to the migration owner; policies let its
 *   members see every clinic, which is the audited platform path.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    DO $$
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'clinicdesk_app') THEN
        CREATE ROLE clinicdesk_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
      END IF;
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'clinicdesk_platform') THEN
        CREATE ROLE clinicdesk_platform NOLOGIN;
      END IF;
    END
    $$`.execute(db);
  await sql`GRANT clinicdesk_platform TO CURRENT_USER`.execute(db);
  await sql`GRANT USAGE ON SCHEMA public TO clinicdesk_app`.execute(db);

  // The clinic bound to the current transaction, or NULL when none is (so policies match nothing).
  await sql`
    CREATE OR REPLACE FUNCTION app_current_clinic() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT nullif(current_setting('app.clinic_id', true), '')::uuid $$`.execute(db);

  await db.schema
    .createTable('clinics')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique().check(sql`code ~ '^[A-Z0-9]{2,8}$'`))
    .addColumn('slug', 'text', (c) => c.notNull().unique().check(sql`slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('logo_url', 'text')
    .addColumn('address', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('city', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('state', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('zip', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('phone', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('email', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('website', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('registration_number', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('letterhead_header', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('letterhead_footer', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('timezone', 'text', (c) => c.notNull().defaultTo('Asia/Kolkata'))
    .addColumn('plan', 'text', (c) => c.notNull().defaultTo('trial'))
    .addColumn('subscription_status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('trial')
        .check(sql`subscription_status IN ('trial', 'active', 'expired', 'suspended')`),
    )
    .addColumn('trial_ends_at', 'timestamptz')
    .addColumn('paid_until', 'timestamptz')
    .addColumn('max_patients', 'integer', (c) => c.check(sql`max_patients >= 0`))
    .addColumn('max_doctors', 'integer', (c) => c.check(sql`max_doctors >= 0`))
    .addColumn('max_receptionists', 'integer', (c) => c.check(sql`max_receptionists >= 0`))
    .addColumn('max_lab_techs', 'integer', (c) => c.check(sql`max_lab_techs >= 0`))
    .addColumn('is_active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('version', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('platform_admins')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('is_active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('clinic_id', 'uuid', (c) => c.notNull().references('clinics.id'))
    .addColumn('id', 'uuid', (c) => c.notNull())
    .addColumn('username', 'text', (c) => c.notNull().check(sql`username ~ '^[a-z0-9._-]{2,64}$'`))
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) =>
      c.notNull().check(sql`role IN ('admin', 'doctor', 'receptionist', 'lab_tech', 'patient')`),
    )
    .addColumn('password_hash', 'text')
    .addColumn('phone', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('email', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('is_active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('version', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('deleted_at', 'timestamptz')
    .addPrimaryKeyConstraint('users_pkey', ['clinic_id', 'id'])
    .addUniqueConstraint('users_clinic_username_key', ['clinic_id', 'username'])
    .execute();

  await db.schema
    .createTable('doctor_profiles')
    .addColumn('clinic_id', 'uuid', (c) => c.notNull().references('clinics.id'))
    .addColumn('id', 'uuid', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.notNull())
    .addColumn('specialization', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('licence_number', 'text', (c) => c.notNull())
    .addColumn('qualification', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('registration_council', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('version', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('deleted_at', 'timestamptz')
    .addPrimaryKeyConstraint('doctor_profiles_pkey', ['clinic_id', 'id'])
    .addUniqueConstraint('doctor_profiles_user_key', ['clinic_id', 'user_id'])
    .addUniqueConstraint('doctor_profiles_licence_key', ['clinic_id', 'licence_number'])
    .addForeignKeyConstraint('doctor_profiles_user_fkey', ['clinic_id', 'user_id'], 'users', [
      'clinic_id',
      'id',
    ])
    .execute();

  await db.schema
    .createTable('devices')
    .addColumn('clinic_id', 'uuid', (c) => c.notNull().references('clinics.id'))
    .addColumn('id', 'uuid', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('pending').check(sql`status IN ('pending', 'approved', 'revoked')`),
    )
    .addColumn('app_version', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('platform', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('last_seen_at', 'timestamptz')
    .addColumn('last_sync_at', 'timestamptz')
    .addColumn('approved_by', 'uuid')
    .addColumn('approved_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('version', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('deleted_at', 'timestamptz')
    .addPrimaryKeyConstraint('devices_pkey', ['clinic_id', 'id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['devices', 'doctor_profiles', 'users', 'platform_admins', 'clinics']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  await sql`DROP FUNCTION IF EXISTS app_current_clinic()`.execute(db);
}
