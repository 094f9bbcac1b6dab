import { subscriptionAccess } from '@clinicdesk/domain';
import { type Kysely, type Selectable, sql } from 'kysely';
import { containsPattern } from '../../db/like-pattern';
import type { ClinicsTable, DB } from '../../db/tables';
import { patientsTableExists } from '../capacity/capacity.service';
import type { ClinicListQuery, ClinicSummary } from './admin.schema';

/**
 * Platform reads of clinics, through the owner connection (the audited platform path).
 *
 * The clinic list is one query however many clinics there are: the page of clinics is chosen
 * first (filter, sort, limit, with the filtered total as a window count), then usage and last
 * sync are aggregated for just those rows through lateral joins on indexes that start with
 * `clinic_id`. No query per clinic.
 */
type ClinicFilter = Partial<Pick<ClinicListQuery, 'status' | 'isActive' | 'search'>> & { id?: string };
type Page = Pick<ClinicListQuery, 'sort' | 'order' | 'limit' | 'offset'>;

const sortColumn = {
  name: 'c.name',
  created: 'c.created_at',
  status: 'c.subscription_status',
} as const;

// The same order again outside the lateral joins, which do not keep the page's order.
const pageSortColumn = {
  name: 'p.name',
  created: 'p.created_at',
  status: 'p.subscription_status',
} as const;

/** Clinic rows with usage counts and last sync, filtered, sorted and paged, plus the filtered total. */
export async function clinicSummaries(
  owner: Kysely<DB>,
  filter: ClinicFilter,
  page: Page,
  now: Date,
): Promise<{ clinics: ClinicSummary[]; total: number }> {
  let inner = owner
    .selectFrom('clinics as c')
    .selectAll('c')
    .select(sql<number>`count(*) OVER ()`.as('total'));
  if (filter.id) inner = inner.where('c.id', '=', filter.id);
  if (filter.status) inner = inner.where('c.subscription_status', '=', filter.status);
  if (filter.isActive) inner = inner.where('c.is_active', '=', filter.isActive === 'true');
  if (filter.search) {
    const pattern = containsPattern(filter.search);
    inner = inner.where((eb) =>
      eb.or([
        eb('c.name', 'ilike', pattern),
        eb('c.code', 'ilike', pattern),
        eb('c.city', 'ilike', pattern),
        eb('c.slug', 'ilike', pattern),
      ]),
    );
  }
  const pageRows = inner
    .orderBy(sortColumn[page.sort], page.order)
    .orderBy('c.name')
    .orderBy('c.id')
    .limit(page.limit)
    .offset(page.offset)
    .as('p');

  const withPatients = await patientsTableExists(owner);
  const patients = withPatients
    ? sql<number>`(SELECT count(*) FROM patients pt WHERE pt.clinic_id = p.id AND pt.deleted_at IS NULL)`
    : sql<number>`0`;
  const rows = await owner
    .selectFrom(pageRows)
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('users as u')
          .select([
            sql<number>`count(*) FILTER (WHERE u.role = 'doctor')`.as('doctors'),
            sql<number>`count(*) FILTER (WHERE u.role = 'receptionist')`.as('receptionists'),
            sql<number>`count(*) FILTER (WHERE u.role = 'lab_tech')`.as('lab_techs'),
          ])
          .whereRef('u.clinic_id', '=', 'p.id')
          .where('u.is_active', '=', true)
          .where('u.deleted_at', 'is', null)
          .as('s'),
      (join) => join.onTrue(),
    )
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('devices as d')
          .select((e) => e.fn.max('d.last_sync_at').as('last_sync_at'))
          .whereRef('d.clinic_id', '=', 'p.id')
          .where('d.deleted_at', 'is', null)
          .as('dv'),
      (join) => join.onTrue(),
    )
    .selectAll('p')
    .select(['s.doctors', 's.receptionists', 's.lab_techs', 'dv.last_sync_at', patients.as('patients')])
    .orderBy(pageSortColumn[page.sort], page.order)
    .orderBy('p.name')
    .orderBy('p.id')
    .execute();

  const total = Number(rows[0]?.total ?? 0);
  return {
    total,
    clinics: rows.map((r) =>
      toClinicSummary(r, now, {
        usage: {
          patients: Number(r.patients ?? 0),
          doctors: Number(r.doctors ?? 0),
          receptionists: Number(r.receptionists ?? 0),
          labTechs: Number(r.lab_techs ?? 0),
        },
        lastSyncAt: r.last_sync_at ?? null,
      }),
    ),
  };
}

/** Converts a clinics row (plus aggregates) to the console's ClinicSummary. */
export function toClinicSummary(
  row: Selectable<ClinicsTable>,
  now: Date,
  extra: { usage: ClinicSummary['usage']; lastSyncAt: Date | null },
): ClinicSummary {
  const decision = subscriptionAccess(
    {
      status: row.subscription_status,
      trialEndsAt: row.trial_ends_at,
      paidUntil: row.paid_until,
      isActive: row.is_active,
    },
    now,
  );
  return {
    id: row.id,
    code: row.code,
    slug: row.slug,
    name: row.name,
    city: row.city,
    state: row.state,
    plan: row.plan,
    subscriptionStatus: row.subscription_status,
    isActive: row.is_active,
    access: decision.access,
    accessReason: decision.reason,
    trialEndsAt: row.trial_ends_at?.toISOString() ?? null,
    paidUntil: row.paid_until?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    limits: {
      maxPatients: row.max_patients,
      maxDoctors: row.max_doctors,
      maxReceptionists: row.max_receptionists,
      maxLabTechs: row.max_lab_techs,
    },
    usage: extra.usage,
    lastSyncAt: extra.lastSyncAt?.toISOString() ?? null,
  };
}

/** One clinics row, or undefined. */
export async function findClinicRow(owner: Kysely<DB>, id: string) {
  return owner.selectFrom('clinics').selectAll().where('id', '=', id).executeTakeFirst();
}

/** True when another clinic already uses the slug or code (which one, for the message). */
export async function clinicIdentityTaken(
  owner: Kysely<DB>,
  slug: string,
  code: string,
): Promise<'slug' | 'code' | null> {
  const rows = await owner
    .selectFrom('clinics')
    .select(['slug', 'code'])
    .where((eb) => eb.or([eb('slug', '=', slug), eb('code', '=', code)]))
    .execute();
  if (rows.some((r) => r.slug === slug)) return 'slug';
  if (rows.some((r) => r.code === code)) return 'code';
  return null;
}

/** A clinic's devices (not deleted), newest first. */
export async function listClinicDeviceRows(owner: Kysely<DB>, clinicId: string) {
  return owner
    .selectFrom('devices')
    .selectAll()
    .where('clinic_id', '=', clinicId)
    .where('deleted_at', 'is', null)
    .orderBy('created_at', 'desc')
    .execute();
}

/** One device of a clinic (not deleted), or undefined. */
export async function findClinicDevice(owner: Kysely<DB>, clinicId: string, deviceId: string) {
  return owner
    .selectFrom('devices')
    .selectAll()
    .where('clinic_id', '=', clinicId)
    .where('id', '=', deviceId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}
