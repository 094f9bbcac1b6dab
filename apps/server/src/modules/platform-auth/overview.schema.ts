import { CapacityResource, ClinicCode, ClinicSlug } from '@clinicdesk/domain';
import { z } from 'zod';

/** Platform-wide aggregates for the console (`/v1/admin/overview`); OpenAPI is generated from these. */
const Count = z.number().int().min(0);
const Month = z
  .string()
  .regex(/^\d{4}-\d{2}$/)
  .describe('Calendar month in UTC, YYYY-MM');

export const MonthlyCount = z.object({ month: Month, count: Count });

export const NearLimit = z.object({
  clinicId: z.string().uuid(),
  name: z.string(),
  code: z.string(),
  resource: CapacityResource,
  used: Count,
  limit: Count,
  percent: z.number().int().describe('used / limit, rounded down; 100 or more means no room left'),
});

export const PlatformOverview = z.object({
  generatedAt: z.string(),
  clinics: z.object({
    total: Count,
    byStatus: z.object({ trial: Count, active: Count, expired: Count, suspended: Count }),
    inactive: Count.describe('Deactivated clinics (counted in byStatus too)'),
  }),
  devices: z.object({
    approved: Count,
    pending: Count,
    syncedLast24h: Count.describe('Approved devices that synced in the last 24 hours'),
    syncedLast7d: Count,
  }),
  syncErrors24h: z.object({
    refusedGroups: Count.describe('Sync groups the server refused in the last 24 hours'),
    clinics: Count,
    byCode: z.array(z.object({ code: z.string(), count: Count })),
    topClinics: z.array(
      z.object({ clinicId: z.string().uuid(), name: z.string(), code: z.string(), refused: Count }),
    ),
  }),
  patientsPerMonth: z
    .array(MonthlyCount)
    .describe('Patients registered per month across the platform, last 12 months'),
  nearLimits: z
    .array(NearLimit)
    .describe('Active clinics using 90% or more of a limit, fullest first (at most 100)'),
});
export type PlatformOverview = z.infer<typeof PlatformOverview>;

export const ClinicUsageHistory = z.object({
  clinicId: z.string().uuid(),
  months: z.array(z.object({ month: Month, patients: Count, visits: Count })),
});
export type ClinicUsageHistory = z.infer<typeof ClinicUsageHistory>;

export const UsageHistoryParams = z.object({ id: z.string().uuid() }).strict();
export const UsageHistoryQuery = z
  .object({ months: z.coerce.number().int().min(1).max(36).default(12) })
  .strict();

export const IdentityQuery = z
  .object({ slug: z.string().trim().max(63).optional(), code: z.string().trim().max(8).optional() })
  .strict();

const Availability = z.object({
  value: z.string(),
  valid: z.boolean().describe('Matches the format rules'),
  available: z.boolean().describe('Valid and not used by any clinic'),
  message: z.string().nullable(),
});
export const IdentityAvailability = z.object({
  slug: Availability.nullable(),
  code: Availability.nullable(),
});
export type IdentityAvailability = z.infer<typeof IdentityAvailability>;

/** The format rules checked before asking the database. */
export const identityRules = { slug: ClinicSlug, code: ClinicCode } as const;

export const ClinicNamesQuery = z
  .object({
    ids: z
      .string()
      .regex(/^[0-9a-f-]{36}(,[0-9a-f-]{36}){0,199}$/i, 'Up to 200 clinic ids, comma-separated')
      .describe('Comma-separated clinic ids'),
  })
  .strict();
export const ClinicNames = z.object({
  clinics: z.array(z.object({ id: z.string().uuid(), name: z.string(), code: z.string() })),
});
