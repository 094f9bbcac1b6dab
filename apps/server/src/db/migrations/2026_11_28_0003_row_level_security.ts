// biome-ignore-all lint/suspicious/noExplicitAny: migrations are frozen in time and use Kysely<any>
import { type Kysely, sql } from 'kysely';

/**
 * The database wall of tenancy, applied to every table that exists at this point and has a
 * `clinic_id` column: RLS enabled and forced, a tenant policy for the request role bound to
 * `app.clinic_id`, and a platform policy for members of `clinicdesk_platform`.
 * The clinics table itself: the request role sees only the row of its own clinic.
 * Tables added by later migrations call the same statements for themselves.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // Later migrations that add a tenant table call this function for it, so every tenant table
  // gets exactly the same wall.
  await sql`
    CREATE OR REPLACE FUNCTION enable_tenant_isolation(t text) RETURNS void
    LANGUAGE plpgsql AS $fn$
    BEGIN
      EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
      EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
      EXECUTE format('CREATE POLICY tenant_isolation ON %I FOR ALL TO clinicdesk_app
                        USING (clinic_id = app_current_clinic())
                        WITH CHECK (clinic_id = app_current_clinic())', t);
      EXECUTE format('CREATE POLICY platform_access ON %I FOR ALL TO clinicdesk_platform
                        USING (true) WITH CHECK (true)', t);
      EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO clinicdesk_app', t);
    END
    $fn$`.execute(db);
  await sql`REVOKE ALL ON FUNCTION enable_tenant_isolation(text) FROM PUBLIC`.execute(db);

  await sql`
    SELECT enable_tenant_isolation(c.table_name::text)
    FROM information_schema.columns c
    JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
    WHERE c.table_schema = 'public' AND c.column_name = 'clinic_id' AND tb.table_type = 'BASE TABLE'`.execute(
    db,
  );

  await sql`ALTER TABLE clinics ENABLE ROW LEVEL SECURITY`.execute(db);
  await sql`ALTER TABLE clinics FORCE ROW LEVEL SECURITY`.execute(db);
  await sql`CREATE POLICY tenant_isolation ON clinics FOR SELECT TO clinicdesk_app
              USING (id = app_current_clinic())`.execute(db);
  await sql`CREATE POLICY platform_access ON clinics FOR ALL TO clinicdesk_platform
              USING (true) WITH CHECK (true)`.execute(db);
  await sql`GRANT SELECT ON clinics TO clinicdesk_app`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DO $$
    DECLARE t text;
    BEGIN
      FOR t IN
        SELECT tablename FROM pg_policies WHERE schemaname = 'public' AND policyname = 'tenant_isolation'
      LOOP
        EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %I', t);
        EXECUTE format('DROP POLICY IF EXISTS platform_access ON %I', t);
        EXECUTE format('ALTER TABLE %I NO FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I DISABLE ROW LEVEL SECURITY', t);
        EXECUTE format('REVOKE ALL ON %I FROM clinicdesk_app', t);
      END LOOP;
    END
    $$`.execute(db);
  await sql`DROP FUNCTION IF EXISTS enable_tenant_isolation(text)`.execute(db);
}
