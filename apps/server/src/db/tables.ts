import type { ColumnType, Generated } from 'kysely';

/**
 * Row types of the server's tables, as Kysely sees them. Repositories convert these rows to the
 * domain's types explicitly; handlers never return them as they are.
 */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Version = ColumnType<number, number | undefined, number>;

export interface ClinicsTable {
  id: string;
  code: string;
  slug: string;
  name: string;
  logo_url: string | null;
  address: Generated<string>;
  city: Generated<string>;
  state: Generated<string>;
  zip: Generated<string>;
  phone: Generated<string>;
  email: Generated<string>;
  website: Generated<string>;
  registration_number: Generated<string>;
  letterhead_header: Generated<string>;
  letterhead_footer: Generated<string>;
  timezone: Generated<string>;
  plan: Generated<string>;
  subscription_status: Generated<'trial' | 'active' | 'expired' | 'suspended'>;
  trial_ends_at: NullableTimestamp;
  paid_until: NullableTimestamp;
  max_patients: number | null;
  max_doctors: number | null;
  max_receptionists: number | null;
  max_lab_techs: number | null;
  is_active: Generated<boolean>;
  version: Version;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PlatformAdminsTable {
  id: string;
  username: string;
  display_name: Generated<string>;
  password_hash: string;
  is_active: Generated<boolean>;
  failed_login_count: Generated<number>;
  locked_until: NullableTimestamp;
  password_changed_at: NullableTimestamp;
  totp_secret: string | null;
  totp_enabled: Generated<boolean>;
  /** Time step of the last authenticator code accepted (a code works once). */
  totp_last_step: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Columns every tenant table carries for sync and soft delete. */
export interface TenantColumns {
  clinic_id: string;
  id: string;
  version: Version;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: NullableTimestamp;
}

export interface UsersTable extends TenantColumns {
  username: string;
  display_name: string;
  role: 'admin' | 'doctor' | 'receptionist' | 'lab_tech' | 'patient';
  password_hash: string | null;
  phone: Generated<string>;
  email: Generated<string>;
  is_active: Generated<boolean>;
  failed_login_count: Generated<number>;
  locked_until: NullableTimestamp;
  password_changed_at: NullableTimestamp;
}

export interface DoctorProfilesTable extends TenantColumns {
  user_id: string;
  specialization: Generated<string>;
  licence_number: string;
  qualification: Generated<string>;
  registration_council: Generated<string>;
}

export interface DevicesTable extends TenantColumns {
  name: string;
  status: Generated<'pending' | 'approved' | 'revoked'>;
  app_version: Generated<string>;
  platform: Generated<string>;
  last_seen_at: NullableTimestamp;
  last_sync_at: NullableTimestamp;
  approved_by: string | null;
  approved_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  secret_hash: Generated<string>;
}

export interface SessionsTable {
  clinic_id: string;
  id: string;
  user_id: string;
  device_id: string | null;
  created_at: Timestamp;
  last_used_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: NullableTimestamp;
  revoked_reason: string | null;
}

export interface RefreshTokensTable {
  clinic_id: string;
  id: string;
  session_id: string;
  token_hash: string;
  created_at: Timestamp;
  used_at: NullableTimestamp;
}

export interface PlatformSessionsTable {
  id: string;
  admin_id: string;
  created_at: Timestamp;
  last_used_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: NullableTimestamp;
  revoked_reason: string | null;
}

export interface PlatformRefreshTokensTable {
  id: string;
  session_id: string;
  token_hash: string;
  created_at: Timestamp;
  used_at: NullableTimestamp;
}

export interface PasswordSetupTokensTable {
  clinic_id: string;
  id: string;
  user_id: string;
  token_hash: string;
  purpose: 'setup' | 'reset';
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
}

export interface ServerKeysTable {
  id: string;
  algorithm: string;
  private_pem: string;
  public_pem: string;
  created_at: Timestamp;
}

type Json = ColumnType<unknown, string | undefined, string>;

/** Seq, prev_hash and hash are assigned by the chain trigger; inserts leave them to it. */
type ChainColumns = {
  seq: ColumnType<number, never, never>;
  prev_hash: ColumnType<string, never, never>;
  hash: ColumnType<string, never, never>;
};

export interface AuditEventsTable extends ChainColumns {
  clinic_id: string;
  id: string;
  at: Timestamp;
  actor_type: 'user' | 'platform_admin' | 'device' | 'system' | 'anonymous';
  actor_id: string | null;
  actor_role: string | null;
  device_id: string | null;
  action: string;
  entity: string | null;
  entity_id: string | null;
  details: Json;
}

export interface PlatformAuditEventsTable extends ChainColumns {
  id: string;
  at: Timestamp;
  actor_type: 'user' | 'platform_admin' | 'device' | 'system' | 'anonymous';
  actor_id: string | null;
  actor_role: string | null;
  subject_clinic_id: string | null;
  action: string;
  entity: string | null;
  entity_id: string | null;
  details: Json;
}

export interface ClinicSyncStateTable {
  clinic_id: string;
  last_seq: Generated<number>;
  min_seq: Generated<number>;
}

export interface ChangeLogTable {
  clinic_id: string;
  seq: number;
  entity: string;
  row_id: string;
  version: number;
  deleted: Generated<boolean>;
  at: Timestamp;
}

export interface DeviceSyncStateTable {
  clinic_id: string;
  device_id: string;
  last_group_seq: Generated<number>;
  last_pull_cursor: Generated<number>;
  last_push_at: NullableTimestamp;
  last_pull_at: NullableTimestamp;
}

export interface SyncGroupsTable {
  clinic_id: string;
  mutation_id: string;
  device_id: string;
  seq: number;
  status: 'applied' | 'refused';
  code: string | null;
  message: string | null;
  /** NULL: applied without a notice or changes (the result is then its mutation id, seq and status). */
  result: Json | null;
  decided_at: Timestamp;
}

export interface CountersTable {
  clinic_id: string;
  counter: string;
  scope: string;
  next_value: Generated<number>;
}

export interface CounterLeasesTable {
  clinic_id: string;
  id: string;
  device_id: string;
  counter: string;
  scope: string;
  from_value: number;
  to_value: number;
  issued_at: Timestamp;
}

export interface DB {
  clinics: ClinicsTable;
  platform_admins: PlatformAdminsTable;
  users: UsersTable;
  doctor_profiles: DoctorProfilesTable;
  devices: DevicesTable;
  sessions: SessionsTable;
  refresh_tokens: RefreshTokensTable;
  platform_sessions: PlatformSessionsTable;
  platform_refresh_tokens: PlatformRefreshTokensTable;
  password_setup_tokens: PasswordSetupTokensTable;
  server_keys: ServerKeysTable;
  audit_events: AuditEventsTable;
  platform_audit_events: PlatformAuditEventsTable;
  clinic_sync_state: ClinicSyncStateTable;
  change_log: ChangeLogTable;
  device_sync_state: DeviceSyncStateTable;
  sync_groups: SyncGroupsTable;
  counters: CountersTable;
  counter_leases: CounterLeasesTable;
}
