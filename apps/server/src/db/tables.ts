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
}

export interface DB {
  clinics: ClinicsTable;
  platform_admins: PlatformAdminsTable;
  users: UsersTable;
  doctor_profiles: DoctorProfilesTable;
  devices: DevicesTable;
}
