import {
  type CapacityLimits,
  type CapacityResource,
  type CapacityUsage,
  capacityCheck,
  describeUsage,
  limitFor,
  usageSummary,
} from '@clinicdesk/domain';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/tables';
import { AppError, notFound } from '../../lib/app-error';

/**
 * Capacity limits as the server enforces them (DESIGN §4). Limits live on the clinic row; usage
 * counts active records: staff with the role who are active and not deleted, and patients not
 * deleted. `assertCapacity` must run inside `scope.write` (or another transaction holding the
 * clinic's advisory lock): the count and the insert that follows it are then serialised with every
 * other create of the clinic, so concurrent creates can never overshoot a limit.
 *
 * Every function takes a Kysely handle: a clinic-bound transaction of the request role, or the
 * owner connection on the platform path.
 */
export type CapacityDb = Kysely<DB>;

const staffRoleOf = {
  doctors: 'doctor',
  receptionists: 'receptionist',
  labTechs: 'lab_tech',
} as const;

/** The clinic's limits (`null` = unlimited); NOT_FOUND when the clinic is not visible. */
export async function clinicLimits(trx: CapacityDb, clinicId: string): Promise<CapacityLimits> {
  const row = await trx
    .selectFrom('clinics')
    .select(['max_patients', 'max_doctors', 'max_receptionists', 'max_lab_techs'])
    .where('id', '=', clinicId)
    .executeTakeFirst();
  if (!row) throw notFound('Clinic');
  return {
    maxPatients: row.max_patients,
    maxDoctors: row.max_doctors,
    maxReceptionists: row.max_receptionists,
    maxLabTechs: row.max_lab_techs,
  };
}

/** True once a migration has created the `patients` table (the clinical tables arrive separately). */
export async function patientsTableExists(trx: CapacityDb): Promise<boolean> {
  const { rows } = await sql<{
    present: boolean;
  }>`SELECT to_regclass('patients') IS NOT NULL AS present`.execute(trx);
  return rows[0]?.present === true;
}

async function countPatients(trx: CapacityDb, clinicId: string): Promise<number> {
  if (!(await patientsTableExists(trx))) return 0;
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM patients WHERE clinic_id = ${clinicId} AND deleted_at IS NULL`.execute(
    trx,
  );
  return Number(rows[0]?.n ?? 0);
}

/** Active records of one limited resource. */
export async function countResource(
  trx: CapacityDb,
  clinicId: string,
  resource: CapacityResource,
): Promise<number> {
  if (resource === 'patients') return countPatients(trx, clinicId);
  const row = await trx
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('clinic_id', '=', clinicId)
    .where('role', '=', staffRoleOf[resource])
    .where('is_active', '=', true)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Active doctors, receptionists, lab technicians and patients of the clinic. */
export async function clinicUsage(trx: CapacityDb, clinicId: string): Promise<CapacityUsage> {
  const staff = await trx
    .selectFrom('users')
    .select(['role', (eb) => eb.fn.countAll<number>().as('n')])
    .where('clinic_id', '=', clinicId)
    .where('is_active', '=', true)
    .where('deleted_at', 'is', null)
    .groupBy('role')
    .execute();
  const byRole = (role: string) => Number(staff.find((r) => r.role === role)?.n ?? 0);
  return {
    patients: await countPatients(trx, clinicId),
    doctors: byRole(staffRoleOf.doctors),
    receptionists: byRole(staffRoleOf.receptionists),
    labTechs: byRole(staffRoleOf.labTechs),
  };
}

/**
 * Refuses with CAPACITY_EXCEEDED when adding `adding` records of `resource` would pass the clinic's
 * limit. Call it inside `scope.write`, right before the insert it guards (the clinic lock is held).
 */
export async function assertCapacity(
  trx: CapacityDb,
  clinicId: string,
  resource: CapacityResource,
  adding = 1,
): Promise<void> {
  const limits = await clinicLimits(trx, clinicId);
  const limit = limitFor(limits, resource);
  if (limit === null || adding === 0) return;
  const used = await countResource(trx, clinicId, resource);
  if (capacityCheck({ limit, used, adding }).ok) return;
  const usage: CapacityUsage = { patients: 0, doctors: 0, receptionists: 0, labTechs: 0, [resource]: used };
  const line = usageSummary(limits, usage).find((l) => l.resource === resource);
  const text = line ? describeUsage(line) : `${used} of ${limit} ${resource}`;
  throw new AppError('CAPACITY_EXCEEDED', `This clinic has ${text}, the most its plan allows`, {
    resource,
    limit,
    used,
  });
}

/** One display line per resource with its sentence ("8 of 10 doctors"), as clinic screens and the console show them. */
export function usageLines(limits: CapacityLimits, usage: CapacityUsage) {
  return usageSummary(limits, usage).map((line) => ({
    resource: line.resource,
    limit: line.limit,
    used: line.used,
    remaining: line.remaining,
    atLimit: line.atLimit,
    overLimit: line.overLimit,
    text: describeUsage(line),
  }));
}

/** Limits, usage and the display lines of one clinic. */
export async function usageReport(trx: CapacityDb, clinicId: string) {
  const limits = await clinicLimits(trx, clinicId);
  const usage = await clinicUsage(trx, clinicId);
  return { limits, usage, lines: usageLines(limits, usage) };
}
