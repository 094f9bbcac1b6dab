/**
 * The wire shapes the console reads and sends, mirroring the server's zod schemas (`/docs/json`
 * is their reference). Types only: the server validates every body, the console trusts its answers.
 */
export type SubscriptionStatus = 'trial' | 'active' | 'expired' | 'suspended';
export type Access = 'full' | 'read_only' | 'blocked';
export type Resource = 'patients' | 'doctors' | 'receptionists' | 'labTechs';
export type StaffRole = 'admin' | 'doctor' | 'receptionist' | 'lab_tech';

export type SessionUser = {
  id: string;
  username: string;
  displayName: string;
  role: 'super_admin' | StaffRole | 'patient';
  clinicId: string | null;
};

export type TokenPair = { accessToken: string; accessTokenExpiresAt: string; refreshToken: string };
export type LoginResponse = TokenPair & { user: SessionUser };

export type TotpStatus = { enabled: boolean; pending: boolean };
export type TotpEnrolment = { secret: string; uri: string; account: string };

export type Limits = {
  maxPatients: number | null;
  maxDoctors: number | null;
  maxReceptionists: number | null;
  maxLabTechs: number | null;
};
export type Usage = Record<Resource, number>;

export type ClinicSummary = {
  id: string;
  code: string;
  slug: string;
  name: string;
  city: string;
  state: string;
  plan: string;
  subscriptionStatus: SubscriptionStatus;
  isActive: boolean;
  access: Access;
  accessReason: string;
  trialEndsAt: string | null;
  paidUntil: string | null;
  createdAt: string;
  limits: Limits;
  usage: Usage;
  lastSyncAt: string | null;
};

export type ClinicList = { clinics: ClinicSummary[]; total: number; limit: number; offset: number };
export type ClinicSort = 'name' | 'created' | 'status';

export type AuditEvent = {
  id: string;
  seq: number;
  at: string;
  actorType: string;
  actorId: string | null;
  actorRole: string | null;
  deviceId: string | null;
  clinicId: string | null;
  action: string;
  entity: string | null;
  entityId: string | null;
  details: Record<string, unknown>;
  hash: string;
};

export type ClinicDetail = ClinicSummary & {
  address: string;
  zip: string;
  phone: string;
  email: string;
  website: string;
  registrationNumber: string;
  letterheadHeader: string;
  letterheadFooter: string;
  logoUrl: string | null;
  timezone: string;
  updatedAt: string;
  usageLines: { resource: Resource; limit: number | null; used: number; text: string }[];
  statusHistory: AuditEvent[];
};

export type ProfileFields = {
  name: string;
  address: string;
  city: string;
  state: string;
  zip: string;
  phone: string;
  email: string;
  website: string;
  registrationNumber: string;
  letterheadHeader: string;
  letterheadFooter: string;
  timezone: string;
};

export type UpdateClinicBody = Partial<ProfileFields> & {
  plan?: string;
  limits?: Partial<Limits>;
  trialEndsAt?: string | null;
  paidUntil?: string | null;
};

export type CreateClinicBody = Partial<Omit<ProfileFields, 'name'>> & {
  name: string;
  code: string;
  slug: string;
  plan?: string;
  limits?: Partial<Limits>;
  trialEndsAt?: string;
  admin: { username: string; displayName: string; phone?: string | null; email?: string | null };
};

export type SetupLink = { url: string; expiresAt: string };

export type StaffMember = {
  id: string;
  username: string;
  displayName: string;
  role: StaffRole;
  phone: string | null;
  email: string | null;
  isActive: boolean;
  passwordSet: boolean;
  createdAt: string;
};

export type CreateClinicResponse = { clinic: ClinicDetail; admin: StaffMember; setupLink: SetupLink };

export type Device = {
  id: string;
  name: string;
  status: 'pending' | 'approved' | 'revoked';
  platform: string;
  appVersion: string;
  createdAt: string;
  approvedAt: string | null;
  revokedAt: string | null;
  lastSeenAt: string | null;
  lastSyncAt: string | null;
};

export type AuditPage = { events: AuditEvent[]; nextBeforeSeq: number | null };
export type AuditVerification = {
  ok: boolean;
  breaks: { chain: string; seq: number; reason: string }[];
  chains: number;
  events: number;
};

export type MonthlyCount = { month: string; count: number };
export type PlatformOverview = {
  generatedAt: string;
  clinics: { total: number; byStatus: Record<SubscriptionStatus, number>; inactive: number };
  devices: { approved: number; pending: number; syncedLast24h: number; syncedLast7d: number };
  syncErrors24h: {
    refusedGroups: number;
    clinics: number;
    byCode: { code: string; count: number }[];
    topClinics: { clinicId: string; name: string; code: string; refused: number }[];
  };
  patientsPerMonth: MonthlyCount[];
  nearLimits: {
    clinicId: string;
    name: string;
    code: string;
    resource: Resource;
    used: number;
    limit: number;
    percent: number;
  }[];
};

export type ClinicUsageHistory = {
  clinicId: string;
  months: { month: string; patients: number; visits: number }[];
};

export type Availability = { value: string; valid: boolean; available: boolean; message: string | null };
export type IdentityAvailability = { slug: Availability | null; code: Availability | null };

export type ErrorBody = { error: { code: string; message: string; details?: Record<string, unknown> } };
