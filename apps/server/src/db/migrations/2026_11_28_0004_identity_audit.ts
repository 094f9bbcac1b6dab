// biome-ignore-all lint/suspicious/noExplicitAny: migrations are frozen in time and use Kysely<any>
import { type Kysely, sql } from 'kysely';

/**
 * Sessions and refresh tokens (clinic users and platform admins), login throttling columns,
 * device secrets, one-time password setup tokens, server signing keys, and the audit chains.
 *
 * Audit invariants: a BEFORE INSERT trigger assigns each clinic's next `seq`, links `prev_hash`
 * and computes `hash = sha256(prev_hash || canonical_json(event))` under the chain's advisory lock;
 * rows can never be updated or deleted (a trigger refuses it, and the request role has no UPDATE or
 * DELETE grant). `audit_chain_break()` recomputes every chain and returns the first broken link.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE users
    ADD COLUMN failed_login_count integer NOT NULL DEFAULT 0,
    ADD COLUMN locked_until timestamptz,
    ADD COLUMN password_changed_at timestamptz`.execute(db);
  await sql`ALTER TABLE platform_admins
    ADD COLUMN failed_login_count integer NOT NULL DEFAULT 0,
    ADD COLUMN locked_until timestamptz,
    ADD COLUMN password_changed_at timestamptz,
    ADD COLUMN totp_secret text,
    ADD COLUMN totp_enabled boolean NOT NULL DEFAULT false`.execute(db);
  await sql`ALTER TABLE devices ADD COLUMN secret_hash text NOT NULL DEFAULT ''`.execute(db);

  await db.schema
    .createTable('sessions')
    .addColumn('clinic_id', 'uuid', (c) => c.notNull().references('clinics.id'))
    .addColumn('id', 'uuid', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.notNull())
    .addColumn('device_id', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_used_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('revoked_reason', 'text')
    .addPrimaryKeyConstraint('sessions_pkey', ['clinic_id', 'id'])
    .addForeignKeyConstraint('sessions_user_fkey', ['clinic_id', 'user_id'], 'users', ['clinic_id', 'id'])
    .addForeignKeyConstraint('sessions_device_fkey', ['clinic_id', 'device_id'], 'devices', [
      'clinic_id',
      'id',
    ])
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').columns(['clinic_id', 'user_id']).execute();
  await db.schema
    .createIndex('sessions_device_idx')
    .on('sessions')
    .columns(['clinic_id', 'device_id'])
    .execute();

  await db.schema
    .createTable('refresh_tokens')
    .addColumn('clinic_id', 'uuid', (c) => c.notNull().references('clinics.id'))
    .addColumn('id', 'uuid', (c) => c.notNull())
    .addColumn('session_id', 'uuid', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('used_at', 'timestamptz')
    .addPrimaryKeyConstraint('refresh_tokens_pkey', ['clinic_id', 'id'])
    .addForeignKeyConstraint('refresh_tokens_session_fkey', ['clinic_id', 'session_id'], 'sessions', [
      'clinic_id',
      'id',
    ])
    .execute();

  await db.schema
    .createTable('platform_sessions')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('admin_id', 'uuid', (c) => c.notNull().references('platform_admins.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_used_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('revoked_reason', 'text')
    .execute();
  await db.schema
    .createTable('platform_refresh_tokens')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('session_id', 'uuid', (c) => c.notNull().references('platform_sessions.id'))
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('used_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('password_setup_tokens')
    .addColumn('clinic_id', 'uuid', (c) => c.notNull().references('clinics.id'))
    .addColumn('id', 'uuid', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose IN ('setup', 'reset')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .addPrimaryKeyConstraint('password_setup_tokens_pkey', ['clinic_id', 'id'])
    .addForeignKeyConstraint('password_setup_tokens_user_fkey', ['clinic_id', 'user_id'], 'users', [
      'clinic_id',
      'id',
    ])
    .execute();

  await db.schema
    .createTable('server_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('algorithm', 'text', (c) => c.notNull())
    .addColumn('private_pem', 'text', (c) => c.notNull())
    .addColumn('public_pem', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // ---- audit ----
  await db.schema
    .createTable('audit_events')
    .addColumn('clinic_id', 'uuid', (c) => c.notNull().references('clinics.id'))
    .addColumn('id', 'uuid', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('actor_type', 'text', (c) =>
      c.notNull().check(sql`actor_type IN ('user', 'platform_admin', 'device', 'system', 'anonymous')`),
    )
    .addColumn('actor_id', 'uuid')
    .addColumn('actor_role', 'text')
    .addColumn('device_id', 'uuid')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity', 'text')
    .addColumn('entity_id', 'text')
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('audit_events_pkey', ['clinic_id', 'id'])
    .addUniqueConstraint('audit_events_seq_key', ['clinic_id', 'seq'])
    .execute();
  await db.schema
    .createTable('platform_audit_events')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull().unique())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'uuid')
    .addColumn('actor_role', 'text')
    .addColumn('subject_clinic_id', 'uuid')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity', 'text')
    .addColumn('entity_id', 'text')
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('platform_audit_events_clinic_idx')
    .on('platform_audit_events')
    .columns(['subject_clinic_id', 'seq'])
    .execute();

  // The canonical JSON of an event: jsonb's text form is deterministic (sorted keys, fixed spacing),
  // and the timestamp is rendered in UTC with microseconds so it round-trips exactly.
  await sql`
    CREATE OR REPLACE FUNCTION audit_canonical(
      p_chain text, p_seq bigint, p_at timestamptz, p_actor_type text, p_actor_id uuid, p_actor_role text,
      p_device_id uuid, p_action text, p_entity text, p_entity_id text, p_details jsonb
    ) RETURNS text LANGUAGE sql IMMUTABLE AS $$
      SELECT jsonb_build_object(
        'chain', p_chain, 'seq', p_seq,
        'at', to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'actorType', p_actor_type, 'actorId', p_actor_id, 'actorRole', p_actor_role, 'deviceId', p_device_id,
        'action', p_action, 'entity', p_entity, 'entityId', p_entity_id, 'details', p_details
      )::text
    $$`.execute(db);
  await sql`
    CREATE OR REPLACE FUNCTION audit_hash(p_prev text, p_canonical text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT encode(sha256(convert_to(p_prev || p_canonical, 'UTF8')), 'hex') $$`.execute(
    db,
  );

  await sql`
    CREATE OR REPLACE FUNCTION audit_events_chain() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE last_seq bigint; last_hash text;
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtextextended('audit:' || NEW.clinic_id::text, 11));
      SELECT seq, hash INTO last_seq, last_hash FROM audit_events
        WHERE clinic_id = NEW.clinic_id ORDER BY seq DESC LIMIT 1;
      NEW.seq := coalesce(last_seq, 0) + 1;
      NEW.at := date_trunc('microseconds', coalesce(NEW.at, now()));
      NEW.prev_hash := coalesce(last_hash, '');
      NEW.hash := audit_hash(NEW.prev_hash, audit_canonical(NEW.clinic_id::text, NEW.seq, NEW.at, NEW.actor_type,
        NEW.actor_id, NEW.actor_role, NEW.device_id, NEW.action, NEW.entity, NEW.entity_id, NEW.details));
      RETURN NEW;
    END $$`.execute(db);
  await sql`
    CREATE OR REPLACE FUNCTION platform_audit_events_chain() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE last_seq bigint; last_hash text;
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtextextended('audit:platform', 11));
      SELECT seq, hash INTO last_seq, last_hash FROM platform_audit_events ORDER BY seq DESC LIMIT 1;
      NEW.seq := coalesce(last_seq, 0) + 1;
      NEW.at := date_trunc('microseconds', coalesce(NEW.at, now()));
      NEW.prev_hash := coalesce(last_hash, '');
      NEW.hash := audit_hash(NEW.prev_hash, audit_canonical('platform', NEW.seq, NEW.at, NEW.actor_type,
        NEW.actor_id, NEW.actor_role, NEW.subject_clinic_id, NEW.action, NEW.entity, NEW.entity_id, NEW.details));
      RETURN NEW;
    END $$`.execute(db);
  await sql`
    CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit events are append-only' USING ERRCODE = 'insufficient_privilege';
    END $$`.execute(db);
  await sql`CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events
              FOR EACH ROW EXECUTE FUNCTION audit_events_chain()`.execute(db);
  await sql`CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
              FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()`.execute(db);
  await sql`CREATE TRIGGER platform_audit_events_chain BEFORE INSERT ON platform_audit_events
              FOR EACH ROW EXECUTE FUNCTION platform_audit_events_chain()`.execute(db);
  await sql`CREATE TRIGGER platform_audit_events_append_only BEFORE UPDATE OR DELETE ON platform_audit_events
              FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()`.execute(db);

  // Every chain recomputed; one row per chain whose first broken link is at `seq`.
  await sql`
    CREATE OR REPLACE FUNCTION audit_chain_breaks()
    RETURNS TABLE (chain text, seq bigint, reason text) LANGUAGE sql STABLE AS $$
      WITH clinic_rows AS (
        SELECT e.clinic_id::text AS chain, e.seq, e.prev_hash, e.hash,
               lag(e.hash, 1, '') OVER (PARTITION BY e.clinic_id ORDER BY e.seq) AS expected_prev,
               lag(e.seq, 1, 0::bigint) OVER (PARTITION BY e.clinic_id ORDER BY e.seq) AS previous_seq,
               audit_hash(e.prev_hash, audit_canonical(e.clinic_id::text, e.seq, e.at, e.actor_type, e.actor_id,
                 e.actor_role, e.device_id, e.action, e.entity, e.entity_id, e.details)) AS expected_hash
        FROM audit_events e
      ), platform_rows AS (
        SELECT 'platform'::text AS chain, e.seq, e.prev_hash, e.hash,
               lag(e.hash, 1, '') OVER (ORDER BY e.seq) AS expected_prev,
               lag(e.seq, 1, 0::bigint) OVER (ORDER BY e.seq) AS previous_seq,
               audit_hash(e.prev_hash, audit_canonical('platform', e.seq, e.at, e.actor_type, e.actor_id,
                 e.actor_role, e.subject_clinic_id, e.action, e.entity, e.entity_id, e.details)) AS expected_hash
        FROM platform_audit_events e
      ), checked AS (
        SELECT chain, seq,
               CASE WHEN seq <> previous_seq + 1 THEN 'missing event before this one'
                    WHEN prev_hash <> expected_prev THEN 'link to the previous event does not match'
                    WHEN hash <> expected_hash THEN 'event content does not match its hash'
               END AS reason
        FROM (SELECT * FROM clinic_rows UNION ALL SELECT * FROM platform_rows) r
      )
      SELECT DISTINCT ON (chain) chain, seq, reason FROM checked WHERE reason IS NOT NULL ORDER BY chain, seq
    $$`.execute(db);

  for (const t of ['sessions', 'refresh_tokens', 'password_setup_tokens', 'audit_events']) {
    await sql`SELECT enable_tenant_isolation(${t})`.execute(db);
  }
  await sql`REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM clinicdesk_app`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION IF EXISTS audit_chain_breaks()`.execute(db);
  for (const t of [
    'platform_audit_events',
    'audit_events',
    'server_keys',
    'password_setup_tokens',
    'platform_refresh_tokens',
    'platform_sessions',
    'refresh_tokens',
    'sessions',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
  for (const f of ['audit_refuse_change()', 'platform_audit_events_chain()', 'audit_events_chain()']) {
    await sql.raw(`DROP FUNCTION IF EXISTS ${f}`).execute(db);
  }
  await sql`DROP FUNCTION IF EXISTS audit_hash(text, text)`.execute(db);
  await sql`ALTER TABLE devices DROP COLUMN secret_hash`.execute(db);
  await sql`ALTER TABLE platform_admins DROP COLUMN failed_login_count, DROP COLUMN locked_until,
              DROP COLUMN password_changed_at, DROP COLUMN totp_secret, DROP COLUMN totp_enabled`.execute(db);
  await sql`ALTER TABLE users DROP COLUMN failed_login_count, DROP COLUMN locked_until,
              DROP COLUMN password_changed_at`.execute(db);
}
