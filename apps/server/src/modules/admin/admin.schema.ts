import {
  CapacityLimit,
  ClinicCode,
  ClinicSlug,
  Email,
  HttpUrl,
  IsoDateTime,
  LogoRef,
  Phone,
  requiredText,
  SubscriptionStatus,
  TimeZone,
  Username,
} from '@clinicdesk/domain';
import { z } from 'zod';
import { AuditEvent } from '../audit/audit.repository';
import { CapacityLimitsSchema, CapacityUsageSchema, UsageLineSchema } from '../capacity/capacity.schema';
import { SetupLink, StaffMember } from '../staff/staff.schema';

/** Request and response bodies of platform administration (`/v1/admin`); OpenAPI is generated from these. */
const Text = (max: number) => z.string().trim().max(max);

/** Profile and letterhead fields a super admin may set; all optional so the same shape serves PATCH. */
const profileFields = {
  address: Text(500).optional(),
  city: Text(100).optional(),
  state: Text(100).optional(),
  zip: z
    .string()
    .regex(/^[A-Za-z0-9 -]{3,10}$/, 'Postal code is 3–10 letters or digits')
    .or(z.literal(''))
    .optional(),
  phone: Phone.or(z.literal('')).optional(),
  email: Email.or(z.literal('')).optional(),
  website: HttpUrl.or(z.literal('')).optional(),
  registrationNumber: Text(100).optional(),
  letterheadHeader: Text(2000).optional(),
  letterheadFooter: Text(2000).optional(),
  logoUrl: LogoRef.nullable().optional(),
  timezone: TimeZone.optional(),
};

/** Plan limits; `null` = unlimited. Omitted keys are left as they are (or unlimited on create). */
export const LimitsBody = z
  .object({
    maxPatients: CapacityLimit.optional(),
    maxDoctors: CapacityLimit.optional(),
    maxReceptionists: CapacityLimit.optional(),
    maxLabTechs: CapacityLimit.optional(),
  })
  .strict();

export const FirstAdminBody = z
  .object({
    username: Username,
    displayName: requiredText(100),
    phone: Phone.nullable().optional(),
    email: Email.nullable().optional(),
  })
  .strict();

export const CreateClinicBody = z
  .object({
    name: requiredText(200),
    code: ClinicCode.describe(
      '2–8 uppercase letters or digits; part of every patient code, cannot change later',
    ),
    slug: ClinicSlug.describe('Typed at sign-in; unique across ClinicDesk'),
    ...profileFields,
    plan: requiredText(50).optional(),
    limits: LimitsBody.optional(),
    trialEndsAt: IsoDateTime.optional().describe('Defaults to 14 days from now'),
    admin: FirstAdminBody.describe('The clinic admin; gets a one-time setup link, never a password'),
  })
  .strict();
export type CreateClinicBody = z.infer<typeof CreateClinicBody>;

export const UpdateClinicBody = z
  .object({
    name: requiredText(200).optional(),
    ...profileFields,
    plan: requiredText(50).optional(),
    limits: LimitsBody.optional(),
    trialEndsAt: IsoDateTime.nullable().optional(),
    paidUntil: IsoDateTime.nullable().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'Nothing to change' });
export type UpdateClinicBody = z.infer<typeof UpdateClinicBody>;

const Reason = z.string().trim().min(3).max(500).describe('Why; recorded in the audit log');

export const StatusBody = z.object({ status: SubscriptionStatus, reason: Reason }).strict();
export type StatusBody = z.infer<typeof StatusBody>;
export const ActiveBody = z.object({ isActive: z.boolean(), reason: Reason }).strict();
export type ActiveBody = z.infer<typeof ActiveBody>;

export const ClinicListQuery = z
  .object({
    status: SubscriptionStatus.optional(),
    isActive: z.enum(['true', 'false']).optional(),
    search: z.string().trim().min(1).max(100).optional().describe('Matches name, code, city or slug'),
    sort: z.enum(['name', 'created', 'status']).default('name'),
    order: z.enum(['asc', 'desc']).default('asc'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();
export type ClinicListQuery = z.infer<typeof ClinicListQuery>;

export const ClinicSummary = z.object({
  id: z.string().uuid(),
  code: z.string(),
  slug: z.string(),
  name: z.string(),
  city: z.string(),
  state: z.string(),
  plan: z.string(),
  subscriptionStatus: SubscriptionStatus,
  isActive: z.boolean(),
  access: z
    .enum(['full', 'read_only', 'blocked'])
    .describe('What the clinic may do now, from status and dates'),
  accessReason: z.string(),
  trialEndsAt: z.string().nullable(),
  paidUntil: z.string().nullable(),
  createdAt: z.string(),
  limits: CapacityLimitsSchema,
  usage: CapacityUsageSchema,
  lastSyncAt: z.string().nullable().describe("Latest sync of any of the clinic's devices"),
});
export type ClinicSummary = z.infer<typeof ClinicSummary>;

export const ClinicList = z.object({
  clinics: z.array(ClinicSummary),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

export const ClinicDetail = ClinicSummary.extend({
  address: z.string(),
  zip: z.string(),
  phone: z.string(),
  email: z.string(),
  website: z.string(),
  registrationNumber: z.string(),
  letterheadHeader: z.string(),
  letterheadFooter: z.string(),
  logoUrl: z.string().nullable(),
  timezone: z.string(),
  updatedAt: z.string(),
  usageLines: z.array(UsageLineSchema),
  statusHistory: z
    .array(AuditEvent)
    .describe('Status and activation changes from the platform audit log, newest first'),
});
export type ClinicDetail = z.infer<typeof ClinicDetail>;

export const CreateClinicResponse = z.object({
  clinic: ClinicDetail,
  admin: StaffMember,
  setupLink: SetupLink,
});

export const ClinicIdParams = z.object({ id: z.string().uuid() }).strict();
export const ClinicUserParams = z.object({ id: z.string().uuid(), userId: z.string().uuid() }).strict();
export const ClinicDeviceParams = z.object({ id: z.string().uuid(), deviceId: z.string().uuid() }).strict();

export const PlatformAuditQuery = z
  .object({
    clinicId: z.string().uuid().optional(),
    action: z.string().trim().min(1).max(100).optional().describe('Action prefix, e.g. "clinic.status"'),
    beforeSeq: z.coerce.number().int().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

export const AuditPage = z.object({
  events: z.array(AuditEvent),
  nextBeforeSeq: z.number().int().nullable().describe('Pass as beforeSeq for the next page; null at the end'),
});

export const AuditVerification = z.object({
  ok: z.boolean(),
  breaks: z.array(z.object({ chain: z.string(), seq: z.number().int(), reason: z.string() })),
  chains: z.number().int(),
  events: z.number().int(),
});
