import type { Kysely } from 'kysely';
import type { DB } from '../../db/tables';
import type { StaffMember } from './staff.schema';

/**
 * Staff accounts of one clinic with their doctor profiles. Takes any Kysely handle: a clinic-bound
 * transaction of the request role, or the owner connection on the platform path; every query also
 * filters by `clinicId` explicitly. Patient portal accounts are not staff and never listed here.
 */
function staffQuery(db: Kysely<DB>, clinicId: string) {
  return db
    .selectFrom('users as u')
    .leftJoin('doctor_profiles as d', (j) =>
      j
        .onRef('d.clinic_id', '=', 'u.clinic_id')
        .onRef('d.user_id', '=', 'u.id')
        .on('d.deleted_at', 'is', null),
    )
    .select([
      'u.id',
      'u.username',
      'u.display_name',
      'u.role',
      'u.phone',
      'u.email',
      'u.is_active',
      'u.password_hash',
      'u.created_at',
      'u.updated_at',
      'd.id as profile_id',
      'd.specialization',
      'd.licence_number',
      'd.qualification',
      'd.registration_council',
    ])
    .where('u.clinic_id', '=', clinicId)
    .where('u.deleted_at', 'is', null)
    .where('u.role', '!=', 'patient');
}

type StaffRow = Awaited<ReturnType<ReturnType<typeof staffQuery>['executeTakeFirstOrThrow']>>;

/** Converts a joined users/doctor_profiles row to the API's StaffMember. */
export function toStaffMember(row: StaffRow): StaffMember {
  if (row.role === 'patient') throw new Error('A patient account is not staff');
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    phone: row.phone || null,
    email: row.email || null,
    isActive: row.is_active,
    passwordSet: row.password_hash !== null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    doctor:
      row.profile_id === null
        ? null
        : {
            specialization: row.specialization ?? '',
            licenceNumber: row.licence_number ?? '',
            qualification: row.qualification ?? '',
            registrationCouncil: row.registration_council ?? '',
          },
  };
}

/** The clinic's staff: admins first, then doctors, receptionists, lab technicians; by name. */
export async function listStaff(db: Kysely<DB>, clinicId: string): Promise<StaffMember[]> {
  const rows = await staffQuery(db, clinicId)
    .orderBy('u.role')
    .orderBy('u.display_name')
    .orderBy('u.id')
    .execute();
  return rows.map(toStaffMember);
}

/** One staff member of the clinic with their raw row (for checks), or undefined. */
export async function findStaffRow(db: Kysely<DB>, clinicId: string, userId: string) {
  return staffQuery(db, clinicId).where('u.id', '=', userId).executeTakeFirst();
}

/** True when the username is taken in the clinic (deleted accounts keep their username). */
export async function usernameTaken(db: Kysely<DB>, clinicId: string, username: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('clinic_id', '=', clinicId)
    .where('username', '=', username)
    .executeTakeFirst();
  return row !== undefined;
}

/** The user holding a licence number in the clinic, other than `exceptUserId`, if any. */
export async function licenceHolder(
  db: Kysely<DB>,
  clinicId: string,
  licenceNumber: string,
  exceptUserId?: string,
): Promise<string | undefined> {
  let q = db
    .selectFrom('doctor_profiles')
    .select('user_id')
    .where('clinic_id', '=', clinicId)
    .where('licence_number', '=', licenceNumber);
  if (exceptUserId) q = q.where('user_id', '!=', exceptUserId);
  return (await q.executeTakeFirst())?.user_id;
}

/** Active, not deleted clinic admins of the clinic. */
export async function countActiveAdmins(db: Kysely<DB>, clinicId: string): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('clinic_id', '=', clinicId)
    .where('role', '=', 'admin')
    .where('is_active', '=', true)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
