import { pathToFileURL } from 'node:url';
import { loadConfig } from '../config';
import { type Database, openDatabase } from '../db/database';
import { migrateToLatest } from '../db/migrate';
import type { CreateClinicBody } from '../modules/admin/admin.schema';
import { createClinic, setClinicStatus, updateClinic } from '../modules/admin/admin.service';
import type { AuditActor } from '../modules/audit/audit.repository';
import { usernameTaken } from '../modules/staff/staff.repository';
import type { CreateStaffBody } from '../modules/staff/staff.schema';
import { createStaff, initialPasswordHash, redeemSetupToken } from '../modules/staff/staff.service';
import { tenantScope } from '../plugins/tenancy.plugin';
import { createSuperAdmin } from './create-super-admin';

/**
 * `npm run seed:demo`: demo data for local use, through the same services the API uses (so every
 * row is audited and every rule holds). Idempotent: what exists is left alone, what is missing is
 * created. The passwords below are public; never run this against a production database.
 */
export const DEMO_SUPER_ADMIN = { username: 'superadmin', password: 'ClinicDesk@2026!' } as const;
/** Every demo clinic user signs in with this password. */
export const DEMO_STAFF_PASSWORD = 'Demo@Clinic2026';

type DemoClinic = {
  body: CreateClinicBody;
  paidForDays: number | null;
  staff: CreateStaffBody[];
};

const DAY = 86_400_000;

const demoClinics: DemoClinic[] = [
  {
    body: {
      name: 'Santkrupa Clinic',
      code: 'SANT',
      slug: 'santkrupa',
      address: 'Shop 4, Shree Apartments, Karve Road, Kothrud',
      city: 'Pune',
      state: 'Maharashtra',
      zip: '411038',
      phone: '+912025431234',
      email: 'santkrupa.clinic@example.in',
      registrationNumber: 'PMC/CL/2019/0457',
      letterheadHeader: 'Santkrupa Clinic\nKarve Road, Kothrud, Pune 411038 · 020 2543 1234',
      letterheadFooter: 'Timings: 9 am – 1 pm, 5 pm – 9 pm (Sunday closed)',
      timezone: 'Asia/Kolkata',
      plan: 'standard',
      limits: { maxPatients: 5000, maxDoctors: 5, maxReceptionists: 4, maxLabTechs: 2 },
      admin: { username: 'admin', displayName: 'Prakash Deshpande', phone: '+919822012345', email: null },
    },
    paidForDays: 365,
    staff: [
      {
        username: 'dr.kulkarni',
        displayName: 'Dr. Sneha Kulkarni',
        role: 'doctor',
        phone: '+919823456701',
        doctor: {
          specialization: 'General Medicine',
          licenceNumber: 'MMC/2011/04/1234',
          qualification: 'MBBS, MD (Medicine)',
          registrationCouncil: 'Maharashtra Medical Council',
        },
      },
      {
        username: 'dr.joshi',
        displayName: 'Dr. Aniket Joshi',
        role: 'doctor',
        phone: '+919890123456',
        doctor: {
          specialization: 'Paediatrics',
          licenceNumber: 'MMC/2015/07/5678',
          qualification: 'MBBS, DCH',
          registrationCouncil: 'Maharashtra Medical Council',
        },
      },
      { username: 'pooja.shinde', displayName: 'Pooja Shinde', role: 'receptionist', phone: '+919767001122' },
      { username: 'rahul.pawar', displayName: 'Rahul Pawar', role: 'receptionist', phone: '+919767003344' },
      { username: 'sachin.gaikwad', displayName: 'Sachin Gaikwad', role: 'lab_tech', phone: '+919767005566' },
    ],
  },
  {
    body: {
      name: 'Sunrise Family Clinic',
      code: 'SUNR',
      slug: 'sunrise',
      address: '12, 5th Cross, 80 Feet Road, Indiranagar',
      city: 'Bengaluru',
      state: 'Karnataka',
      zip: '560038',
      phone: '+918041234567',
      email: 'hello.sunrise@example.in',
      registrationNumber: 'KPME/BLR/2021/1189',
      letterheadHeader: 'Sunrise Family Clinic\nIndiranagar, Bengaluru 560038 · 080 4123 4567',
      letterheadFooter: 'Open all days, 8 am – 8 pm',
      timezone: 'Asia/Kolkata',
      plan: 'trial',
      limits: { maxPatients: 500, maxDoctors: 2, maxReceptionists: 2, maxLabTechs: 1 },
      admin: { username: 'admin', displayName: 'Meera Rao', phone: '+919845012345', email: null },
    },
    paidForDays: null,
    staff: [
      {
        username: 'dr.hegde',
        displayName: 'Dr. Karthik Hegde',
        role: 'doctor',
        phone: '+919880012345',
        doctor: {
          specialization: 'Family Medicine',
          licenceNumber: 'KMC-87654',
          qualification: 'MBBS, DNB (Family Medicine)',
          registrationCouncil: 'Karnataka Medical Council',
        },
      },
      { username: 'lakshmi.n', displayName: 'Lakshmi Narayan', role: 'receptionist', phone: '+919880098765' },
    ],
  },
];

const system: AuditActor = { type: 'system', id: null, role: null };

/** Seeds the demo super admin and clinics; returns what it created (empty on a second run). */
export async function seedDemo(
  db: Database,
  opts: { now?: () => Date; publicUrl?: string; log?: (line: string) => void } = {},
): Promise<string[]> {
  const now = opts.now ?? (() => new Date());
  const log = opts.log ?? (() => undefined);
  const deps = { db, now, publicUrl: opts.publicUrl ?? 'http://127.0.0.1:8080' };
  const created: string[] = [];

  const admin = await db.owner
    .selectFrom('platform_admins')
    .select('id')
    .where('username', '=', DEMO_SUPER_ADMIN.username)
    .executeTakeFirst();
  if (!admin) {
    await createSuperAdmin(
      db.owner,
      { ...DEMO_SUPER_ADMIN, displayName: 'ClinicDesk Super Admin' },
      'seed-demo',
    );
    created.push(`super admin ${DEMO_SUPER_ADMIN.username}`);
  }

  for (const demo of demoClinics) {
    let clinic = await db.owner
      .selectFrom('clinics')
      .select('id')
      .where('slug', '=', demo.body.slug)
      .executeTakeFirst();
    if (!clinic) {
      const result = await createClinic(deps, system, demo.body);
      // The first admin chooses a password through the one-time link, exactly as a real admin would.
      const token = new URLSearchParams(new URL(result.setupLink.url).hash.slice(1)).get('token') ?? '';
      await redeemSetupToken(
        deps,
        { clinicSlug: demo.body.slug, token, newPassword: DEMO_STAFF_PASSWORD },
        '127.0.0.1',
      );
      if (demo.paidForDays !== null) {
        await updateClinic(deps, system, result.clinic.id, {
          paidUntil: new Date(now().getTime() + demo.paidForDays * DAY).toISOString(),
        });
        await setClinicStatus(deps, system, result.clinic.id, {
          status: 'active',
          reason: 'Demo data: paid plan',
        });
      }
      clinic = { id: result.clinic.id };
      created.push(`clinic ${demo.body.slug} with admin ${demo.body.admin.username}`);
    }
    const scope = tenantScope(db.app, clinic.id, system, now);
    for (const member of demo.staff) {
      if (await scope.read((trx, clinicId) => usernameTaken(trx, clinicId, member.username))) continue;
      const passwordHash = await initialPasswordHash(DEMO_STAFF_PASSWORD, member.username);
      await scope.write((trx, clinicId) =>
        createStaff(trx, clinicId, system, member, { passwordHash, now: now(), publicUrl: deps.publicUrl }),
      );
      created.push(`${demo.body.slug}/${member.username} (${member.role})`);
    }
  }
  for (const line of created) log(`created ${line}`);
  if (created.length === 0) log('Demo data is already in place; nothing changed.');
  return created;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const config = loadConfig();
  if (config.env === 'production') {
    console.error('Refused: demo data with public passwords must never be seeded in production.');
    process.exit(1);
  }
  const db = await openDatabase(config.database);
  try {
    await migrateToLatest(db.owner);
    await seedDemo(db, { publicUrl: config.publicUrl, log: console.log });
    console.log(
      `Super admin: ${DEMO_SUPER_ADMIN.username} / ${DEMO_SUPER_ADMIN.password}. ` +
        `Clinic users (clinics santkrupa, sunrise): password ${DEMO_STAFF_PASSWORD}.`,
    );
  } finally {
    await db.close();
  }
}
