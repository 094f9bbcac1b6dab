// biome-ignore-all lint/suspicious/noExplicitAny: migrations are frozen in time and use Kysely<any>
import { type Kysely, sql } from 'kysely';

/**
 * `sync_push_begin`: a push binds its clinic, takes the clinic's write lock and reads what it needs
 * to decide its groups in one round trip instead of four.
 *
 * The reads run after the lock is granted and each takes its own snapshot (a PL/pgSQL function's
 * statements do, under READ COMMITTED), so they see everything the request ahead of this one
 * committed while this one waited. A single statement could not do that: its snapshot is taken
 * before it waits for the lock.
 *
 * The lock is the one `inClinic` takes with `lock` (key `hashtextextended(<clinic id>, 7)`), so leases,
 * compaction and admin changes still exclude a push. Row-level security applies to every read: the
 * function runs as its caller, for the clinic it has just bound.
 *
 * `p_wanted` names what the request refers to: `mutationIds`, `codes` (patient codes), `dates` and
 * `tokens` (queue tokens), `years` (of the patient codes). The result holds the clinic's row, the
 * device's last decided seq (its state row created on its first push), the decisions already made
 * on those mutation ids, the codes and tokens already taken, and the device's leases of those years
 * and dates.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE FUNCTION sync_push_begin(p_clinic text, p_device uuid, p_wanted json) RETURNS json
    LANGUAGE plpgsql
    -- Planned for each call's values, as the statements it replaces were: a plan cached while the
    -- tables were small would scan them, comparing every row with every value asked for.
    SET plan_cache_mode = force_custom_plan
    AS $$
    DECLARE
      v_clinic uuid := p_clinic::uuid;
      v_mutation_ids uuid[] := ARRAY(SELECT json_array_elements_text(p_wanted->'mutationIds'))::uuid[];
      v_codes text[] := ARRAY(SELECT json_array_elements_text(p_wanted->'codes'));
      v_date_scopes text[] := ARRAY(SELECT json_array_elements_text(p_wanted->'dates'));
      v_dates date[] := v_date_scopes::date[];
      v_tokens integer[] := ARRAY(SELECT json_array_elements_text(p_wanted->'tokens'))::integer[];
      v_years text[] := ARRAY(SELECT json_array_elements_text(p_wanted->'years'));
      v_read json;
    BEGIN
      PERFORM set_config('app.clinic_id', p_clinic, true);
      PERFORM pg_advisory_xact_lock(hashtextextended(p_clinic, 7));
      INSERT INTO device_sync_state (clinic_id, device_id) VALUES (v_clinic, p_device)
        ON CONFLICT (clinic_id, device_id) DO NOTHING;
      SELECT json_build_object(
        'clinic', (
          SELECT json_build_object(
            'code', c.code, 'max_patients', c.max_patients, 'subscription_status', c.subscription_status,
            'trial_ends_at', c.trial_ends_at, 'paid_until', c.paid_until, 'is_active', c.is_active)
          FROM clinics c WHERE c.id = v_clinic),
        'last_group_seq', (
          SELECT s.last_group_seq FROM device_sync_state s
          WHERE s.clinic_id = v_clinic AND s.device_id = p_device),
        'decided', (
          SELECT coalesce(json_agg(json_build_object(
              'mutation_id', g.mutation_id, 'status', g.status, 'code', g.code, 'message', g.message)), '[]'::json)
          FROM sync_groups g
          WHERE g.clinic_id = v_clinic
            AND g.mutation_id = ANY(v_mutation_ids)),
        'codes', (
          SELECT coalesce(json_agg(p.patient_code), '[]'::json) FROM patients p
          WHERE p.clinic_id = v_clinic
            AND p.patient_code = ANY(v_codes)),
        'tokens', (
          SELECT coalesce(json_agg(json_build_object(
              'date', to_char(v.visit_date, 'YYYY-MM-DD'), 'token', v.token_number)), '[]'::json)
          FROM visits v
          WHERE v.clinic_id = v_clinic
            AND v.visit_date = ANY(v_dates)
            AND v.token_number = ANY(v_tokens)),
        'leases', (
          SELECT coalesce(json_agg(json_build_object(
              'counter', l.counter, 'scope', l.scope, 'from', l.from_value, 'to', l.to_value)), '[]'::json)
          FROM counter_leases l
          WHERE l.clinic_id = v_clinic AND l.device_id = p_device
            AND ((l.counter = 'patient_code'
                  AND l.scope = ANY(v_years))
              OR (l.counter = 'queue_token'
                  AND l.scope = ANY(v_date_scopes))))
      ) INTO v_read;
      RETURN v_read;
    END $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION sync_push_begin(text, uuid, json)`.execute(db);
}
