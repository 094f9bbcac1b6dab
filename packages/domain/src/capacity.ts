/**
 * Capacity limits (DESIGN §4). A limit counts active records; `null` means unlimited. The check
 * only guards additions: lowering a limit below current usage keeps every existing record and
 * blocks new ones. The server runs `capacityCheck` under the per-clinic lock of the write; a device
 * runs it first with its pending (unsynced) creates counted as used, but the server decides.
 */
import { z } from 'zod';
import type { Role } from './role.schema';

/** What a clinic's plan limits. */
export const CapacityResource = z.enum(['patients', 'doctors', 'receptionists', 'labTechs']);
export type CapacityResource = z.infer<typeof CapacityResource>;

/** A clinic's limits, as stored on the clinic (`null` = unlimited). */
export interface CapacityLimits {
  maxPatients: number | null;
  maxDoctors: number | null;
  maxReceptionists: number | null;
  maxLabTechs: number | null;
}

/** Active records per limited resource. */
export type CapacityUsage = Record<CapacityResource, number>;

/** Outcome of a capacity check. `remaining` is the room left before this addition (never negative). */
export type CapacityCheck =
  | { ok: true; limit: number | null; used: number; adding: number; remaining: number | null }
  | {
      ok: false;
      code: 'CAPACITY_EXCEEDED';
      limit: number;
      used: number;
      adding: number;
      remaining: number;
      excess: number;
    };

/** One line of a usage display, e.g. "498 of 500". */
export interface UsageLine {
  resource: CapacityResource;
  limit: number | null;
  used: number;
  pending: number;
  remaining: number | null;
  atLimit: boolean;
  overLimit: boolean;
  label: string;
}

const limitKeys = {
  patients: 'maxPatients',
  doctors: 'maxDoctors',
  receptionists: 'maxReceptionists',
  labTechs: 'maxLabTechs',
} as const satisfies Record<CapacityResource, keyof CapacityLimits>;

const resourceNouns = {
  patients: 'patients',
  doctors: 'doctors',
  receptionists: 'receptionists',
  labTechs: 'lab technicians',
} as const satisfies Record<CapacityResource, string>;

function checkCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
}

/** Checks whether adding `adding` (default 1) records to `used` stays within `limit` (`null` = unlimited). */
export function capacityCheck(input: { limit: number | null; used: number; adding?: number }): CapacityCheck {
  const { limit, used } = input;
  const adding = input.adding ?? 1;
  checkCount('used', used);
  checkCount('adding', adding);
  if (limit === null) return { ok: true, limit, used, adding, remaining: null };
  checkCount('limit', limit);
  const remaining = Math.max(0, limit - used);
  // Adding nothing never fails, even when usage is already above a lowered limit.
  if (adding === 0 || used + adding <= limit) return { ok: true, limit, used, adding, remaining };
  return {
    ok: false,
    code: 'CAPACITY_EXCEEDED',
    limit,
    used,
    adding,
    remaining,
    excess: used + adding - limit,
  };
}

/** The limit that applies to `resource`. */
export function limitFor(limits: CapacityLimits, resource: CapacityResource): number | null {
  return limits[limitKeys[resource]];
}

/** The limited resource a staff account of `role` counts against, or null (admins, patients, super admins). */
export function capacityResourceForRole(role: Role): CapacityResource | null {
  switch (role) {
    case 'doctor':
      return 'doctors';
    case 'receptionist':
      return 'receptionists';
    case 'lab_tech':
      return 'labTechs';
    case 'super_admin':
    case 'admin':
    case 'patient':
      return null;
    default: {
      const unknown: never = role;
      throw new Error(`Unknown role: ${String(unknown)}`);
    }
  }
}

/** Usage text: "498 of 500", or "12 (no limit)". */
export function formatUsage(used: number, limit: number | null): string {
  return limit === null ? `${used} (no limit)` : `${used} of ${limit}`;
}

/** One display line per resource; `pending` counts local creates not yet accepted by the server. */
export function usageSummary(
  limits: CapacityLimits,
  usage: CapacityUsage,
  pending: Partial<CapacityUsage> = {},
): UsageLine[] {
  return CapacityResource.options.map((resource) => {
    const limit = limitFor(limits, resource);
    const used = usage[resource];
    const waiting = pending[resource] ?? 0;
    const total = used + waiting;
    return {
      resource,
      limit,
      used,
      pending: waiting,
      remaining: limit === null ? null : Math.max(0, limit - total),
      atLimit: limit !== null && total >= limit,
      overLimit: limit !== null && total > limit,
      label: formatUsage(used, limit),
    };
  });
}

/** A sentence for a usage line: "498 of 500 patients, 2 waiting to sync". */
export function describeUsage(line: UsageLine): string {
  const noun = resourceNouns[line.resource];
  const counted =
    line.limit === null ? `${line.used} ${noun} (no limit)` : `${line.used} of ${line.limit} ${noun}`;
  return line.pending > 0 ? `${counted}, ${line.pending} waiting to sync` : counted;
}
