import type { CapacityResource } from '@clinicdesk/domain';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/tables';
import type { ClinicUsageHistory, IdentityAvailability, PlatformOverview } from './overview.schema';
import { identityRules } from './overview.schema';

/**
 * Platform-wide reads for the console, through the owner connection (the audited platform path;
 * no patient field leaves here, only counts). Each aggregate is one grouped query, whatever the
 * number of clinics: no query per clinic. Months are UTC calendar months.
 */
const DAY_MS = 86_400_000;
const NEAR_LIMIT_PERCENT = 90;
const NEAR_LIMIT_ROWS = 100;

/** The last `n` UTC months ending with the month of `now`, oldest first, as YYYY-MM. */
export function lastMonths(now: Date, n: number): string[] {
  const months: string[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
    months.push(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`);
  }
  return months;
}

function monthStart(month: string): Date {
  return new Date(`${month}-01T00:00:00.000Z`);
}

type MonthRow = { month: string; n: number | string };

function byMonth(rows: MonthRow[]): Map<string, number> {
  return new Map(rows.map((r) => [r.month, Number(r.n)]));
}

async function clinicCounts(owner: Kysely<DB>): Promise<PlatformOverview['clinics']> {
  const rows = await owner
    .selectFrom('clinics')
    .select([
      'subscription_status as status',
      sql<number>`count(*)`.as('n'),
      sql<number>`count(*) FILTER (WHERE NOT is_active)`.as('inactive'),
    ])
    .groupBy('subscription_status')
    .execute();
  const byStatus = { trial: 0, active: 0, expired: 0, suspended: 0 };
  let inactive = 0;
  for (const r of rows) {
    byStatus[r.status] = Number(r.n);
    inactive += Number(r.inactive);
  }
  const total = byStatus.trial + byStatus.active + byStatus.expired + byStatus.suspended;
  return { total, byStatus, inactive };
}

async function deviceCounts(owner: Kysely<DB>, now: Date): Promise<PlatformOverview['devices']> {
  const day = new Date(now.getTime() - DAY_MS);
  const week = new Date(now.getTime() - 7 * DAY_MS);
  const row = await owner
    .selectFrom('devices')
    .select([
      sql<number>`count(*) FILTER (WHERE status = 'approved')`.as('approved'),
      sql<number>`count(*) FILTER (WHERE status = 'pending')`.as('pending'),
      sql<number>`count(*) FILTER (WHERE status = 'approved' AND last_sync_at >= ${day})`.as('day'),
      sql<number>`count(*) FILTER (WHERE status = 'approved' AND last_sync_at >= ${week})`.as('week'),
    ])
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return {
    approved: Number(row.approved),
    pending: Number(row.pending),
    syncedLast24h: Number(row.day),
    syncedLast7d: Number(row.week),
  };
}

async function syncErrors(owner: Kysely<DB>, now: Date): Promise<PlatformOverview['syncErrors24h']> {
  const since = new Date(now.getTime() - DAY_MS);
  // The partial index sync_groups_refused_idx holds only refused groups, so this stays small.
  const refused = owner
    .selectFrom('sync_groups')
    .where('status', '=', 'refused')
    .where('decided_at', '>=', since);
  const byCode = await refused
    .select([sql<string>`coalesce(code, 'UNKNOWN')`.as('code'), sql<number>`count(*)`.as('n')])
    .groupBy('code')
    .orderBy('n', 'desc')
    .execute();
  const perClinic = await refused
    .innerJoin('clinics as c', 'c.id', 'sync_groups.clinic_id')
    .select([
      'c.id',
      'c.name',
      'c.code',
      sql<number>`count(*)`.as('n'),
      sql<number>`count(*) OVER ()`.as('clinics'),
    ])
    .groupBy(['c.id', 'c.name', 'c.code'])
    .orderBy('n', 'desc')
    .orderBy('c.name')
    .limit(5)
    .execute();
  return {
    refusedGroups: byCode.reduce((sum, r) => sum + Number(r.n), 0),
    clinics: Number(perClinic[0]?.clinics ?? 0),
    byCode: byCode.map((r) => ({ code: r.code, count: Number(r.n) })),
    topClinics: perClinic.map((r) => ({ clinicId: r.id, name: r.name, code: r.code, refused: Number(r.n) })),
  };
}

async function patientsPerMonth(owner: Kysely<DB>, now: Date): Promise<PlatformOverview['patientsPerMonth']> {
  const months = lastMonths(now, 12);
  const from = monthStart(months[0] ?? '1970-01');
  const { rows } = await sql<MonthRow>`
    SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, count(*) AS n
    FROM patients
    WHERE deleted_at IS NULL AND created_at >= ${from}
    GROUP BY 1`.execute(owner);
  const counts = byMonth(rows);
  return months.map((month) => ({ month, count: counts.get(month) ?? 0 }));
}

type LimitRow = {
  id: string;
  name: string;
  code: string;
  max_patients: number | null;
  max_doctors: number | null;
  max_receptionists: number | null;
  max_lab_techs: number | null;
  patients: number | string;
  doctors: number | string;
  receptionists: number | string;
  lab_techs: number | string;
};

async function nearLimits(owner: Kysely<DB>): Promise<PlatformOverview['nearLimits']> {
  // Usage is counted the way capacity checks count it (active, not deleted), only for active
  // clinics that have at least one limit.
  const { rows } = await sql<LimitRow>`
    WITH limited AS (
      SELECT id, name, code, max_patients, max_doctors, max_receptionists, max_lab_techs
      FROM clinics
      WHERE is_active AND (max_patients IS NOT NULL OR max_doctors IS NOT NULL
        OR max_receptionists IS NOT NULL OR max_lab_techs IS NOT NULL)
    ),
    staff AS (
      SELECT u.clinic_id,
             count(*) FILTER (WHERE u.role = 'doctor') AS doctors,
             count(*) FILTER (WHERE u.role = 'receptionist') AS receptionists,
             count(*) FILTER (WHERE u.role = 'lab_tech') AS lab_techs
      FROM users u JOIN limited l ON l.id = u.clinic_id
      WHERE u.is_active AND u.deleted_at IS NULL
      GROUP BY u.clinic_id
    ),
    pts AS (
      SELECT p.clinic_id, count(*) AS patients
      FROM patients p JOIN limited l ON l.id = p.clinic_id AND l.max_patients IS NOT NULL
      WHERE p.deleted_at IS NULL
      GROUP BY p.clinic_id
    )
    SELECT l.*, coalesce(pts.patients, 0) AS patients, coalesce(s.doctors, 0) AS doctors,
           coalesce(s.receptionists, 0) AS receptionists, coalesce(s.lab_techs, 0) AS lab_techs
    FROM limited l
    LEFT JOIN staff s ON s.clinic_id = l.id
    LEFT JOIN pts ON pts.clinic_id = l.id`.execute(owner);

  const lines: PlatformOverview['nearLimits'] = [];
  for (const r of rows) {
    const pairs: [CapacityResource, number | null, number][] = [
      ['patients', r.max_patients, Number(r.patients)],
      ['doctors', r.max_doctors, Number(r.doctors)],
      ['receptionists', r.max_receptionists, Number(r.receptionists)],
      ['labTechs', r.max_lab_techs, Number(r.lab_techs)],
    ];
    for (const [resource, limit, used] of pairs) {
      if (limit === null) continue;
      // A limit of 0 with nothing used is a plan without that resource, not a clinic near its limit.
      if (limit === 0 && used === 0) continue;
      const percent = limit === 0 ? 100 : Math.floor((used * 100) / limit);
      if (percent >= NEAR_LIMIT_PERCENT) {
        lines.push({ clinicId: r.id, name: r.name, code: r.code, resource, used, limit, percent });
      }
    }
  }
  lines.sort((a, b) => b.percent - a.percent || a.name.localeCompare(b.name));
  return lines.slice(0, NEAR_LIMIT_ROWS);
}

/** Every aggregate of the console's platform overview. */
export async function platformOverview(owner: Kysely<DB>, now: Date): Promise<PlatformOverview> {
  // Sequential on purpose: the embedded database has one connection.
  const clinics = await clinicCounts(owner);
  const devices = await deviceCounts(owner, now);
  const syncErrors24h = await syncErrors(owner, now);
  const patients = await patientsPerMonth(owner, now);
  const near = await nearLimits(owner);
  return {
    generatedAt: now.toISOString(),
    clinics,
    devices,
    syncErrors24h,
    patientsPerMonth: patients,
    nearLimits: near,
  };
}

/** True when the clinic exists. */
export async function clinicExists(owner: Kysely<DB>, id: string): Promise<boolean> {
  return (
    (await owner.selectFrom('clinics').select('id').where('id', '=', id).executeTakeFirst()) !== undefined
  );
}

/** Patients registered and visits held per month for one clinic (visits by visit date; cancelled left out). */
export async function clinicUsageHistory(
  owner: Kysely<DB>,
  clinicId: string,
  now: Date,
  monthCount: number,
): Promise<ClinicUsageHistory> {
  const months = lastMonths(now, monthCount);
  const from = monthStart(months[0] ?? '1970-01');
  const patients = await sql<MonthRow>`
    SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, count(*) AS n
    FROM patients
    WHERE clinic_id = ${clinicId} AND deleted_at IS NULL AND created_at >= ${from}
    GROUP BY 1`.execute(owner);
  const visits = await sql<MonthRow>`
    SELECT to_char(visit_date, 'YYYY-MM') AS month, count(*) AS n
    FROM visits
    WHERE clinic_id = ${clinicId} AND deleted_at IS NULL AND status <> 'cancelled'
      AND visit_date >= ${`${months[0] ?? '1970-01'}-01`}::date
    GROUP BY 1`.execute(owner);
  const p = byMonth(patients.rows);
  const v = byMonth(visits.rows);
  return {
    clinicId,
    months: months.map((month) => ({ month, patients: p.get(month) ?? 0, visits: v.get(month) ?? 0 })),
  };
}

/** Whether a slug and a code are well-formed and free, each answered on its own. */
export async function identityAvailability(
  owner: Kysely<DB>,
  query: { slug?: string | undefined; code?: string | undefined },
): Promise<IdentityAvailability> {
  const slug = query.slug ? identityRules.slug.safeParse(query.slug) : null;
  const code = query.code ? identityRules.code.safeParse(query.code) : null;
  const taken =
    slug?.success || code?.success
      ? await owner
          .selectFrom('clinics')
          .select(['slug', 'code'])
          .where((eb) =>
            eb.or([
              ...(slug?.success ? [eb('slug', '=', slug.data)] : []),
              ...(code?.success ? [eb('code', '=', code.data)] : []),
            ]),
          )
          .execute()
      : [];
  const answer = (
    kind: 'slug' | 'code',
    value: string | undefined,
    parsed: typeof slug,
  ): IdentityAvailability['slug'] => {
    if (value === undefined || parsed === null) return null;
    if (!parsed.success) {
      return {
        value,
        valid: false,
        available: false,
        message: parsed.error.issues[0]?.message ?? 'Not valid',
      };
    }
    const used = taken.some((r) => r[kind] === parsed.data);
    return {
      value,
      valid: true,
      available: !used,
      message: used ? `Another clinic already uses this ${kind}` : null,
    };
  };
  return { slug: answer('slug', query.slug, slug), code: answer('code', query.code, code) };
}

/** Names and codes of the given clinics (for labelling audit events); unknown ids are left out. */
export async function clinicNames(owner: Kysely<DB>, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return owner
    .selectFrom('clinics')
    .select(['id', 'name', 'code'])
    .where('id', 'in', ids)
    .orderBy('name')
    .execute();
}
