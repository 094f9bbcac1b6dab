import { CapacityResource } from '@clinicdesk/domain';
import { z } from 'zod';

/** Wire shapes of capacity: limits (`null` = unlimited), usage, and display lines. */
const Limit = z.number().int().min(0).nullable();

export const CapacityLimitsSchema = z.object({
  maxPatients: Limit,
  maxDoctors: Limit,
  maxReceptionists: Limit,
  maxLabTechs: Limit,
});

export const CapacityUsageSchema = z.object({
  patients: z.number().int(),
  doctors: z.number().int(),
  receptionists: z.number().int(),
  labTechs: z.number().int(),
});

export const UsageLineSchema = z.object({
  resource: CapacityResource,
  limit: Limit,
  used: z.number().int(),
  remaining: z.number().int().nullable(),
  atLimit: z.boolean(),
  overLimit: z.boolean(),
  text: z.string().describe('e.g. "8 of 10 doctors" or "12 patients (no limit)"'),
});

export const UsageReport = z.object({
  limits: CapacityLimitsSchema,
  usage: CapacityUsageSchema,
  lines: z.array(UsageLineSchema),
});
export type UsageReport = z.infer<typeof UsageReport>;
